import { parentPort, workerData } from 'node:worker_threads';
import {
  buildFromListing,
  fingerprintOf,
  gatherChunks,
  packTexts,
  readSeedListing,
  savingProgress,
  snapshotChunks,
  tellProgress,
  writeSnapshot,
  type RebuildProgress,
} from '../index/index.js';
import { writeErrorReason } from '../lib/index.js';
import { ProgressCell } from './progress-cell.js';

/**
 * What the rebuild thread reports, once, at the end. The snapshot's bytes are transferred, not copied, in several
 * buffers of at most 64 MB (in file order): no single buffer need hold a large snapshot. Its progress meanwhile goes
 * through a ProgressCell, not messages: the thread runner answers with the first message it gets.
 */
export type RebuildMessage =
  | { status: 'built'; fingerprint: string; saveError: string | null; articles: number; snapshot: ArrayBuffer[] }
  | { status: 'empty' }
  | { status: 'failed'; code: string | null; message: string };

/** The code of a rebuild given up at its deadline (the holder words it in French). */
export const REBUILD_DEADLINE_CODE = 'REBUILD_DEADLINE';

/**
 * A whole rebuild: list and read the seeds, build the index, serialize the snapshot and save it. Run in a worker
 * thread (the main thread then only loads the snapshot, a slice at a time), or in-thread where none can start; there,
 * `signal` tells that the caller gave up at its deadline, and nothing is saved any more. `onProgress` is told how far
 * it has got (reading, indexing at most every `progressEveryMs`, saving); whatever it throws is ignored.
 */
export async function rebuild(
  seedsDir: string,
  dataDir: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (progress: RebuildProgress) => void;
    progressEveryMs?: number;
    now?: () => number;
  } = {},
): Promise<{ message: RebuildMessage; transfer: ArrayBuffer[] }> {
  const { signal, onProgress, progressEveryMs, now } = options;
  try {
    tellProgress(onProgress, { phase: 'reading', filesRead: 0, filesTotal: 0, passagesIndexed: 0 });
    const { listing, topics } = await readSeedListing({ seedsDir });
    // One thread for the whole rebuild: the bot's own thread keeps the other core to answer questions.
    const built = await buildFromListing(listing, topics.topics, { parseThreads: 0, onProgress, progressEveryMs, now });
    if (built.corpus.articles.length === 0) return { message: { status: 'empty' }, transfer: [] };
    tellProgress(onProgress, savingProgress(built, listing.length));
    // Fingerprinted once built, from the hashes the build took of the files it read.
    const fingerprint = await fingerprintOf(listing, topics, { dataDir }, built);
    const chunks = snapshotChunks(built, fingerprint, new Date(), undefined, await packTexts(built.texts));
    if (signal?.aborted) return { message: pastDeadline(), transfer: [] };
    let saveError: string | null = null;
    try {
      await writeSnapshot(dataDir, chunks);
    } catch (err) {
      saveError = writeErrorReason(err);
    }
    const snapshot = gatherChunks(chunks);
    return {
      message: { status: 'built', fingerprint, saveError, articles: built.corpus.articles.length, snapshot },
      transfer: snapshot,
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
  const { seedsDir, dataDir, progress } = workerData as {
    seedsDir: string;
    dataDir: string;
    progress?: SharedArrayBuffer;
  };
  const cell = progress ? new ProgressCell(progress) : null;
  // The cell costs a few stores: written after every chunk, the main thread reads the latest when it looks.
  const onProgress = cell ? (p: RebuildProgress) => cell.write(p) : undefined;
  void rebuild(seedsDir, dataDir, { onProgress, progressEveryMs: 0 }).then(({ message, transfer }) =>
    parentPort!.postMessage(message, transfer),
  );
}
