/**
 * One measured step of the benchmark, run in its own process so that its peak memory is its own:
 *
 *   node --expose-gc --import tsx bench/step.ts <step> [options]
 *
 * steps: build-ours, load-ours, build-plain, load-plain, reindex. Prints one line `BENCH_RESULT {json}` on stdout.
 * Only the project's stable entry points are used: buildCorpus, buildIndex, buildSearchIndex, writeSnapshot, readSnapshot,
 * ask, IndexHolder.
 */
import { readFileSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { SearchIndex } from '../src/index/index.js';
import type { BenchQuestion } from './corpus.js';
import { answerPlain, buildPlain, loadPlain, parsePlain, readPlainSeeds, savePlain } from './plain-minisearch.js';
import { folderBytes, MB, round, summarize, type LatencySummary } from './stats.js';

// The project's modules are imported by the steps that use them only, so that the plain baseline's steps never
// depend on the project's code (which may be mid-edit while the benchmark runs).
const project = async () => ({
  ...(await import('../src/corpus/index.js')),
  ...(await import('../src/answer/index.js')),
  ...(await import('../src/index/index.js')),
});
const holderModule = () => import('../src/serving/index.js');

/** The snapshot is written with this fingerprint: the benchmark's own steps never compare it to the seeds. */
const BENCH_FINGERPRINT = 'b'.repeat(64);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: 'string' },
    data: { type: 'string' },
    scratch: { type: 'string' },
    questions: { type: 'string' },
    passes: { type: 'string', default: '3' },
    'budget-ms': { type: 'string', default: '30000' },
    interval: { type: 'string', default: '20' },
    'settle-ms': { type: 'string', default: '5000' },
    'no-latency': { type: 'boolean', default: false },
  },
});

function need(name: 'seeds' | 'data' | 'scratch' | 'questions'): string {
  const v = values[name];
  if (!v) throw new Error(`--${name} is required`);
  return v;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

const mb = (bytes: number): number => round(bytes / MB, 1);
/** Peak resident memory of this process so far (resourceUsage gives kilobytes). */
const peakRssMB = (): number => round(process.resourceUsage().maxRSS / 1024, 1);

function heapMB(): { heapUsedMB: number; rssMB: number; externalMB: number } {
  gc();
  const m = process.memoryUsage();
  return { heapUsedMB: mb(m.heapUsed), rssMB: mb(m.rss), externalMB: mb(m.external + m.arrayBuffers) };
}

function readQuestions(file: string): BenchQuestion[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as BenchQuestion);
}

interface Quality {
  answered: number;
  /** Questions drawn from a file whose top answer comes from that file. */
  topFromSourceFile: number;
  withSourceFile: number;
  /** Questions built to have no answer that get none. */
  noAnswerCorrect: number;
  noAnswerQuestions: number;
}

interface LatencyResult {
  cold: LatencySummary;
  warm: LatencySummary;
  passes: number;
  quality: Quality;
  /** Latency by kind of question (each question's median over the passes). */
  byKind: Record<string, LatencySummary>;
  /** The slowest questions (each question's median over the passes). */
  slowest: { q: string; kind: string; ms: number }[];
}

/**
 * Latency of each question. A few questions warm up first; when one pass over all of them would not fit in
 * `--budget-ms` the latency is not measured here (null: the caller takes it from the whole-process run instead).
 * Otherwise a first full pass (reported as `cold`, and giving the quality counts), then more passes while the
 * budget lasts, up to `--passes`; `warm` is the median, figure by figure, of those passes (the first pass when
 * there is no other).
 */
function measureLatency(questions: readonly BenchQuestion[], answer: (q: BenchQuestion) => { answered: boolean; file: string | null }): LatencyResult | null {
  if (values['no-latency']) return null;
  const budget = Number(values['budget-ms']);
  const wanted = Math.max(1, Number(values.passes));
  // Warm up on a few questions, then estimate a pass from the time of the next ones (30 at most, 2 s at most).
  for (const q of questions.slice(0, 10)) answer(q);
  const w0 = performance.now();
  let probed = 0;
  for (const q of questions.slice(10, 40)) {
    answer(q);
    probed++;
    if (performance.now() - w0 > 2000) break;
  }
  const estimate = ((performance.now() - w0) / Math.max(1, probed)) * questions.length;
  if (estimate > budget) return null;
  const quality: Quality = { answered: 0, topFromSourceFile: 0, withSourceFile: 0, noAnswerCorrect: 0, noAnswerQuestions: 0 };
  const start = performance.now();
  const cold: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    const a = answer(q);
    cold.push(performance.now() - t);
    if (a.answered) quality.answered++;
    if (q.from) {
      quality.withSourceFile++;
      if (a.file === q.from) quality.topFromSourceFile++;
    }
    if (q.kind === 'no-answer') {
      quality.noAnswerQuestions++;
      if (!a.answered) quality.noAnswerCorrect++;
    }
  }
  const summaries: LatencySummary[] = [];
  const perQuestion: number[][] = questions.map(() => []);
  while (summaries.length < wanted && performance.now() - start < budget) {
    const times: number[] = [];
    questions.forEach((q, i) => {
      const t = performance.now();
      answer(q);
      const ms = performance.now() - t;
      times.push(ms);
      perQuestion[i]!.push(ms);
    });
    summaries.push(summarize(times));
  }
  if (summaries.length === 0) {
    summaries.push(summarize(cold));
    cold.forEach((ms, i) => perQuestion[i]!.push(ms));
  }
  const typical = perQuestion.map((t) => [...t].sort((a, b) => a - b)[Math.floor((t.length - 1) / 2)]!);
  const kinds = new Map<string, number[]>();
  questions.forEach((q, i) => {
    const list = kinds.get(q.kind) ?? [];
    list.push(typical[i]!);
    kinds.set(q.kind, list);
  });
  const byKind = Object.fromEntries([...kinds].map(([k, t]) => [k, summarize(t)]));
  const slowest = questions
    .map((q, i) => ({ q: q.q, kind: q.kind, ms: round(typical[i]!, 2) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10);
  const med = (k: keyof LatencySummary): number => {
    const v = summaries.map((s) => s[k]).sort((a, b) => a - b);
    return v[Math.floor((v.length - 1) / 2)]!;
  };
  const warm: LatencySummary = { n: med('n'), p50: med('p50'), p95: med('p95'), p99: med('p99'), mean: med('mean'), max: med('max') };
  return { cold: summarize(cold), warm, passes: summaries.length, quality, byKind, slowest };
}

const askOurs = (ask: Awaited<ReturnType<typeof project>>['ask'], index: SearchIndex) => (q: BenchQuestion): { answered: boolean; file: string | null } => {
  const a = ask(index, q.q, { topic: q.topic, limit: 3 });
  return { answered: a.answered, file: a.results[0]?.article ?? null };
};

async function buildOurs(): Promise<object> {
  const { readSeedFiles, buildCorpus, buildFromReads, serializeSnapshot, writeSnapshot } = await project();
  const seeds = need('seeds');
  const data = need('data');
  rmSync(data, { recursive: true, force: true });
  const base = heapMB();
  const t0 = performance.now();
  const reads = await readSeedFiles(seeds);
  const t1 = performance.now();
  const corpus = buildCorpus(reads);
  const t2 = performance.now();
  const afterCorpus = heapMB();
  const t3 = performance.now();
  const index = buildFromReads(reads);
  const t4 = performance.now();
  const peakBuild = peakRssMB();
  const afterIndex = heapMB();
  const t5 = performance.now();
  await writeSnapshot(data, serializeSnapshot(index, BENCH_FINGERPRINT, new Date()));
  const t6 = performance.now();
  return {
    articles: corpus.articles.length,
    passages: corpus.passages.length,
    rejected: corpus.rejected.length,
    readMs: round(t1 - t0),
    corpusMs: round(t2 - t1),
    indexMs: round(t4 - t3),
    buildMs: round(t2 - t1 + (t4 - t3)),
    writeMs: round(t6 - t5),
    snapshotBytes: folderBytes(data),
    heapBaseMB: base.heapUsedMB,
    heapCorpusMB: afterCorpus.heapUsedMB,
    heapIndexMB: afterIndex.heapUsedMB,
    peakRssBuildMB: peakBuild,
    peakRssMB: peakRssMB(),
  };
}

async function loadOurs(): Promise<object> {
  const { readSnapshot, ask } = await project();
  const data = need('data');
  const questions = readQuestions(need('questions'));
  const base = heapMB();
  const t0 = performance.now();
  const loaded = await readSnapshot(data);
  const t1 = performance.now();
  if (!loaded.ok) throw new Error(`snapshot did not load: ${loaded.reason}`);
  const peakLoad = peakRssMB();
  const after = heapMB();
  const latency = measureLatency(questions, askOurs(ask, loaded.index));
  return {
    loadMs: round(t1 - t0),
    passages: loaded.index.corpus.passages.length,
    heapBaseMB: base.heapUsedMB,
    heapLoadedMB: after.heapUsedMB,
    rssLoadedMB: after.rssMB,
    peakRssLoadMB: peakLoad,
    peakRssMB: peakRssMB(),
    latency,
  };
}

async function buildPlainStep(): Promise<object> {
  const seeds = need('seeds');
  const data = need('data');
  rmSync(data, { recursive: true, force: true });
  const base = heapMB();
  const t0 = performance.now();
  const files = await readPlainSeeds(seeds);
  const t1 = performance.now();
  const paragraphs = parsePlain(files);
  const t2 = performance.now();
  const mini = buildPlain(paragraphs);
  const t3 = performance.now();
  const peakBuild = peakRssMB();
  const afterIndex = heapMB();
  const t4 = performance.now();
  await savePlain(data, { mini, data: paragraphs });
  const t5 = performance.now();
  return {
    articles: files.length,
    passages: paragraphs.paragraphs.length,
    readMs: round(t1 - t0),
    corpusMs: round(t2 - t1),
    indexMs: round(t3 - t2),
    buildMs: round(t3 - t1),
    writeMs: round(t5 - t4),
    snapshotBytes: folderBytes(data),
    heapBaseMB: base.heapUsedMB,
    heapIndexMB: afterIndex.heapUsedMB,
    peakRssBuildMB: peakBuild,
    peakRssMB: peakRssMB(),
  };
}

async function loadPlainStep(): Promise<object> {
  const data = need('data');
  const questions = readQuestions(need('questions'));
  const base = heapMB();
  const t0 = performance.now();
  const index = await loadPlain(data);
  const t1 = performance.now();
  const peakLoad = peakRssMB();
  const after = heapMB();
  const latency = measureLatency(questions, (q) => {
    const a = answerPlain(index, q.q);
    return { answered: a.answered, file: a.file };
  });
  return {
    loadMs: round(t1 - t0),
    passages: index.data.paragraphs.length,
    heapBaseMB: base.heapUsedMB,
    heapLoadedMB: after.heapUsedMB,
    rssLoadedMB: after.rssMB,
    peakRssLoadMB: peakLoad,
    peakRssMB: peakRssMB(),
    latency,
  };
}

/**
 * `/reindex` while questions keep coming: loads the index, starts IndexHolder.reindex() on the seeds (readying the
 * new index's autocomplete phrases before the swap, as the bot does), asks a question every `--interval` ms, and
 * watches the event loop with monitorEventLoopDelay, from the start of the reindex to `--settle-ms` after the swap
 * (the old index's memory is freed then).
 */
async function reindexStep(): Promise<object> {
  const { readSnapshot, ask, readSeedFiles, buildCorpus, buildSearchIndex } = await project();
  const { IndexHolder } = await holderModule();
  const { warmSuggestions, warmSuggestionsInSlices } = await import('../src/suggest/index.js');
  const seeds = need('seeds');
  const data = need('data');
  const scratch = need('scratch');
  const questions = readQuestions(need('questions'));
  const interval = Number(values.interval);
  const settleMs = Number(values['settle-ms']);
  rmSync(scratch, { recursive: true, force: true });
  // The index serving before the reindex: the saved snapshot, or (when the project's snapshot format changed since
  // it was written) a fresh build, as the bot would do at start.
  const loaded = await readSnapshot(data);
  const old = loaded.ok ? loaded.index : buildSearchIndex(await readSeedFiles(seeds));
  const oldIndexFrom = loaded.ok ? 'snapshot' : `built at start (snapshot: ${loaded.reason})`;
  warmSuggestions(old);
  const holder = new IndexHolder(old, { seedsDir: seeds, dataDir: scratch, prepare: warmSuggestionsInSlices });
  // Warm the question path up first, as a running bot would be.
  for (const q of questions.slice(0, 20)) ask(old, q.q, { topic: q.topic, limit: 3 });
  gc();

  interface Tick {
    at: number;
    ms: number;
    reindexing: boolean;
    fromOld: boolean;
  }
  const ticks: Tick[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const index = holder.current;
    const q = questions[n++ % questions.length]!;
    const t = performance.now();
    ask(index, q.q, { topic: q.topic, limit: 3 });
    ticks.push({ at: t, ms: performance.now() - t, reindexing: holder.reindexing, fromOld: index === old });
  }, interval);
  await sleep(interval * 5);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = performance.now();
  const outcome = await holder.reindex();
  const t1 = performance.now();
  await sleep(settleMs);
  const t2 = performance.now();
  histogram.disable();
  clearInterval(timer);

  const buildEnd = t0 + (outcome.status === 'done' ? outcome.report.buildMs : t1 - t0);
  const during = ticks.filter((t) => t.at >= t0 && t.at <= t1);
  const beforeSwap = during.filter((t) => t.fromOld);
  const phaseAt = (at: number, fromOld: boolean): string => (!fromOld ? 'after the swap' : at <= buildEnd ? 'build (worker; old index serving)' : 'load in slices (old index serving)');
  // Longest wait between two questions, and in which phase it ended.
  let gap = { ms: 0, phase: 'none', atMs: 0 };
  const window = ticks.filter((t) => t.at >= t0 - interval && t.at <= t2);
  for (let i = 1; i < window.length; i++) {
    const g = window[i]!.at - window[i - 1]!.at;
    if (g > gap.ms) gap = { ms: g, phase: phaseAt(window[i]!.at, window[i]!.fromOld), atMs: window[i - 1]!.at - t0 };
  }
  const ns = (v: number): number => round(v / 1e6, 1);
  return {
    status: outcome.status,
    oldIndexFrom,
    reindexError: outcome.status === 'failed' ? outcome.error : null,
    reindexMs: round(t1 - t0),
    buildPhaseMs: round(buildEnd - t0),
    loadPhaseMs: round(t1 - buildEnd),
    settleMs: round(t2 - t1),
    maxDelayMs: ns(histogram.max),
    p99DelayMs: ns(histogram.percentile(99)),
    meanDelayMs: ns(histogram.mean),
    questionsDuringRebuild: beforeSwap.length,
    answeredFromOld: beforeSwap.length > 0 && beforeSwap.every((t) => t.fromOld),
    questionsAfterSwap: ticks.filter((t) => t.at > t1 && t.at <= t2).length,
    swapped: holder.current !== old,
    longestGap: { ms: round(gap.ms), phase: gap.phase, atMs: round(gap.atMs) },
    questionLatencyDuringRebuild: summarize(during.map((t) => t.ms)),
    peakRssMB: peakRssMB(),
  };
}

const steps: Record<string, () => Promise<object>> = {
  'build-ours': buildOurs,
  'load-ours': loadOurs,
  'build-plain': buildPlainStep,
  'load-plain': loadPlainStep,
  reindex: reindexStep,
};

const step = steps[positionals[0] ?? ''];
if (!step) {
  process.stderr.write(`unknown step ${String(positionals[0])}: ${Object.keys(steps).join(', ')}\n`);
  process.exit(2);
}
const result = await step();
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
