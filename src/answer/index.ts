/** Answering a question from the index: candidates, the sentence to quote, and the answer decision. */
export { ask, cutQuestion, rank, ruledOut, MAX_QUESTION_CHARS } from './ask.js';
export { prepareCandidates } from './candidates.js';
export { cutAroundHighlights } from './snippet.js';
export type { Answer, AnswerResult, WorkMeter } from './types.js';
export { answerProbability, FEATURE_NAMES, type DecisionFeatures, type DecisionParams } from './decision.js';
