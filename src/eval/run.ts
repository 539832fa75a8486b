import path from 'node:path';
import { score, oursAnswerer, plainAnswerer, type EvalResult } from './evaluate.js';
import { formatSetReport } from './format.js';
import { openEvalCorpus, readManifest, readQuestions, type EvalSet } from './sets.js';

export interface EvalRunOptions {
  root: string;
  /** Question files given on the command line, asked over `seeds`. */
  files: string[];
  seeds: string;
  /** Sets of the manifest to run (all of them when neither files nor sets are given). */
  sets: string[];
  misses: boolean;
}

export interface SetOutcome {
  name: string;
  ours: EvalResult;
  plain: EvalResult;
}

/** Runs each set for both systems on the same corpus: ours as the bot answers, plain MiniSearch beside it. */
export async function runEvaluation(options: EvalRunOptions): Promise<SetOutcome[]> {
  let sets: EvalSet[];
  if (options.files.length > 0) {
    sets = options.files.map((f) => ({ name: path.basename(f), questions: path.resolve(f), seeds: [options.seeds] }));
  } else {
    const all = await readManifest(options.root);
    const unknown = options.sets.filter((s) => !all.some((a) => a.name === s));
    if (unknown.length > 0) throw new EvalUsageError(`ensemble inconnu « ${unknown.join(', ')} » (ensembles : ${all.map((a) => a.name).join(', ')})`);
    sets = options.sets.length > 0 ? all.filter((a) => options.sets.includes(a.name)) : all;
  }
  const outcomes: SetOutcome[] = [];
  const corpora = new Map<string, Awaited<ReturnType<typeof openEvalCorpus>>>();
  for (const set of sets) {
    const key = set.seeds.join('\n');
    let corpus = corpora.get(key);
    if (!corpus) corpora.set(key, (corpus = await openEvalCorpus(set.seeds)));
    const questions = await readQuestions(set.questions);
    outcomes.push({ name: set.name, ours: score(questions, oursAnswerer(corpus.ours)), plain: score(questions, plainAnswerer(corpus.plain)) });
  }
  return outcomes;
}

export class EvalUsageError extends Error {}

export function formatOutcomes(outcomes: readonly SetOutcome[], misses: boolean): string {
  return outcomes.map((o) => formatSetReport(o.name, o.ours, o.plain, misses)).join('\n\n');
}
