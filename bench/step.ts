/**
 * One measured step of the benchmark, in its own process so that its peak memory is its own:
 *
 *   node --expose-gc --import tsx bench/step.ts <step> --seeds DIR --data DIR [--questions FILE] [--no-latency]
 *
 * steps: build-ours, load-ours, build-plain, load-plain, reindex. Prints one line `BENCH_RESULT {json}` on stdout.
 * Ours goes the production way, through the folders' entry points: readSeedFolder → buildFromListing →
 * packTexts → snapshotChunks → writeSnapshot, then readSnapshot and ask; the reindex starts as the bot does
 * (openIndex).
 */
import { readFileSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ask } from '../src/answer/index.js';
import {
  type SearchIndex,
  buildFromListing,
  readSeedFolder,
  openIndex,
  readSnapshot,
  packTexts,
  snapshotChunks,
  writeSnapshot,
} from '../src/index/index.js';
import { IndexHolder } from '../src/serving/index.js';
import { suggest, warmSuggestions, warmSuggestionsInSlices } from '../src/suggest/index.js';
import { warmFrenchWords } from '../src/language/index.js';
import type { BenchQuestion } from './corpus.js';
import { answerPlain, buildPlainFrom, loadPlain, savePlain } from './plain-minisearch.js';
import {
  AUTOCOMPLETE_PREFIXES,
  type AutocompleteLatency,
  type BuildStep,
  type Latency,
  type LoadStep,
  type OursBuildStep,
  type ReindexStep,
} from './report.js';
import { folderBytes, MB, median, round, summarize, type LatencySummary } from './stats.js';

/** Time for the question passes of one step: a pass that would not fit is left to the whole-process run. */
const LATENCY_BUDGET_MS = 30_000;
/** Passes after the first (cold) one, when they fit in the budget. */
const WARM_PASSES = 3;
/** The reindex step: a question every INTERVAL_MS, the event loop watched until SETTLE_MS after the swap. */
const INTERVAL_MS = 20;
const SETTLE_MS = 5000;
/** And an autocomplete every AUTOCOMPLETE_EVERY ticks (a member typing, a keystroke every 100 ms). */
const AUTOCOMPLETE_EVERY = 5;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: 'string' },
    data: { type: 'string' },
    questions: { type: 'string' },
    'no-latency': { type: 'boolean', default: false },
  },
});

function need(name: 'seeds' | 'data' | 'questions'): string {
  const v = values[name];
  if (!v) throw new Error(`--${name} is required`);
  return v;
}

/** Heap in use after a full collection (the step runs with --expose-gc), in MiB. */
function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return round(process.memoryUsage().heapUsed / MB, 1);
}

/** Peak resident memory of this process so far, worker threads included (resourceUsage gives kilobytes). */
const peakRssMB = (): number => round(process.resourceUsage().maxRSS / 1024, 1);

const readQuestions = (file: string): BenchQuestion[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as BenchQuestion);

/**
 * Latency of each question: a few warm-up questions, a first (cold) pass that counts the answers, then up to
 * WARM_PASSES more while the budget lasts. Null when one pass would not fit in the budget.
 */
function measureLatency(questions: readonly BenchQuestion[], answer: (q: BenchQuestion) => boolean): Latency | null {
  if (values['no-latency']) return null;
  for (const q of questions.slice(0, 10)) answer(q);
  // Estimate a pass from up to 30 questions (2 s at most): plain MiniSearch takes ~0.3 s a question at 10,000.
  const w0 = performance.now();
  let probed = 0;
  for (const q of questions.slice(10, 40)) {
    answer(q);
    probed++;
    if (performance.now() - w0 > 2000) break;
  }
  if (((performance.now() - w0) / Math.max(1, probed)) * questions.length > LATENCY_BUDGET_MS) return null;
  const start = performance.now();
  let answered = 0;
  const passes: number[][] = [];
  while (passes.length === 0 || (passes.length <= WARM_PASSES && performance.now() - start < LATENCY_BUDGET_MS)) {
    passes.push(
      questions.map((q) => {
        const t = performance.now();
        if (answer(q) && passes.length === 0) answered++;
        return performance.now() - t;
      }),
    );
  }
  const warm = passes.length > 1 ? passes.slice(1) : passes;
  const summaries = warm.map(summarize);
  const warmFigures = Object.fromEntries(
    (['n', 'p50', 'p95', 'p99', 'mean', 'max'] as const).map((k) => [k, median(summaries.map((x) => x[k]))]),
  ) as Record<keyof LatencySummary, number>;
  const kinds = new Map<string, number[]>();
  questions.forEach((q, i) => {
    kinds.set(q.kind, [...(kinds.get(q.kind) ?? []), median(warm.map((p) => p[i]!))]);
  });
  return {
    warm: warmFigures,
    answered,
    byKind: Object.fromEntries([...kinds].map(([k, t]) => [k, summarize(t)])),
  };
}

/**
 * What a member's autocomplete receives while typing a question: the text up to the first three letters of each
 * of its words (the word being typed), in order.
 */
function typedPrefixes(questions: readonly BenchQuestion[]): { typed: string; topic: string | null }[] {
  return questions.flatMap((q) =>
    [...q.q.matchAll(/[\p{L}\p{N}][\p{L}\p{N}’'-]*/gu)].map((w) => ({
      typed: q.q.slice(0, w.index + Math.min(3, w[0].length)),
      topic: q.topic,
    })),
  );
}

/** Autocomplete latency over prefixes of the questions: mining the phrases first, 20 warm-up calls, one pass. */
function measureAutocomplete(index: SearchIndex, questions: readonly BenchQuestion[]): AutocompleteLatency | null {
  if (values['no-latency']) return null;
  const t0 = performance.now();
  warmSuggestions(index);
  const phrasesMs = round(performance.now() - t0);
  const prefixes = typedPrefixes(questions).slice(0, AUTOCOMPLETE_PREFIXES);
  for (const p of prefixes.slice(0, 20)) suggest(index, p.typed, p.topic);
  let choices = 0;
  const times = prefixes.map((p) => {
    const t = performance.now();
    choices += suggest(index, p.typed, p.topic).length;
    return performance.now() - t;
  });
  return { latency: summarize(times), choicesMean: round(choices / Math.max(1, prefixes.length), 2), phrasesMs };
}

async function buildOurs(): Promise<OursBuildStep> {
  const data = need('data');
  rmSync(data, { recursive: true, force: true });
  const t0 = performance.now();
  const { listing, topics, fingerprint } = await readSeedFolder({ seedsDir: need('seeds'), dataDir: data });
  const t1 = performance.now();
  const built = await buildFromListing(listing, topics.topics);
  const t2 = performance.now();
  const heapBuiltMB = heapMB();
  const t3 = performance.now();
  // As `npm run index` writes it: texts packed off this thread, the snapshot in parts (no one buffer of it all).
  await writeSnapshot(data, snapshotChunks(built, fingerprint, new Date(), undefined, await packTexts(built.texts)));
  const t4 = performance.now();
  const { articles, passages, rejected } = built.corpus;
  return {
    articles: articles.length,
    passages: passages.length,
    rejected: rejected.length,
    notFrench: articles.filter((a) => a.language !== 'fra').length,
    listMs: round(t1 - t0),
    buildMs: round(t2 - t1),
    writeMs: round(t4 - t3),
    snapshotBytes: folderBytes(data),
    heapBuiltMB,
    peakRssMB: peakRssMB(),
  };
}

async function loadOurs(): Promise<LoadStep> {
  const questions = readQuestions(need('questions'));
  const t0 = performance.now();
  const loaded = await readSnapshot(need('data'));
  const t1 = performance.now();
  if (!loaded.ok) throw new Error(`snapshot did not load: ${loaded.reason}`);
  const { index } = loaded;
  const heapLoadedMB = heapMB();
  return {
    loadMs: round(t1 - t0),
    heapLoadedMB,
    peakRssMB: peakRssMB(),
    latency: measureLatency(questions, (q) => ask(index, q.q, { topic: q.topic, limit: 3 }).answered),
    autocomplete: measureAutocomplete(index, questions),
  };
}

async function buildPlainStep(): Promise<BuildStep> {
  const data = need('data');
  rmSync(data, { recursive: true, force: true });
  const t0 = performance.now();
  const index = await buildPlainFrom(need('seeds'));
  const t1 = performance.now();
  const heapBuiltMB = heapMB();
  const t2 = performance.now();
  await savePlain(data, index);
  const t3 = performance.now();
  return {
    passages: index.data.paragraphs.length,
    buildMs: round(t1 - t0),
    writeMs: round(t3 - t2),
    snapshotBytes: folderBytes(data),
    heapBuiltMB,
    peakRssMB: peakRssMB(),
  };
}

async function loadPlainStep(): Promise<LoadStep> {
  const questions = readQuestions(need('questions'));
  const t0 = performance.now();
  const index = await loadPlain(need('data'));
  const t1 = performance.now();
  return {
    loadMs: round(t1 - t0),
    heapLoadedMB: heapMB(),
    peakRssMB: peakRssMB(),
    latency: measureLatency(questions, (q) => answerPlain(index, q.q).answered),
  };
}

/**
 * `/reindex` while questions keep coming: the bot's start (openIndex, autocomplete phrases), then
 * IndexHolder.reindex() with the bot's `prepare` while a question is asked every INTERVAL_MS (and an autocomplete
 * every AUTOCOMPLETE_EVERY of them), the event loop watched from the start of the reindex to SETTLE_MS after the
 * swap (when the old index's memory is freed).
 */
async function reindexStep(): Promise<ReindexStep> {
  const seedsDir = need('seeds');
  const dataDir = need('data');
  const questions = readQuestions(need('questions'));
  const { index: old, report } = await openIndex({ seedsDir, dataDir });
  warmSuggestions(old);
  warmFrenchWords();
  const { fingerprint } = report;
  // The swap follows the bot's `prepare` at once; the reindex resolves later (it then clears its note in DATA_DIR).
  let swapAt = Number.POSITIVE_INFINITY;
  const prepare = async (index: SearchIndex): Promise<void> => {
    await warmSuggestionsInSlices(index);
    swapAt = performance.now();
  };
  const holder = new IndexHolder(old, { seedsDir, dataDir, fingerprint, prepare });
  for (const q of questions.slice(0, 20)) ask(old, q.q, { topic: q.topic, limit: 3 });
  heapMB();

  const prefixes = typedPrefixes(questions);
  const ticks: { at: number; fromOld: boolean }[] = [];
  const autocompleteMs: number[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const index = holder.current;
    const q = questions[n % questions.length]!;
    const at = performance.now();
    ask(index, q.q, { topic: q.topic, limit: 3 });
    ticks.push({ at, fromOld: index === old });
    if (n % AUTOCOMPLETE_EVERY === 0) {
      const p = prefixes[(n / AUTOCOMPLETE_EVERY) % prefixes.length]!;
      const t = performance.now();
      suggest(index, p.typed, p.topic);
      autocompleteMs.push(performance.now() - t);
    }
    n++;
  }, INTERVAL_MS);
  await sleep(INTERVAL_MS * 5);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = performance.now();
  const outcome = await holder.reindex();
  const t1 = performance.now();
  await sleep(SETTLE_MS);
  const t2 = performance.now();
  histogram.disable();
  clearInterval(timer);

  const buildEnd = t0 + (outcome.status === 'done' ? outcome.report.buildMs : t1 - t0);
  const during = ticks.filter((t) => t.at >= t0 && t.at <= Math.min(t1, swapAt));
  const phaseAt = (t: { at: number; fromOld: boolean }): string =>
    !t.fromOld
      ? 'after the swap'
      : t.at <= buildEnd
        ? 'build (worker; old index serving)'
        : 'load in slices (old index serving)';
  // Longest wait between two questions, and the phase it ended in.
  let gap = { ms: 0, phase: 'none' };
  const window = ticks.filter((t) => t.at >= t0 - INTERVAL_MS && t.at <= t2);
  for (let i = 1; i < window.length; i++) {
    const ms = window[i]!.at - window[i - 1]!.at;
    if (ms > gap.ms) gap = { ms: round(ms), phase: phaseAt(window[i]!) };
  }
  return {
    status: outcome.status,
    reindexError: outcome.status === 'failed' ? outcome.error : null,
    reindexMs: round(t1 - t0),
    buildPhaseMs: round(buildEnd - t0),
    loadPhaseMs: round(t1 - buildEnd),
    settleMs: round(t2 - t1),
    maxDelayMs: round(histogram.max / 1e6),
    p99DelayMs: round(histogram.percentile(99) / 1e6),
    questionsDuringRebuild: during.length,
    answeredFromOld: during.length > 0 && during.every((t) => t.fromOld),
    questionsAfterSwap: ticks.filter((t) => t.at > t1 && t.at <= t2).length,
    autocompletes: autocompleteMs.length,
    autocompleteMaxMs: round(Math.max(0, ...autocompleteMs)),
    swapped: holder.current !== old,
    longestGap: gap,
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
if (!step) throw new Error(`unknown step ${String(positionals[0])}: ${Object.keys(steps).join(', ')}`);
process.stdout.write(`BENCH_RESULT ${JSON.stringify(await step())}\n`);
