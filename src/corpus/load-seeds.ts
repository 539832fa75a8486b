import { lstatSync, realpathSync, statSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import path from 'node:path';
import { isReadFailure, mapLimited, type ReadFailure, readFileBounded, readFileBoundedSync } from '../lib/index.js';
import { parseSeed, type ParsedSeed } from './parse-article.js';
import { parseTopics, TOPICS_FILE, type TopicDefinition, TopicsFileError, topicsOf } from './topics.js';
import type { Corpus, Passage, Rejection } from './types.js';

/** Seeds larger than this are rejected: a news article is a few kilobytes. */
export const MAX_SEED_BYTES = 1024 * 1024;
const READ_CONCURRENCY = 16;
/**
 * Files stat'ed between two turns of the event loop. A listing stats every file: synchronously, 5 to 10 times
 * cheaper than a promise apiece (10,000 files: about 25 ms rather than 150), a slice at a time so that the reads
 * and timers around it go on.
 */
const STAT_SLICE = 256;
/**
 * Time allowed to read one seed (a megabyte at most): past it the file is rejected, so a stuck disk or mount never
 * holds a rebuild, nor /reindex, for ever.
 */
export const SEED_READ_DEADLINE_MS = 15_000;

export type SeedRead = { file: string; bytes: Uint8Array; stamp?: FileStamp } | Rejection;

/** A file's status when it was opened, before its bytes were read: what tells later whether it changed since. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** A seed file found in the folder, not read yet: enough to tell whether it changed since the last index. */
export interface SeedEntry extends FileStamp {
  file: string;
  /** Real path to read (a link inside the folder is followed). */
  target: string;
}

export type SeedListing = SeedEntry | Rejection;

/**
 * Lists the seeds folder without reading file contents: every `.txt` file with its size and modification time,
 * never following a link out of the folder. Anything that cannot be a seed comes back as a rejection with its
 * reason. Throws only when the folder itself cannot be read.
 */
export async function listSeeds(dir: string, maxBytes = MAX_SEED_BYTES): Promise<SeedListing[]> {
  const root = await realpath(dir);
  // The topics file sits beside the seeds but is not one (readTopics reads it).
  const names = (await readdir(root)).filter((n) => !n.startsWith('.') && n !== TOPICS_FILE).sort();
  const listing: SeedListing[] = [];
  for (const name of names) {
    if (listing.length % STAT_SLICE === STAT_SLICE - 1) await yieldToLoop();
    listing.push(inspect(root, name, maxBytes));
  }
  return listing;
}

/**
 * Reads the listed seeds; one that cannot be read becomes a rejection, so one bad file never stops the others. The
 * listing is seconds old by then: each file is checked again once open (a regular file within the limit, not a link
 * swapped in), read to the limit plus one byte at most, under a deadline.
 */
export async function readListedSeeds(
  listing: readonly SeedListing[],
  maxBytes = MAX_SEED_BYTES,
  deadlineMs = SEED_READ_DEADLINE_MS,
): Promise<SeedRead[]> {
  return mapLimited(listing, READ_CONCURRENCY, async (entry): Promise<SeedRead> => {
    if ('reason' in entry) return entry;
    const { onStat, done } = stampedRead(entry, maxBytes, deadlineMs);
    return done(await readFileBounded(entry.target, { maxBytes, deadlineMs, noFollow: true, onStat }));
  });
}

/**
 * `readListedSeeds` one file after the other without promises, for a thread that does nothing else (a build's
 * parsing thread: a tenth of the CPU time). No deadline: a read the system never returns holds the thread, so the
 * build gives such a thread a deadline of its own (build.ts).
 */
export function readListedSeedsSync(listing: readonly SeedListing[], maxBytes = MAX_SEED_BYTES): SeedRead[] {
  return listing.map((entry): SeedRead => {
    if ('reason' in entry) return entry;
    const { onStat, done } = stampedRead(entry, maxBytes);
    return done(readFileBoundedSync(entry.target, { maxBytes, noFollow: true, onStat }));
  });
}

/** A listed seed's read: its stamp taken when it is opened, and the read (or why it failed) as a SeedRead. */
function stampedRead(
  entry: SeedEntry,
  maxBytes: number,
  deadlineMs = SEED_READ_DEADLINE_MS,
): { onStat: (info: FileStamp) => void; done: (read: Uint8Array | ReadFailure) => SeedRead } {
  let stamp: FileStamp | undefined;
  return {
    onStat: ({ ino, size, mtimeMs, ctimeMs }) => void (stamp = { ino, size, mtimeMs, ctimeMs }),
    done: (read) => {
      if (isReadFailure(read)) return { file: entry.file, reason: readFailureReason(read, maxBytes, deadlineMs) };
      return stamp ? { file: entry.file, bytes: read, stamp } : { file: entry.file, bytes: read };
    },
  };
}

/** Why a listed seed was not read, in French. */
function readFailureReason(failure: ReadFailure, maxBytes: number, deadlineMs: number): string {
  switch (failure.problem) {
    case 'not-a-file':
      return 'pas un fichier ordinaire (remplacé pendant l’indexation)';
    case 'link':
      return 'remplacé par un lien symbolique pendant l’indexation (non lu)';
    case 'too-big':
      return tooBig(failure.size, maxBytes);
    case 'timeout':
      return `illisible (lecture inachevée après ${Math.round(deadlineMs / 1000)} s)`;
    case 'error':
      return `illisible (${failure.code})`;
  }
}

/** `size` is null when the file grew past the limit while it was read. */
function tooBig(size: number | null, maxBytes: number): string {
  const found = size === null ? `plus de ${formatBytes(maxBytes)}` : formatBytes(size);
  return `fichier trop gros (${found}, maximum ${formatBytes(maxBytes)})`;
}

/** A topics file is a few kilobytes; a larger one is refused rather than read. */
const MAX_TOPICS_BYTES = 256 * 1024;

/** The topics of a seeds folder and the exact text they were read from (null: no topics file, so no topic). */
export interface TopicsRead {
  topics: TopicDefinition[];
  text: string | null;
}

/**
 * Reads and validates the folder's topics file. No file means no topic (only `/recherche`); a file that cannot be
 * read or is invalid throws a TopicsFileError in French, so a mistyped file never silently drops the topics.
 */
export async function readTopics(dir: string): Promise<TopicsRead> {
  const file = path.join(dir, TOPICS_FILE);
  const read = await readFileBounded(file, { maxBytes: MAX_TOPICS_BYTES, deadlineMs: SEED_READ_DEADLINE_MS });
  if (isReadFailure(read)) {
    if (read.problem === 'error' && read.code === 'ENOENT') return { topics: [], text: null };
    const why = {
      'too-big': `plus de ${formatBytes(MAX_TOPICS_BYTES)}`,
      'not-a-file': 'ce n’est pas un fichier ordinaire',
      link: 'c’est un lien symbolique',
      timeout: 'lecture inachevée dans le délai',
      error: read.problem === 'error' ? read.code : '',
    }[read.problem];
    throw new TopicsFileError(`${TOPICS_FILE} est illisible (${why}).`);
  }
  const text = read.toString('utf8');
  // A BOM (as Windows editors save) is not JSON, but is no mistake of the moderator's.
  return { topics: parseTopics(text.replace(/^\uFEFF/u, '')), text };
}

export async function readSeedFiles(dir: string, maxBytes = MAX_SEED_BYTES): Promise<SeedRead[]> {
  return readListedSeeds(await listSeeds(dir, maxBytes), maxBytes);
}

function inspect(root: string, name: string, maxBytes: number): SeedListing {
  const full = path.join(root, name);
  try {
    const info = lstatSync(full);
    let target = full;
    if (info.isSymbolicLink()) {
      try {
        target = realpathSync(full);
      } catch {
        return { file: name, reason: 'lien symbolique cassé' };
      }
      if (path.dirname(target) !== root && !target.startsWith(root + path.sep)) {
        return { file: name, reason: 'lien symbolique vers un fichier hors du dossier des articles (non lu)' };
      }
    }
    const real = info.isSymbolicLink() ? statSync(target) : info;
    if (real.isDirectory()) return { file: name, reason: 'sous-dossier (seuls les fichiers .txt du dossier sont lus)' };
    if (!real.isFile()) return { file: name, reason: 'pas un fichier ordinaire' };
    if (!name.toLowerCase().endsWith('.txt')) return { file: name, reason: 'pas un fichier .txt' };
    if (real.size > maxBytes) return { file: name, reason: tooBig(real.size, maxBytes) };
    // The whole stamp, so that fingerprinting an unchanged folder needs no second `stat` per file.
    return { file: name, target, size: real.size, mtimeMs: real.mtimeMs, ino: real.ino, ctimeMs: real.ctimeMs };
  } catch (err) {
    return { file: name, reason: `illisible (${(err as NodeJS.ErrnoException).code ?? 'erreur'})` };
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} Mio` : `${Math.ceil(n / 1024)} Kio`;
}

/**
 * Adds seed files one at a time to a corpus: parses each, drops duplicates (same normalized text), numbers passages.
 */
export class CorpusBuilder {
  readonly corpus: Corpus;
  readonly #seen = new Map<string, string>();

  constructor(topics: readonly TopicDefinition[] = []) {
    this.corpus = { articles: [], passages: [], rejected: [], topics: [...topics] };
  }

  add(read: SeedRead): void {
    if ('reason' in read) this.corpus.rejected.push(read);
    else this.addParsed(read.file, parseSeed(read.file, read.bytes));
  }

  /** Adds a file parsed elsewhere (a worker thread). Returns the passages it added, or null when rejected. */
  addParsed(file: string, parsed: ParsedSeed): Passage[] | null {
    const { corpus } = this;
    if (!parsed.ok) {
      corpus.rejected.push({ file, reason: parsed.reason });
      return null;
    }
    const original = this.#seen.get(parsed.fingerprint);
    if (original) {
      corpus.rejected.push({ file, reason: `doublon de ${original}` });
      return null;
    }
    this.#seen.set(parsed.fingerprint, file);
    const article = corpus.articles.length;
    const { title, text } = parsed.article;
    // Topics are decided here, where the definitions are, from the article's own paragraphs (not its comments).
    const body = parsed.passages
      .filter((p) => p.kind === 'article')
      .map((p) => text.slice(p.start, p.end))
      .join('\n');
    corpus.articles.push({ ...parsed.article, topics: topicsOf(corpus.topics, title, body) });
    const added = parsed.passages.map((p, i) => ({ id: corpus.passages.length + i, article, ...p }) satisfies Passage);
    corpus.passages.push(...added);
    return added;
  }
}

/** Builds a corpus from files already read. */
export function buildCorpus(reads: readonly SeedRead[], topics: readonly TopicDefinition[] = []): Corpus {
  const builder = new CorpusBuilder(topics);
  for (const read of reads) builder.add(read);
  return builder.corpus;
}

/** A seeds folder's corpus, its topics file included. */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const [reads, { topics }] = await Promise.all([readSeedFiles(dir), readTopics(dir)]);
  return buildCorpus(reads, topics);
}
