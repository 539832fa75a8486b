import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  CorpusBuilder,
  type Corpus,
  SEED_READ_DEADLINE_MS,
  type SeedListing,
  type SeedRead,
  type TopicDefinition,
} from '../corpus/index.js';
import { RequestWorker, siblingModule } from '../lib/index.js';
import { CounterTerms, IndexDraft } from './draft.js';
import type { HashedSeed } from './fingerprint.js';
import { parseListed, parseReads, type ParsedChunk } from './parse.js';
import { TermCounter } from './term-counter.js';
import { storedArticle, TextStore } from './text-store.js';

/**
 * A corpus with its index drafted: everything a snapshot holds, before MiniSearch has loaded any of it. The
 * articles' texts are in `texts` (outside the V8 heap), each article's `text` a getter reading it there.
 */
export interface BuiltIndex {
  corpus: Corpus;
  draft: IndexDraft;
  texts: TextStore;
  /** Content hashes of the files read from disk, for the seeds' fingerprint (none for files already in memory). */
  hashes: Map<string, HashedSeed>;
  /** Each article's title terms (title-terms.ts), by article index. */
  titleTerms: string[];
}

/**
 * Files handed to a parsing thread at a time; the main thread indexes one chunk while the next are parsed. Large
 * chunks share more of their vocabulary (fewer terms to look up here); parsed on this thread, chunks stay small
 * so that the event loop is never held long.
 */
const CHUNK = 128;
const IN_THREAD_CHUNK = 16;
/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES_FOR_THREADS = 300;
/**
 * Parsing threads. Parsing a file costs about twice what indexing it does here, so two threads keep this one
 * busy on a two-core machine (more would only compete for the cores).
 */
const PARSE_THREADS = 2;
/**
 * Time a parsing thread has to answer a chunk (about 0.1 s of work; two wait before it at most). The threads read
 * without promises, so without a deadline of its own a file whose read never returns would hold the build: past it
 * the thread is given up and the chunks are parsed here, where each file's read has its own deadline.
 */
const CHUNK_DEADLINE_MS = 2 * SEED_READ_DEADLINE_MS;

/**
 * How far a rebuild has got, for whoever waits on it (a moderator's `/reindex`). `reading`: the seeds folder is
 * listed and fingerprinted (`filesTotal` is 0 until it is listed); `indexing`: files are read, parsed and indexed,
 * `filesRead` of `filesTotal`; `saving`: the snapshot is serialized, saved and loaded. Within a build, phases come
 * in that order and counts never go down.
 */
export interface RebuildProgress {
  phase: 'reading' | 'indexing' | 'saving';
  filesRead: number;
  filesTotal: number;
  /** Passages of the files indexed so far that joined the corpus (a duplicate's or a refused file's do not). */
  passagesIndexed: number;
}

export interface BuildOptions {
  /** Parsing threads (default 2; 0 parses on this thread). */
  parseThreads?: number;
  /**
   * Told how far the build has got: once at the start, then after a chunk of files at most every
   * `progressEveryMs`, and always once every file is indexed. Its failures are ignored: it cannot break a build.
   */
  onProgress?: (progress: RebuildProgress) => void;
  /** Least time between two progress calls while indexing (default 250 ms; 0: after every chunk). */
  progressEveryMs?: number;
  /** The clock progress is paced by (default `performance.now`). */
  now?: () => number;
  /** Time a parsing thread has to answer a chunk before the build parses on this thread (tests). */
  chunkDeadlineMs?: number;
  /** The parsing threads' module (tests: one that never answers). */
  parseModule?: URL;
}

/** Calls `onProgress` with a progress, ignoring whatever it throws: a progress display never breaks a build. */
export function tellProgress(onProgress: BuildOptions['onProgress'], progress: RebuildProgress): void {
  try {
    onProgress?.(progress);
  } catch {
    // Only a display failed.
  }
}

/** The progress of a build done, once its snapshot is being saved: every file read. */
export function savingProgress(built: BuiltIndex, filesTotal: number): RebuildProgress {
  const passagesIndexed = built.corpus.passages.length;
  return { phase: 'saving', filesRead: filesTotal, filesTotal, passagesIndexed };
}

const PROGRESS_EVERY_MS = 250;

/**
 * The one way parsed files become an index: each file joins the corpus (or its rejections, duplicates decided in
 * file order), and the postings of the passages it added are appended. Every build goes through here.
 */
class Indexer {
  readonly #builder: CorpusBuilder;
  readonly #draft = new IndexDraft();
  readonly #texts = new TextStore();
  readonly #hashes = new Map<string, HashedSeed>();
  readonly #titleTerms: string[] = [];

  /** Files indexed so far (refused ones included), and the passages they added to the corpus. */
  filesRead = 0;
  passagesIndexed = 0;

  constructor(topics: readonly TopicDefinition[]) {
    this.#builder = new CorpusBuilder(topics);
  }

  /** Adds a parsed chunk; `counted`: what the numbers of the counter that analyzed it stand for. */
  add({ files, analyzed, hashes }: ParsedChunk, counted: CounterTerms): void {
    for (const h of hashes) this.#hashes.set(h.file, h);
    // Passage ids of the chunk's analyzed passages; -1 for those of a duplicate file.
    const ids: number[] = [];
    for (const { file, parsed, titleTerms } of files) {
      const added = this.#builder.addParsed(file, parsed);
      if (added) {
        this.#storeText();
        this.#titleTerms.push(titleTerms);
      }
      if (parsed.ok) for (let i = 0; i < parsed.passages.length; i++) ids.push(added ? added[i]!.id : -1);
      this.passagesIndexed += added?.length ?? 0;
    }
    this.filesRead += files.length;
    this.#draft.add(analyzed, ids, counted);
  }

  /** The text of the article just added moves to the store: the heap holds one article's text at a time. */
  #storeText(): void {
    const { articles } = this.#builder.corpus;
    const { text, ...meta } = articles[articles.length - 1]!;
    articles[articles.length - 1] = storedArticle(meta, this.#texts, this.#texts.add(text));
  }

  get built(): BuiltIndex {
    const { corpus } = this.#builder;
    return { corpus, draft: this.#draft, texts: this.#texts, hashes: this.#hashes, titleTerms: this.#titleTerms };
  }
}

const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/** Builds the index of seed files already in memory (tests, the evaluation), on this thread, chunk after chunk. */
export function buildFromReads(reads: readonly SeedRead[], topics: readonly TopicDefinition[]): BuiltIndex {
  const indexer = new Indexer(topics);
  const counter = new TermCounter();
  const counted = new CounterTerms();
  for (const chunk of chunksOf(reads, IN_THREAD_CHUNK)) indexer.add(parseReads(chunk, counter), counted);
  return indexer.built;
}

/**
 * Builds the index of a listed seeds folder: worker threads read, parse and analyze the files while this thread
 * indexes them, chunk after chunk, yielding to the event loop in between. Without a worker (none could start, or
 * too few files to be worth one), the same work is done here.
 */
export async function buildFromListing(
  listing: readonly SeedListing[],
  topics: readonly TopicDefinition[],
  options: BuildOptions = {},
): Promise<BuiltIndex> {
  const { parseThreads = PARSE_THREADS, onProgress, progressEveryMs = PROGRESS_EVERY_MS } = options;
  const { chunkDeadlineMs = CHUNK_DEADLINE_MS, parseModule = siblingModule('parse-worker', import.meta.url) } = options;
  const now = options.now ?? (() => performance.now());
  const indexer = new Indexer(topics);
  let toldAt = Number.NEGATIVE_INFINITY;
  const tell = (): void => {
    if (!onProgress) return;
    toldAt = now();
    const { filesRead, passagesIndexed } = indexer;
    tellProgress(onProgress, { phase: 'indexing', filesRead, filesTotal: listing.length, passagesIndexed });
  };
  tell();
  const threads: RequestWorker<readonly SeedListing[], ParsedChunk>[] = [];
  try {
    const wanted =
      listing.length < MIN_FILES_FOR_THREADS ? 0 : Math.min(parseThreads, Math.ceil(listing.length / CHUNK));
    for (let i = 0; i < wanted; i++) threads.push(new RequestWorker(parseModule));
  } catch {
    // No worker here: parse on this thread.
  }
  const chunks = chunksOf(listing, threads.length > 0 ? CHUNK : IN_THREAD_CHUNK);
  // What each thread's counter numbers stand for; a chunk parsed here has a counter of its own.
  const counted = threads.map(() => new CounterTerms());
  let useThreads = threads.length > 0;
  const parseHere = async (chunk: SeedListing[]): Promise<[ParsedChunk, CounterTerms]> => [
    await parseListed(chunk),
    new CounterTerms(),
  ];
  const parse = (chunk: SeedListing[], c: number): Promise<[ParsedChunk, CounterTerms]> => {
    if (!useThreads) return parseHere(chunk);
    const t = c % threads.length;
    return threads[t]!.request(chunk, chunkDeadlineMs).then(
      (parsed): [ParsedChunk, CounterTerms] => [parsed, counted[t]!],
      () => ((useThreads = false), parseHere(chunk)),
    );
  };
  try {
    // A few chunks in flight: the threads parse the next ones while this one is indexed, in order.
    const inFlight: Promise<[ParsedChunk, CounterTerms]>[] = [];
    const ahead = Math.max(2, threads.length * 2);
    for (let c = 0; c < Math.min(ahead, chunks.length); c++) inFlight.push(parse(chunks[c]!, c));
    for (let c = 0; c < chunks.length; c++) {
      let [parsed, terms] = await inFlight.shift()!;
      if (parsed.analyzed.firstTerm !== terms.terms.length) {
        // A run of that thread was lost after its counter numbered it (its reply failed): its numbers no longer
        // follow on from those seen here, so its chunks are parsed here from now on.
        useThreads = false;
        [parsed, terms] = await parseHere(chunks[c]!);
      }
      indexer.add(parsed, terms);
      if (c + ahead < chunks.length) inFlight.push(parse(chunks[c + ahead]!, c + ahead));
      if (onProgress && (c === chunks.length - 1 || now() - toldAt >= progressEveryMs)) tell();
      await yieldToLoop();
    }
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  return indexer.built;
}
