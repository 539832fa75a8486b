/**
 * Fits the answer decision (src/answer/decision-params.json) on labelled questions: a logistic regression over the
 * signals of each question's best candidate, labelled 1 when its quote holds the expected answer and 0 otherwise
 * (every no-answer question is a 0). Then picks the two thresholds: `hedgeAt`, below which the bot says no passage
 * answers, maximising answered-and-right-in-the-top-3 plus rightly-refused; `answerAt`, above which it answers
 * without a warning, the lowest probability whose answers are right at least 4 times in 5.
 *
 * Only the tuning half of each set of test/fixtures/eval/sets.json is used (a question's half follows from its id); the
 * checking half is what `npm run eval` reports apart, to see whether the fit holds on questions it never saw.
 *
 *   npm run fit-decision            # prints the fit and the figures on both halves
 *   npm run fit-decision -- --write # also writes src/answer/decision-params.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  answerProbability,
  FEATURE_NAMES,
  rank,
  ruledOut,
  type DecisionFeatures,
  type DecisionParams,
} from '../src/answer/index.js';
import {
  foldForEval,
  halfOf,
  openEvalCorpus,
  readManifest,
  readQuestions,
  type EvalQuestion,
} from '../src/eval/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PARAMS_FILE = path.join(ROOT, 'src', 'answer', 'decision-params.json');
/** L2 penalty and gradient steps: few features, few hundred questions. */
const L2 = 0.01;
const STEPS = 4000;
const RATE = 0.5;
/** Share of unwarned answers that must be right. */
const ANSWER_PRECISION = 0.8;

interface Sample {
  set: string;
  half: 'tuning' | 'checking';
  features: DecisionFeatures;
  /** The first quote holds the answer. */
  right1: boolean;
  /** One of the first three does. */
  right3: boolean;
  noAnswer: boolean;
  /** Refused by the rules that decide before the model (`ruledOut`). */
  ruled: boolean;
}

function holds(quote: string, q: EvalQuestion): boolean {
  const folded = foldForEval(quote);
  return q.any.some((w) => folded.includes(foldForEval(w)));
}

async function collect(): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const set of await readManifest(ROOT)) {
    const index = (await openEvalCorpus(set.seeds)).ours;
    const questions = await readQuestions(set.questions);
    for (const q of questions) {
      const r = rank(index, q.q, q.topic);
      const top = r.candidates[0];
      if (!top) {
        samples.push({
          set: set.name,
          half: halfOf(q.id),
          features: zero(),
          right1: false,
          right3: false,
          noAnswer: q.any.length === 0,
          ruled: true,
        });
        continue;
      }
      const text = (c: (typeof r.candidates)[number]): string =>
        index.corpus.articles[c.passage.article]!.text.slice(c.quote.start, c.quote.end);
      const shown = r.candidates.slice(0, 3);
      samples.push({
        set: set.name,
        half: halfOf(q.id),
        features: top.features,
        right1: q.any.length > 0 && holds(text(top), q),
        right3: q.any.length > 0 && shown.some((c) => holds(text(c), q)),
        noAnswer: q.any.length === 0,
        ruled: ruledOut(r),
      });
    }
  }
  return samples;
}

function zero(): DecisionFeatures {
  return Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0])) as unknown as DecisionFeatures;
}

/** Plain batch gradient descent on the log loss: deterministic, and enough for seven features. */
function fitLogistic(samples: readonly Sample[]): { bias: number; weights: Record<keyof DecisionFeatures, number> } {
  let bias = 0;
  const w = FEATURE_NAMES.map(() => 0);
  for (let step = 0; step < STEPS; step++) {
    let gb = 0;
    const gw = w.map(() => 0);
    for (const s of samples) {
      const x = FEATURE_NAMES.map((f) => s.features[f]);
      const z = bias + x.reduce((a, v, i) => a + v * w[i]!, 0);
      const err = 1 / (1 + Math.exp(-z)) - (s.right1 ? 1 : 0);
      gb += err;
      x.forEach((v, i) => {
        gw[i]! += err * v;
      });
    }
    bias -= (RATE * gb) / samples.length;
    w.forEach((_, i) => {
      w[i]! -= RATE * (gw[i]! / samples.length + L2 * w[i]!);
    });
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    bias: round(bias),
    weights: Object.fromEntries(FEATURE_NAMES.map((f, i) => [f, round(w[i]!)])) as Record<
      keyof DecisionFeatures,
      number
    >,
  };
}

function chooseThresholds(samples: readonly Sample[], p: (s: Sample) => number): { hedgeAt: number; answerAt: number } {
  const probs = [...new Set(samples.map(p))].sort((a, b) => a - b);
  let hedgeAt = 0;
  let best = -1;
  for (const t of [0, ...probs]) {
    const gain = samples.reduce((a, s) => a + (s.noAnswer ? (p(s) < t ? 1 : 0) : p(s) >= t && s.right3 ? 1 : 0), 0);
    if (gain > best) {
      best = gain;
      hedgeAt = t;
    }
  }
  let answerAt = 1;
  for (const t of probs.filter((x) => x >= hedgeAt)) {
    const answered = samples.filter((s) => p(s) >= t);
    if (answered.length > 0 && answered.filter((s) => s.right1).length / answered.length >= ANSWER_PRECISION) {
      answerAt = t;
      break;
    }
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  // Midway to the next probability below, so a question scoring exactly the threshold is not on a knife's edge.
  const below = (t: number): number => probs.filter((x) => x < t).pop() ?? t;
  return {
    hedgeAt: round((hedgeAt + below(hedgeAt)) / 2),
    answerAt: round(Math.max(hedgeAt, (answerAt + below(answerAt)) / 2)),
  };
}

function report(label: string, samples: readonly Sample[], params: DecisionParams): string {
  const p = (s: Sample): number => (s.ruled ? -1 : answerProbability(s.features, params));
  const answerable = samples.filter((s) => !s.noAnswer);
  const refused = samples.filter((s) => s.noAnswer);
  const hit1 = answerable.filter((s) => s.right1 && p(s) >= params.hedgeAt).length;
  const hit3 = answerable.filter((s) => s.right3 && p(s) >= params.hedgeAt).length;
  const na = refused.filter((s) => p(s) < params.hedgeAt).length;
  return (
    `${label.padEnd(22)} premier ${hit1}/${answerable.length}  trois premiers ${hit3}/${answerable.length}  ` +
    `sans réponse ${na}/${refused.length}`
  );
}

const { values } = parseArgs({ options: { write: { type: 'boolean' } } });
const samples = await collect();
// Questions refused by the missing-name rule are not the model's to decide.
const tuning = samples.filter((s) => s.half === 'tuning' && !s.ruled);
const { bias, weights } = fitLogistic(tuning);
const provisional: DecisionParams = { bias, weights, hedgeAt: 0, answerAt: 0 };
const thresholds = chooseThresholds(tuning, (s) => answerProbability(s.features, provisional));
const params: DecisionParams = { bias, weights, ...thresholds };
console.log(JSON.stringify(params, null, 2));
for (const half of ['tuning', 'checking'] as const) {
  for (const set of [...new Set(samples.map((s) => s.set))])
    console.log(
      report(
        `${set} (${half === 'tuning' ? 'réglage' : 'contrôle'})`,
        samples.filter((s) => s.set === set && s.half === half),
        params,
      ),
    );
}
if (values.write) {
  const current = JSON.parse(readFileSync(PARAMS_FILE, 'utf8')) as { _comment?: string };
  writeFileSync(PARAMS_FILE, `${JSON.stringify({ _comment: current._comment, ...params }, null, 2)}\n`);
  console.log(`écrit : ${path.relative(ROOT, PARAMS_FILE)}`);
}
