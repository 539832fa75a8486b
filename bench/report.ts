/** The benchmark's results as data, and as the Markdown tables printed and saved to RESULTS.md. */
import type { CorpusMeta } from './corpus.js';
import type { LatencySummary } from './stats.js';

export interface Failure {
  error: string;
}

export interface Quality {
  answered: number;
  topFromSourceFile: number;
  withSourceFile: number;
  noAnswerCorrect: number;
  noAnswerQuestions: number;
}

export interface Latency {
  cold: LatencySummary;
  warm: LatencySummary;
  passes: number;
  quality: Quality | null;
  byKind?: Record<string, LatencySummary>;
  slowest?: { q: string; kind: string; ms: number }[];
  /** Where the figures come from when not from the in-process step. */
  source?: string;
}

export interface BuildStep {
  articles: number;
  passages: number;
  rejected?: number;
  readMs: number;
  corpusMs: number;
  indexMs: number;
  buildMs: number;
  writeMs: number;
  snapshotBytes: number;
  heapBaseMB: number;
  heapCorpusMB?: number;
  heapIndexMB: number;
  peakRssBuildMB: number;
  peakRssMB: number;
}

export interface LoadStep {
  loadMs: number;
  passages: number;
  heapBaseMB: number;
  heapLoadedMB: number;
  rssLoadedMB: number;
  peakRssLoadMB: number;
  peakRssMB: number;
  latency: Latency | null;
}

export interface ReindexStep {
  status: string;
  oldIndexFrom?: string;
  reindexError: string | null;
  reindexMs: number;
  buildPhaseMs: number;
  loadPhaseMs: number;
  settleMs: number;
  maxDelayMs: number;
  p99DelayMs: number;
  meanDelayMs: number;
  questionsDuringRebuild: number;
  answeredFromOld: boolean;
  questionsAfterSwap: number;
  swapped: boolean;
  longestGap: { ms: number; phase: string; atMs: number };
  questionLatencyDuringRebuild: LatencySummary;
  peakRssMB: number;
}

export interface WholeProcess {
  wallMs: number;
  peakRssMB: number | null;
  userS: number | null;
  sysS: number | null;
  runs: number;
}

export interface SizeResult {
  articles: number;
  corpus: Omit<CorpusMeta, 'growth'> & { questions: number; questionKinds: Record<string, number> };
  repeat: number;
  inProcess: {
    ours: { build: BuildStep | Failure; load: LoadStep | Failure };
    plain: { build: BuildStep | Failure; load: LoadStep | Failure };
  } | null;
  whole: {
    oursIndex: (WholeProcess & { timings: { readMs: number; buildMs: number; saveMs: number; totalMs: number } | null }) | Failure;
    plainBuild: WholeProcess | Failure;
    oursAsk: (WholeProcess & { answers: number; quality: Quality; snapshotReused: boolean }) | Failure;
    plainAnswer: (WholeProcess & { answers: number; loadMs: number | null; latency: LatencySummary | null; quality: Quality }) | Failure;
  } | null;
  reindex: ReindexStep | Failure | null;
  elapsedMs: number;
}

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string };
  options: { sizes: number[]; questions: number; repeat: string; budgetMs: number; cpuProf: boolean };
  generator: { version: number; heaps: { K: number; beta: number } };
  /** The project's code measured: git commit and uncommitted changes in src/ or commands/, at start and end. */
  code?: { atStart: CodeState; atEnd: CodeState | null };
  sizes: SizeResult[];
  elapsedMs: number;
  /** Other processes' CPU use seen just before each measured process started. */
  contention: { processes: number; startedUnderLoad: number; maxBusyCores: number; waitedMs: number; detail: { label: string; busyCores: number; waitedMs: number }[] } | null;
}

export interface CodeState {
  commit: string | null;
  uncommitted: boolean | null;
}

export const TARGET_SIZE = 10_000;

const ok = <T extends object>(x: T | Failure | null | undefined): x is T => x !== null && x !== undefined && !('error' in x);

function fmt(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(ours: number | null | undefined, plain: number | null | undefined): string {
  if (ours === null || ours === undefined || plain === null || plain === undefined || !(plain > 0)) return '';
  const r = ours / plain;
  return ` (×${r >= 10 ? fmt(r, 0) : r >= 0.1 ? fmt(r, 2) : fmt(r, 3)})`;
}

/** "ours / plain (×ratio)". */
function pair(ours: number | null | undefined, plain: number | null | undefined, digits: number): string {
  return `${fmt(ours, digits)} / ${fmt(plain, digits)}${ratio(ours, plain)}`;
}

const s = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : ms / 1000);

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map((_, i) => (i === 0 ? '---:' : '---'))), ...rows.map(row)];
}

function failures(r: SizeResult): string[] {
  const out: string[] = [];
  const check = (name: string, x: object | null | undefined): void => {
    if (x && 'error' in x) out.push(`- ${fmt(r.articles, 0)} articles, ${name}: ${(x as Failure).error}`);
  };
  check('build (ours)', r.inProcess?.ours.build);
  check('load (ours)', r.inProcess?.ours.load);
  check('build (plain)', r.inProcess?.plain.build);
  check('load (plain)', r.inProcess?.plain.load);
  check('`index`', r.whole?.oursIndex);
  check('plain build', r.whole?.plainBuild);
  check('`ask --jsonl`', r.whole?.oursAsk);
  check('plain answer', r.whole?.plainAnswer);
  check('reindex', r.reindex);
  return out;
}

export function machineLine(m: BenchResults['machine']): string {
  return `${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGiB, 1)} GiB RAM, Node ${m.node}, ${m.os}`;
}

/** Latency figures of a step, or the plain fallback from the whole-process run. */
function latencyOf(r: SizeResult, side: 'ours' | 'plain'): Latency | null {
  const load = r.inProcess?.[side].load;
  if (ok(load) && load.latency) return load.latency;
  if (side === 'plain' && r.whole && ok(r.whole.plainAnswer) && r.whole.plainAnswer.latency) {
    const l = r.whole.plainAnswer.latency;
    return { cold: l, warm: l, passes: 1, quality: r.whole.plainAnswer.quality, source: 'whole-process run, one pass' };
  }
  return null;
}

export function renderMarkdown(res: BenchResults): string {
  const L: string[] = [];
  const sizes = res.sizes;
  L.push(`Benchmark run ${res.date.slice(0, 16).replace('T', ' ')} UTC (\`npm run bench -- --sizes ${res.options.sizes.join(',')}\`, ${res.options.questions} questions, repeat ${res.options.repeat}, ${fmt(res.elapsedMs / 60000, 1)} min in all).`);
  L.push('');
  L.push(`**Machine:** ${machineLine(res.machine)}.`);
  L.push('');
  if (res.code) {
    const describe = (c: CodeState): string => `${c.commit ?? 'unknown commit'}${c.uncommitted ? ' + uncommitted changes' : ''}`;
    const { atStart, atEnd } = res.code;
    const same = atEnd && atEnd.commit === atStart.commit && atEnd.uncommitted === atStart.uncommitted;
    L.push(`**Code measured:** ${describe(atStart)}${atEnd && !same ? ` at the start, ${describe(atEnd)} at the end (the code changed during the run)` : ''}.`);
    L.push('');
  }
  if (res.contention && res.contention.startedUnderLoad > 0) {
    L.push(`⚠ Other processes were using the CPUs: ${res.contention.startedUnderLoad} of ${res.contention.processes} measured processes started while other work kept up to ${fmt(res.contention.maxBusyCores, 1)} of ${res.machine.cores} cores busy (after waiting up to the --quiet-wait-ms limit). Those figures are pessimistic; see \`contention\` in latest.json.`);
    L.push('');
  }
  L.push(`Each cell is **ours / plain MiniSearch (×ratio ours÷plain)**; lower is better everywhere. Plain = \`new MiniSearch({ fields: ['text'] })\` over the same files' paragraphs, default \`search(q)\`, top hit's paragraph as the answer.`);
  L.push('');

  L.push('**Corpus** (synthetic, generator v' + res.generator.version + `; Heaps target K=${res.generator.heaps.K}, β=${res.generator.heaps.beta}):`);
  L.push('');
  L.push(...table(
    ['articles', 'paragraphs', 'passages (ours) / paragraphs (plain)', 'seed files MB', 'tokens', 'distinct words', 'questions'],
    sizes.map((r) => {
      const ob = r.inProcess?.ours.build;
      const pb = r.inProcess?.plain.build;
      return [
        fmt(r.articles, 0), fmt(r.corpus.paragraphs, 0),
        `${ok(ob) ? fmt(ob.passages, 0) : '–'} / ${ok(pb) ? fmt(pb.passages, 0) : '–'}`,
        fmt(r.corpus.bytes / 1048576, 1), fmt(r.corpus.tokens, 0), fmt(r.corpus.types, 0),
        `${r.corpus.questions} (${Object.entries(r.corpus.questionKinds).map(([k, v]) => `${v} ${k}`).join(', ')})`,
      ];
    }),
  ));
  L.push('');

  if (sizes.some((r) => r.inProcess)) {
    L.push('**Build, snapshot and load** (in-process, each step in its own process; medians of the repeated runs). Build = ours `buildCorpus` + `buildIndex` (the corpus and its postings, what the snapshot saves; MiniSearch’s tree is built when a snapshot loads, counted in load), plain parsing into paragraphs + `addAll` (reading the files excluded from both); write = `writeSnapshot` / `JSON.stringify` + write; load = `readSnapshot` / `MiniSearch.loadJSON` + paragraphs.');
    L.push('');
    L.push(...table(
      ['articles', 'build s', 'snapshot write s', 'snapshot MB', 'load s', 'heap after load MB', 'peak RSS build+write MB', 'peak RSS load MB'],
      sizes.filter((r) => r.inProcess).map((r) => {
        const { ours, plain } = r.inProcess!;
        const ob = ok(ours.build) ? ours.build : null;
        const pb = ok(plain.build) ? plain.build : null;
        const ol = ok(ours.load) ? ours.load : null;
        const pl = ok(plain.load) ? plain.load : null;
        return [
          fmt(r.articles, 0),
          pair(s(ob?.buildMs), s(pb?.buildMs), 2),
          pair(s(ob?.writeMs), s(pb?.writeMs), 2),
          pair(ob ? ob.snapshotBytes / 1048576 : null, pb ? pb.snapshotBytes / 1048576 : null, 1),
          pair(s(ol?.loadMs), s(pl?.loadMs), 2),
          pair(ol?.heapLoadedMB, pl?.heapLoadedMB, 0),
          pair(ob?.peakRssMB, pb?.peakRssMB, 0),
          pair(ol?.peakRssLoadMB, pl?.peakRssLoadMB, 0),
        ];
      }),
    ));
    L.push('');
    L.push('**Question latency**, ms per question, in-process (ours: the whole `ask`, sentence selection and highlighting included; plain: `search` + top hit), after a warm-up; medians over passes.');
    L.push('');
    const notes: string[] = [];
    L.push(...table(
      ['articles', 'p50', 'p95', 'p99', 'mean', 'max', 'answered'],
      sizes.filter((r) => r.inProcess).map((r) => {
        const o = latencyOf(r, 'ours');
        const p = latencyOf(r, 'plain');
        if (p?.source) notes.push(`plain at ${fmt(r.articles, 0)}: ${p.source} (the in-process step measured no latency: one pass did not fit in --budget-ms, or the step failed)`);
        return [
          fmt(r.articles, 0),
          pair(o?.warm.p50, p?.warm.p50, 2), pair(o?.warm.p95, p?.warm.p95, 2), pair(o?.warm.p99, p?.warm.p99, 2),
          pair(o?.warm.mean, p?.warm.mean, 2), pair(o?.warm.max, p?.warm.max, 1),
          `${o?.quality ? o.quality.answered : '–'} / ${p?.quality ? p.quality.answered : '–'} of ${r.corpus.questions}`,
        ];
      }),
    ));
    for (const r of sizes) {
      const o = latencyOf(r, 'ours');
      if (o?.byKind) notes.push(`ours at ${fmt(r.articles, 0)}, p50 / p99 by kind of question: ${Object.entries(o.byKind).map(([k, v]) => `${k} ${fmt(v.p50, 1)} / ${fmt(v.p99, 1)}`).join(', ')} ms`);
    }
    if (notes.length > 0) L.push('', ...notes.map((n) => `- ${n}`));
    L.push('');
    L.push('**Where our build time and memory go** (in-process, ours only):');
    L.push('');
    L.push(...table(
      ['articles', 'read files s', '`buildCorpus` s', '`buildIndex` s', '`writeSnapshot` s', '`readSnapshot` s', 'heap: corpus MB', 'heap: corpus + postings MB', 'peak RSS after build MB'],
      sizes.filter((r) => r.inProcess).map((r) => {
        const ob = ok(r.inProcess!.ours.build) ? r.inProcess!.ours.build : null;
        const ol = ok(r.inProcess!.ours.load) ? r.inProcess!.ours.load : null;
        return [
          fmt(r.articles, 0), fmt(s(ob?.readMs), 2), fmt(s(ob?.corpusMs), 2), fmt(s(ob?.indexMs), 2), fmt(s(ob?.writeMs), 2),
          fmt(s(ol?.loadMs), 2), fmt(ob?.heapCorpusMB, 0), fmt(ob?.heapIndexMB, 0), fmt(ob?.peakRssBuildMB, 0),
        ];
      }),
    ));
    L.push('');
  }

  if (sizes.some((r) => r.whole)) {
    L.push('**Whole process** (wall time and peak RSS of the process, `node --import tsx`): `src/app/cli.ts index` vs a process that reads the files, builds and saves plain MiniSearch; `src/app/cli.ts ask --jsonl` fed the questions vs a process that loads plain MiniSearch and answers them.');
    L.push('');
    L.push(...table(
      ['articles', '`index` s', '`index` peak RSS MB', '`ask --jsonl` s', '`ask --jsonl` peak RSS MB', 'CPU s (`index`, `ask`)'],
      sizes.filter((r) => r.whole).map((r) => {
        const w = r.whole!;
        const oi = ok(w.oursIndex) ? w.oursIndex : null;
        const pbld = ok(w.plainBuild) ? w.plainBuild : null;
        const oa = ok(w.oursAsk) ? w.oursAsk : null;
        const pa = ok(w.plainAnswer) ? w.plainAnswer : null;
        const cpu = (x: WholeProcess | null): number | null => (x && x.userS !== null && x.sysS !== null ? x.userS + x.sysS : null);
        return [
          fmt(r.articles, 0),
          pair(s(oi?.wallMs), s(pbld?.wallMs), 2), pair(oi?.peakRssMB, pbld?.peakRssMB, 0),
          pair(s(oa?.wallMs), s(pa?.wallMs), 2), pair(oa?.peakRssMB, pa?.peakRssMB, 0),
          `${pair(cpu(oi), cpu(pbld), 1)}; ${pair(cpu(oa), cpu(pa), 1)}`,
        ];
      }),
    ));
    L.push('');
  }

  if (sizes.some((r) => r.reindex)) {
    L.push(`**\`/reindex\` while answering** (ours only): \`IndexHolder.reindex()\` on the same seeds, readying the new index's autocomplete phrases before the swap as the bot does, while a timer asks a question every 20 ms; event-loop delay from \`monitorEventLoopDelay({ resolution: 10 })\`, from the start of the reindex to ${fmt(s(sizes.map((r) => r.reindex).find((x) => ok(x))?.settleMs), 0)} s after the swap (when the old index's memory is freed).`);
    L.push('');
    L.push(...table(
      ['articles', 'reindex s (build in a worker + load in slices)', 'max delay ms', 'p99 delay ms', 'longest wait between questions', 'questions during rebuild', 'from the old index', 'questions after the swap'],
      sizes.filter((r) => r.reindex).map((r) => {
        const x = r.reindex!;
        if (!ok(x)) return [fmt(r.articles, 0), `failed: ${x.error.slice(0, 80)}`, '', '', '', '', '', ''];
        if (x.status !== 'done') return [fmt(r.articles, 0), `${x.status}: ${x.reindexError ?? ''}`, '', '', '', '', '', ''];
        return [
          fmt(r.articles, 0), `${fmt(s(x.reindexMs), 1)} (${fmt(s(x.buildPhaseMs), 1)} + ${fmt(s(x.loadPhaseMs), 1)})`,
          fmt(x.maxDelayMs, 0), fmt(x.p99DelayMs, 0), `${fmt(x.longestGap.ms, 0)} ms, ${x.longestGap.phase}`,
          fmt(x.questionsDuringRebuild, 0), x.answeredFromOld ? 'all' : 'no', fmt(x.questionsAfterSwap, 0),
        ];
      }),
    ));
    L.push('');
  }

  L.push(...renderTargets(res));
  const fails = sizes.flatMap(failures);
  if (fails.length > 0) L.push('', '**Failed measurements:**', '', ...fails);
  return L.join('\n') + '\n';
}

function renderTargets(res: BenchResults): string[] {
  const at = res.sizes.find((r) => r.articles === TARGET_SIZE);
  if (!at) return [`Targets are for ${fmt(TARGET_SIZE, 0)} articles: not run this time.`];
  const L: string[] = [`**Targets at ${fmt(TARGET_SIZE, 0)} articles:**`, ''];
  const rows: string[][] = [];
  const mark = (pass: boolean | null): string => (pass === null ? '?' : pass ? '✓' : '✗');
  const add = (target: string, measured: string, pass: boolean | null): void => {
    rows.push([target, measured, mark(pass)]);
  };
  const o = latencyOf(at, 'ours');
  const p = latencyOf(at, 'plain');
  add('question latency p99 ≤ 10 ms (with sentence selection)', o ? `${fmt(o.warm.p99, 2)} ms` : '–', o ? o.warm.p99 <= 10 : null);
  add('faster than plain MiniSearch on the same questions (p50 and p99)', o && p ? `p50 ${fmt(o.warm.p50, 2)} vs ${fmt(p.warm.p50, 2)} ms, p99 ${fmt(o.warm.p99, 2)} vs ${fmt(p.warm.p99, 2)} ms` : '–', o && p ? o.warm.p50 < p.warm.p50 && o.warm.p99 < p.warm.p99 : null);
  const w = at.whole;
  const oi = w && ok(w.oursIndex) ? w.oursIndex : null;
  const pb = w && ok(w.plainBuild) ? w.plainBuild : null;
  add('`npm run index` no slower than building + saving plain MiniSearch', oi && pb ? `${fmt(s(oi.wallMs), 1)} s vs ${fmt(s(pb.wallMs), 1)} s (×${fmt(oi.wallMs / pb.wallMs, 2)})` : '–', oi && pb ? oi.wallMs <= pb.wallMs : null);
  const oa = w && ok(w.oursAsk) ? w.oursAsk : null;
  const pa = w && ok(w.plainAnswer) ? w.plainAnswer : null;
  add('`ask --jsonl` (load + answer) ≤ 0.7× the time of plain', oa && pa ? `${fmt(s(oa.wallMs), 1)} s vs ${fmt(s(pa.wallMs), 1)} s (×${fmt(oa.wallMs / pa.wallMs, 2)})` : '–', oa && pa ? oa.wallMs <= 0.7 * pa.wallMs : null);
  add('`ask --jsonl` ≤ 0.6× the peak memory of plain', oa?.peakRssMB && pa?.peakRssMB ? `${fmt(oa.peakRssMB, 0)} MB vs ${fmt(pa.peakRssMB, 0)} MB (×${fmt(oa.peakRssMB / pa.peakRssMB, 2)})` : '–', oa?.peakRssMB && pa?.peakRssMB ? oa.peakRssMB <= 0.6 * pa.peakRssMB : null);
  const ol = at.inProcess && ok(at.inProcess.ours.load) ? at.inProcess.ours.load : null;
  add('snapshot load ≤ 2 s', ol ? `${fmt(s(ol.loadMs), 2)} s` : '–', ol ? ol.loadMs <= 2000 : null);
  const ri = at.reindex && ok(at.reindex) ? at.reindex : null;
  add('`/reindex`: no event-loop stall over 100 ms', ri ? `max ${fmt(ri.maxDelayMs, 0)} ms (longest wait between questions ${fmt(ri.longestGap.ms, 0)} ms, ${ri.longestGap.phase})` : '–', ri ? ri.maxDelayMs <= 100 : null);
  add('`/reindex`: questions during the rebuild answered from the old index', ri ? `${ri.questionsDuringRebuild} questions, ${ri.answeredFromOld ? 'all from the old index' : 'not all from the old index'}; swapped after: ${ri.swapped ? 'yes' : 'no'}` : '–', ri ? ri.answeredFromOld && ri.swapped && ri.status === 'done' : null);
  L.push(...table(['target', 'measured', ''], rows).map((l, i) => (i === 1 ? '| --- | --- | --- |' : l)));
  return L;
}
