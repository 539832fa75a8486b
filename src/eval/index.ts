/** Evaluation of answers against labelled questions, beside plain MiniSearch's on the same questions. */
export {
  buildPlain,
  paragraphsOf,
  parsePlain,
  type PlainDoc,
  type PlainIndex,
  type PlainParagraphs,
} from './baseline.js';
export {
  evaluate,
  foldForEval,
  halfOf,
  oursAnswerer,
  parseEvalFile,
  plainAnswerer,
  score,
  type Answerer,
  type EvalQuestion,
  type EvalResult,
} from './evaluate.js';
export { formatSetReport } from './format.js';
export { openEvalCorpus, readManifest, readQuestions } from './sets.js';
export { EvalUsageError, formatOutcomes, runEvaluation, selectSets } from './run.js';
