import { parentPort } from 'node:worker_threads';
import { readListedSeeds, type SeedListing, parseSeed } from '../corpus/index.js';
import { analyzePassages } from './index-draft.js';
import type { ParsedChunk } from './parallel-build.js';

/** Reads, parses and analyzes seed files off the main thread: what the main thread then only has to index. */
export async function parseFiles(entries: readonly SeedListing[]): Promise<ParsedChunk> {
  const reads = await readListedSeeds(entries);
  const files = reads.map((read) => ({ file: read.file, parsed: 'reason' in read ? { ok: false as const, reason: read.reason } : parseSeed(read.file, read.bytes) }));
  const texts = files.flatMap(({ parsed }) => (parsed.ok ? parsed.passages.map((p) => parsed.article.text.slice(p.start, p.end)) : []));
  return { files, analyzed: analyzePassages(texts) };
}

parentPort?.on('message', (message: { id: number; entries: SeedListing[] }) => {
  parseFiles(message.entries).then(
    (chunk) => parentPort!.postMessage({ id: message.id, chunk }, [chunk.analyzed.offsets.buffer, chunk.analyzed.entries.buffer]),
    (err: unknown) => parentPort!.postMessage({ id: message.id, error: (err as Error).message }),
  );
});
