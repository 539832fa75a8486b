import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: temporary file in the
 * same folder, fsync, rename over the target, fsync the folder. The content may come in parts (a list of buffers,
 * written one after the other), so that no single buffer need hold a large file.
 */
export async function writeFileAtomic(target: string, content: Buffer | string | readonly Uint8Array[]): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir, path.basename(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      if (Array.isArray(content)) await writeParts(handle, content);
      else await handle.writeFile(content as Buffer | string);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await dirHandle.close();
  }
}

/** Buffers written per call: one system call for many small parts. */
const PARTS_PER_WRITE = 256;

async function writeParts(handle: FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  for (let i = 0; i < parts.length; i += PARTS_PER_WRITE) {
    const group = parts.slice(i, i + PARTS_PER_WRITE).filter((p) => p.length > 0);
    // writev may write less than asked: what is left is written again.
    while (group.length > 0) {
      let { bytesWritten } = await handle.writev(group);
      while (group.length > 0 && bytesWritten >= group[0]!.length) bytesWritten -= group.shift()!.length;
      if (group.length > 0) group[0] = group[0]!.subarray(bytesWritten);
    }
  }
}

/** Temporary files of writers that died mid-write (kill -9): removed, unless their process still runs. */
async function removeStaleTemporaries(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(dir, name), { force: true });
  }
}

/** Whether a process of this pid exists (EPERM: it does, owned by another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The short reason a write failed, for reports and logs: the system error code when there is one. */
export function writeErrorReason(err: unknown): string {
  return (err as NodeJS.ErrnoException | null)?.code ?? (err instanceof Error ? err.message : String(err));
}
