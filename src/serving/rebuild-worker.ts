import { parentPort, workerData } from 'node:worker_threads';
import { listSeeds } from '../corpus/index.js';
import { buildFromListing, fingerprintSeeds, serializeSnapshot, writeSnapshot } from '../index/index.js';
import { writeErrorReason } from '../lib/index.js';

/** What the rebuild thread reports. The snapshot's bytes are transferred, not copied. */
export type RebuildMessage =
  | { status: 'built'; fingerprint: string; saveError: string | null; articles: number; snapshot: ArrayBuffer }
  | { status: 'empty' }
  | { status: 'failed'; code: string | null; message: string };

/** The code of a rebuild given up at its deadline (the holder words it in French). */
export const REBUILD_DEADLINE_CODE = 'REBUILD_DEADLINE';

/**
 * A whole rebuild: list and read the seeds, build the index, serialize the snapshot and save it. Run in a worker
 * thread (the main thread then only loads the snapshot, a slice at a time), or in-thread where none can start; there,
 * `signal` tells that the caller gave up at its deadline, and nothing is saved any more.
 */
export async function rebuild(
  seedsDir: string,
  dataDir: string,
  signal?: AbortSignal,
): Promise<{ message: RebuildMessage; transfer: ArrayBuffer[] }> {
  try {
    const listing = await listSeeds(seedsDir);
    const { fingerprint } = await fingerprintSeeds(listing, { dataDir });
    // One thread for the whole rebuild: the bot's own thread keeps the other core to answer questions.
    const built = await buildFromListing(listing, 0);
    if (built.corpus.articles.length === 0) return { message: { status: 'empty' }, transfer: [] };
    const buf = serializeSnapshot(built, fingerprint, new Date());
    if (signal?.aborted) return { message: pastDeadline(), transfer: [] };
    let saveError: string | null = null;
    try {
      await writeSnapshot(dataDir, buf);
    } catch (err) {
      saveError = writeErrorReason(err);
    }
    const snapshot = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
    return {
      message: { status: 'built', fingerprint, saveError, articles: built.corpus.articles.length, snapshot },
      transfer: [snapshot],
    };
  } catch (err) {
    return {
      message: { status: 'failed', code: (err as NodeJS.ErrnoException).code ?? null, message: (err as Error).message },
      transfer: [],
    };
  }
}

/** The answer of a rebuild given up at its deadline. */
export function pastDeadline(): RebuildMessage {
  return { status: 'failed', code: REBUILD_DEADLINE_CODE, message: 'rebuild did not finish before its deadline' };
}

if (parentPort && (workerData as { role?: string } | null)?.role === 'rebuild') {
  const { seedsDir, dataDir } = workerData as { seedsDir: string; dataDir: string };
  void rebuild(seedsDir, dataDir).then(({ message, transfer }) => parentPort!.postMessage(message, transfer));
}
