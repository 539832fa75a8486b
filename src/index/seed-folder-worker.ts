import { parentPort, workerData } from 'node:worker_threads';
import { readSeedFolder, type SeedFolderMessage } from './seed-folder.js';

/**
 * The thread of `readSeedFolderAside`: reads and fingerprints the folder, posts it once. A failure posts no folder:
 * the caller reads the folder itself, and reports the error as it is.
 */
async function main(): Promise<void> {
  const warnings: SeedFolderMessage['warnings'] = [];
  const log = { info: () => {}, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
  let folder: SeedFolderMessage['folder'] = null;
  try {
    const { seedsDir, dataDir } = workerData as { seedsDir: string; dataDir: string | null };
    folder = await readSeedFolder({ seedsDir, ...(dataDir === null ? {} : { dataDir }), log });
  } catch {
    // Read again on the caller's thread, which throws the error with its type.
  }
  parentPort?.postMessage({ folder, warnings } satisfies SeedFolderMessage);
}

// Imported outside a thread (no parent port), it does nothing.
if (parentPort) void main();
