/** Evaluation of answers against labelled questions. */
export { evaluate, foldForEval, formatEvaluation, parseEvalFile, type EvalMiss, type EvalQuestion, type EvalResult } from './evaluate.js';
