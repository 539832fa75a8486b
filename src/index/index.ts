/** Corpus → search index: the build (threads optional), the snapshot format and its store, opening at start-up. */
export { buildIndex, buildSearchIndex, type BuiltIndex } from './build.js';
export { buildIndexFromListing } from './parallel-build.js';
export { openIndex, rebuildIndex, summarize, type ArticleSummary, type IndexReport, type OpenIndexOptions } from './open.js';
export { CHAMPIONS_PER_TERM, FREQUENT_TERM_PASSAGES, MINISEARCH_OPTIONS, type SearchIndex } from './search-index.js';
export {
  fingerprintSeeds, parseSnapshot, parseSnapshotInSlices, peekSnapshotFingerprint, readSnapshot, readSnapshotInSlices,
  serializeSnapshot, SNAPSHOT_FILE, SNAPSHOT_FORMAT, writeSnapshot, type SnapshotLoad, type TermLoading,
} from './snapshot.js';
