/** French wording shared by the terminal and Discord renderers. */
export { articlesCount, attributionParts, formatDateFr, guillemets, NBSP, NNBSP, noAnswerText } from './french-format.js';
export { markSpans, renderAnswerText } from './render-text.js';
