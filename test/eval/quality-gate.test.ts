import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import {
  openEvalCorpus,
  oursAnswerer,
  plainAnswerer,
  readManifest,
  readQuestions,
  score,
} from '../../src/eval/index.js';
import { ROOT } from '../helpers.js';

/**
 * The quality regression gate: every labelled set is answered again and must reach the figures kept in
 * thresholds.json, and ours must not fall below plain MiniSearch (default options, same paragraphs) in the top 3.
 * Deterministic: no timing, no randomness.
 */
interface Thresholds {
  sets: Record<string, { hit1: number; hit3: number; noAnswerRight: number }>;
}
const thresholds = JSON.parse(
  readFileSync(path.join(ROOT, 'test', 'fixtures', 'eval', 'thresholds.json'), 'utf8'),
) as Thresholds;
const sets = await readManifest(ROOT);

describe('quality gate', () => {
  it('has a threshold for every set', () => {
    expect(Object.keys(thresholds.sets).sort()).toEqual(sets.map((s) => s.name).sort());
  });

  for (const set of sets) {
    it(`${set.name}: no figure below what was reached, and not below plain MiniSearch in the top 3`, async () => {
      const corpus = await openEvalCorpus(set.seeds);
      const questions = await readQuestions(set.questions);
      const ours = score(questions, oursAnswerer(corpus.ours));
      const plain = score(questions, plainAnswerer(corpus.plain));
      const want = thresholds.sets[set.name]!;
      expect(ours.total.hit1, 'answered first').toBeGreaterThanOrEqual(want.hit1);
      expect(ours.total.hit3, 'in the top 3').toBeGreaterThanOrEqual(want.hit3);
      expect(ours.total.noAnswerRight, 'no-answers refused').toBeGreaterThanOrEqual(want.noAnswerRight);
      expect(ours.total.hit3, 'top 3 against plain MiniSearch').toBeGreaterThanOrEqual(plain.total.hit3);
      // Every quote is the article's own text, at its offsets.
      for (const q of questions) {
        for (const r of ask(corpus.ours, q.q, { topic: q.topic }).results) {
          const article = corpus.ours.corpus.articles.find((a) => a.file === r.article)!;
          expect(article.text.slice(r.quoteStart, r.quoteEnd)).toBe(r.quote);
        }
      }
    });
  }
});
