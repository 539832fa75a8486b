import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../lib/index.js';
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

async function readSnapshotFile(dataDir: string): Promise<Buffer | { ok: false; reason: string }> {
  try {
    return await readFile(path.join(dataDir, SNAPSHOT_FILE));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no snapshot yet' : `snapshot unreadable (${code ?? 'error'})` };
  }
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
  try {
    const handle = await open(path.join(dataDir, SNAPSHOT_FILE), 'r');
    try {
      const start = Buffer.alloc(MAGIC.length + 4 + DIGEST_BYTES);
      await handle.read(start, 0, start.length, 0);
      if (!start.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const header = Buffer.alloc(start.readUInt32LE(MAGIC.length));
      const { bytesRead } = await handle.read(header, 0, header.length, start.length);
      const parsed = JSON.parse(header.toString('utf8', 0, bytesRead)) as Partial<Header>;
      return typeof parsed.generation === 'string' ? parsed.generation : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
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
