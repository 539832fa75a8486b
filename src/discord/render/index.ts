/**
 * Discord rendering: answers, paragraphs, /sources pages and /reindex reports as message bodies that fit Discord's
 * limits and ping no one; article and user text made inert (escaping).
 */
export { LIMITS, body, type MessageBody } from './message.js';
export { breakMentions, escapeForDiscord, shorten } from './escape.js';
export {
  readAnswer,
  renderAnswer,
  renderCooldown,
  renderParagraph,
  type AnswerLayout,
  type AnswerView,
  type ParagraphSource,
} from './answers.js';
export { renderAddReport, type AddedSeed } from './add.js';
export { commandsUpdateLine } from './registration.js';
export { renderHelp, renderTopics, type TopicCount } from './help.js';
export { renderSources, SOURCES_PER_PAGE } from './sources.js';
export { renderRebuildProgress, renderReindexReport, shardReloadLine } from './reports.js';
export { renderStats } from './stats.js';
