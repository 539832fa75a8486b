import { parentPort } from 'node:worker_threads';
import { readListedSeeds, type SeedListing } from '../corpus/load-seeds.js';
import { parseSeed } from '../corpus/parse-article.js';
import { indexTerms } from './analyzer.js';
import type { ParsedFile } from './parallel-build.js';

/** Reads, parses and analyzes seed files off the main thread: what the main thread then only has to index. */
export async function parseFiles(entries: readonly SeedListing[]): Promise<ParsedFile[]> {
  const reads = await readListedSeeds(entries);
  return reads.map((read): ParsedFile => {
    if ('reason' in read) return { file: read.file, parsed: { ok: false, reason: read.reason }, terms: [] };
    const parsed = parseSeed(read.file, read.bytes);
    const terms = parsed.ok ? parsed.passages.map((p) => indexTerms(parsed.article.text.slice(p.start, p.end)).join(' ')) : [];
    return { file: read.file, parsed, terms };
  });
}

parentPort?.on('message', (message: { id: number; entries: SeedListing[] }) => {
  parseFiles(message.entries).then(
    (files) => parentPort!.postMessage({ id: message.id, files }),
    (err: unknown) => parentPort!.postMessage({ id: message.id, error: (err as Error).message }),
  );
});
