import { createHash } from 'node:crypto';
import {
  parseSeed,
  readListedSeeds,
  readListedSeedsSync,
  type ParsedSeed,
  type SeedListing,
  type SeedRead,
} from '../corpus/index.js';
import type { HashedSeed } from './fingerprint.js';
import { type AnalyzedPassages, TermCounter } from './term-counter.js';
import { titleTermsLine } from './title-terms.js';

/** Seed files parsed, and the passages of those parsed well analyzed, in file then passage order. */
export interface ParsedChunk {
  /** Each file as parsed, with its title's terms ('' for a file refused). */
  files: { file: string; parsed: ParsedSeed; titleTerms: string }[];
  analyzed: AnalyzedPassages;
  /**
   * The content hash of each file read from disk with its stamp taken before the read (what the seeds'
   * fingerprint needs, so a rebuild does not read every file twice); none for files read elsewhere.
   */
  hashes: HashedSeed[];
}

/**
 * Parses and analyzes seed files already read: the part of a build that a parsing thread can take. Their terms
 * are numbered by `counter` (by default one of their own).
 */
export function parseReads(reads: readonly SeedRead[], counter = new TermCounter()): ParsedChunk {
  const files = reads.map((read) => {
    const parsed: ParsedSeed = 'reason' in read ? { ok: false, reason: read.reason } : parseSeed(read.file, read.bytes);
    return { file: read.file, parsed, titleTerms: parsed.ok ? titleTermsLine(parsed.article.title) : '' };
  });
  const texts = files.flatMap(({ parsed }) =>
    parsed.ok ? parsed.passages.map((p) => parsed.article.text.slice(p.start, p.end)) : [],
  );
  return { files, analyzed: counter.analyze(texts), hashes: [] };
}

/**
 * Reads, parses and analyzes listed seed files, and hashes those read: each stamped as it is opened, before it is
 * read, as the fingerprint does, so that a file changed meanwhile is seen as changed at the next start.
 */
export async function parseListed(entries: readonly SeedListing[], counter = new TermCounter()): Promise<ParsedChunk> {
  return hashed(await readListedSeeds(entries), counter);
}

function hashed(reads: readonly SeedRead[], counter: TermCounter): ParsedChunk {
  const chunk = parseReads(reads, counter);
  reads.forEach((read, i) => {
    if ('reason' in read || !read.stamp || read.stamp.size !== read.bytes.length) return;
    // A file parsed well carries the hash of its bytes already (the article's).
    const parsed = chunk.files[i]!.parsed;
    const sha256 = parsed.ok ? parsed.article.hash : createHash('sha256').update(read.bytes).digest('hex');
    chunk.hashes.push({ file: read.file, ...read.stamp, sha256 });
  });
  return chunk;
}

/**
 * A parsing thread's side of a build: chunks read and parsed in the order they are asked for, with one counter for
 * the whole build (its runs must reach the main thread in the order they were numbered). The thread does nothing
 * else, so its files are read synchronously (a tenth of the CPU time of promises); the build gives it a deadline.
 */
export class OrderedParser {
  readonly #counter = new TermCounter();

  parse(entries: readonly SeedListing[]): ParsedChunk {
    return hashed(readListedSeedsSync(entries), this.#counter);
  }
}
