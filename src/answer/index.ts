/** Answering a question from the index: candidates, the sentence to quote, and the answer decision. */
export { ask, cutQuestion, rank, ruledOut, ARTICLE_HASH_CHARS, MAX_QUESTION_CHARS, type AskOptions, type Candidate, type Ranking } from './ask.js';
export { cutAroundHighlights, MAX_QUOTE_CHARS, type Cut } from './snippet.js';
export type { Answer, AnswerResult } from './types.js';
export { answerProbability, decide, DECISION_PARAMS, FEATURE_NAMES, parseDecisionParams, type Decision, type DecisionFeatures, type DecisionParams } from './decision.js';
