/** Seed files → articles, passages and sentences; the topics an article belongs to. */
export {
  buildCorpus,
  CorpusBuilder,
  listSeeds,
  loadCorpus,
  MAX_SEED_BYTES,
  readListedSeeds,
  readSeedFiles,
  SEED_READ_DEADLINE_MS,
  type SeedEntry,
  type SeedListing,
  type SeedRead,
} from './load-seeds.js';
export {
  MAX_PASSAGE_CHARS,
  MAX_TITLE_CHARS,
  normalizeForFingerprint,
  parseSeed,
  type ParsedPassage,
  type ParsedSeed,
} from './parse-article.js';
export { splitSentences, trimSpan } from './sentences.js';
export { findTopic, TOPICS, topicsOf, type TopicDefinition } from './topics.js';
export type { Article, Corpus, Passage, PassageKind, Rejection, Span } from './types.js';
