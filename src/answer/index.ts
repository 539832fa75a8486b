/** Answering a question from the index: candidates, the sentence to quote, and the answer decision. */
export { ask, cutQuestion, ARTICLE_HASH_CHARS, MAX_QUESTION_CHARS, type AskOptions } from './ask.js';
export { cutAroundHighlights, MAX_QUOTE_CHARS, type Cut } from './snippet.js';
export type { Answer, AnswerResult } from './types.js';
