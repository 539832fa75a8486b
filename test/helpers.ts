import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTopics, readSeedFiles, TOPICS_FILE, type Corpus, type TopicDefinition } from '../src/corpus/index.js';
import { buildSearchIndex, type SearchIndex } from '../src/index/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEEDS = path.join(ROOT, 'seeds');
export const SHARED = path.resolve(ROOT, '..', 'shared');

/** The topics of the bundled seeds (seeds/topics.json), read and validated once, synchronously. */
export const SEED_TOPICS: readonly TopicDefinition[] = parseTopics(readFileSync(path.join(SEEDS, TOPICS_FILE), 'utf8'));

let seedIndex: Promise<SearchIndex> | undefined;
/** The index of the bundled seeds and their topics, built once per test file. */
export function bundledIndex(): Promise<SearchIndex> {
  seedIndex ??= readSeedFiles(SEEDS).then((reads) => buildSearchIndex(reads, SEED_TOPICS));
  return seedIndex;
}

export function tempDir(prefix = 'djingo-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A copy of the bundled seeds (topics file included) in a new temporary folder, and a data folder beside it. */
export function seedsCopy(prefix = 'djingo-test-'): { seedsDir: string; dataDir: string } {
  const dir = tempDir(prefix);
  const seedsDir = path.join(dir, 'seeds');
  mkdirSync(seedsDir);
  for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));
  return { seedsDir, dataDir: path.join(dir, 'data') };
}

export const silentLog = { info: (): void => {}, warn: (): void => {} };

/**
 * A corpus with plain passages, their sentences read out: a loaded index's passages fetch their sentences when
 * asked (a getter), which `toEqual` would not compare.
 */
export function plainCorpus(corpus: Corpus): Corpus {
  const passages = corpus.passages.map(({ id, article, paragraph, kind, start, end, sentences }) => ({
    id,
    article,
    paragraph,
    kind,
    start,
    end,
    sentences,
  }));
  return { ...corpus, passages };
}
