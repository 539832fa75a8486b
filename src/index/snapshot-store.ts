import path from 'node:path';
import {
  isReadFailure,
  type ReadFailure,
  readAt,
  readFileBounded,
  withCheckedFile,
  writeFileAtomic,
} from '../lib/index.js';
import {
  DIGEST_BYTES,
  MAGIC,
  parseSnapshot,
  parseSnapshotInSlices,
  type Header,
  type SnapshotLoad,
} from './snapshot-format.js';

/** The snapshot's file in the data folder: one file, so that it is replaced atomically. */
export const SNAPSHOT_FILE = 'index-snapshot.bin';

/** Bytes before the header: magic, header length, checksum. */
const HEADER_AT = MAGIC.length + 4 + DIGEST_BYTES;
/** Largest snapshot read (about 35 times one of 10,000 articles): section offsets are 32-bit. */
const MAX_SNAPSHOT_BYTES = 2 ** 31 - 1;
/** Time allowed to read the whole snapshot, and its header alone; past it the snapshot is not used. */
const READ_DEADLINE_MS = 120_000;
const PEEK_DEADLINE_MS = 10_000;
/** A header the peek would read is small (counts, topics, rejections): a larger claim is not worth a peek. */
const MAX_PEEK_HEADER_BYTES = 64 * 1024 * 1024;

function readFailureReason(failure: ReadFailure): string {
  switch (failure.problem) {
    case 'not-a-file':
    case 'link':
      return 'snapshot is not a regular file';
    case 'too-big':
      return `snapshot is larger than ${MAX_SNAPSHOT_BYTES} bytes`;
    case 'timeout':
      return `snapshot not read within ${READ_DEADLINE_MS / 1000} s`;
    case 'error':
      return failure.code === 'ENOENT' ? 'no snapshot yet' : `snapshot unreadable (${failure.code})`;
  }
}

/**
 * The header length the file claims, checked against the file's size before anything that long is allocated (a
 * length of 2³¹ or more read in one call aborts the process); a reason when it does not fit, null when the file is
 * not a snapshot of this format at all (the parser says so).
 */
function headerLength(start: Buffer, size: number): number | string | null {
  if (start.length < HEADER_AT || !start.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const length = start.readUInt32LE(MAGIC.length);
  return HEADER_AT + length > size
    ? `snapshot header length ${length} is past the end of the file (${size} bytes)`
    : length;
}

/** The snapshot's bytes, read as any file from outside: a regular file, bounded, under a deadline. */
async function readSnapshotFile(dataDir: string): Promise<Buffer | { ok: false; reason: string }> {
  const read = await readFileBounded(path.join(dataDir, SNAPSHOT_FILE), {
    maxBytes: MAX_SNAPSHOT_BYTES,
    deadlineMs: READ_DEADLINE_MS,
  });
  if (isReadFailure(read)) return { ok: false, reason: readFailureReason(read) };
  const length = headerLength(read, read.length);
  return typeof length === 'string' ? { ok: false, reason: length } : read;
}

export async function readSnapshot(dataDir: string): Promise<SnapshotLoad> {
  const buf = await readSnapshotFile(dataDir);
  return Buffer.isBuffer(buf) ? parseSnapshot(buf) : buf;
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
export async function readSnapshotInSlices(dataDir: string): Promise<SnapshotLoad> {
  const buf = await readSnapshotFile(dataDir);
  return Buffer.isBuffer(buf) ? parseSnapshotInSlices(buf) : buf;
}

/** Saves a serialized snapshot atomically; the callers keep the bytes (to load them, or hand them to the bot). */
export async function writeSnapshot(dataDir: string, snapshot: Buffer): Promise<void> {
  await writeFileAtomic(path.join(dataDir, SNAPSHOT_FILE), snapshot);
}
