import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CorpusBuilder, type Corpus, type SeedListing, type SeedRead } from '../corpus/index.js';
import { RequestWorker, siblingModule } from '../lib/index.js';
import { IndexDraft } from './draft.js';
import { parseListed, parseReads, type ParsedChunk } from './parse.js';

/** A corpus with its index drafted: everything a snapshot holds, before MiniSearch has loaded any of it. */
export interface BuiltIndex {
  corpus: Corpus;
  draft: IndexDraft;
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
 * The one way parsed files become an index: each file joins the corpus (or its rejections, duplicates decided in
 * file order), and the postings of the passages it added are appended. Every build goes through here.
 */
class Indexer {
  readonly #builder = new CorpusBuilder();
  readonly #draft = new IndexDraft();

  add({ files, analyzed }: ParsedChunk): void {
    // Passage ids of the chunk's analyzed passages; -1 for those of a duplicate file.
    const ids: number[] = [];
    for (const { file, parsed } of files) {
      const added = this.#builder.addParsed(file, parsed);
      if (parsed.ok) for (let i = 0; i < parsed.passages.length; i++) ids.push(added ? added[i]!.id : -1);
    }
    this.#draft.add(analyzed, ids);
  }

  get built(): BuiltIndex {
    return { corpus: this.#builder.corpus, draft: this.#draft };
  }
}

const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/** Builds the index of seed files already in memory (tests, the evaluation), on this thread, chunk after chunk. */
export function buildFromReads(reads: readonly SeedRead[]): BuiltIndex {
  const indexer = new Indexer();
  for (const chunk of chunksOf(reads, IN_THREAD_CHUNK)) indexer.add(parseReads(chunk));
  return indexer.built;
}

/**
 * Builds the index of a listed seeds folder: worker threads read, parse and analyze the files while this thread
 * indexes them, chunk after chunk, yielding to the event loop in between. Without a worker (none could start, or
 * too few files to be worth one), the same work is done here.
 */
export async function buildFromListing(
  listing: readonly SeedListing[],
  parseThreads = PARSE_THREADS,
): Promise<BuiltIndex> {
  const indexer = new Indexer();
  const threads: RequestWorker<readonly SeedListing[], ParsedChunk>[] = [];
  try {
    const wanted =
      listing.length < MIN_FILES_FOR_THREADS ? 0 : Math.min(parseThreads, Math.ceil(listing.length / CHUNK));
    for (let i = 0; i < wanted; i++) threads.push(new RequestWorker(siblingModule('parse-worker', import.meta.url)));
  } catch {
    // No worker here: parse on this thread.
  }
  const chunks = chunksOf(listing, threads.length > 0 ? CHUNK : IN_THREAD_CHUNK);
  let useThreads = threads.length > 0;
  const parse = (chunk: SeedListing[], c: number): Promise<ParsedChunk> =>
    useThreads
      ? threads[c % threads.length]!.request(chunk).catch(() => ((useThreads = false), parseListed(chunk)))
      : parseListed(chunk);
  try {
    // A few chunks in flight: the threads parse the next ones while this one is indexed, in order.
    const inFlight: Promise<ParsedChunk>[] = [];
    const ahead = Math.max(2, threads.length * 2);
    for (let c = 0; c < Math.min(ahead, chunks.length); c++) inFlight.push(parse(chunks[c]!, c));
    for (let c = 0; c < chunks.length; c++) {
      indexer.add(await inFlight.shift()!);
      if (c + ahead < chunks.length) inFlight.push(parse(chunks[c + ahead]!, c + ahead));
      await yieldToLoop();
    }
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  return indexer.built;
}
