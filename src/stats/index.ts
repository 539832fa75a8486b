/**
 * Statistics for /stats: questions (text, topic, outcome, quoted article; never who asked) and votes (one per
 * member and answer, the member as a salted hash), in an SQLite database under DATA_DIR, purged after the
 * retention (STATS_RETENTION_DAYS).
 */
export { openStats, STATS_FILE } from './store.js';
export { cleanQuestion, questionKey, QUESTION_MAX } from './normalize.js';
export { SCHEMA_VERSION } from './schema.js';
export type {
  PeriodStats,
  QuestionOutcome,
  QuestionRecord,
  QuotedArticle,
  QuotedCount,
  StatsOptions,
  StatsStore,
  StatsSummary,
  UnansweredQuestion,
  Vote,
  VoteRecord,
  VoteResult,
} from './types.js';
