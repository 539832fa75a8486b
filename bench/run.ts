/**
 * `npm run bench` — ours vs plain MiniSearch on synthetic French corpora. For each size: the corpus and its
 * questions (bench/corpus.ts), the in-process steps (bench/step.ts, one process each so that peak memory is the
 * step's own), the whole processes (the real CLI vs plain MiniSearch), then `/reindex` while answering. Prints the
 * Markdown tables and writes them to bench/RESULTS.md, the figures to bench-results/latest.json. A benchmark, not
 * a test: nothing fails on a time; a failed measurement is reported as such and the run goes on.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { ensureCorpus, type BenchCorpus } from './corpus.js';
import { contention, killActiveChildren, runNode, runStep, type ChildOptions, type ChildRun } from './measure.js';
import {
  renderMarkdown,
  type BenchResults,
  type BuildStep,
  type Failure,
  type LoadStep,
  type OursBuildStep,
  type ReindexStep,
  type SizeResult,
  type WholeProcess,
} from './report.js';
import { medianOf, round, summarize } from './stats.js';

const USAGE = `npm run bench -- [--sizes 100,1000,10000] [--questions 500] [--repeat N] [--skip inprocess,whole,reindex]
                    [--quiet-wait-ms 30000] [--cpu-prof]
  --repeat         runs of each measured process (medians); default 3 up to 1,000 articles, 1 above
  --skip           parts to leave out
  --quiet-wait-ms  before each measured process, wait up to this long for other processes to leave the CPUs alone
  --cpu-prof       V8 CPU profiles of our in-process steps in bench-results/profiles-N/ (timings are then slower)
`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    questions: { type: 'string', default: '500' },
    repeat: { type: 'string' },
    skip: { type: 'string', default: '' },
    'quiet-wait-ms': { type: 'string', default: '30000' },
    'cpu-prof': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizes = values.sizes.split(',').map(Number);
const questionCount = Number(values.questions);
const skip = new Set(values.skip.split(',').map((x) => x.trim()));
const quietWaitMs = Number(values['quiet-wait-ms']);
if (![...sizes, questionCount].every((n) => Number.isInteger(n) && n > 0) || !(quietWaitMs >= 0)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const OUT = path.join(PROJECT_ROOT, 'bench-results');
const RESULTS_MD = path.join(PROJECT_ROOT, 'bench', 'RESULTS.md');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killActiveChildren();
    process.exit(130);
  });
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const describe = (r: ChildRun): string => `${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMB ?? '?'} MB`;
/** Time limit of a child: generous, proportional to the corpus. */
const limit = (articles: number, perArticleMs: number): number => 60_000 + articles * perArticleMs;

/** Runs a step `n` times, medians of the results; `laterArgs` go to the runs after the first. */
async function steps<T extends object>(
  label: string,
  n: number,
  step: string,
  args: string[],
  options: ChildOptions,
  laterArgs: string[] = [],
): Promise<T | Failure> {
  const results: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await runStep<T>(step, i === 0 ? args : [...args, ...laterArgs], options);
    if (!r.ok) {
      log(`  ${label}: FAILED (${r.error})`);
      return { error: r.error };
    }
    results.push(r.result);
    log(`  ${label}${n > 1 ? ` ${i + 1}/${n}` : ''}: ${describe(r.run)}`);
  }
  return medianOf(results);
}

/** Runs a whole process `n` times (fewer when a run is long) and checks each run's output. */
async function wholeRuns<T extends object>(
  label: string,
  n: number,
  before: () => void,
  run: () => Promise<ChildRun>,
  check: (r: ChildRun) => T | string,
): Promise<(WholeProcess & T) | Failure> {
  const runs: (WholeProcess & T)[] = [];
  for (let i = 0; i < n; i++) {
    before();
    const r = await run();
    const checked = r.ok ? check(r) : (r.error ?? 'failed');
    if (typeof checked === 'string') {
      log(`  ${label}: FAILED (${checked})`);
      return { error: checked };
    }
    log(`  ${label}: ${describe(r)}`);
    runs.push({ wallMs: r.wallMs, peakRssMB: r.peakRssMB, cpuS: r.cpuS, ...checked });
    if (r.wallMs > 60_000) break;
  }
  return medianOf(runs);
}

const jsonLines = (stdout: string): unknown[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

/** Names and modification times of a folder's files: whether a process rewrote the snapshot. */
function folderState(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`)
    .join('|');
}

async function whole(
  corpus: BenchCorpus,
  work: string,
  articles: number,
  repeat: number,
): Promise<SizeResult['whole']> {
  const oursData = path.join(work, 'cli-ours-data');
  const plainData = path.join(work, 'cli-plain-data');
  const env = { SEEDS_DIR: corpus.seedsDir, DATA_DIR: oursData };
  const base = { timeoutMs: limit(articles, 25), quietWaitMs };
  const questions = corpus.questions.length;
  const answered = (r: ChildRun): number | string => {
    const lines = jsonLines(r.stdout) as { answered?: boolean }[];
    if (lines.length !== questions) return `${lines.length} answers to ${questions} questions`;
    return lines.filter((a) => a.answered).length;
  };

  const oursIndex = await wholeRuns(
    'index (cli)',
    repeat,
    () => rmSync(oursData, { recursive: true, force: true }),
    () => runNode('src/app/cli.ts', ['index', '--json'], { ...base, env }),
    (r) => {
      const report = JSON.parse(r.stdout) as { saved: boolean; rejected: unknown[] };
      return report.saved ? { rejected: report.rejected.length } : 'snapshot not saved';
    },
  );
  const plainBuild = await wholeRuns(
    'plain build+save',
    repeat,
    () => rmSync(plainData, { recursive: true, force: true }),
    () => runNode('bench/plain-minisearch.ts', ['build', '--seeds', corpus.seedsDir, '--out', plainData], base),
    () => ({}),
  );
  let snapshot = '';
  const oursAsk =
    'error' in oursIndex
      ? { error: 'no snapshot: `index` failed' }
      : await wholeRuns(
          'ask --jsonl (cli)',
          repeat,
          () => (snapshot = folderState(oursData)),
          () => runNode('src/app/cli.ts', ['ask', '--jsonl'], { ...base, env, stdinFile: corpus.questionsFile }),
          // Answering from a rebuilt index would time a build: the snapshot `index` saved must be the one served.
          (r) => {
            const n = answered(r);
            return typeof n === 'string' ? n : folderState(oursData) !== snapshot ? 'snapshot rebuilt' : {};
          },
        );
  const timings = path.join(work, 'plain-answer-timings.json');
  const plainAnswer =
    'error' in plainBuild
      ? { error: 'no plain index: build failed' }
      : await wholeRuns(
          'plain load+answer',
          repeat,
          () => undefined,
          () =>
            runNode('bench/plain-minisearch.ts', ['answer', '--out', plainData, '--timings', timings], {
              ...base,
              timeoutMs: limit(articles, 60),
              stdinFile: corpus.questionsFile,
            }),
          (r) => {
            const n = answered(r);
            if (typeof n === 'string') return n;
            return { answered: n, latency: summarize(JSON.parse(readFileSync(timings, 'utf8')) as number[]) };
          },
        );
  return { oursIndex, plainBuild, oursAsk, plainAnswer };
}

async function measureSize(articles: number): Promise<SizeResult> {
  log(`\n[${articles} articles]`);
  const corpus = await ensureCorpus(OUT, articles, questionCount);
  const { meta } = corpus;
  log(
    `  corpus: ${meta.files} files, ${meta.paragraphs} paragraphs, ${meta.types} distinct words ` +
      `(${corpus.cached ? 'cached' : `generated in ${(meta.generatedMs / 1000).toFixed(1)} s`}) → ${corpus.seedsDir}`,
  );
  const work = path.join(OUT, `work-${articles}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const repeat = values.repeat !== undefined ? Math.max(1, Number(values.repeat)) : articles <= 1000 ? 3 : 1;
  const oursData = path.join(work, 'ours-data');
  const plainData = path.join(work, 'plain-data');
  const seeds = ['--seeds', corpus.seedsDir];
  const q = ['--questions', corpus.questionsFile];
  const profile = (name: string): string[] =>
    values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT, `profiles-${articles}`, name)}`] : [];
  const options = (name: string): ChildOptions => ({
    timeoutMs: limit(articles, 25),
    quietWaitMs,
    nodeFlags: profile(name),
  });
  // Later runs of a load step do not time the questions again: the first run's passes already did.
  const later = ['--no-latency'];

  let inProcess: SizeResult['inProcess'] = null;
  if (!skip.has('inprocess')) {
    const oursBuild = await steps<OursBuildStep>(
      'build (ours)',
      repeat,
      'build-ours',
      [...seeds, '--data', oursData],
      options('build-ours'),
    );
    const oursLoad =
      'error' in oursBuild
        ? { error: 'no snapshot: build failed' }
        : await steps<LoadStep>(
            'load + questions (ours)',
            repeat,
            'load-ours',
            ['--data', oursData, ...q],
            options('load-ours'),
            later,
          );
    const plainBuild = await steps<BuildStep>(
      'build (plain)',
      repeat,
      'build-plain',
      [...seeds, '--data', plainData],
      options('build-plain'),
    );
    const plainLoad =
      'error' in plainBuild
        ? { error: 'no index: build failed' }
        : await steps<LoadStep>(
            'load + questions (plain)',
            repeat,
            'load-plain',
            ['--data', plainData, ...q],
            options('load-plain'),
            later,
          );
    inProcess = { ours: { build: oursBuild, load: oursLoad }, plain: { build: plainBuild, load: plainLoad } };
  }
  const wholeResult = skip.has('whole') ? null : await whole(corpus, work, articles, repeat);
  // The reindex starts from a saved snapshot: the in-process build's, else the CLI's (else it builds one first).
  const data = inProcess && !('error' in inProcess.ours.build) ? oursData : path.join(work, 'cli-ours-data');
  const reindex = skip.has('reindex')
    ? null
    : await steps<ReindexStep>('reindex while answering', 1, 'reindex', [...seeds, '--data', data, ...q], {
        ...options('reindex'),
        timeoutMs: limit(articles, 40),
      });
  rmSync(work, { recursive: true, force: true }); // snapshots and indexes are large

  const questionKinds: Record<string, number> = {};
  for (const question of corpus.questions) questionKinds[question.kind] = (questionKinds[question.kind] ?? 0) + 1;
  const { growth: _growth, ...figures } = meta;
  const corpusFigures = { ...figures, questions: corpus.questions.length, questionKinds };
  return { articles, corpus: corpusFigures, inProcess, whole: wholeResult, reindex };
}

/** The commit measured, and whether src/ or commands/ have uncommitted changes (read-only git queries). */
function codeState(): { commit: string | null; uncommitted: boolean } {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  try {
    const uncommitted = git('status', '--porcelain', '--', 'src', 'commands') !== '';
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommitted };
  } catch {
    return { commit: null, uncommitted: false };
  }
}

const started = performance.now();
const atStart = codeState();
const cpus = os.cpus();
const results: BenchResults = {
  date: new Date().toISOString(),
  args: process.argv.slice(2).join(' '),
  machine: [
    cpus[0]?.model.trim() ?? 'unknown CPU',
    `${cpus.length} cores`,
    `${round(os.totalmem() / 1024 ** 3, 1)} GiB RAM`,
    `Node ${process.version}`,
    `${os.type()} ${os.release()} ${os.arch()}`,
  ].join(', '),
  code: { ...atStart, changedDuringRun: false },
  sizes: [],
  elapsedMs: 0,
  contention: { processes: 0, underLoad: 0, maxBusyCores: 0 },
};
mkdirSync(OUT, { recursive: true });
for (const articles of sizes) {
  results.sizes.push(await measureSize(articles));
  results.elapsedMs = round(performance.now() - started);
  // Partial results survive an interrupted run.
  writeFileSync(path.join(OUT, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}
const atEnd = codeState();
results.code.uncommitted ||= atEnd.uncommitted;
results.code.changedDuringRun = atEnd.commit !== atStart.commit || atEnd.uncommitted !== atStart.uncommitted;
results.contention = {
  processes: contention.length,
  underLoad: contention.filter((c) => c.busyCores > 0.35).length,
  maxBusyCores: Math.max(0, ...contention.map((c) => c.busyCores)),
};
writeFileSync(path.join(OUT, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
const markdown = renderMarkdown(results);
writeFileSync(RESULTS_MD, markdown);
process.stdout.write(`\n${markdown}`);
log(`\nResults: bench-results/latest.json and bench/RESULTS.md (${(results.elapsedMs / 60000).toFixed(1)} min)`);
