/** The live index: the holder that serves questions while a reindex runs in a worker thread, and its report. */
export { IndexHolder, type ReindexOutcome, type ReindexReport } from './index-holder.js';
export type { RebuildProgress } from '../index/index.js';
export { REINDEX_MARK_FILE, takeInterruptedReindex, type ReindexMark } from './reindex-mark.js';
export {
  acquireReindexLock,
  REINDEX_LOCK_FILE,
  REINDEX_LOCK_STALE_MS,
  type ReindexLockAttempt,
  type ReindexLockInfo,
  type ReindexLockOptions,
} from './reindex-lock.js';
