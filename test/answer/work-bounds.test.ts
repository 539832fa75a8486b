/**
 * What one question may cost, whatever the seeds and the question hold: typo corrections and family scans per
 * question, characters read per candidate passage, characters of a title read. Counted through the analysis
 * functions the answer calls (never from the clock).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ask, type WorkMeter } from '../../src/answer/index.js';
import { readSeedFiles, type SeedRead } from '../../src/corpus/index.js';
import { buildSearchIndex, type SearchIndex } from '../../src/index/index.js';
import { bundledIndex, SEED_TOPICS, SEEDS } from '../helpers.js';
import { frenchArticle, prng } from '../reliability/helpers.js';

const seen = vi.hoisted(() => ({ tokenized: [] as number[], familyRoots: 0 }));

vi.mock('../../src/language/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/language/index.js')>();
  return {
    ...actual,
    tokenize: (...args: Parameters<typeof actual.tokenize>) => {
      seen.tokenized.push(args[0].length);
      return actual.tokenize(...args);
    },
    familyRoot: (term: string) => {
      seen.familyRoots++;
      return actual.familyRoot(term);
    },
  };
});

/** What the question costs the analysis: characters tokenized (per call) and family roots computed. */
function costOf(index: SearchIndex, question: string): { calls: number[]; familyRoots: number; answered: boolean } {
  seen.tokenized = [];
  seen.familyRoots = 0;
  const answered = ask(index, question, { topic: null }).answered;
  return { calls: seen.tokenized, familyRoots: seen.familyRoots, answered };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Words of `length` random letters: no French word, no term of the articles (typos to the analyzer). */
function gibberish(rng: () => number, count: number, length: number): string[] {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return Array.from({ length: count }, () =>
    Array.from({ length }, () => letters[Math.floor(rng() * letters.length)]!).join(''),
  );
}

let bundled: SeedRead[];
beforeAll(async () => {
  bundled = await readSeedFiles(SEEDS);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the work of one question is bounded', () => {
  it('corrects the typos of at most six words, however many the question holds', async () => {
    const index = await bundledIndex();
    const fuzzy = vi.spyOn(index.vocabulary, 'fuzzyGet');
    const question = gibberish(prng(7), 60, 7).join(' ').slice(0, 480);
    ask(index, question);
    expect(question.split(' ').length).toBeGreaterThan(50);
    expect(fuzzy.mock.calls.length).toBeGreaterThan(0);
    expect(fuzzy.mock.calls.length).toBeLessThanOrEqual(6);
  });

  it('scans at most 2,400 terms for word families, however many words share a large family', () => {
    // 900 index terms starting with the root « mondialis », and a question of 40 words whose root it is.
    const rng = prng(11);
    const family = gibberish(rng, 900, 4).map((tail) => `mondialis${tail}`);
    const seed = `${frenchArticle(rng, 1, 3)}\n${family.join(' ')}\n`;
    const index = buildSearchIndex(
      [...bundled, { file: '010_famille.txt', bytes: Buffer.from(seed, 'utf8') }],
      SEED_TOPICS,
    );
    expect([...index.vocabulary.atPrefix('mondialis').keys()].length).toBeGreaterThan(800);
    const suffixes = ['eur', 'eus', 'ric', 'ois', 'ais', 'ien', 'ain', 'agn', 'iqu', 'ic', 'ant', 'ation', 'ion'];
    const words = suffixes.flatMap((s) => ['', 'e', 's'].map((end) => `mondialis${s}${end}`));
    const { familyRoots } = costOf(index, words.join(' '));
    // Each word's own root, and the terms scanned.
    expect(familyRoots).toBeLessThanOrEqual(2400 + 2 * words.length);
  });

  it('reads at most 3,000 characters of a candidate passage, however long the passage', () => {
    const rng = prng(13);
    const seed = frenchArticle(rng, 2, 80);
    const index = buildSearchIndex([{ file: '020_long.txt', bytes: Buffer.from(seed, 'utf8') }], SEED_TOPICS);
    const { passages, articles } = index.corpus;
    // Every passage stands for the whole article (as a snapshot from an older cut would): each is 35,000 characters.
    const whole = { start: passages[0]!.start, end: passages[passages.length - 1]!.end };
    const sentences = passages.flatMap((p) => p.sentences);
    for (let i = 0; i < passages.length; i++) passages[i] = { ...passages[i]!, ...whole, sentences };
    expect(whole.end - whole.start).toBeGreaterThan(35_000);
    const { calls, answered } = costOf(index, 'Quel opérateur annonce une enceinte connectée en Bretagne ?');
    expect(answered).toBe(true);
    // Eight candidates at most, plus the question and the title.
    expect(sum(calls)).toBeLessThanOrEqual(8 * 3000 + 500 + articles[0]!.title.length);
  });

  it('reads at most 300 characters of a title, however long its header line', () => {
    const rng = prng(17);
    const title = Array.from({ length: 5000 }, () => 'enceinte connectée').join(' ');
    const seed = ` title ${title}\n\n${frenchArticle(rng, 3, 4).split('\n\n').slice(1).join('\n\n')}`;
    const index = buildSearchIndex(
      [...bundled, { file: '030_titre.txt', bytes: Buffer.from(seed, 'utf8') }],
      SEED_TOPICS,
    );
    expect(index.corpus.articles.some((a) => a.title.length > 50_000)).toBe(true);
    const { calls } = costOf(index, 'Combien coûtait l’enceinte connectée ?');
    expect(Math.max(...calls)).toBeLessThanOrEqual(3000);
  });

  it('counts its work on a meter, the same for the same question', async () => {
    const index = await bundledIndex();
    const once: WorkMeter = { units: 0 };
    const twice: WorkMeter = { units: 0 };
    ask(index, 'Combien coûtait l’enceinte Djingo ?', { work: once });
    ask(index, 'Combien coûtait l’enceinte Djingo ?', { work: twice });
    expect(once.units).toBeGreaterThan(0);
    expect(twice.units).toBe(once.units);
  });
});
