/** Evaluation of answers against labelled questions, beside plain MiniSearch's on the same questions. */
export { buildPlain, paragraphsOf, parsePlain, searchPlain, type PlainDoc, type PlainIndex, type PlainParagraphs } from './baseline.js';
export {
  evaluate, foldForEval, halfOf, oursAnswerer, parseEvalFile, plainAnswerer, score,
  type Answerer, type EvalCounts, type EvalMiss, type EvalQuestion, type EvalResult, type Half, type SystemAnswer,
} from './evaluate.js';
export { formatEvaluation, formatMisses, formatSetReport, summaryLine } from './format.js';
export { MANIFEST, openEvalCorpus, readManifest, readQuestions, type EvalCorpus, type EvalSet } from './sets.js';
export { EvalUsageError, formatOutcomes, runEvaluation, selectSets, type EvalRunOptions, type SetOutcome } from './run.js';
