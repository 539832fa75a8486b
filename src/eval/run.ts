import path from 'node:path';
import { score, oursAnswerer, plainAnswerer, type EvalResult } from './evaluate.js';
import { formatSetReport } from './format.js';
import { openEvalCorpus, readManifest, readQuestions, type EvalCorpus, type EvalSet } from './sets.js';
import { EvalUsageError, NNBSP, quoted } from './words.js';

export interface EvalRunOptions {
  /** The repository: the manifest and its relative paths are read from here. */
  root: string;
  /** Question files given on the command line; when there are any, the manifest is not read. */
  files: string[];
  /**
   * Seeds folders for `files`: one for every file, or one for each file in order. Must be given (the caller
   * supplies the default folder) when there are files.
   */
  seeds: string[];
  /** Sets of the manifest to run (all of them when neither files nor sets are given). */
  sets: string[];
}

export interface SetOutcome {
  name: string;
  /** Questions file and seeds folders, absolute. */
  questions: string;
  seeds: string[];
  ours: EvalResult;
  plain: EvalResult;
}

/** Which sets a run asks for: files with their seeds folders, or sets of the manifest by name. */
export async function selectSets(options: EvalRunOptions): Promise<EvalSet[]> {
  if (options.files.length > 0) {
    if (options.sets.length > 0)
      throw new EvalUsageError('donner soit des fichiers de questions, soit --set, pas les deux');
    const { seeds } = options;
    if (seeds.length !== 1 && seeds.length !== options.files.length) {
      throw new EvalUsageError(
        `${options.files.length} fichiers de questions et ${seeds.length} dossiers ` +
          `--seeds${NNBSP}: un seul dossier pour tous, ou un par fichier, dans l’ordre`,
      );
    }
    return options.files.map((f, i) => ({
      name: f,
      questions: path.resolve(f),
      seeds: [path.resolve(seeds[seeds.length === 1 ? 0 : i]!)],
    }));
  }
  const all = await readManifest(options.root);
  const unknown = options.sets.filter((s) => !all.some((a) => a.name === s));
  if (unknown.length > 0) {
    throw new EvalUsageError(
      `ensemble inconnu ${unknown.map(quoted).join(', ')} (ensembles${NNBSP}: ${all.map((a) => a.name).join(', ')})`,
    );
  }
  return options.sets.length > 0 ? all.filter((a) => options.sets.includes(a.name)) : all;
}

/**
 * Runs each set for both systems on the same corpus: ours as the bot answers, plain MiniSearch beside it. Sets over
 * the same folders share one corpus. File access is here; scoring (evaluate.ts) and the baseline are pure.
 */
export async function runEvaluation(options: EvalRunOptions): Promise<SetOutcome[]> {
  const sets = await selectSets(options);
  const outcomes: SetOutcome[] = [];
  const corpora = new Map<string, EvalCorpus>();
  for (const set of sets) {
    const key = set.seeds.join('\n');
    let corpus = corpora.get(key);
    if (!corpus) corpora.set(key, (corpus = await openEvalCorpus(set.seeds)));
    const questions = await readQuestions(set.questions);
    outcomes.push({
      name: set.name,
      questions: set.questions,
      seeds: set.seeds,
      ours: score(questions, oursAnswerer(corpus.ours)),
      plain: score(questions, plainAnswerer(corpus.plain)),
    });
  }
  return outcomes;
}

export { EvalUsageError };

export function formatOutcomes(outcomes: readonly SetOutcome[], misses: boolean): string {
  return outcomes.map((o) => formatSetReport(o.name, o.ours, o.plain, misses)).join('\n\n');
}
