/** Generic helpers: work in slices, text cuts at character boundaries, atomic writes, bounded reads, threads. */
export { runInSlices, runNow, SlicedRun } from './slices.js';
export { sliceWhole } from './text-cut.js';
export { RequestWorker, runWorkerOnce, serveRequests, siblingModule } from './threads.js';
export { isRunning, writeErrorReason, writeFileAtomic } from './atomic-write.js';
export {
  isReadFailure,
  readAt,
  readFileBounded,
  readFileBoundedSync,
  readFileChecked,
  readInto,
  withCheckedFile,
  type BoundedReadOptions,
  type ReadFailure,
} from './bounded-read.js';
export { mapLimited } from './map-limited.js';
export { ownString } from './own-string.js';
