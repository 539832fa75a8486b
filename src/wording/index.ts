/** French wording shared by the terminal and Discord renderers. */
export {
  attributionParts,
  emptyQuestionText,
  formatDateFr,
  frenchSpacing,
  guillemets,
  hedgedText,
  NBSP,
  NNBSP,
  noAnswerText,
  questionCutText,
} from './french-format.js';
export { agree, count, formatNumber } from './numbers.js';
export { markSpans, renderAnswerText } from './render-text.js';
