/**
 * `npm run bench` — the benchmark: ours vs plain MiniSearch on synthetic French corpora.
 *
 *   npm run bench -- [--sizes 100,1000,10000] [--questions 500] [--repeat N] [--skip whole,reindex,inprocess]
 *                    [--budget-ms 30000] [--timeout-scale 1] [--cpu-prof] [--regenerate] [--out bench-results]
 *
 * For each size: generates (or reuses) the corpus and its questions (bench/corpus.ts), then measures in
 * child processes (bench/step.ts, one process per step so that peak memory is the step's own) and
 * whole processes (the real CLI vs plain MiniSearch), then `/reindex` while answering. Prints Markdown tables, and
 * writes `bench-results/latest.json` and `bench/RESULTS.md`. A benchmark, not a test: nothing fails on a
 * time; a failed or timed-out measurement is reported as such and the run goes on.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureCorpus, GENERATOR_VERSION, HEAPS_BETA, HEAPS_K, PROJECT_ROOT, type BenchCorpus, type BenchQuestion } from './corpus.js';
import { contention, killActiveChildren, runNode, runStep, setQuietWait, type ChildRun } from './measure.js';
import { renderMarkdown, type BenchResults, type BuildStep, type Failure, type LoadStep, type Quality, type ReindexStep, type SizeResult, type WholeProcess } from './report.js';
import { medianOf, round, summarize } from './stats.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    questions: { type: 'string', default: '500' },
    repeat: { type: 'string' },
    skip: { type: 'string', default: '' },
    'budget-ms': { type: 'string', default: '30000' },
    'timeout-scale': { type: 'string', default: '1' },
    'quiet-wait-ms': { type: 'string', default: '30000' },
    'cpu-prof': { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    out: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(`npm run bench -- [--sizes 100,1000,10000] [--questions 500] [--repeat N] [--skip whole,reindex,inprocess]
                 [--budget-ms 30000] [--timeout-scale 1] [--cpu-prof] [--regenerate] [--out bench-results]
  --repeat       runs of each measured step (medians); default 3 up to 1,000 articles, 1 above
  --skip         parts to leave out: inprocess, whole, reindex
  --budget-ms    time allowed for repeated question passes in one step (the plain baseline falls back to its
                 whole-process run when one pass does not fit)
  --quiet-wait-ms  before each measured process, wait up to this long for other processes to leave the CPUs
                 alone (the wait and the load seen are recorded; figures taken under load are flagged)
  --cpu-prof     write V8 CPU profiles of our steps to <out>/work-N/profiles (timings are then slower)
  --report-only  print the tables of <out>/latest.json again (and rewrite RESULTS.md), measuring nothing
  --regenerate   regenerate the corpora even when a cached copy of the same generator version exists\n`);
  process.exit(0);
}

const sizes = values.sizes.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0);
const questionCount = Number(values.questions);
if (sizes.length === 0 || !Number.isInteger(questionCount) || questionCount < 1) {
  process.stderr.write('--sizes expects positive integers separated by commas, --questions a positive integer\n');
  process.exit(2);
}
const skip = new Set(values.skip.split(',').map((x) => x.trim()).filter((x) => x !== ''));
const budgetMs = Number(values['budget-ms']);
const timeoutScale = Number(values['timeout-scale']);
setQuietWait(Number(values['quiet-wait-ms']));
const outRoot = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'bench-results'));
const resultsMd = path.join(PROJECT_ROOT, 'bench', 'RESULTS.md');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killActiveChildren();
    process.exit(130);
  });
}

const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** Time limit of one child: generous, proportional to the corpus. */
const limit = (articles: number, perArticleMs: number): number => Math.round((60_000 + articles * perArticleMs) * timeoutScale);

function repeatFor(articles: number): number {
  if (values.repeat !== undefined) return Math.max(1, Number(values.repeat));
  return articles <= 1000 ? 3 : 1;
}

/**
 * Runs a step n times (medians of the results). `laterArgs` are added to the runs after the first (the question
 * latency, already measured over several passes in the first run, is not measured again).
 */
async function steps<T extends object>(label: string, n: number, step: string, args: string[], timeoutMs: number, nodeFlags: string[] = [], laterArgs: string[] = []): Promise<T | Failure> {
  const results: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await runStep<T>(step, i === 0 ? args : [...args, ...laterArgs], { timeoutMs, nodeFlags });
    if (!r.ok) {
      log(`  ${label}: FAILED (${r.error})`);
      return { error: r.error };
    }
    results.push(r.result);
    log(`  ${label}${n > 1 ? ` ${i + 1}/${n}` : ''}: ${(r.process.wallMs / 1000).toFixed(1)} s, peak ${r.process.peakRssMB ?? '?'} MB`);
  }
  return medianOf(results);
}

function wholeOf(runs: readonly ChildRun[]): WholeProcess {
  const m = medianOf(runs.map((r) => ({ wallMs: r.wallMs, peakRssMB: r.peakRssMB ?? NaN, userS: r.userS ?? NaN, sysS: r.sysS ?? NaN })));
  const clean = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { wallMs: m.wallMs, peakRssMB: clean(m.peakRssMB), userS: clean(m.userS), sysS: clean(m.sysS), runs: runs.length };
}

function qualityOf(questions: readonly BenchQuestion[], answers: readonly { answered: boolean; file: string | null }[]): Quality {
  const q: Quality = { answered: 0, topFromSourceFile: 0, withSourceFile: 0, noAnswerCorrect: 0, noAnswerQuestions: 0 };
  questions.forEach((question, i) => {
    const a = answers[i];
    if (a?.answered) q.answered++;
    if (question.from) {
      q.withSourceFile++;
      if (a?.file === question.from) q.topFromSourceFile++;
    }
    if (question.kind === 'no-answer') {
      q.noAnswerQuestions++;
      if (a && !a.answered) q.noAnswerCorrect++;
    }
  });
  return q;
}

/** Names and modification times of a folder's files, to tell whether a process rewrote the snapshot. */
function folderState(dir: string): string {
  try {
    return readdirSync(dir).sort().map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`).join('|');
  } catch {
    return '';
  }
}

async function whole(corpus: BenchCorpus, work: string, articles: number, repeat: number): Promise<NonNullable<SizeResult['whole']>> {
  const cliData = path.join(work, 'cli-ours-data');
  const plainData = path.join(work, 'cli-plain-data');
  const env = { SEEDS_DIR: corpus.seedsDir, DATA_DIR: cliData };
  const timeout = limit(articles, 25);

  const indexRuns: ChildRun[] = [];
  let timings: { readMs: number; buildMs: number; saveMs: number; totalMs: number }[] = [];
  let oursIndex: NonNullable<SizeResult['whole']>['oursIndex'] | null = null;
  for (let i = 0; i < repeat; i++) {
    rmSync(cliData, { recursive: true, force: true });
    const r = await runNode('src/app/cli.ts', ['index', '--json'], { env, timeoutMs: timeout });
    if (!r.ok) {
      oursIndex = { error: r.error ?? 'failed' };
      break;
    }
    indexRuns.push(r);
    try {
      timings.push((JSON.parse(r.stdout) as { timings: (typeof timings)[number] }).timings);
    } catch {
      timings = [];
    }
    log(`  index (cli): ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMB ?? '?'} MB`);
  }
  oursIndex ??= { ...wholeOf(indexRuns), timings: timings.length > 0 ? medianOf(timings) : null };

  const buildRuns: ChildRun[] = [];
  let plainBuild: NonNullable<SizeResult['whole']>['plainBuild'] | null = null;
  for (let i = 0; i < repeat; i++) {
    rmSync(plainData, { recursive: true, force: true });
    const r = await runNode('bench/plain-minisearch.ts', ['build', '--seeds', corpus.seedsDir, '--out', plainData], { timeoutMs: timeout });
    if (!r.ok) {
      plainBuild = { error: r.error ?? 'failed' };
      break;
    }
    buildRuns.push(r);
    log(`  plain build+save: ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMB ?? '?'} MB`);
  }
  plainBuild ??= wholeOf(buildRuns);

  let oursAsk: NonNullable<SizeResult['whole']>['oursAsk'];
  if ('error' in oursIndex) oursAsk = { error: 'no snapshot: `index` failed' };
  else {
    const askRuns: ChildRun[] = [];
    let answers: { answered: boolean; file: string | null }[] = [];
    let reused = true;
    let failure: string | null = null;
    for (let i = 0; i < repeat; i++) {
      const before = folderState(cliData);
      const r = await runNode('src/app/cli.ts', ['ask', '--jsonl'], { env, stdinFile: corpus.questionsFile, timeoutMs: timeout });
      if (!r.ok) {
        failure = r.error ?? 'failed';
        break;
      }
      if (folderState(cliData) !== before) reused = false;
      askRuns.push(r);
      answers = r.stdout.split('\n').filter((l) => l !== '').map((l) => {
        const a = JSON.parse(l) as { answered?: boolean; results?: { article: string }[] };
        return { answered: a.answered === true, file: a.results?.[0]?.article ?? null };
      });
      log(`  ask --jsonl (cli): ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMB ?? '?'} MB, ${answers.length} answers${reused ? '' : ' (SNAPSHOT NOT REUSED)'}`);
    }
    oursAsk = failure !== null ? { error: failure } : { ...wholeOf(askRuns), answers: answers.length, quality: qualityOf(corpus.questions, answers), snapshotReused: reused };
  }

  let plainAnswer: NonNullable<SizeResult['whole']>['plainAnswer'];
  if ('error' in plainBuild) plainAnswer = { error: 'no plain index: build failed' };
  else {
    const timingsFile = path.join(work, 'plain-answer-timings.json');
    const answerRuns: ChildRun[] = [];
    let answers: { answered: boolean; file: string | null }[] = [];
    let inner: { loadMs: number; times: number[] } | null = null;
    let failure: string | null = null;
    // One run when a run is long (the plain baseline answers slowly on large corpora).
    for (let i = 0; i < repeat; i++) {
      const r = await runNode('bench/plain-minisearch.ts', ['answer', '--out', plainData, '--timings', timingsFile], { stdinFile: corpus.questionsFile, timeoutMs: limit(articles, 60) });
      if (!r.ok) {
        failure = r.error ?? 'failed';
        break;
      }
      answerRuns.push(r);
      answers = r.stdout.split('\n').filter((l) => l !== '').map((l) => {
        const a = JSON.parse(l) as { answered?: boolean; file?: string | null };
        return { answered: a.answered === true, file: a.file ?? null };
      });
      inner = JSON.parse(readFileSync(timingsFile, 'utf8')) as { loadMs: number; times: number[] };
      log(`  plain load+answer: ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMB ?? '?'} MB, ${answers.length} answers`);
      if (r.wallMs > 60_000) break;
    }
    plainAnswer = failure !== null
      ? { error: failure }
      : { ...wholeOf(answerRuns), answers: answers.length, loadMs: inner ? round(inner.loadMs) : null, latency: inner ? summarize(inner.times) : null, quality: qualityOf(corpus.questions, answers) };
  }
  return { oursIndex, plainBuild, oursAsk, plainAnswer };
}

async function measureSize(articles: number): Promise<SizeResult> {
  const t0 = performance.now();
  log(`\n[${articles} articles]`);
  const corpus = await ensureCorpus(outRoot, articles, questionCount, values.regenerate === true);
  log(`  corpus: ${corpus.meta.files} files, ${corpus.meta.paragraphs} paragraphs, ${corpus.meta.types} distinct words (${corpus.cached ? 'cached' : `generated in ${(corpus.meta.generatedMs / 1000).toFixed(1)} s`}) → ${corpus.dir}`);
  const work = path.join(outRoot, `work-${articles}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const repeat = repeatFor(articles);
  const q = ['--questions', corpus.questionsFile, '--budget-ms', String(budgetMs)];
  const prof = (name: string): string[] => (values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(work, 'profiles', name)}`] : []);
  const oursData = path.join(work, 'ours-data');
  const plainData = path.join(work, 'plain-data');
  const stepTimeout = limit(articles, 25);

  let inProcess: SizeResult['inProcess'] = null;
  if (!skip.has('inprocess')) {
    const oursBuild = await steps<BuildStep>('build (ours)', repeat, 'build-ours', ['--seeds', corpus.seedsDir, '--data', oursData], stepTimeout, prof('build-ours'));
    const oursLoad = 'error' in oursBuild ? { error: 'no snapshot: build failed' } : await steps<LoadStep>('load + questions (ours)', repeat, 'load-ours', ['--data', oursData, ...q], stepTimeout, prof('load-ours'), ['--no-latency']);
    const plainBuild = await steps<BuildStep>('build (plain)', repeat, 'build-plain', ['--seeds', corpus.seedsDir, '--data', plainData], stepTimeout);
    const plainLoad = 'error' in plainBuild ? { error: 'no index: build failed' } : await steps<LoadStep>('load + questions (plain)', repeat, 'load-plain', ['--data', plainData, ...q], stepTimeout, [], ['--no-latency']);
    inProcess = { ours: { build: oursBuild, load: oursLoad }, plain: { build: plainBuild, load: plainLoad } };
  }

  const wholeResult = skip.has('whole') ? null : await whole(corpus, work, articles, repeat);

  let reindex: SizeResult['reindex'] = null;
  if (!skip.has('reindex')) {
    // The reindex step loads a snapshot first: the in-process one, or the CLI's.
    const data = inProcess && !('error' in inProcess.ours.build) ? oursData : path.join(work, 'cli-ours-data');
    reindex = await steps<ReindexStep>('reindex while answering', 1, 'reindex', ['--seeds', corpus.seedsDir, '--data', data, '--scratch', path.join(work, 'reindex-data'), '--questions', corpus.questionsFile, '--interval', '20'], limit(articles, 40), prof('reindex'));
  }

  const kinds: Record<string, number> = {};
  for (const question of corpus.questions) kinds[question.kind] = (kinds[question.kind] ?? 0) + 1;
  const { growth: _growth, ...meta } = corpus.meta;
  void _growth;
  // Snapshots and indexes are large: keep only the profiles.
  for (const f of readdirSync(work)) if (f !== 'profiles') rmSync(path.join(work, f), { recursive: true, force: true });
  return {
    articles,
    corpus: { ...meta, questions: corpus.questions.length, questionKinds: kinds },
    repeat,
    inProcess,
    whole: wholeResult,
    reindex,
    elapsedMs: round(performance.now() - t0),
  };
}

if (values['report-only']) {
  const saved = JSON.parse(readFileSync(path.join(outRoot, 'latest.json'), 'utf8')) as BenchResults;
  const markdown = renderMarkdown(saved);
  writeFileSync(resultsMd, markdown);
  process.stdout.write(markdown);
  process.exit(0);
}

/** The code measured (read-only git queries): commit, and whether src/ or commands/ had uncommitted changes. */
function codeState(): { commit: string | null; uncommitted: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'commands'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    return { commit, uncommitted: status.trim() !== '' };
  } catch {
    return { commit: null, uncommitted: null };
  }
}

const started = performance.now();
const cpus = os.cpus();
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  },
  options: { sizes, questions: questionCount, repeat: values.repeat ?? 'auto (3 up to 1,000 articles, 1 above)', budgetMs, cpuProf: values['cpu-prof'] === true },
  generator: { version: GENERATOR_VERSION, heaps: { K: HEAPS_K, beta: HEAPS_BETA } },
  code: { atStart: codeState(), atEnd: null },
  sizes: [],
  elapsedMs: 0,
  contention: null,
};
mkdirSync(outRoot, { recursive: true });
const save = (): void => {
  results.elapsedMs = round(performance.now() - started);
  const busy = contention.map((c) => c.busyCores).sort((a, b) => a - b);
  results.contention = {
    processes: contention.length,
    startedUnderLoad: contention.filter((c) => c.busyCores > 0.35).length,
    maxBusyCores: busy[busy.length - 1] ?? 0,
    waitedMs: contention.reduce((a, c) => a + c.waitedMs, 0),
    detail: contention,
  };
  writeFileSync(path.join(outRoot, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
};
for (const articles of sizes) {
  results.sizes.push(await measureSize(articles));
  save(); // partial results survive an interrupted run
}
if (results.code) results.code.atEnd = codeState();
save();
const markdown = renderMarkdown(results);
mkdirSync(path.join(outRoot, 'history'), { recursive: true });
writeFileSync(path.join(outRoot, 'history', `${results.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(resultsMd, markdown);
process.stdout.write(`\n${markdown}`);
log(`\nResults: ${path.join(outRoot, 'latest.json')} and ${path.relative(PROJECT_ROOT, resultsMd)} (${((performance.now() - started) / 60000).toFixed(1)} min)`);
