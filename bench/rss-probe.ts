/**
 * Loaded with `--import` into a measured child when GNU time is not available: writes the process's peak resident
 * memory and CPU time to BENCH_RSS_FILE when it exits.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_RSS_FILE'];
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, userS: u.userCPUTime / 1e6, sysS: u.systemCPUTime / 1e6 }));
  });
}
