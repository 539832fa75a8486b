import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  type FileStamp,
  MAX_SEED_BYTES,
  SEED_READ_DEADLINE_MS,
  type SeedEntry,
  type SeedListing,
} from '../corpus/index.js';
import { ANALYZER_VERSION } from '../language/index.js';
import { mapLimited, readFileChecked, writeErrorReason, writeFileAtomic } from '../lib/index.js';
import { SNAPSHOT_FORMAT } from './snapshot-layout.js';

/** Content hashes of the seeds, kept beside the snapshot so that start-up reads only the files that changed. */
export const SEED_HASHES_FILE = 'seed-hashes.json';
/** Files hashed at once. */
const HASH_CONCURRENCY = 16;
/** Bounded reads: a seed is checked again once open (it may have been replaced since the listing). */
const SEED_READ = { maxBytes: MAX_SEED_BYTES, deadlineMs: SEED_READ_DEADLINE_MS, noFollow: true };
// About 170 bytes a seed: 256 MB holds 1.5 million (64 MB was outgrown at 500,000 and every file hashed again).
const CACHE_READ = { maxBytes: 256 * 1024 * 1024, deadlineMs: 60_000 };

/*
 * A file's stamp (FileStamp) says it is the one hashed before: inode, size, modification and change times. The
 * change time is the one a `touch -r` or a `cp -p` cannot restore, so an edit in place that keeps the
 * modification time is seen.
 */

interface CachedHash extends FileStamp {
  sha256: string;
}

/** A seed's content hash, stamped before it was read (by a build's parsing threads). */
export interface HashedSeed extends CachedHash {
  file: string;
}

export interface SeedFingerprint {
  /** Equal fingerprints mean the same files (names and contents, rejections) and the same analysis versions. */
  fingerprint: string;
  /** Files whose content was read to be hashed (the others' stamps matched the cache). */
  hashed: number;
}

export interface FingerprintOptions {
  /** The topics file's text (null: none): the articles' topics depend on it, so it is part of the fingerprint. */
  topicsText: string | null;
  /** Where the hash cache lives (the data folder); without it every file is read. */
  dataDir?: string;
  /**
   * Hashes a build has just taken of the files it read (stamped before reading): used as they are, so that a
   * rebuild reads each file once. Files it lacks are stamped and, unless cached, read here.
   */
  known?: ReadonlyMap<string, HashedSeed>;
  log?: { warn(obj: object, msg?: string): void };
}

const sameStamp = (a: FileStamp, b: FileStamp): boolean =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

async function readCache(dataDir: string | undefined): Promise<Map<string, CachedHash>> {
  if (!dataDir) return new Map();
  try {
    // Bounded, like every file of DATA_DIR: a FIFO or a link to /dev/zero there must not hold start-up.
    const file = path.join(dataDir, SEED_HASHES_FILE);
    const raw: unknown = JSON.parse((await readFileChecked(file, CACHE_READ)).toString('utf8'));
    const entries = (raw as { entries?: unknown } | null)?.entries;
    if (!entries || typeof entries !== 'object') return new Map();
    const cache = new Map<string, CachedHash>();
    for (const [file, value] of Object.entries(entries)) {
      const v = value as Partial<CachedHash> | null;
      const numbers = [v?.ino, v?.size, v?.mtimeMs, v?.ctimeMs].every((n) => typeof n === 'number');
      if (numbers && typeof v?.sha256 === 'string' && /^[0-9a-f]{64}$/u.test(v.sha256))
        cache.set(file, v as CachedHash);
    }
    return cache;
  } catch {
    // No cache, or a damaged one: every file is hashed again.
    return new Map();
  }
}

/**
 * Fingerprint of a seeds folder from its files' contents (SHA-256), its rejections and the versions of the format
 * and the analysis. Hashes are cached in the data folder by file stamp, the stamp the listing took (so
 * `listing` must be fresh: an unchanged folder then costs no more than its listing); a file whose stamp changed is
 * read again. A file that cannot be read or stat'ed counts as changed (its
 * name and the error go into the fingerprint), so the next build reports it.
 */
export async function fingerprintSeeds(
  listing: readonly SeedListing[],
  options: FingerprintOptions,
): Promise<SeedFingerprint> {
  const cache = await readCache(options.dataDir);
  const next = new Map<string, CachedHash>();
  let hashed = 0;
  // Entries the build's hashes or the cache settle are settled here, without a promise apiece (100,000 of them at
  // start-up); only the others are read, a few at a time.
  const parts: string[] = new Array(listing.length);
  const toRead: number[] = [];
  listing.forEach((entry, i) => {
    if ('reason' in entry) {
      parts[i] = `${entry.file}\0rejected:${entry.reason}\n`;
      return;
    }
    const known = options.known?.get(entry.file);
    if (known && known.size <= MAX_SEED_BYTES) {
      const { file: _file, ...hash } = known;
      const cached = cache.get(entry.file);
      if (!cached || !sameStamp(cached, hash) || cached.sha256 !== hash.sha256) hashed++;
      next.set(entry.file, hash);
      parts[i] = `${entry.file}\0${hash.sha256}\n`;
      return;
    }
    // The listing's stamp, taken just before (a `stat` per file again cost seconds at 100,000 files).
    const stamp: FileStamp = { ino: entry.ino, size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs };
    const cached = cache.get(entry.file);
    if (cached && sameStamp(cached, stamp)) {
      next.set(entry.file, { ...stamp, sha256: cached.sha256 });
      parts[i] = `${entry.file}\0${cached.sha256}\n`;
    } else toRead.push(i);
  });
  await mapLimited(toRead, HASH_CONCURRENCY, async (i): Promise<void> => {
    const entry = listing[i] as SeedEntry;
    try {
      const stamp: FileStamp = { ino: entry.ino, size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs };
      const sha256 = createHash('sha256')
        .update(await readFileChecked(entry.target, SEED_READ))
        .digest('hex');
      hashed++;
      next.set(entry.file, { ...stamp, sha256 });
      parts[i] = `${entry.file}\0${sha256}\n`;
    } catch (err) {
      parts[i] = `${entry.file}\0unreadable:${writeErrorReason(err)}\n`;
    }
  });
  const h = createHash('sha256').update(`format ${SNAPSHOT_FORMAT} analyzer ${ANALYZER_VERSION} content\n`);
  for (const part of parts) h.update(part);
  h.update(
    options.topicsText === null
      ? 'no topics\n'
      : `topics ${createHash('sha256').update(options.topicsText).digest('hex')}\n`,
  );
  if (options.dataDir && (hashed > 0 || next.size !== cache.size)) {
    try {
      const body = JSON.stringify({ version: 1, entries: Object.fromEntries(next) });
      await writeFileAtomic(path.join(options.dataDir, SEED_HASHES_FILE), body);
    } catch (err) {
      // Only a cache: the next start reads the files again.
      options.log?.warn({ err: writeErrorReason(err) }, 'seed hashes not saved');
    }
  }
  return { fingerprint: h.digest('hex'), hashed };
}
