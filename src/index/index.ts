/** Corpus → search index: the build (threads optional), the snapshot format and its store, opening at start-up. */
export {
  buildFromListing,
  buildFromReads,
  savingProgress,
  tellProgress,
  type BuildOptions,
  type BuiltIndex,
  type RebuildProgress,
} from './build.js';
export {
  buildSearchIndex,
  openIndex,
  rebuildIndex,
  seedsChangedSince,
  summarize,
  type ArticleSummary,
  type IndexReport,
  type OpenIndexOptions,
} from './open.js';
export { fingerprintOf, readSeedFolder, readSeedListing, type SeedFolder } from './seed-folder.js';
export { MINISEARCH_OPTIONS, PassageMiniSearch, type PassageDoc } from './passage-minisearch.js';
export { CHAMPIONS_PER_TERM, FREQUENT_TERM_PASSAGES, type SearchIndex } from './search-index.js';
export {
  gatherChunks,
  packTexts,
  parseSnapshot,
  parseSnapshotInSlices,
  serializeSnapshot,
  snapshotChunks,
  SNAPSHOT_FORMAT,
  type SnapshotLoad,
} from './snapshot-format.js';
export { fingerprintSeeds, SEED_HASHES_FILE, type SeedFingerprint } from './fingerprint.js';
export {
  peekSnapshotGeneration,
  readSnapshot,
  readSnapshotInSlices,
  SNAPSHOT_FILE,
  writeSnapshot,
} from './snapshot-store.js';
