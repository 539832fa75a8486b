import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isRunning, readFileChecked, writeFileAtomic } from '../lib/index.js';

/** Left in the data folder while a `/reindex` runs: found at start-up, it says the last one never finished. */
export const REINDEX_MARK_FILE = 'reindex-running.json';

export interface ReindexMark {
  pid: number;
  startedAt: string;
}

const markPath = (dataDir: string): string => path.join(dataDir, REINDEX_MARK_FILE);

/** Notes that this process starts a reindex. Best effort: a data folder that refuses writes only loses the note. */
export async function markReindexStart(dataDir: string, now: Date = new Date()): Promise<void> {
  const mark: ReindexMark = { pid: process.pid, startedAt: now.toISOString() };
  await writeFileAtomic(markPath(dataDir), JSON.stringify(mark)).catch(() => undefined);
}

/** Removes this process's note once its reindex ended, however it ended. */
export async function clearReindexMark(dataDir: string): Promise<void> {
  await rm(markPath(dataDir), { force: true }).catch(() => undefined);
}

/**
 * The note of a reindex whose process is gone (killed mid-way, or the machine stopped), removed so that it is
 * reported once; null when there is none, or when its process still runs (another shard's reindex in progress).
 */
export async function takeInterruptedReindex(dataDir: string): Promise<ReindexMark | null> {
  let text: string;
  try {
    // Bounded: a FIFO or a link to /dev/zero in DATA_DIR must not hold start-up.
    text = (await readFileChecked(markPath(dataDir), { maxBytes: 64 * 1024, deadlineMs: 5_000 })).toString('utf8');
  } catch {
    return null;
  }
  let mark: ReindexMark;
  try {
    const raw = JSON.parse(text) as Partial<ReindexMark> | null;
    if (typeof raw?.pid !== 'number' || typeof raw.startedAt !== 'string') throw new Error('not a mark');
    mark = { pid: raw.pid, startedAt: raw.startedAt };
  } catch {
    // A damaged note says nothing reliable: dropped.
    await clearReindexMark(dataDir);
    return null;
  }
  if (isRunning(mark.pid)) return null;
  await clearReindexMark(dataDir);
  return mark;
}
