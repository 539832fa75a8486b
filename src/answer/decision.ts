import { readFileSync } from 'node:fs';

/**
 * The answer decision: a small logistic model over signals of the best candidate, giving the probability that its
 * quote answers the question. Above `answerAt` the bot answers; between `hedgeAt` and `answerAt` it answers with a
 * warning (a hedged answer); below, it says no passage answers. The parameters live in `decision-params.json`,
 * fitted by `scripts/fit-decision.ts` on labelled questions.
 */

/** Signals of one candidate, each about 0–1. */
export interface DecisionFeatures {
  /** Weighted share of the question's words found in the quote (fully) or near it (partly). */
  coverage: number;
  /** Weighted share found in the quote itself. */
  quoteCoverage: number;
  /** The quote holds the kind of answer asked for (1 when the question asks for none). */
  meetsCue: number;
  /** How far ahead of the next passage this one is (0: tied, 1: alone). */
  margin: number;
  /** Weighted share of the question's words that no article uses. */
  unknownShare: number;
  /** Weighted share of the question's words that other articles use but this one does not. */
  absentShare: number;
  /** IDF of the rarest word the quote holds, relative to a word found nowhere. */
  rarest: number;
}

export const FEATURE_NAMES = [
  'coverage',
  'quoteCoverage',
  'meetsCue',
  'margin',
  'unknownShare',
  'absentShare',
  'rarest',
] as const satisfies readonly (keyof DecisionFeatures)[];

export interface DecisionParams {
  bias: number;
  weights: Record<keyof DecisionFeatures, number>;
  answerAt: number;
  hedgeAt: number;
}

export type Decision = 'answer' | 'hedged' | 'none';

export function parseDecisionParams(raw: unknown): DecisionParams {
  const r = raw as Partial<DecisionParams> | null;
  const num = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`decision-params: ${what} must be a number`);
    return v;
  };
  if (typeof r !== 'object' || r === null || typeof r.weights !== 'object' || r.weights === null)
    throw new Error('decision-params: an object with weights is expected');
  const weights = Object.fromEntries(
    FEATURE_NAMES.map((f) => [f, num((r.weights as Record<string, unknown>)[f], `weights.${f}`)]),
  ) as Record<keyof DecisionFeatures, number>;
  const params = {
    bias: num(r.bias, 'bias'),
    weights,
    answerAt: num(r.answerAt, 'answerAt'),
    hedgeAt: num(r.hedgeAt, 'hedgeAt'),
  };
  if (!(params.hedgeAt <= params.answerAt)) throw new Error('decision-params: hedgeAt must not exceed answerAt');
  return params;
}

export const DECISION_PARAMS: DecisionParams = parseDecisionParams(
  JSON.parse(readFileSync(new URL('./decision-params.json', import.meta.url), 'utf8')),
);

export function answerProbability(f: DecisionFeatures, params: DecisionParams = DECISION_PARAMS): number {
  let z = params.bias;
  for (const name of FEATURE_NAMES) z += params.weights[name] * f[name];
  return 1 / (1 + Math.exp(-z));
}

export function decide(probability: number, params: DecisionParams = DECISION_PARAMS): Decision {
  if (probability >= params.answerAt) return 'answer';
  return probability >= params.hedgeAt ? 'hedged' : 'none';
}
