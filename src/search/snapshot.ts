import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Corpus } from '../corpus/types.js';
import type { SeedRead } from '../corpus/load-seeds.js';
import { ANALYZER_VERSION } from './analyzer.js';
import { MINISEARCH_OPTIONS, topicArticlesOf, type SearchIndex } from './search-index.js';

/** Bump when the snapshot layout changes: an older snapshot is rebuilt, not misread. */
export const SNAPSHOT_FORMAT = 1;
export const SNAPSHOT_FILE = 'index-snapshot.json';

interface SnapshotFile {
  format: number;
  analyzer: number;
  fingerprint: string;
  createdAt: string;
  corpus: Corpus;
  passageFrequency: [string, number][];
  mini: unknown;
}

/**
 * Fingerprint of a seeds folder as read: names and contents of every file (and why a file was rejected), plus the
 * versions of the analysis. Equal fingerprints mean a snapshot can be reused as is.
 */
export function fingerprintSeeds(reads: readonly SeedRead[]): string {
  const h = createHash('sha256').update(`format ${SNAPSHOT_FORMAT} analyzer ${ANALYZER_VERSION}\n`);
  for (const r of reads) {
    h.update(r.file).update('\0');
    if ('reason' in r) h.update(`rejected:${r.reason}`);
    else h.update(createHash('sha256').update(r.bytes).digest());
    h.update('\n');
  }
  return h.digest('hex');
}

export function serializeSnapshot(index: SearchIndex, fingerprint: string, now: Date): string {
  const file: SnapshotFile = {
    format: SNAPSHOT_FORMAT,
    analyzer: ANALYZER_VERSION,
    fingerprint,
    createdAt: now.toISOString(),
    corpus: index.corpus,
    passageFrequency: [...index.passageFrequency],
    mini: index.mini.toJSON(),
  };
  return JSON.stringify(file);
}

export type SnapshotLoad =
  | { ok: true; index: SearchIndex; fingerprint: string }
  | { ok: false; reason: string };

/** Parses a snapshot. Anything unexpected (corrupt JSON, other versions, missing parts) is a reason, never a throw. */
export function parseSnapshot(json: string): SnapshotLoad {
  let file: Partial<SnapshotFile>;
  try {
    file = JSON.parse(json) as Partial<SnapshotFile>;
  } catch {
    return { ok: false, reason: 'snapshot is not valid JSON' };
  }
  if (file.format !== SNAPSHOT_FORMAT || file.analyzer !== ANALYZER_VERSION) {
    return { ok: false, reason: `snapshot format ${String(file.format)}/${String(file.analyzer)} is not ${SNAPSHOT_FORMAT}/${ANALYZER_VERSION}` };
  }
  if (!file.corpus || !Array.isArray(file.corpus.articles) || !Array.isArray(file.corpus.passages) || !file.mini || !Array.isArray(file.passageFrequency) || typeof file.fingerprint !== 'string') {
    return { ok: false, reason: 'snapshot is incomplete' };
  }
  try {
    const mini = MiniSearch.loadJS(file.mini as Parameters<typeof MiniSearch.loadJS>[0], MINISEARCH_OPTIONS);
    if (mini.documentCount !== file.corpus.passages.length) return { ok: false, reason: 'snapshot index and corpus disagree' };
    const corpus = file.corpus;
    return {
      ok: true,
      fingerprint: file.fingerprint,
      index: { corpus, mini, passageFrequency: new Map(file.passageFrequency), topicArticles: topicArticlesOf(corpus) },
    };
  } catch (err) {
    return { ok: false, reason: `snapshot index does not load: ${(err as Error).message}` };
  }
}

export async function readSnapshot(dataDir: string): Promise<SnapshotLoad> {
  let json: string;
  try {
    json = await readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no snapshot yet' : `snapshot unreadable (${code ?? 'error'})` };
  }
  return parseSnapshot(json);
}

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: temporary file in the
 * same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(content);
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

export async function writeSnapshot(dataDir: string, index: SearchIndex, fingerprint: string, now = new Date()): Promise<void> {
  await writeFileAtomic(path.join(dataDir, SNAPSHOT_FILE), serializeSnapshot(index, fingerprint, now));
}
