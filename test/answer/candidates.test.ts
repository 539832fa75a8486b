import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCandidates } from '../../src/answer/candidates.js';
import { prepareQuery } from '../../src/answer/query.js';
import { readSeedFiles } from '../../src/corpus/index.js';
import { buildSearchIndex } from '../../src/index/index.js';
import { analyzeQuestion } from '../../src/language/index.js';
import { SEED_TOPICS, SEEDS, SHARED } from '../helpers.js';

const questionsOf = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { q: string }).q);

describe('findCandidates', () => {
  it('ranks its first passages as a ranking that reads every title would, reading fewer titles', async () => {
    const dev = path.join(SHARED, 'eval', 'dev');
    const reads = [...(await readSeedFiles(SEEDS)), ...(await readSeedFiles(path.join(dev, 'articles')))];
    const index = buildSearchIndex(reads, SEED_TOPICS);
    const questions = [
      ...questionsOf(path.join(dev, 'questions.jsonl')),
      ...questionsOf(path.join(SHARED, 'eval', 'questions.sample.jsonl')),
    ];
    expect(questions.length).toBeGreaterThan(50);
    let cut = 0;
    let read = 0;
    let readAll = 0;
    for (const q of questions) {
      const prepared = prepareQuery(index, analyzeQuestion(q));
      // The articles' own titles, and titles made to weigh: every question word in a third of them.
      const every = [...prepared.termWord.keys()];
      const titleSets = [(a: number) => index.titleTerms.of(a), (a: number) => (a % 3 === 0 ? every : [])];
      for (const [set, titlesOf] of titleSets.entries()) {
        const run = (limit: number): { passages: number[]; titles: number } => {
          let titles = 0;
          const titleTerms = (article: number): readonly string[] => (titles++, titlesOf(article));
          const found = findCandidates(index, prepared, () => true, null, titleTerms, limit);
          return { passages: found.passages, titles };
        };
        // Asked for as many as the scan keeps, every hit is scored: the whole ranking.
        const all = run(250);
        for (const limit of [1, 3, 8]) {
          const some = run(limit);
          expect(some.passages, `${q} (${limit}, titles ${set})`).toEqual(all.passages.slice(0, limit));
          if (limit === 8 && set === 0) {
            read += some.titles;
            readAll += all.titles;
            if (some.titles < all.titles) cut++;
          }
        }
      }
    }
    // The bound must cut (else this proves nothing about it), on a good share of the questions.
    expect(cut).toBeGreaterThan(questions.length / 4);
    expect(read).toBeLessThan(readAll);
  });
});
