/** Small generic helpers: work in slices, text cuts at character boundaries, worker threads. */
export { runInSlices, runNow } from './slices.js';
export { sliceWhole } from './text-cut.js';
export { siblingModule, startWorker } from './threads.js';
