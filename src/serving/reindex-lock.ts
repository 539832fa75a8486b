import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { isRunning, readFileChecked } from '../lib/index.js';
import { REBUILD_DEADLINE_MS } from './index-holder.js';

/**
 * Held in the data folder while one process of several sharing it (HTTP replicas) rebuilds the index, so that two
 * `/reindex` at once, on two replicas, rebuild once: the file is created with O_EXCL (`wx`), which only one process
 * can do.
 */
export const REINDEX_LOCK_FILE = 'reindex.lock';

/**
 * A lock older than this is stale whatever its process: a rebuild fails at its own deadline (REBUILD_DEADLINE_MS),
 * and the minute beyond covers loading and saving.
 */
export const REINDEX_LOCK_STALE_MS = REBUILD_DEADLINE_MS + 60_000;

/**
 * A lock file that cannot be read as one is being written (between its creation and its content) unless it is
 * older than this; then it is the leftover of a process that died in between.
 */
const UNREADABLE_GRACE_MS = 10_000;

/** What the lock file holds: who rebuilds, since when, and a token only the holder knows. */
export interface ReindexLockInfo {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

export type ReindexLockAttempt =
  | { status: 'acquired'; release: () => Promise<void> }
  /** Another process rebuilds (its lock, when it could be read). */
  | { status: 'busy'; holder: ReindexLockInfo | null }
  /** The data folder refused the lock file (read-only, full, permissions): the caller decides whether to go on. */
  | { status: 'unavailable'; error: string };

export interface ReindexLockOptions {
  /** Default REINDEX_LOCK_STALE_MS. */
  staleMs?: number;
  /** Default Date.now. */
  now?: () => number;
}

/** Tokens of the locks this process holds: a lock naming this pid and host but not held here is a predecessor's. */
const heldHere = new Set<string>();

/**
 * Takes the cross-process reindex lock in `dataDir`, or says who holds it. A lock is stale, and taken over, when
 * it is older than `staleMs`, or was left on this machine by a process that is gone (same host name, dead pid, or
 * this very pid without this process holding it: a container restarted in place). On another machine sharing the
 * folder, only the age can tell.
 */
export async function acquireReindexLock(
  dataDir: string,
  options: ReindexLockOptions = {},
): Promise<ReindexLockAttempt> {
  const file = path.join(dataDir, REINDEX_LOCK_FILE);
  const now = options.now ?? Date.now;
  const staleMs = options.staleMs ?? REINDEX_LOCK_STALE_MS;
  try {
    await mkdir(dataDir, { recursive: true });
    // Twice at most: once more after taking over a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      const info: ReindexLockInfo = {
        pid: process.pid,
        host: hostname(),
        startedAt: new Date(now()).toISOString(),
        token: randomBytes(12).toString('hex'),
      };
      // Known as this process's before the file exists: another attempt here reading it must not take it for a
      // predecessor's.
      heldHere.add(info.token);
      if (await createExclusive(file, JSON.stringify(info)).catch(forget(info.token))) {
        return { status: 'acquired', release: () => release(file, info.token) };
      }
      heldHere.delete(info.token);
      const held = await readLock(file);
      if (held === 'gone') continue;
      const stale =
        held.info === null ? now() - held.mtimeMs > UNREADABLE_GRACE_MS : isStale(held.info, now(), staleMs);
      if (!stale || !(await takeOver(file, held.text))) return { status: 'busy', holder: held.info };
    }
    return { status: 'busy', holder: null };
  } catch (err) {
    return { status: 'unavailable', error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}

const forget =
  (token: string) =>
  (err: unknown): never => {
    heldHere.delete(token);
    throw err;
  };

/** Creates the file only if it does not exist, with its content synced; false when it exists. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

type HeldLock = { text: string; info: ReindexLockInfo | null; mtimeMs: number };

/** The lock file as it is now: its text and what it says (null when unreadable), or 'gone'. */
async function readLock(file: string): Promise<HeldLock | 'gone'> {
  let mtimeMs = 0;
  let text: string;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
    text = (await readFileChecked(file, { maxBytes: 4096, deadlineMs: 5_000 })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return { text: '', info: null, mtimeMs };
  }
  return { text, info: parseLock(text), mtimeMs };
}

function parseLock(text: string): ReindexLockInfo | null {
  try {
    const raw = JSON.parse(text) as Partial<ReindexLockInfo> | null;
    if (typeof raw?.pid !== 'number' || typeof raw.host !== 'string') return null;
    if (typeof raw.startedAt !== 'string' || typeof raw.token !== 'string') return null;
    return { pid: raw.pid, host: raw.host, startedAt: raw.startedAt, token: raw.token };
  } catch {
    return null;
  }
}

function isStale(info: ReindexLockInfo, now: number, staleMs: number): boolean {
  const started = Date.parse(info.startedAt);
  if (!Number.isFinite(started) || now - started > staleMs) return true;
  if (info.host !== hostname()) return false;
  if (info.pid === process.pid) return !heldHere.has(info.token);
  return !isRunning(info.pid);
}

/**
 * Removes a stale lock so that the next attempt can create its own. The file is first renamed to a name only this
 * process uses, then checked to be the stale one read before: if another process took over and made a fresh lock
 * meanwhile, that one is put back (a link fails rather than replace a third) and the attempt is given up.
 */
async function takeOver(file: string, staleText: string): Promise<boolean> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch (err) {
    // Already removed by another process taking over: try again.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  try {
    const moved = (await readFileChecked(aside, { maxBytes: 4096, deadlineMs: 5_000 })).toString('utf8');
    if (moved === staleText) return true;
    await link(aside, file).catch(() => undefined);
    return false;
  } finally {
    await rm(aside, { force: true });
  }
}

/** Removes the lock if it is still this one (a lock taken over as stale belongs to its new holder). */
async function release(file: string, token: string): Promise<void> {
  heldHere.delete(token);
  const held = await readLock(file).catch(() => 'gone' as const);
  if (held !== 'gone' && held.info?.token === token) await rm(file, { force: true }).catch(() => undefined);
}
