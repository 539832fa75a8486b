/** Seed files → articles, passages and sentences; the topics an article belongs to. */
export {
  buildCorpus,
  CorpusBuilder,
  listSeeds,
  loadCorpus,
  MAX_SEED_BYTES,
  readListedSeeds,
  readListedSeedsSync,
  readSeedFiles,
  readTopics,
  SEED_READ_DEADLINE_MS,
  type FileStamp,
  type SeedEntry,
  type SeedListing,
  type SeedRead,
  type TopicsRead,
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
export {
  checkTopics,
  findTopic,
  MAX_TOPICS,
  parseTopics,
  RESERVED_COMMAND_NAMES,
  sameTopics,
  TOPICS_FILE,
  TOPICS_FILE_ERROR,
  type TopicDefinition,
  TopicsFileError,
  topicsOf,
} from './topics.js';
export type { Article, Corpus, Passage, PassageKind, Rejection, Span } from './types.js';
