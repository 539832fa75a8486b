import type { Answer, AnswerResult } from '../src/answer/index.js';

/** A made-up result for renderer tests: one price quote with one highlight. */
export function result(overrides: Partial<AnswerResult> = {}): AnswerResult {
  return {
    article: 'a.txt',
    articleHash: 'abcdef012345',
    title: 'Titre',
    source: 'Presse-citron',
    date: '2021-01',
    url: null,
    paragraph: 2,
    kind: 'article',
    quote: 'Le prix est de 149 euros.',
    quoteStart: 0,
    quoteEnd: 25,
    cutBefore: false,
    cutAfter: false,
    highlights: [{ start: 3, end: 7 }],
    score: 1,
    passage: 0,
    ...overrides,
  };
}

/** A made-up answer around `results` (answered when there are some). */
export function answer(results: AnswerResult[], overrides: Partial<Answer> = {}): Answer {
  return {
    question: 'Quel prix ?',
    topic: 'djingo',
    exampleQuestion: null,
    language: 'fra',
    answered: results.length > 0,
    hedged: false,
    confidence: results.length > 0 ? 0.9 : 0,
    emptyQuestion: false,
    questionCut: false,
    results,
    unmatched: [],
    articlesSearched: 2,
    alsoAnsweredIn: [],
    ...overrides,
  };
}
