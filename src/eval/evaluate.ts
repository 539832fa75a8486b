import { createHash } from 'node:crypto';
import { ask } from '../answer/index.js';
import type { SearchIndex } from '../index/index.js';
import { searchPlain, type PlainIndex } from './baseline.js';
import { NNBSP } from './words.js';

/** One line of an evaluation file (format of shared/eval/README.md). */
export interface EvalQuestion {
  id: string;
  topic: string | null;
  q: string;
  /** The answer is found when a result's quote contains one of these (folded); empty for a no-answer question. */
  any: string[];
  kind: string;
}

export interface EvalMiss {
  id: string;
  kind: string;
  q: string;
  topic: string | null;
  expected: string[];
  /** Rank of the first right quote (1-based), or null. */
  rank: number | null;
  answered: boolean;
  got: string[];
}

/** Counts over a group of questions (a kind, a half, a whole set). */
export interface EvalCounts {
  questions: number;
  answerable: number;
  noAnswer: number;
  hit1: number;
  hit3: number;
  /** Sum of 1/rank of the first right quote. */
  reciprocal: number;
  noAnswerRight: number;
  /** Answers given with a warning (counted as answers). */
  hedged: number;
}

export interface EvalResult {
  questions: number;
  answerable: number;
  noAnswer: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  noAnswerAccuracy: number;
  misses: EvalMiss[];
  total: EvalCounts;
  byKind: Record<string, EvalCounts>;
  byHalf: Record<Half, EvalCounts>;
}

/** What a system answers to one question: whether it answers, and its quotes best first. */
export interface SystemAnswer {
  answered: boolean;
  hedged: boolean;
  quotes: string[];
}

export type Answerer = (q: EvalQuestion) => SystemAnswer;

/** Each set is split in two by question id: rules are tuned on one half and checked on the other. */
export type Half = 'tuning' | 'checking';

/** A question's half follows from its id alone, so adding questions never moves the others. */
export function halfOf(id: string): Half {
  return createHash('sha256').update(id).digest()[0]! % 2 === 0 ? 'tuning' : 'checking';
}

/** Comparison used by the evaluation: lower case, no accents, typographic apostrophes as `'`. */
export function foldForEval(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘ʼ]/g, "'");
}

export function parseEvalFile(text: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: Partial<EvalQuestion>;
    try {
      raw = JSON.parse(line) as Partial<EvalQuestion>;
    } catch {
      throw new Error(`ligne ${i + 1}${NNBSP}: JSON invalide`);
    }
    if (typeof raw.q !== 'string' || !Array.isArray(raw.any))
      throw new Error(`ligne ${i + 1}${NNBSP}: "q" et "any" sont requis`);
    const text = (v: unknown): boolean => v === undefined || typeof v === 'string';
    if (!text(raw.id) || !text(raw.kind) || !(raw.topic === null || text(raw.topic)) || !raw.any.every(text))
      throw new Error(`ligne ${i + 1}${NNBSP}: "id", "topic", "kind" et les réponses de "any" sont des textes`);
    out.push({
      id: raw.id ?? `l${i + 1}`,
      topic: raw.topic ?? null,
      q: raw.q,
      any: raw.any,
      kind: raw.kind ?? (raw.any.length ? 'fact' : 'noanswer'),
    });
  });
  return out;
}

function emptyCounts(): EvalCounts {
  return { questions: 0, answerable: 0, noAnswer: 0, hit1: 0, hit3: 0, reciprocal: 0, noAnswerRight: 0, hedged: 0 };
}

/** Our answers, as the bot gives them. */
export function oursAnswerer(index: SearchIndex, limit = 3): Answerer {
  return (q) => {
    const a = ask(index, q.q, { topic: q.topic, limit });
    return { answered: a.answered, hedged: a.hedged, quotes: a.results.map((r) => r.quote) };
  };
}

/** Plain MiniSearch's answers: its best paragraphs, over every article (it knows no topics). */
export function plainAnswerer(index: PlainIndex, limit = 3): Answerer {
  return (q) => {
    const quotes = searchPlain(index, q.q, limit);
    return { answered: quotes.length > 0, hedged: false, quotes };
  };
}

/** Scores a system on labelled questions: hit@1, hit@3, MRR and no-answer accuracy, per kind and per half. */
export function score(questions: readonly EvalQuestion[], answer: Answerer): EvalResult {
  const total = emptyCounts();
  // Keyed by the file's kinds: no prototype, so that a kind named « __proto__ » or « constructor » is one too.
  const byKind = Object.create(null) as Record<string, EvalCounts>;
  const byHalf: Record<Half, EvalCounts> = { tuning: emptyCounts(), checking: emptyCounts() };
  const misses: EvalMiss[] = [];
  for (const q of questions) {
    const a = answer(q);
    const groups = [total, (byKind[q.kind] ??= emptyCounts()), byHalf[halfOf(q.id)]];
    const add = (f: (c: EvalCounts) => void): void => groups.forEach(f);
    add((c) => c.questions++);
    if (a.answered && a.hedged) add((c) => c.hedged++);
    if (q.any.length === 0) {
      add((c) => c.noAnswer++);
      if (!a.answered) add((c) => c.noAnswerRight++);
      else
        misses.push({
          id: q.id,
          kind: q.kind,
          q: q.q,
          topic: q.topic,
          expected: [],
          rank: null,
          answered: true,
          got: a.quotes,
        });
      continue;
    }
    add((c) => c.answerable++);
    const wanted = q.any.map(foldForEval);
    const at = a.answered ? a.quotes.findIndex((quote) => wanted.some((w) => foldForEval(quote).includes(w))) : -1;
    const rank = at === -1 ? null : at + 1;
    if (rank === 1) add((c) => c.hit1++);
    if (rank !== null && rank <= 3) add((c) => c.hit3++);
    if (rank !== null) add((c) => (c.reciprocal += 1 / rank));
    if (rank !== 1)
      misses.push({
        id: q.id,
        kind: q.kind,
        q: q.q,
        topic: q.topic,
        expected: q.any,
        rank,
        answered: a.answered,
        got: a.quotes,
      });
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);
  return {
    questions: total.questions,
    answerable: total.answerable,
    noAnswer: total.noAnswer,
    hitAt1: ratio(total.hit1, total.answerable),
    hitAt3: ratio(total.hit3, total.answerable),
    mrr: ratio(total.reciprocal, total.answerable),
    noAnswerAccuracy: ratio(total.noAnswerRight, total.noAnswer),
    misses,
    total,
    byKind,
    byHalf,
  };
}

/** Our system on labelled questions (the figures the quality gate keeps). */
export function evaluate(index: SearchIndex, questions: readonly EvalQuestion[], limit = 3): EvalResult {
  return score(questions, oursAnswerer(index, limit));
}
