import { parseSeed, readListedSeeds, type ParsedSeed, type SeedListing, type SeedRead } from '../corpus/index.js';
import { analyzePassages, type AnalyzedPassages } from './draft.js';

/** Seed files parsed, and the passages of those parsed well analyzed, in file then passage order. */
export interface ParsedChunk {
  files: { file: string; parsed: ParsedSeed }[];
  analyzed: AnalyzedPassages;
}

/** Parses and analyzes seed files already read: the part of a build that a parsing thread can take. */
export function parseReads(reads: readonly SeedRead[]): ParsedChunk {
  const files = reads.map((read) => ({
    file: read.file,
    parsed: 'reason' in read ? { ok: false as const, reason: read.reason } : parseSeed(read.file, read.bytes),
  }));
  const texts = files.flatMap(({ parsed }) =>
    parsed.ok ? parsed.passages.map((p) => parsed.article.text.slice(p.start, p.end)) : [],
  );
  return { files, analyzed: analyzePassages(texts) };
}

/** Reads, parses and analyzes listed seed files. */
export async function parseListed(entries: readonly SeedListing[]): Promise<ParsedChunk> {
  return parseReads(await readListedSeeds(entries));
}
