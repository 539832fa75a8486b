import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../lib/index.js';
import { CorpusBuilder, type SeedListing, type ParsedSeed } from '../corpus/index.js';
import type { BuiltIndex } from './build.js';
import { IndexDraft, type AnalyzedPassages } from './index-draft.js';

/** Seed files parsed, and the passages of those parsed well analyzed, in file then passage order. */
export interface ParsedChunk {
  files: { file: string; parsed: ParsedSeed }[];
  analyzed: AnalyzedPassages;
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

/** One parsing thread. */
class ParseThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (f: ParsedChunk) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | null = null;

  constructor() {
    this.#worker = startWorker(siblingModule('parse-worker', import.meta.url));
    this.#worker.on('message', (m: { id: number; chunk?: ParsedChunk; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.chunk) p?.resolve(m.chunk);
      else p?.reject(new Error(m.error ?? 'parse failed'));
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`parse thread exited (${code})`)));
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  parse(entries: SeedListing[]): Promise<ParsedChunk> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, entries });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/**
 * Builds the index of a listed seeds folder: worker threads read, parse and analyze the files while this thread
 * numbers their passages and appends their postings, chunk after chunk, yielding to the event loop in between.
 * Duplicates are decided in file order, as in `buildCorpus`. Without a worker (none could start, or too few
 * files to be worth one), the same work is done here.
 */
export async function buildIndexFromListing(listing: readonly SeedListing[], parseThreads = PARSE_THREADS): Promise<BuiltIndex> {
  const builder = new CorpusBuilder();
  const draft = new IndexDraft();
  const threads: ParseThread[] = [];
  try {
    const wanted = listing.length < MIN_FILES_FOR_THREADS ? 0 : Math.min(parseThreads, Math.ceil(listing.length / CHUNK));
    for (let i = 0; i < wanted; i++) threads.push(new ParseThread());
  } catch {
    // No worker here: parse on this thread.
  }
  const chunks: SeedListing[][] = [];
  const size = threads.length > 0 ? CHUNK : IN_THREAD_CHUNK;
  for (let i = 0; i < listing.length; i += size) chunks.push(listing.slice(i, i + size));
  const { parseFiles } = await import('./parse-worker.js');
  let useThreads = threads.length > 0;
  const parse = (chunk: SeedListing[], c: number): Promise<ParsedChunk> =>
    useThreads ? threads[c % threads.length]!.parse(chunk).catch(() => ((useThreads = false), parseFiles(chunk))) : parseFiles(chunk);
  try {
    // A few chunks in flight: the threads parse the next ones while this one is indexed, in order.
    const inFlight: Promise<ParsedChunk>[] = [];
    const AHEAD = Math.max(2, threads.length * 2);
    for (let c = 0; c < Math.min(AHEAD, chunks.length); c++) inFlight.push(parse(chunks[c]!, c));
    for (let c = 0; c < chunks.length; c++) {
      const { files, analyzed } = await inFlight.shift()!;
      if (c + AHEAD < chunks.length) inFlight.push(parse(chunks[c + AHEAD]!, c + AHEAD));
      // Passage ids of the chunk's analyzed passages; -1 for those of a duplicate file.
      const ids: number[] = [];
      for (const { file, parsed } of files) {
        const added = builder.addParsed(file, parsed);
        if (parsed.ok) for (let i = 0; i < parsed.passages.length; i++) ids.push(added ? added[i]!.id : -1);
      }
      draft.add(analyzed, ids);
      await yieldToLoop();
    }
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  return { corpus: builder.corpus, draft };
}
