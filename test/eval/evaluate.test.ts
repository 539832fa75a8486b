import { describe, expect, it } from 'vitest';
import {
  buildPlain,
  halfOf,
  paragraphsOf,
  parsePlain,
  plainAnswerer,
  score,
  type Answerer,
  type EvalQuestion,
} from '../../src/eval/index.js';
import { formatSetReport } from '../../src/eval/index.js';

const q = (id: string, kind: string, any: string[]): EvalQuestion => ({ id, topic: null, q: id, any, kind });

describe('evaluation', () => {
  it('counts hit@1, hit@3, MRR and no-answers per kind and per half', () => {
    const questions = [
      q('a', 'fact', ['rouge']),
      q('b', 'fact', ['vert']),
      q('c', 'typo', ['bleu']),
      q('d', 'noanswer', []),
      q('e', 'noanswer', []),
    ];
    const answers: Record<string, string[]> = {
      a: ['le ciel est Rouge'],
      b: ['rien', 'autre', 'c’est vert'],
      c: ['non'],
      d: [],
      e: ['une réponse'],
    };
    const answerer: Answerer = (x) => ({
      answered: answers[x.id]!.length > 0,
      hedged: x.id === 'b',
      quotes: answers[x.id]!,
    });
    const r = score(questions, answerer);
    expect(r.total).toMatchObject({
      questions: 5,
      answerable: 3,
      noAnswer: 2,
      hit1: 1,
      hit3: 2,
      noAnswerRight: 1,
      hedged: 1,
    });
    expect(r.total.reciprocal).toBeCloseTo(1 + 1 / 3);
    expect(r.byKind['fact']).toMatchObject({ answerable: 2, hit1: 1, hit3: 2 });
    expect(r.byKind['typo']).toMatchObject({ answerable: 1, hit1: 0, hit3: 0 });
    expect(r.byKind['noanswer']).toMatchObject({ noAnswer: 2, noAnswerRight: 1 });
    expect(r.byHalf.tuning.questions + r.byHalf.checking.questions).toBe(5);
    expect(r.misses.map((m) => m.id).sort()).toEqual(['b', 'c', 'e']);
    // A quote found by a system that says it does not answer is no hit.
    expect(
      score([q('a', 'fact', ['rouge'])], () => ({ answered: false, hedged: false, quotes: ['rouge'] })).total.hit1,
    ).toBe(0);
  });

  it('splits questions into halves by id alone, about evenly', () => {
    expect(halfOf('d001')).toBe(halfOf('d001'));
    const halves = Array.from({ length: 400 }, (_, i) => halfOf(`q${i}`));
    const tuning = halves.filter((h) => h === 'tuning').length;
    expect(tuning).toBeGreaterThan(150);
    expect(tuning).toBeLessThan(250);
  });

  it('runs plain MiniSearch with default options over blank-line paragraphs', () => {
    const text = ' title Un titre\n source X\n\nLe chat mange la souris.\n\nLe chien dort au soleil.\n';
    expect(paragraphsOf(text)).toEqual([
      ' title Un titre\n source X'.trim(),
      'Le chat mange la souris.',
      'Le chien dort au soleil.',
    ]);
    const data = parsePlain([{ file: 'a.txt', text }]);
    const plain = plainAnswerer({ mini: buildPlain(data), data });
    expect(plain(q('chien', 'fact', ['dort'])).quotes[0]).toBe('Le chien dort au soleil.');
    // Plain MiniSearch is exact: no stemming, no accents folded, always answers when a word is shared.
    expect(plain(q('chiens', 'fact', ['dort'])).answered).toBe(false);
    expect(plain(q('le', 'noanswer', [])).answered).toBe(true);
  });

  it('prints French figures, ours beside plain MiniSearch’s', () => {
    const questions = [q('a', 'fact', ['rouge']), q('b', 'noanswer', [])];
    const ours = score(questions, (x) => ({
      answered: x.id === 'a',
      hedged: false,
      quotes: x.id === 'a' ? ['rouge'] : [],
    }));
    const plain = score(questions, () => ({ answered: true, hedged: false, quotes: ['bleu'] }));
    const text = formatSetReport('essai', ours, plain, false);
    expect(text).toMatch(/hit@1 100,0\u00a0%/u);
    expect(text).toMatch(/MiniSearch simple.*hit@1 0,0\u00a0%/u);
    expect(text).toMatch(/^fact .*1\/1.*│.*0\/1/mu);
    expect(text).toContain('2 questions (1 avec réponse, 1 sans réponse), 0 réponse prudente');
    expect(text).toMatch(/^nous\u202f: hit@1/mu);
    expect(text).toMatch(/^moitié réglage /mu);
    expect(text).toMatch(/^moitié contrôle /mu);
    // Comma decimals in MRR, and one hedged answer is singular.
    const hedged = score(questions, () => ({ answered: true, hedged: true, quotes: ['rouge'] }));
    expect(formatSetReport('essai', hedged, null, false)).toMatch(/^total +2 +1\/1 +1\/1 +1,000 +0\/1 +2 │$/mu);
    expect(
      formatSetReport(
        'essai',
        score([questions[0]!], () => ({ answered: true, hedged: true, quotes: ['rouge'] })),
        null,
        false,
      ),
    ).toContain('1 réponse prudente (comptée comme réponse)');
  });
});
