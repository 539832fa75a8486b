/**
 * `npm run bench:report -- [--name NAME]`: the Markdown report and the targets again from a saved run's JSON
 * (bench-results/latest.json, or NAME.json), without measuring anything: for a report whose rendering or targets
 * changed after the run, and with the bot's start of bench-results/startup-N.json (`npm run bench:startup`) at the
 * sizes it has. Writes the JSON's `startup` and `targets`, and bench/RESULTS.md (RESULTS-NAME.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { type BenchResults, computeTargets, renderMarkdown, type StartupSummary } from './report.js';

const { values } = parseArgs({ options: { name: { type: 'string' } } });
const name = values.name;
if (name !== undefined && !/^[\w.-]+$/u.test(name)) {
  process.stderr.write('usage: npm run bench:report -- [--name NAME]\n');
  process.exit(2);
}
const json = path.join(PROJECT_ROOT, 'bench-results', `${name ?? 'latest'}.json`);
const md = path.join(PROJECT_ROOT, 'bench', name ? `RESULTS-${name}.md` : 'RESULTS.md');
const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
// The bot's start, measured apart (npm run bench:startup), joins the run of its size.
for (const size of results.sizes) {
  const file = path.join(PROJECT_ROOT, 'bench-results', `startup-${size.articles}.json`);
  if (existsSync(file)) size.startup = JSON.parse(readFileSync(file, 'utf8')) as StartupSummary;
}
results.targets = computeTargets(results);
writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(md, renderMarkdown(results));
process.stderr.write(`${path.relative(PROJECT_ROOT, md)} and the targets of ${path.relative(PROJECT_ROOT, json)}\n`);
