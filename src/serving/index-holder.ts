import { performance } from 'node:perf_hooks';
import { TOPICS_FILE_ERROR, type Rejection } from '../corpus/index.js';
import type { Log } from '../logger.js';
import {
  parseSnapshotInSlices,
  peekSnapshotGeneration,
  readSnapshotInSlices,
  type RebuildProgress,
  type SearchIndex,
} from '../index/index.js';
import { runWorkerOnce, siblingModule } from '../lib/index.js';
import { ProgressCell } from './progress-cell.js';
import { clearReindexMark, markReindexStart } from './reindex-mark.js';
import { pastDeadline, REBUILD_DEADLINE_CODE, rebuild, type RebuildMessage } from './rebuild-worker.js';

export interface ReindexReport {
  before: number;
  after: number;
  added: string[];
  changed: string[];
  removed: string[];
  rejected: Rejection[];
  durationMs: number;
  /** Of which: rebuilding and saving (in a worker thread), then loading and readying the new index here, in slices. */
  buildMs: number;
  loadMs: number;
  /** The snapshot could not be saved: the new index serves from memory only. */
  saveError: string | null;
}

export type ReindexOutcome =
  | { status: 'done'; report: ReindexReport }
  | { status: 'busy' }
  | { status: 'failed'; error: string };

/**
 * The index the bot answers from. A rebuild runs beside it (one at a time) and replaces it in one assignment once
 * complete, so a question is answered wholly from the old index or wholly from the new one; a failed rebuild leaves
 * the old index serving.
 */
export class IndexHolder {
  #index: SearchIndex;
  /** Fingerprint of the seeds the current index was built from (null when unknown). */
  #fingerprint: string | null;
  /** Generation of the snapshot the current index was loaded from (null when unknown). */
  #snapshotGeneration: string | null;
  #running: Promise<ReindexOutcome> | null = null;
  #reloading: Promise<{ reloaded: boolean; articles: number; error: string | null }> | null = null;
  /** Counts swaps: a reload that finds the index swapped while it loaded leaves the newer index serving. */
  #swaps = 0;

  constructor(
    index: SearchIndex,
    private readonly options: {
      seedsDir: string;
      dataDir: string;
      log?: Log;
      fingerprint?: string;
      /** Generation of the snapshot `index` came from: reloads skip only that very snapshot. */
      generation?: string;
      /** Readies a new index before it serves (caches built in slices while the old index still answers). */
      prepare?: (index: SearchIndex) => Promise<void>;
      /** A rebuild not done by then fails, and /reindex is free again (default REBUILD_DEADLINE_MS). */
      rebuildDeadlineMs?: number;
    },
  ) {
    this.#index = index;
    this.#fingerprint = options.fingerprint ?? null;
    this.#snapshotGeneration = options.generation ?? null;
  }

  get current(): SearchIndex {
    return this.#index;
  }

  get reindexing(): boolean {
    return this.#running !== null;
  }

  /**
   * Swaps in the snapshot another process (another shard) saved, unless this index is already that one.
   * Returns whether the index changed; a missing or bad snapshot leaves the current index serving. A reload asked
   * while one runs shares it; a reindex running here, or one that ends while the snapshot loads, wins.
   */
  reloadFromSnapshot(): Promise<{ reloaded: boolean; articles: number; error: string | null }> {
    this.#reloading ??= this.#reload().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  async #reload(): Promise<{ reloaded: boolean; articles: number; error: string | null }> {
    const unchanged = { reloaded: false, articles: this.#index.corpus.articles.length, error: null };
    if (this.#running) return unchanged;
    // The generation, not the fingerprint: another shard's rebuild of the same seeds is still a new snapshot, and
    // the same fingerprint can come from files edited in place.
    const saved = await peekSnapshotGeneration(this.options.dataDir);
    if (saved !== null && saved === this.#snapshotGeneration) return unchanged;
    const swaps = this.#swaps;
    // Loaded a slice at a time, like a reindex: this shard keeps answering meanwhile.
    const snapshot = await readSnapshotInSlices(this.options.dataDir);
    if (!snapshot.ok) return { ...unchanged, error: snapshot.reason };
    if (snapshot.generation === this.#snapshotGeneration) return unchanged;
    await this.#prepare(snapshot.index);
    if (swaps !== this.#swaps || this.#running)
      return { reloaded: false, articles: this.#index.corpus.articles.length, error: null };
    this.#swap(snapshot.index, snapshot.fingerprint, snapshot.generation);
    return { reloaded: true, articles: snapshot.index.corpus.articles.length, error: null };
  }

  #swap(index: SearchIndex, fingerprint: string, generation: string): void {
    this.#index = index;
    this.#fingerprint = fingerprint;
    this.#snapshotGeneration = generation;
    this.#swaps++;
  }

  /** Generation of the snapshot the serving index came from (null when unknown). */
  get snapshotGeneration(): string | null {
    return this.#snapshotGeneration;
  }

  /**
   * Re-reads the seeds folder and swaps in the new index. Answers `busy` while another reindex runs (its
   * `onProgress` is then never called). `onProgress` is told how far the rebuild has got, at most every
   * PROGRESS_POLL_MS and once at the end of the build (then the new index loads, still in the `saving` phase),
   * always before the outcome resolves; whatever it throws is logged once and ignored.
   */
  reindex(options: { onProgress?: (progress: RebuildProgress) => void } = {}): Promise<ReindexOutcome> {
    if (this.#running) return Promise.resolve({ status: 'busy' });
    const tell = options.onProgress && guardProgress(options.onProgress, this.options.log);
    this.#running = this.#markedRebuild(tell).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** The rebuild, noted in the data folder while it runs: a process killed mid-way leaves the note behind. */
  async #markedRebuild(tell: ProgressListener | undefined): Promise<ReindexOutcome> {
    await markReindexStart(this.options.dataDir);
    try {
      return await this.#rebuild(tell);
    } finally {
      await clearReindexMark(this.options.dataDir);
    }
  }

  async #rebuild(tell: ProgressListener | undefined): Promise<ReindexOutcome> {
    const t0 = performance.now();
    const old = this.#index;
    const { seedsDir, dataDir } = this.options;
    // Without a worker thread, the same rebuild runs here (the event loop waits between file chunks).
    const built =
      (await rebuildInThread(seedsDir, dataDir, this.#deadlineMs, tell).catch(() => null)) ??
      (await rebuildHere(seedsDir, dataDir, this.#deadlineMs, tell));
    const t1 = performance.now();
    if (built.status === 'failed') return this.#failed(built.code, built.message);
    if (built.status === 'empty') return this.#empty();
    const loaded = await parseSnapshotInSlices(built.snapshot.map((part) => Buffer.from(part)));
    if (!loaded.ok) return this.#failed(null, loaded.reason);
    const next = loaded.index;
    await this.#prepare(next);
    const { fingerprint, saveError } = built;
    this.#swap(next, fingerprint, loaded.generation);
    if (saveError) this.options.log?.warn({ err: saveError }, 'snapshot not saved after reindex; serving from memory');
    const t2 = performance.now();
    const report = {
      ...diffArticles(old, next),
      rejected: next.corpus.rejected,
      durationMs: Math.round(t2 - t0),
      buildMs: Math.round(t1 - t0),
      loadMs: Math.round(t2 - t1),
      saveError,
    };
    return { status: 'done', report };
  }

  get #deadlineMs(): number {
    return this.options.rebuildDeadlineMs ?? REBUILD_DEADLINE_MS;
  }

  /** Caches a new index lacks are only an optimization: a failure is logged, and the index serves anyway. */
  async #prepare(index: SearchIndex): Promise<void> {
    try {
      await this.options.prepare?.(index);
    } catch (err) {
      this.options.log?.warn({ err: (err as Error).message }, 'new index not readied; it serves anyway');
    }
  }

  #failed(code: string | null, message: string): ReindexOutcome {
    // An invalid topics file is the moderator's to fix: its French message says what and where.
    const error =
      code === TOPICS_FILE_ERROR
        ? message
        : (FAILURE_REASONS[code ?? ''] ?? `erreur de lecture${code ? ` (${code})` : ''}`);
    this.options.log?.warn(
      { err: message, seedsDir: this.options.seedsDir },
      'reindex failed; the old index keeps serving',
    );
    return { status: 'failed', error };
  }

  #empty(): ReindexOutcome {
    return { status: 'failed', error: 'aucun article lisible dans le dossier : l’index actuel est conservé' };
  }
}

/** Why a reindex failed, in French, by system error code; the English message only goes to the log. */
const FAILURE_REASONS: Record<string, string> = {
  ENOENT: 'dossier des articles introuvable',
  EACCES: 'dossier des articles illisible (permissions)',
  EPERM: 'dossier des articles illisible (permissions)',
  ENOTDIR: 'le chemin des articles n’est pas un dossier',
  ELOOP: 'boucle de liens symboliques sur le chemin des articles',
  EMFILE: 'trop de fichiers ouverts, réessayez',
  EIO: 'erreur d’entrée-sortie sur le disque',
  [REBUILD_DEADLINE_CODE]:
    'la reconstruction n’a pas abouti dans le délai imparti, un fichier ou le disque ne répond pas',
};

/**
 * How long a rebuild may take: far more than one of 10,000 articles (about 15 s), so only one that is stuck (a
 * listing or a read that never returns) reaches it.
 */
export const REBUILD_DEADLINE_MS = 10 * 60_000;

type ProgressListener = (progress: RebuildProgress) => void;

/** How often the main thread looks at a rebuild thread's progress, and at most how often a reindex reports it. */
export const PROGRESS_POLL_MS = 250;

/** A progress listener that cannot throw: its first failure is logged, all are ignored. */
function guardProgress(listener: ProgressListener, log: Log | undefined): ProgressListener {
  let warned = false;
  return (progress) => {
    try {
      listener(progress);
    } catch (err) {
      if (!warned) log?.warn({ err: (err as Error)?.message ?? String(err) }, 'reindex progress listener failed');
      warned = true;
    }
  };
}

/**
 * Runs a rebuild in a worker thread, stopped at the deadline; null when no worker can start here (the caller then
 * builds in-thread). Its progress is read from memory shared with the thread every PROGRESS_POLL_MS, and once more
 * when its result arrives, so the last progress told is the build's final one.
 */
async function rebuildInThread(
  seedsDir: string,
  dataDir: string,
  deadlineMs: number,
  tell: ProgressListener | undefined,
): Promise<RebuildMessage | null> {
  const cell = tell ? new ProgressCell() : null;
  const look = (): void => {
    const progress = cell?.takeNew();
    if (progress) tell?.(progress);
  };
  const poll = cell ? setInterval(look, PROGRESS_POLL_MS).unref() : undefined;
  try {
    const message = await runWorkerOnce<RebuildMessage>(
      siblingModule('rebuild-worker', import.meta.url),
      { role: 'rebuild', seedsDir, dataDir, ...(cell ? { progress: cell.shared } : {}) },
      { ms: deadlineMs, late: pastDeadline() },
    );
    if (message) look();
    return message;
  } finally {
    clearInterval(poll);
  }
}

/** The rebuild on this thread, given up at the deadline: it cannot be stopped, but saves nothing once late. */
async function rebuildHere(
  seedsDir: string,
  dataDir: string,
  deadlineMs: number,
  onProgress: ProgressListener | undefined,
): Promise<RebuildMessage> {
  const late = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<RebuildMessage>((resolve) => {
    timer = setTimeout(() => (late.abort(), resolve(pastDeadline())), deadlineMs);
  });
  // Paced like the thread's progress; none once the caller gave up at the deadline.
  const tell =
    onProgress &&
    ((p: RebuildProgress): void => {
      if (!late.signal.aborted) onProgress(p);
    });
  try {
    const built = rebuild(seedsDir, dataDir, {
      signal: late.signal,
      onProgress: tell,
      progressEveryMs: PROGRESS_POLL_MS,
    });
    return await Promise.race([built.then((r) => r.message), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Articles added, changed (same file, other content) and removed between two indexes. */
export function diffArticles(
  before: SearchIndex,
  after: SearchIndex,
): Pick<ReindexReport, 'before' | 'after' | 'added' | 'changed' | 'removed'> {
  const old = new Map(before.corpus.articles.map((a) => [a.file, a.hash]));
  const now = new Map(after.corpus.articles.map((a) => [a.file, a.hash]));
  return {
    before: old.size,
    after: now.size,
    added: [...now.keys()].filter((f) => !old.has(f)),
    changed: [...now].filter(([f, h]) => old.has(f) && old.get(f) !== h).map(([f]) => f),
    removed: [...old.keys()].filter((f) => !now.has(f)),
  };
}
