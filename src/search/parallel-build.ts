import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from './threads.js';
import { CorpusBuilder, type SeedListing } from '../corpus/load-seeds.js';
import type { ParsedSeed } from '../corpus/parse-article.js';
import type { Corpus } from '../corpus/types.js';
import { emptySearchIndex, finishIndex, indexPassage, type SearchIndex } from './search-index.js';

/** A seed file parsed and analyzed: its passages' index terms, joined by spaces, in passage order. */
export interface ParsedFile {
  file: string;
  parsed: ParsedSeed;
  terms: string[];
}

/** Files handed to the parsing thread at a time; the main thread indexes one chunk while the next is parsed. */
const CHUNK = 48;
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
  readonly #pending = new Map<number, { resolve: (f: ParsedFile[]) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | null = null;

  constructor() {
    this.#worker = startWorker(siblingModule('build-worker', import.meta.url));
    this.#worker.on('message', (m: { id: number; files?: ParsedFile[]; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.files) p?.resolve(m.files);
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

  parse(entries: SeedListing[]): Promise<ParsedFile[]> {
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
 * Builds the index of a listed seeds folder: a worker thread reads, parses and analyzes the files while this
 * thread adds them to MiniSearch, chunk after chunk, yielding to the event loop in between (the bot keeps
 * answering during a reindex). Duplicates are decided in file order, as in `buildCorpus`. Without a worker
 * (it could not start), the same work is done here.
 */
export async function buildIndexFromListing(listing: readonly SeedListing[], parseThreads = PARSE_THREADS): Promise<SearchIndex> {
  const builder = new CorpusBuilder();
  const index = emptySearchIndex(builder.corpus as Corpus);
  const chunks: SeedListing[][] = [];
  for (let i = 0; i < listing.length; i += CHUNK) chunks.push(listing.slice(i, i + CHUNK));
  const threads: ParseThread[] = [];
  try {
    const wanted = listing.length < MIN_FILES_FOR_THREADS ? 0 : Math.min(parseThreads, chunks.length);
    for (let i = 0; i < wanted; i++) threads.push(new ParseThread());
  } catch {
    // No worker here: parse on this thread.
  }
  const { parseFiles } = await import('./build-worker.js');
  let useThreads = threads.length > 0;
  const parse = (chunk: SeedListing[], c: number): Promise<ParsedFile[]> =>
    useThreads ? threads[c % threads.length]!.parse(chunk).catch(() => ((useThreads = false), parseFiles(chunk))) : parseFiles(chunk);
  try {
    // A few chunks in flight: the threads parse the next ones while this one is indexed, in order.
    const inFlight: Promise<ParsedFile[]>[] = [];
    const AHEAD = Math.max(2, threads.length * 2);
    for (let c = 0; c < Math.min(AHEAD, chunks.length); c++) inFlight.push(parse(chunks[c]!, c));
    for (let c = 0; c < chunks.length; c++) {
      const files = await inFlight.shift()!;
      if (c + AHEAD < chunks.length) inFlight.push(parse(chunks[c + AHEAD]!, c + AHEAD));
      for (const f of files) {
        const added = builder.addParsed(f.file, f.parsed);
        added?.forEach((p, i) => indexPassage(index, p, f.terms[i] ? f.terms[i]!.split(' ') : []));
      }
      await yieldToLoop();
    }
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  finishIndex(index);
  return index;
}
