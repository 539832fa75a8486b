import { randomBytes } from 'node:crypto';
import { link, open, realpath, rm } from 'node:fs/promises';
import path from 'node:path';

/** `name.txt` taken: `name-2.txt`, … up to `name-<MAX_NAME_TRIES>.txt`, then the write fails. */
export const MAX_NAME_TRIES = 50;

/** A seed name as safeSeedFileName makes them; anything else (separators, dots, `..`) is refused. */
const SEED_NAME = /^[a-z0-9][a-z0-9-]*\.txt$/u;

/** Thrown when the name is not a plain seed name, or when every numbered variant is taken. */
export class SeedWriteError extends Error {}

/**
 * Writes a new seed into the folder and never replaces a file: the text goes to a hidden temporary file in the
 * folder (the seed listing skips dot files), is flushed to disk, then hard-linked to its name, which fails if the
 * name exists (a file, a folder or a link, even a dangling one). `name.txt` taken, `name-2.txt` is tried, and so on.
 * The temporary file is removed in every case. Returns the name written.
 */
export async function writeNewSeed(seedsDir: string, fileName: string, text: string): Promise<{ file: string }> {
  if (!SEED_NAME.test(fileName) || path.basename(fileName) !== fileName) {
    throw new SeedWriteError(`not a plain seed file name: ${JSON.stringify(fileName)}`);
  }
  const root = await realpath(seedsDir);
  const stem = fileName.slice(0, -'.txt'.length);
  const tmp = path.join(root, `.ajouter-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let n = 1; n <= MAX_NAME_TRIES; n++) {
      const name = n === 1 ? fileName : `${stem}-${n}.txt`;
      const target = path.join(root, name);
      if (path.dirname(target) !== root) throw new SeedWriteError(`${name} would leave the seeds folder`);
      try {
        await link(tmp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      await syncFolder(root);
      return { file: name };
    }
    throw new SeedWriteError(`${fileName} and its ${MAX_NAME_TRIES - 1} numbered variants already exist`);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Makes the new name durable; some file systems refuse fsync on a folder, where the link is still there. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // not supported here
  } finally {
    await handle.close();
  }
}
