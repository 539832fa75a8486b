import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Corpus, Rejection, SeedListing, SeedRead, TopicDefinition, TopicsRead } from '../corpus/index.js';
import { writeErrorReason } from '../lib/index.js';
import type { Log } from '../logger.js';
import { buildFromListing, buildFromReads, savingProgress, tellProgress, type BuildOptions } from './build.js';
import type { SearchIndex } from './search-index.js';
import { packTexts, parseSnapshot, snapshotChunks } from './snapshot-format.js';
import { fingerprintOf, readSeedFolder, readSeedFolderAside, readSeedListing, type SeedFolder } from './seed-folder.js';
import { readSnapshot, SNAPSHOT_FILE, writeSnapshot } from './snapshot-store.js';

/** A snapshot at least this large (about 50,000 articles) is loaded while a thread reads the seeds folder. */
const ASIDE_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** A file's size, 0 when it cannot be stat'ed (no snapshot yet). */
async function fileBytes(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export interface ArticleSummary {
  file: string;
  title: string;
  date: string | null;
  source: string | null;
  url: string | null;
  topics: string[];
  passages: number;
}

export interface IndexReport {
  articles: ArticleSummary[];
  rejected: Rejection[];
  /** True when the index came from the saved snapshot rather than a rebuild. */
  fromSnapshot: boolean;
  /** Why the snapshot was not used, when it was not. */
  snapshotNote: string | null;
  /**
   * The snapshot was written. False when reused, when saving failed, and when no article at all was indexed: an
   * empty build never replaces the saved snapshot (an emptied or mistyped seeds folder must not lose the index).
   */
  saved: boolean;
  /** Saving the snapshot failed: the index still serves from memory. */
  saveError: string | null;
  fingerprint: string;
  /** Generation of the snapshot served (or written): unique to each snapshot, what shard reloads compare. */
  generation: string;
  /**
   * The seeds folder was found to match the index. False when a large snapshot was served without waiting for the
   * folder's scan (`checkSeedsLater`): the caller then checks the folder (`seedsChangedSince`).
   */
  seedsChecked: boolean;
  timings: { readMs: number; buildMs: number; saveMs: number; totalMs: number };
}

export interface OpenIndexOptions {
  seedsDir: string;
  dataDir: string;
  /** Rebuild even when the snapshot matches the seeds. */
  force?: boolean;
  log?: Log;
  /** Told how far it has got: reading the folder, then, when it rebuilds, indexing and saving. Never throws. */
  onProgress?: BuildOptions['onProgress'];
  /**
   * A snapshot of `largeSnapshotBytes` or more (default ASIDE_SNAPSHOT_BYTES, about 50,000 articles) that loads is
   * served without the seeds folder's scan: on two cores the scan's thread slowed the load by a fifth. The caller
   * checks the folder once serving (`seedsChangedSince`) and reindexes it if it changed.
   */
  checkSeedsLater?: boolean;
  largeSnapshotBytes?: number;
}

export function summarize(corpus: Corpus): ArticleSummary[] {
  const counts = new Map<number, number>();
  for (const p of corpus.passages) counts.set(p.article, (counts.get(p.article) ?? 0) + 1);
  return corpus.articles.map((a, i) => ({
    file: a.file,
    title: a.title,
    date: a.date,
    source: a.source,
    url: a.url,
    topics: a.topics,
    passages: counts.get(i) ?? 0,
  }));
}

/**
 * Reads the seeds folder and returns a ready index: the saved snapshot when it matches the seeds, otherwise a fresh
 * build, which is then saved and served from its snapshot. A bad or missing snapshot means a rebuild with a warning;
 * a failed save is reported, not thrown. Throws only when the seeds folder cannot be read at all.
 */
export async function openIndex(options: OpenIndexOptions): Promise<{ index: SearchIndex; report: IndexReport }> {
  const t0 = performance.now();
  tellProgress(options.onProgress, { phase: 'reading', filesRead: 0, filesTotal: 0, passagesIndexed: 0 });
  const large =
    !options.force &&
    (await fileBytes(path.join(options.dataDir, SNAPSHOT_FILE))) >=
      (options.largeSnapshotBytes ?? ASIDE_SNAPSHOT_BYTES);
  let snapshotNote: string | null = null;
  if (large && options.checkSeedsLater) {
    const snapshot = await readSnapshot(options.dataDir);
    if (snapshot.ok) {
      const { index, fingerprint, generation } = snapshot;
      const loadMs = performance.now() - t0;
      const ids = { fingerprint, generation, seedsChecked: false };
      return { index, report: report(index.corpus, true, null, false, null, ids, 0, loadMs, 0, loadMs) };
    }
    snapshotNote = snapshot.reason;
    if (snapshot.reason !== 'no snapshot yet')
      options.log?.warn({ reason: snapshot.reason }, 'snapshot not usable, rebuilding');
    const folder = await readSeedFolder(options);
    return rebuildFrom(folder, options, performance.now() - t0, snapshotNote);
  }
  // The folder is read while the snapshot loads here (most starts find them equal); on a thread of its own when the
  // snapshot is large, since a thread's start (0.2 s) costs more than a small folder's listing.
  let folderMs = 0;
  const folder = (large ? readSeedFolderAside(options) : readSeedFolder(options)).then(
    (f) => ((folderMs = performance.now() - t0), f),
  );
  // Settled now, so that a folder that cannot be read while the snapshot loads is no unhandled rejection.
  folder.catch(() => {});
  let snapshot = options.force ? null : await readSnapshot(options.dataDir);
  const loadMs = performance.now() - t0;
  const seeds = await folder;
  const t1 = performance.now();
  if (snapshot) {
    if (snapshot.ok && snapshot.fingerprint === seeds.fingerprint) {
      const { index, generation } = snapshot;
      const ids = { fingerprint: seeds.fingerprint, generation, seedsChecked: true };
      // Read and load overlap: each is timed from the start.
      return { index, report: report(index.corpus, true, null, false, null, ids, folderMs, loadMs, 0, t1 - t0) };
    }
    snapshotNote = snapshot.ok ? 'seeds changed since the snapshot' : snapshot.reason;
    if (!snapshot.ok && snapshot.reason !== 'no snapshot yet')
      options.log?.warn({ reason: snapshot.reason }, 'snapshot not usable, rebuilding');
    // Not held while the new index builds.
    snapshot = null;
  }
  // The folder's own reading time: the unused snapshot's load is not the folder's.
  return rebuildFrom(seeds, options, folderMs, snapshotNote);
}

/** A fresh build of the folder read, saved, and served from its snapshot. */
async function rebuildFrom(
  { listing, topics, fingerprint }: SeedFolder,
  options: OpenIndexOptions,
  readMs: number,
  snapshotNote: string | null,
): Promise<{ index: SearchIndex; report: IndexReport }> {
  const built = await buildAndSave(listing, topics, fingerprint, options, readMs, snapshotNote);
  const loaded = parseSnapshot(built.snapshot);
  if (!loaded.ok) throw new Error(`the index just built does not load: ${loaded.reason}`);
  return { index: loaded.index, report: built.report };
}

/**
 * Whether the seeds folder no longer matches `fingerprint` (an index served unchecked: `checkSeedsLater`), read on
 * a thread of its own beside the serving. Throws when the folder cannot be read.
 */
export async function seedsChangedSince(
  options: Pick<OpenIndexOptions, 'seedsDir' | 'dataDir' | 'log'>,
  fingerprint: string,
): Promise<boolean> {
  return (await readSeedFolderAside(options)).fingerprint !== fingerprint;
}

/**
 * Rebuilds the index of the seeds folder and saves it, without loading it: `npm run index`. When no article at all
 * could be indexed, nothing is saved and the previous snapshot stays (the report says `saved: false`).
 */
export async function rebuildIndex(options: Omit<OpenIndexOptions, 'force'>): Promise<IndexReport> {
  const t0 = performance.now();
  tellProgress(options.onProgress, { phase: 'reading', filesRead: 0, filesTotal: 0, passagesIndexed: 0 });
  // Fingerprinted once built: the build reads every file anyway, and hashes them as it does.
  const { listing, topics } = await readSeedListing(options);
  return (await buildAndSave(listing, topics, null, options, performance.now() - t0, null)).report;
}

/** Builds and saves; `fingerprint` null: the seeds are fingerprinted once built (from the build's hashes). */
async function buildAndSave(
  listing: readonly SeedListing[],
  topics: TopicsRead,
  known: string | null,
  options: Omit<OpenIndexOptions, 'force'>,
  readMs: number,
  snapshotNote: string | null,
): Promise<{ snapshot: Buffer[]; report: IndexReport }> {
  const t1 = performance.now();
  const built = await buildFromListing(listing, topics.topics, { onProgress: options.onProgress });
  tellProgress(options.onProgress, savingProgress(built, listing.length));
  const fingerprint = known ?? (await fingerprintOf(listing, topics, options, built));
  const generation = randomUUID();
  const snapshot = snapshotChunks(built, fingerprint, new Date(), generation, await packTexts(built.texts));
  const t2 = performance.now();
  let saveError: string | null = null;
  let saved = false;
  if (built.corpus.articles.length === 0) {
    options.log?.warn({ seedsDir: options.seedsDir }, 'no article indexed; the saved snapshot is left as it was');
  } else {
    try {
      await writeSnapshot(options.dataDir, snapshot);
      saved = true;
    } catch (err) {
      saveError = writeErrorReason(err);
      options.log?.warn({ err: saveError, dataDir: options.dataDir }, 'snapshot not saved; serving from memory');
    }
  }
  const t3 = performance.now();
  return {
    snapshot,
    report: report(
      built.corpus,
      false,
      snapshotNote,
      saved,
      saveError,
      { fingerprint, generation, seedsChecked: true },
      readMs,
      t2 - t1,
      t3 - t2,
      readMs + t3 - t1,
    ),
  };
}

function report(
  corpus: Corpus,
  fromSnapshot: boolean,
  snapshotNote: string | null,
  saved: boolean,
  saveError: string | null,
  ids: { fingerprint: string; generation: string; seedsChecked: boolean },
  readMs: number,
  buildMs: number,
  saveMs: number,
  totalMs: number,
): IndexReport {
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    articles: summarize(corpus),
    rejected: corpus.rejected,
    fromSnapshot,
    snapshotNote,
    saved,
    saveError,
    ...ids,
    timings: { readMs: round(readMs), buildMs: round(buildMs), saveMs: round(saveMs), totalMs: round(totalMs) },
  };
}

/**
 * A searchable index of seed files already in memory (tests, the evaluation). It is built and then loaded through
 * the snapshot format, as every index the bot serves is (a fresh build is served from the snapshot it saves).
 */
export function buildSearchIndex(reads: readonly SeedRead[], topics: readonly TopicDefinition[]): SearchIndex {
  const loaded = parseSnapshot(snapshotChunks(buildFromReads(reads, topics), 'in-memory', new Date(0)));
  if (!loaded.ok) throw new Error(`index could not be built: ${loaded.reason}`);
  return loaded.index;
}
