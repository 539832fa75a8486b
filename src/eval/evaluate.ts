import { ask } from '../answer/index.js';
import type { SearchIndex } from '../search/search-index.js';

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

export interface EvalResult {
  questions: number;
  answerable: number;
  noAnswer: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  noAnswerAccuracy: number;
  misses: EvalMiss[];
}

/** Comparison used by the evaluation: lower case, no accents, typographic apostrophes as `'`. */
export function foldForEval(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’‘ʼ]/g, "'");
}

export function parseEvalFile(text: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: Partial<EvalQuestion>;
    try {
      raw = JSON.parse(line) as Partial<EvalQuestion>;
    } catch {
      throw new Error(`ligne ${i + 1} : JSON invalide`);
    }
    if (typeof raw.q !== 'string' || !Array.isArray(raw.any)) throw new Error(`ligne ${i + 1} : "q" et "any" sont requis`);
    out.push({ id: raw.id ?? `l${i + 1}`, topic: raw.topic ?? null, q: raw.q, any: raw.any, kind: raw.kind ?? (raw.any.length ? 'fact' : 'noanswer') });
  });
  return out;
}

export function evaluate(index: SearchIndex, questions: readonly EvalQuestion[], limit = 3): EvalResult {
  let answerable = 0;
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  let noAnswer = 0;
  let noAnswerRight = 0;
  const misses: EvalMiss[] = [];
  for (const q of questions) {
    const answer = ask(index, q.q, { topic: q.topic, limit });
    const got = answer.results.map((r) => r.quote);
    if (q.any.length === 0) {
      noAnswer++;
      if (!answer.answered) noAnswerRight++;
      else misses.push({ id: q.id, kind: q.kind, q: q.q, topic: q.topic, expected: [], rank: null, answered: true, got });
      continue;
    }
    answerable++;
    const wanted = q.any.map(foldForEval);
    const at = got.findIndex((quote) => wanted.some((w) => foldForEval(quote).includes(w)));
    const rank = at === -1 ? null : at + 1;
    if (rank === 1) hit1++;
    if (rank !== null && rank <= 3) hit3++;
    if (rank !== null) rr += 1 / rank;
    if (rank !== 1) misses.push({ id: q.id, kind: q.kind, q: q.q, topic: q.topic, expected: q.any, rank, answered: answer.answered, got });
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);
  return {
    questions: questions.length,
    answerable,
    noAnswer,
    hitAt1: ratio(hit1, answerable),
    hitAt3: ratio(hit3, answerable),
    mrr: ratio(rr, answerable),
    noAnswerAccuracy: ratio(noAnswerRight, noAnswer),
    misses,
  };
}

export function formatEvaluation(r: EvalResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const lines: string[] = [];
  for (const m of r.misses) {
    const where = m.expected.length === 0 ? 'aurait dû répondre « pas de réponse »' : m.rank === null ? (m.answered ? 'bonne réponse absente des résultats' : 'aucune réponse donnée') : `bonne réponse au rang ${m.rank}`;
    lines.push(`✗ ${m.id} [${m.kind}] ${m.topic ? `/${m.topic} ` : ''}${m.q} — ${where}`);
    if (m.expected.length) lines.push(`    attendu : ${m.expected.join(' | ')}`);
    if (m.got[0]) lines.push(`    obtenu  : ${m.got[0].slice(0, 160)}`);
  }
  lines.push(
    `${r.questions} questions (${r.answerable} avec réponse, ${r.noAnswer} sans réponse)`,
    `hit@1 ${pct(r.hitAt1)}   hit@3 ${pct(r.hitAt3)}   MRR ${r.mrr.toFixed(3)}   sans-réponse ${pct(r.noAnswerAccuracy)}`,
  );
  return lines.join('\n');
}
