// Loaded with `--import` into a measured child: writes the process's peak resident memory and CPU time to
// BENCH_RSS_FILE when it exits. Plain JavaScript: worker threads inherit `--import`, and a TypeScript preload would
// make each of them compile it through tsx at start (which stalled the main thread's event loop during /reindex).
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env['BENCH_RSS_FILE'];
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, userS: u.userCPUTime / 1e6, sysS: u.systemCPUTime / 1e6 }));
  });
}
