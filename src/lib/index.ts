/** Small generic helpers: work in slices, text cuts at character boundaries, atomic file writes, worker threads. */
export { runInSlices, runNow } from './slices.js';
export { sliceWhole } from './text-cut.js';
export { RequestWorker, runWorkerOnce, serveRequests, siblingModule } from './threads.js';
export { writeErrorReason, writeFileAtomic } from './atomic-write.js';
