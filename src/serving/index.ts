/** The live index: the holder that serves questions while a reindex runs in a worker thread, and its report. */
export { IndexHolder, type ReindexOutcome, type ReindexReport } from './index-holder.js';
export type { RebuildProgress } from '../index/index.js';
export { REINDEX_MARK_FILE, takeInterruptedReindex, type ReindexMark } from './reindex-mark.js';
