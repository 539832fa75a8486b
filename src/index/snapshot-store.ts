import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isReadFailure, type ReadFailure, readAt, withCheckedFile, writeFileAtomic } from '../lib/index.js';
import { HEADER_AT, MAGIC, type Header } from './snapshot-layout.js';
import { loadSnapshotFile, type SnapshotLoad } from './snapshot-load.js';

/** The snapshot's file in the data folder: one file, so that it is replaced atomically. */
export const SNAPSHOT_FILE = 'index-snapshot.bin';

/**
 * Largest snapshot read. The file is read a part at a time, each part no larger than its section claims and the
 * file holds, so this only turns away what no index of this machine could have written.
 */
const MAX_SNAPSHOT_BYTES = 2 ** 40;
/**
 * Time allowed to read and load the whole snapshot: READ_DEADLINE_MS, and as much again per READ_BYTES_PER_S of
 * its size (a large snapshot takes that long to load, a stuck read never ends); past it the snapshot is not used.
 */
const READ_DEADLINE_MS = 120_000;
const READ_BYTES_PER_S = 4 * 1024 * 1024;
const PEEK_DEADLINE_MS = 10_000;
/** A header the peek would read is small (counts, topics, rejections): a larger claim is not worth a peek. */
const MAX_PEEK_HEADER_BYTES = 64 * 1024 * 1024;

function readFailureReason(failure: ReadFailure, deadlineMs: number): string {
  switch (failure.problem) {
    case 'not-a-file':
    case 'link':
      return 'snapshot is not a regular file';
    case 'too-big':
      return `snapshot is larger than ${MAX_SNAPSHOT_BYTES} bytes`;
    case 'timeout':
      return `snapshot not read within ${Math.round(deadlineMs / 1000)} s`;
    case 'error':
      return failure.code === 'ENOENT' ? 'no snapshot yet' : `snapshot unreadable (${failure.code})`;
  }
}

/**
 * The header length the file claims, checked against the file's size before anything that long is allocated (a
 * length of 2³¹ or more read in one call aborts the process); a reason when it does not fit, null when the file is
 * not a snapshot of this format at all.
 */
function headerLength(start: Buffer, size: number): number | string | null {
  if (start.length < HEADER_AT || !start.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const length = start.readUInt32LE(MAGIC.length);
  return HEADER_AT + length > size
    ? `snapshot header length ${length} is past the end of the file (${size} bytes)`
    : length;
}

/**
 * Reads and loads the saved snapshot as any file from outside: a regular file, bounded, under a deadline; front to
 * back by positioned reads, a part at a time, never the whole file in one buffer.
 */
async function loadSaved(dataDir: string, slices: boolean): Promise<SnapshotLoad> {
  const file = path.join(dataDir, SNAPSHOT_FILE);
  // The size only sets the deadline: what is read is checked on the open file.
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const deadlineMs = READ_DEADLINE_MS + Math.ceil((size / READ_BYTES_PER_S) * 1000);
  // Wrapped: a load that failed is not a read that failed.
  const read = await withCheckedFile(
    file,
    { maxBytes: MAX_SNAPSHOT_BYTES, deadlineMs },
    async (handle, size, signal) => ({
      load: await loadSnapshotFile(handle, size, { slices, signal }),
    }),
  );
  return isReadFailure(read) ? { ok: false, reason: readFailureReason(read, deadlineMs) } : read.load;
}

export function readSnapshot(dataDir: string): Promise<SnapshotLoad> {
  return loadSaved(dataDir, false);
}

/**
 * The generation the saved snapshot's header claims (read without the rest of the file, and unchecked: enough to
 * tell a snapshot that is certainly the one already loaded), or null when there is none to read.
 */
export async function peekSnapshotGeneration(dataDir: string): Promise<string | null> {
  const options = { maxBytes: MAX_SNAPSHOT_BYTES, deadlineMs: PEEK_DEADLINE_MS };
  const peeked = await withCheckedFile(path.join(dataDir, SNAPSHOT_FILE), options, async (handle, size) => {
    const length = headerLength(await readAt(handle, HEADER_AT, 0), size);
    if (typeof length !== 'number' || length > MAX_PEEK_HEADER_BYTES) return null;
    try {
      const parsed = JSON.parse((await readAt(handle, length, HEADER_AT)).toString('utf8')) as Partial<Header>;
      return typeof parsed.generation === 'string' ? parsed.generation : null;
    } catch {
      return null;
    }
  });
  return typeof peeked === 'string' ? peeked : null;
}

/** Reads the saved snapshot a slice at a time (see `parseSnapshotInSlices`). */
export function readSnapshotInSlices(dataDir: string): Promise<SnapshotLoad> {
  return loadSaved(dataDir, true);
}

/**
 * Saves a snapshot atomically, from its chunks (one buffer for a small one): written one after the other to a
 * temporary file, synced, renamed over the old one. The callers keep the bytes (to load them, or hand them over).
 */
export async function writeSnapshot(dataDir: string, snapshot: Buffer | readonly Buffer[]): Promise<void> {
  await writeFileAtomic(path.join(dataDir, SNAPSHOT_FILE), Buffer.isBuffer(snapshot) ? [snapshot] : snapshot);
}
