/**
 * `npm run bench` — ours vs plain MiniSearch and FlexSearch on synthetic French corpora. For each size: the corpus
 * and its questions (bench/corpus.ts), the in-process steps (bench/step.ts, one process each so that peak memory is
 * the step's own), the whole processes (the real CLI vs plain MiniSearch and FlexSearch), then `/reindex` while
 * answering. Prints the Markdown tables and writes them to bench/RESULTS.md, the figures to
 * bench-results/latest.json and, with two sizes or more, the growth chart to bench/growth.svg (bench/chart.ts).
 * A benchmark, not a test: nothing fails on a time; a failed measurement is reported as such and the run goes on.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { writeChart } from './chart.js';
import { ensureCorpus, type BenchCorpus } from './corpus.js';
import {
  contention,
  killActiveChildren,
  machineOf,
  runNode,
  runStep,
  type ChildOptions,
  type ChildRun,
} from './measure.js';
import {
  compare,
  computeTargets,
  growthOf,
  renderMarkdown,
  type AnswerProcess,
  type BenchResults,
  type BuildProcess,
  type BuildStep,
  type Failure,
  type LoadStep,
  type OursBuildStep,
  type ReindexStep,
  type SizeResult,
  type WholeProcess,
} from './report.js';
import { folderBytes, hitRate, medianOf, round, summarize } from './stats.js';

const USAGE = `npm run bench -- [--sizes 100,1000,10000] [--questions 500] [--repeat N]
                    [--skip inprocess,whole,reindex,plain,flexsearch] [--name NAME] [--quiet-wait-ms 30000] [--cpu-prof]
  --sizes          corpus sizes in articles, e.g. 1000,10000,100000 (growth), or 500000 alone
  --repeat         runs of each measured process (medians); default 3 up to 1,000 articles, 1 above
  --skip           parts to leave out (plain, flexsearch: that baseline, in every part)
  --name           write bench-results/NAME.json, bench/RESULTS-NAME.md and bench/growth-NAME.svg instead of
                   bench-results/latest.json, bench/RESULTS.md and bench/growth.svg
  --quiet-wait-ms  before each measured process, wait up to this long for other processes to leave the CPUs alone
  --cpu-prof       V8 CPU profiles of our in-process steps in bench-results/profiles-N/ (timings are then slower)
`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    questions: { type: 'string', default: '500' },
    repeat: { type: 'string' },
    skip: { type: 'string', default: '' },
    name: { type: 'string' },
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
const PARTS = ['inprocess', 'whole', 'reindex', 'plain', 'flexsearch'];
const skip = new Set(
  values.skip
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== ''),
);
const quietWaitMs = Number(values['quiet-wait-ms']);
const valid = [...sizes, questionCount].every((n) => Number.isInteger(n) && n > 0) && quietWaitMs >= 0;
if (!valid || ![...skip].every((x) => PARTS.includes(x))) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const name = values.name;
if (name !== undefined && !/^[\w.-]+$/u.test(name)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const OUT = path.join(PROJECT_ROOT, 'bench-results');
const RESULTS_JSON = path.join(OUT, `${name ?? 'latest'}.json`);
const RESULTS_MD = path.join(PROJECT_ROOT, 'bench', name ? `RESULTS-${name}.md` : 'RESULTS.md');
const CHART_SVG = path.join(PROJECT_ROOT, 'bench', name ? `growth-${name}.svg` : 'growth.svg');
/**
 * Heap limit of the whole processes: 75 % of the memory, the limit the project's npm scripts give `npm run index`,
 * `ask` and the bot (package.json), and the baselines the same, so that their figures exist wherever they fit in
 * RAM (Node's default heap stops near 4 GiB).
 */
const BASELINE_HEAP_MB = Math.floor((os.totalmem() / 1048576) * 0.75);

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

/** Answers printed by an answering process, one JSON line each: `results[].quote` (ours) or `.paragraph`. */
interface PrintedAnswer {
  answered?: boolean;
  results?: { quote?: string; paragraph?: string }[];
}

async function whole(
  corpus: BenchCorpus,
  work: string,
  articles: number,
  repeat: number,
): Promise<NonNullable<SizeResult['whole']>> {
  const oursData = path.join(work, 'cli-ours-data');
  const env = { SEEDS_DIR: corpus.seedsDir, DATA_DIR: oursData };
  const heap = { nodeFlags: [`--max-old-space-size=${BASELINE_HEAP_MB}`] };
  const base = { timeoutMs: limit(articles, 25), quietWaitMs, ...heap };
  const questions = corpus.questions.length;
  /** Every question answered once, the answers counted and the known ones checked. */
  const answers = (r: ChildRun): Pick<AnswerProcess, 'answered' | 'hits'> | string => {
    const lines = jsonLines(r.stdout) as PrintedAnswer[];
    if (lines.length !== questions) return `${lines.length} answers to ${questions} questions`;
    const texts = lines.map((a) => (a.answered ? (a.results ?? []).map((x) => x.quote ?? x.paragraph ?? '') : []));
    return { answered: lines.filter((a) => a.answered).length, hits: hitRate(corpus.questions, texts) };
  };
  const saved = (dir: string): { snapshotBytes: number } => ({ snapshotBytes: folderBytes(dir) });

  const oursIndex = await wholeRuns(
    'index (cli)',
    repeat,
    () => rmSync(oursData, { recursive: true, force: true }),
    () => runNode('src/app/cli.ts', ['index', '--json'], { ...base, env }),
    (r) => {
      const report = JSON.parse(r.stdout) as { saved: boolean; rejected: unknown[] };
      return report.saved ? { rejected: report.rejected.length, ...saved(oursData) } : 'snapshot not saved';
    },
  );
  /** A baseline's build + save, then its load + answer (bench/plain-minisearch.ts, bench/flexsearch.ts). */
  const baselineRuns = async (
    label: string,
    script: string,
  ): Promise<{ build: BuildProcess | Failure; answer: AnswerProcess | Failure }> => {
    const data = path.join(work, `cli-${label}-data`);
    const build = await wholeRuns(
      `${label} build+save`,
      repeat,
      () => rmSync(data, { recursive: true, force: true }),
      () => runNode(script, ['build', '--seeds', corpus.seedsDir, '--out', data], base),
      () => saved(data),
    );
    const timings = path.join(work, `${label}-answer-timings.json`);
    const answer =
      'error' in build
        ? { error: `no ${label} index: build failed` }
        : await wholeRuns(
            `${label} load+answer`,
            repeat,
            () => undefined,
            () =>
              runNode(script, ['answer', '--out', data, '--timings', timings], {
                ...base,
                timeoutMs: limit(articles, 60),
                stdinFile: corpus.questionsFile,
              }),
            (r) => {
              const a = answers(r);
              if (typeof a === 'string') return a;
              return { ...a, latency: summarize(JSON.parse(readFileSync(timings, 'utf8')) as number[]) };
            },
          );
    return { build, answer };
  };
  const plain = skip.has('plain') ? null : await baselineRuns('plain', 'bench/plain-minisearch.ts');
  const flex = skip.has('flexsearch') ? null : await baselineRuns('flexsearch', 'bench/flexsearch.ts');
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
            const a = answers(r);
            return typeof a === 'string' ? a : folderState(oursData) !== snapshot ? 'snapshot rebuilt' : a;
          },
        );
  return {
    oursIndex,
    plainBuild: plain?.build ?? null,
    flexBuild: flex?.build ?? null,
    oursAsk,
    plainAnswer: plain?.answer ?? null,
    flexAnswer: flex?.answer ?? null,
  };
}

async function measureSize(articles: number): Promise<SizeResult> {
  log(`\n[${articles} articles]`);
  const corpus = await ensureCorpus(OUT, articles, questionCount);
  const { meta } = corpus;
  log(
    `  corpus: ${meta.files} files (${meta.distinctArticles} distinct articles), ${meta.paragraphs} paragraphs ` +
      `(${meta.distinctParagraphs} distinct), ${meta.types} distinct words ` +
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
    const plainSteps = async (): Promise<{ build: BuildStep | Failure; load: LoadStep | Failure }> => {
      const build = await steps<BuildStep>(
        'build (plain)',
        repeat,
        'build-plain',
        [...seeds, '--data', plainData],
        options('build-plain'),
      );
      const load =
        'error' in build
          ? { error: 'no index: build failed' }
          : await steps<LoadStep>(
              'load + questions (plain)',
              repeat,
              'load-plain',
              ['--data', plainData, ...q],
              options('load-plain'),
              later,
            );
      return { build, load };
    };
    const plain = skip.has('plain') ? null : await plainSteps();
    inProcess = { ours: { build: oursBuild, load: oursLoad }, plain };
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
  const result: SizeResult = { articles, corpus: corpusFigures, inProcess, whole: wholeResult, reindex };
  return { ...result, comparison: compare(result), growth: growthOf(result) };
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
const results: BenchResults = {
  date: new Date().toISOString(),
  args: process.argv.slice(2).join(' '),
  machine: machineOf(atStart.commit),
  baselineHeapMB: BASELINE_HEAP_MB,
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
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
}
const atEnd = codeState();
results.code.uncommitted ||= atEnd.uncommitted;
results.code.changedDuringRun = atEnd.commit !== atStart.commit || atEnd.uncommitted !== atStart.uncommitted;
results.contention = {
  processes: contention.length,
  underLoad: contention.filter((c) => c.busyCores > 0.35).length,
  maxBusyCores: Math.max(0, ...contention.map((c) => c.busyCores)),
};
results.targets = computeTargets(results);
writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
const markdown = renderMarkdown(results);
writeFileSync(RESULTS_MD, markdown);
process.stdout.write(`\n${markdown}`);
const rel = (file: string): string => path.relative(PROJECT_ROOT, file);
const charted = writeChart([results], CHART_SVG);
log(
  `\nResults: ${rel(RESULTS_JSON)} and ${rel(RESULTS_MD)}` +
    `${charted ? `, chart ${rel(CHART_SVG)}` : ' (no chart: fewer than two sizes with whole-process figures)'}` +
    ` (${(results.elapsedMs / 60000).toFixed(1)} min)`,
);
