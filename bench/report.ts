/** The benchmark's results as data, and as the Markdown tables printed and saved to RESULTS.md. */
import type { CorpusMeta } from './corpus.js';
import type { HitRate, LatencySummary } from './stats.js';

export interface Failure {
  error: string;
}

export interface Latency {
  /** Median, figure by figure, of the passes after the first (the first alone when there was time for no other). */
  warm: LatencySummary;
  answered: number;
  /** Each question's median over the passes, by kind of question. */
  byKind?: Record<string, LatencySummary>;
  /** Where the figures come from, when not from the in-process step. */
  source?: string;
}

export interface BuildStep {
  passages: number;
  /** Ours: `buildFromListing` (reading included); plain: reading, parsing into paragraphs and `addAll`. */
  buildMs: number;
  /** Ours: `packTexts` + `snapshotChunks` + `writeSnapshot`; plain: `JSON.stringify` + write. */
  writeMs: number;
  snapshotBytes: number;
  heapBuiltMB: number;
  peakRssMB: number;
}

export interface OursBuildStep extends BuildStep {
  /** `listSeeds` and the fingerprint of the listing. */
  listMs: number;
  articles: number;
  /** Files the build refused (a duplicate, not French…) and articles not detected as French: both must be 0. */
  rejected: number;
  notFrench: number;
}

/** Autocomplete (ours): `suggest` on prefixes of the questions, as a member types them. */
export interface AutocompleteLatency {
  latency: LatencySummary;
  /** Choices offered per call, on average. */
  choicesMean: number;
  /** Mining the index's phrases (and listing them by prefix), before the first call. */
  phrasesMs: number;
}

export interface LoadStep {
  loadMs: number;
  heapLoadedMB: number;
  peakRssMB: number;
  latency: Latency | null;
  autocomplete?: AutocompleteLatency | null;
}

export interface ReindexStep {
  status: string;
  /** Not `error`: that names a failed measurement. */
  reindexError: string | null;
  reindexMs: number;
  buildPhaseMs: number;
  loadPhaseMs: number;
  settleMs: number;
  maxDelayMs: number;
  p99DelayMs: number;
  questionsDuringRebuild: number;
  answeredFromOld: boolean;
  questionsAfterSwap: number;
  /** Autocompletes done meanwhile (one every 100 ms), and the longest. */
  autocompletes?: number;
  autocompleteMaxMs?: number;
  swapped: boolean;
  longestGap: { ms: number; phase: string };
}

/** One start of the real bot with a snapshot present (bench/startup.ts), times from its spawn. */
export interface StartupRun {
  /** To « index ready » (listing, fingerprint, snapshot load). */
  indexReadyMs: number;
  /** To « connected to Discord ». */
  connectedMs: number;
  /** One question sent once connected: its first response, from the sending. */
  firstAnswerMs: number;
  answered: boolean;
}

export interface StartupSummary {
  articles: number;
  date: string;
  machine: Machine;
  runs: StartupRun[];
  median: Omit<StartupRun, 'answered'>;
  answered: boolean;
}

export interface WholeProcess {
  wallMs: number;
  peakRssMB: number | null;
  cpuS: number | null;
}

/** A process that builds and saves: the size of what it saved (the whole data folder, whatever its format). */
export interface BuildProcess extends WholeProcess {
  snapshotBytes: number;
}

/** A process answering the questions on stdin, one JSON answer a line. */
export interface AnswerProcess extends WholeProcess {
  answered: number;
  /** On the questions whose answer is known (their `answer`: bench/corpus.ts). */
  hits: HitRate;
  /** Each question timed inside the process (baselines only; one pass). */
  latency?: LatencySummary;
}

type Or<T> = T | Failure;

/** The systems compared in the whole processes. */
export const SYSTEMS = ['ours', 'plain', 'flexsearch'] as const;
export type System = (typeof SYSTEMS)[number];
export const SYSTEM_NAMES: Record<System, string> = {
  ours: 'ours',
  plain: 'plain MiniSearch',
  flexsearch: 'FlexSearch',
};

/** ours ÷ each baseline, null where a figure is missing. */
export interface Ratios {
  vsPlain: number | null;
  vsFlexsearch: number | null;
}

/** Ratios at one size: `npm run index` vs the baselines' build + save, `ask --jsonl` vs their load + answer. */
export interface Comparison {
  index: { time: Ratios; peakRss: Ratios };
  ask: { time: Ratios; peakRss: Ratios };
}

/** One system at one size, per article (whole processes): how its costs grow with the corpus. */
export interface GrowthPoint {
  indexMsPerArticle: number | null;
  indexPeakRssKBPerArticle: number | null;
  askPeakRssKBPerArticle: number | null;
  /** Bytes saved per byte of seed files read. */
  snapshotBytesPerSeedByte: number | null;
  /** Load and answer every question, ms per question. */
  askMsPerQuestion: number | null;
}

export interface Target {
  /** Stable name, for scripts reading the JSON. */
  id: string;
  target: string;
  measured: string | null;
  /** null: not measured this time. */
  met: boolean | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** The commit measured (short hash), null outside a git checkout. */
  commit: string | null;
}

export interface SizeResult {
  articles: number;
  corpus: Omit<CorpusMeta, 'growth'> & { questions: number; questionKinds: Record<string, number> };
  inProcess: {
    ours: { build: Or<OursBuildStep>; load: Or<LoadStep> };
    /** null: left out (`--skip plain`). */
    plain: { build: Or<BuildStep>; load: Or<LoadStep> } | null;
  } | null;
  whole: {
    oursIndex: Or<BuildProcess & { rejected: number }>;
    /** null: left out (`--skip plain` / `--skip flexsearch`). */
    plainBuild: Or<BuildProcess> | null;
    flexBuild: Or<BuildProcess> | null;
    oursAsk: Or<AnswerProcess>;
    plainAnswer: Or<AnswerProcess> | null;
    flexAnswer: Or<AnswerProcess> | null;
  } | null;
  reindex: Or<ReindexStep> | null;
  /** The real bot's start against the fake Discord (bench/startup.ts), added by `npm run bench:report`. */
  startup?: StartupSummary;
  /** Derived from `whole` (`compare`, `growthOf`), for readers of the JSON. */
  comparison?: Comparison | null;
  growth?: Record<System, GrowthPoint | null> | null;
}

export interface BenchResults {
  date: string;
  /** The command line's arguments. */
  args: string;
  machine: Machine;
  /** Heap limit given to the baselines' processes (ours runs with Node's default, as `npm run index` does). */
  baselineHeapMB?: number;
  /** The commit measured, and whether src/ or commands/ had uncommitted changes at the start or the end. */
  code: { commit: string | null; uncommitted: boolean; changedDuringRun: boolean };
  sizes: SizeResult[];
  elapsedMs: number;
  /** Measured processes that started while other work kept more than 0.35 core busy, and the most seen. */
  contention: { processes: number; underLoad: number; maxBusyCores: number };
  /** The targets, each met or not (`computeTargets`). */
  targets?: Target[];
}

export const TARGET_SIZE = 10_000;
/** The size of issue 13's scale targets. */
export const LARGE_TARGET_SIZE = 100_000;
/** Prefixes the load step times autocomplete on (bench/step.ts). */
export const AUTOCOMPLETE_PREFIXES = 1000;

const ok = <T extends object>(x: Or<T> | null | undefined): x is T => x !== null && x !== undefined && !('error' in x);
const got = <T extends object>(x: Or<T> | null | undefined): T | null => (ok(x) ? x : null);

function fmt(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "×0.84": two decimals, three below 0.1, none from 10. */
const times = (r: number): string => `×${fmt(r, r >= 10 ? 0 : r >= 0.1 ? 2 : 3)}`;

/** "ours / plain (×ratio)". */
function pair(ours: number | null | undefined, plain: number | null | undefined, digits: number): string {
  const cell = `${fmt(ours, digits)} / ${fmt(plain, digits)}`;
  if (ours === null || ours === undefined || plain === null || plain === undefined || !(plain > 0)) return cell;
  const r = ours / plain;
  return `${cell} (${times(r)})`;
}

const s = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : ms / 1000);
const mb = (bytes: number | undefined): number | null => (bytes === undefined ? null : bytes / 1048576);

/** A paragraph wrapped at 120 characters, and the blank line after it. */
function para(...parts: string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of parts.join('').split(' ')) {
    if (line !== '' && line.length + 1 + word.length > 120) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line, ''];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map((_, i) => (i === 0 ? '---:' : '---'))), ...rows.map(row), ''];
}

/** Latency of one side: the in-process step's, or for plain its whole-process run's when one pass was too long. */
function latencyOf(r: SizeResult, side: 'ours' | 'plain'): Latency | null {
  const load = got(r.inProcess?.[side]?.load);
  if (load?.latency) return load.latency;
  const plain = side === 'plain' ? got(r.whole?.plainAnswer) : null;
  return plain?.latency
    ? { warm: plain.latency, answered: plain.answered, source: 'whole-process run, one pass' }
    : null;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) ? null : a / b;

/** The whole processes of one size, by system. */
function processes(r: SizeResult): Record<System, { index: BuildProcess | null; ask: AnswerProcess | null }> {
  const w = r.whole;
  return {
    ours: { index: got(w?.oursIndex), ask: got(w?.oursAsk) },
    plain: { index: got(w?.plainBuild), ask: got(w?.plainAnswer) },
    flexsearch: { index: got(w?.flexBuild), ask: got(w?.flexAnswer) },
  };
}

const digits4 = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(4)));

/** ours ÷ plain and ours ÷ FlexSearch, for `npm run index` and `ask --jsonl`, time and peak RSS. */
export function compare(r: SizeResult): Comparison | null {
  if (!r.whole) return null;
  const p = processes(r);
  const ratios = (
    pick: (x: { index: BuildProcess | null; ask: AnswerProcess | null }) => number | null | undefined,
  ): Ratios => ({
    vsPlain: digits4(ratio(pick(p.ours), pick(p.plain))),
    vsFlexsearch: digits4(ratio(pick(p.ours), pick(p.flexsearch))),
  });
  return {
    index: { time: ratios((x) => x.index?.wallMs), peakRss: ratios((x) => x.index?.peakRssMB) },
    ask: { time: ratios((x) => x.ask?.wallMs), peakRss: ratios((x) => x.ask?.peakRssMB) },
  };
}

/** Per article (and per seed byte, per question) figures of each system's whole processes at one size. */
export function growthOf(r: SizeResult): Record<System, GrowthPoint | null> | null {
  if (!r.whole) return null;
  // Four significant digits; a figure missing (a failed process) stays null, never a zero.
  const per = (x: number | null | undefined, d: number): number | null =>
    x === null || x === undefined || !(x > 0) || !(d > 0) ? null : Number((x / d).toPrecision(4));
  const kb = (mb: number | null | undefined): number | null => (mb === null || mb === undefined ? null : mb * 1024);
  const point = ({ index, ask }: { index: BuildProcess | null; ask: AnswerProcess | null }): GrowthPoint | null =>
    !index && !ask
      ? null
      : {
          indexMsPerArticle: per(index?.wallMs, r.articles),
          indexPeakRssKBPerArticle: per(kb(index?.peakRssMB), r.articles),
          askPeakRssKBPerArticle: per(kb(ask?.peakRssMB), r.articles),
          snapshotBytesPerSeedByte: per(index?.snapshotBytes, r.corpus.bytes),
          askMsPerQuestion: per(ask?.wallMs, r.corpus.questions),
        };
  const p = processes(r);
  return { ours: point(p.ours), plain: point(p.plain), flexsearch: point(p.flexsearch) };
}

/** "AMD EPYC, 2 cores, 23.5 GiB RAM, Node v20.20.2, Linux … x64". */
export function machineText(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}`;
}

/** Failed measurements, and corpora the build did not take whole. */
function problems(r: SizeResult): string[] {
  const out: string[] = [];
  const at = `${fmt(r.articles, 0)} articles`;
  const parts: [string, Or<object> | null | undefined][] = [
    ['build (ours)', r.inProcess?.ours.build],
    ['load (ours)', r.inProcess?.ours.load],
    ['build (plain)', r.inProcess?.plain?.build],
    ['load (plain)', r.inProcess?.plain?.load],
    ['`index`', r.whole?.oursIndex],
    ['plain build', r.whole?.plainBuild],
    ['`ask --jsonl`', r.whole?.oursAsk],
    ['plain answer', r.whole?.plainAnswer],
    ['FlexSearch build', r.whole?.flexBuild],
    ['FlexSearch answer', r.whole?.flexAnswer],
    ['reindex', r.reindex],
  ];
  for (const [name, x] of parts) if (x && 'error' in x) out.push(`${at}, ${name}: ${x.error}`);
  const build = got(r.inProcess?.ours.build);
  const rejected = build?.rejected ?? got(r.whole?.oursIndex)?.rejected ?? 0;
  if (rejected > 0) out.push(`${at}: ${rejected} generated files refused by the build (duplicates or not French)`);
  if (build && build.notFrench > 0) out.push(`${at}: ${build.notFrench} articles not detected as French`);
  const { distinctArticles } = r.corpus;
  if (distinctArticles !== undefined && distinctArticles !== r.articles) {
    out.push(`${at}: only ${distinctArticles} distinct articles`);
  }
  return out;
}

export function renderMarkdown(res: BenchResults): string {
  const sizes = res.sizes;
  const inProcess = sizes.filter((r) => r.inProcess);
  const { code, contention: c } = res;
  const L: string[] = [
    ...para(
      `Benchmark run ${res.date.slice(0, 16).replace('T', ' ')} UTC `,
      `(\`npm run bench${res.args ? ` -- ${res.args}` : ''}\`, ${fmt(res.elapsedMs / 60000, 1)} min).`,
    ),
    ...para(
      `**Machine:** ${machineText(res.machine)}. **Code measured:** ${code.commit ?? 'unknown commit'}`,
      code.uncommitted ? ' + uncommitted changes' : '',
      code.changedDuringRun ? ' (changed during the run)' : '',
      '.',
    ),
  ];
  if (c.underLoad > 0) {
    L.push(
      ...para(
        `⚠ ${c.underLoad} of ${c.processes} measured processes started while other work kept up to `,
        `${fmt(c.maxBusyCores, 1)} cores busy: their figures are pessimistic.`,
      ),
    );
  }
  L.push(
    ...para(
      'Each cell is **ours / plain MiniSearch (×ratio ours÷plain)**; lower is better everywhere. Plain = ',
      "`new MiniSearch({ fields: ['text'] })` over the same files' paragraphs, default `search(q)`, the top hit's ",
      'paragraph as the answer. FlexSearch (the whole processes only) = ',
      `\`${FLEX_TEXT}\` over the same paragraphs.`,
    ),
  );
  L.push(...renderSummary(res));

  L.push(
    ...para(
      "**Corpus** (synthetic, its vocabulary growing by Heaps' law with K = 44, β = 0.49). Distinct articles: bodies ",
      'that differ once case and spacing are ignored, title and headers left out (the generator stops on a repeat); ',
      'distinct paragraphs, comments included:',
    ),
  );
  L.push(
    ...table(
      [
        'articles',
        'distinct articles / paragraphs',
        'paragraphs',
        'passages (ours) / paragraphs (plain)',
        'seed files MB',
        'tokens',
        'distinct words',
        'questions',
      ],
      sizes.map((r) => [
        fmt(r.articles, 0),
        `${fmt(r.corpus.distinctArticles, 0)} / ${fmt(r.corpus.distinctParagraphs, 0)}`,
        fmt(r.corpus.paragraphs, 0),
        `${fmt(got(r.inProcess?.ours.build)?.passages, 0)} / ${fmt(got(r.inProcess?.plain?.build)?.passages, 0)}`,
        fmt(mb(r.corpus.bytes), 1),
        fmt(r.corpus.tokens, 0),
        fmt(r.corpus.types, 0),
        `${r.corpus.questions} (${Object.entries(r.corpus.questionKinds)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')})`,
      ]),
    ),
  );

  if (inProcess.length > 0) {
    L.push(
      ...para(
        '**Build, snapshot and load** (in-process, each step in its own process; medians of the repeated ',
        'runs). Build = ours `listSeeds` + `buildFromListing` (the production build: ' +
          'parsing in worker threads from 300 ',
        'files), plain reading + parsing into paragraphs + `addAll`; write = `packTexts` + `snapshotChunks` + ',
        '`writeSnapshot` / ',
        '`JSON.stringify` + write; load = `readSnapshot` / `MiniSearch.loadJSON` + paragraphs.',
      ),
    );
    L.push(
      ...table(
        [
          'articles',
          'build s',
          'snapshot write s',
          'snapshot MB',
          'load s',
          'heap after build MB',
          'heap after load MB',
          'peak RSS build+write MB',
          'peak RSS load MB',
        ],
        inProcess.map((r) => {
          const ob = got(r.inProcess!.ours.build);
          const pb = got(r.inProcess!.plain?.build);
          const ol = got(r.inProcess!.ours.load);
          const pl = got(r.inProcess!.plain?.load);
          return [
            fmt(r.articles, 0),
            pair(s(ob ? ob.listMs + ob.buildMs : null), s(pb?.buildMs), 2),
            pair(s(ob?.writeMs), s(pb?.writeMs), 2),
            pair(mb(ob?.snapshotBytes), mb(pb?.snapshotBytes), 1),
            pair(s(ol?.loadMs), s(pl?.loadMs), 2),
            pair(ob?.heapBuiltMB, pb?.heapBuiltMB, 0),
            pair(ol?.heapLoadedMB, pl?.heapLoadedMB, 0),
            pair(ob?.peakRssMB, pb?.peakRssMB, 0),
            pair(ol?.peakRssMB, pl?.peakRssMB, 0),
          ];
        }),
      ),
    );
    const split = inProcess.map((r) => [r.articles, got(r.inProcess!.ours.build)] as const);
    const listBuild = split.map(([n, b]) => `${fmt(n, 0)}: ${fmt(s(b?.listMs), 2)} + ${fmt(s(b?.buildMs), 2)} s`);
    L.push(...para(`Ours, list + build: ${listBuild.join('; ')}.`));

    L.push(
      ...para(
        '**Question latency**, ms per question, in-process (ours: the whole `ask`, sentence selection and ',
        'highlighting included; plain: `search` + top hit), after a warm-up; medians over passes.',
      ),
    );
    const notes: string[] = [];
    L.push(
      ...table(
        ['articles', 'p50', 'p95', 'p99', 'mean', 'max', 'answered'],
        inProcess.map((r) => {
          const o = latencyOf(r, 'ours');
          const p = latencyOf(r, 'plain');
          if (p?.source) notes.push(`plain at ${fmt(r.articles, 0)}: ${p.source} (a pass did not fit in the step)`);
          if (o?.byKind) {
            const kinds = Object.entries(o.byKind).map(([k, v]) => `${k} ${fmt(v.p50, 1)} / ${fmt(v.p99, 1)}`);
            notes.push(`ours at ${fmt(r.articles, 0)}, p50 / p99 by kind of question: ${kinds.join(', ')} ms`);
          }
          const w = (k: keyof LatencySummary, d: number): string => pair(o?.warm[k], p?.warm[k], d);
          return [
            fmt(r.articles, 0),
            w('p50', 2),
            w('p95', 2),
            w('p99', 2),
            w('mean', 2),
            w('max', 1),
            `${fmt(o?.answered, 0)} / ${fmt(p?.answered, 0)} of ${r.corpus.questions}`,
          ];
        }),
      ),
    );
    if (notes.length > 0) L.push(...notes.map((n) => `- ${n}`), '');

    const typed = inProcess.filter((r) => got(r.inProcess!.ours.load)?.autocomplete);
    if (typed.length > 0) {
      L.push(
        ...para(
          '**Autocomplete latency** (ours only), ms per call: `suggest(index, typed, topic)` on the text of ',
          'each question up to the first three letters of each of its words, as a member types it (the first ',
          `${fmt(AUTOCOMPLETE_PREFIXES, 0)} prefixes, after 20 warm-up calls); the phrases are mined first.`,
        ),
      );
      L.push(
        ...table(
          ['articles', 'p50', 'p95', 'p99', 'mean', 'max', 'prefixes', 'choices per call', 'phrases mined s'],
          typed.map((r) => {
            const a = got(r.inProcess!.ours.load)!.autocomplete!;
            return [
              fmt(r.articles, 0),
              fmt(a.latency.p50, 2),
              fmt(a.latency.p95, 2),
              fmt(a.latency.p99, 2),
              fmt(a.latency.mean, 2),
              fmt(a.latency.max, 1),
              fmt(a.latency.n, 0),
              fmt(a.choicesMean, 1),
              fmt(s(a.phrasesMs), 2),
            ];
          }),
        ),
      );
    }
  }

  const whole = sizes.filter((r) => r.whole);
  if (whole.length > 0) {
    L.push(
      ...para(
        '**Whole process** (wall time, peak RSS and CPU of the process, `node --import tsx`): ',
        '`src/app/cli.ts index` vs a process that reads the files, builds and saves plain MiniSearch / FlexSearch; ',
        '`src/app/cli.ts ask --jsonl` fed the questions vs a process that loads plain MiniSearch / FlexSearch and ',
        'answers them (top 3 paragraphs). Snapshot = the data folder each saved. Hits: questions whose known ',
        'answer (the phrase they were made from) is in the first quote or paragraph / in the first three, compared ',
        'folded as `npm run eval` does.',
      ),
    );
    L.push(...renderWhole(whole));
    const latencies = whole.flatMap((r) =>
      (['plain', 'flexsearch'] as const).flatMap((x) => {
        const l = processes(r)[x].ask?.latency;
        return l ? [`${SYSTEM_NAMES[x]} at ${fmt(r.articles, 0)}: p50 ${fmt(l.p50, 2)}, p99 ${fmt(l.p99, 2)} ms`] : [];
      }),
    );
    if (latencies.length > 0) {
      L.push(...para(`Baselines' question latency in their \`answer\` process (one pass): ${latencies.join('; ')}.`));
    }
    L.push(...renderGrowth(whole));
  }

  const reindex = sizes.filter((r) => r.reindex);
  if (reindex.length > 0) {
    const settle = s(reindex.map((r) => got(r.reindex)).find((x) => x)?.settleMs);
    L.push(
      ...para(
        '**`/reindex` while answering** (ours only): `IndexHolder.reindex()` on the same seeds, readying ',
        "the new index's autocomplete phrases before the swap as the bot does, while a timer asks a question every ",
        '20 ms and an autocomplete every 100 ms; event-loop delay from `monitorEventLoopDelay({ resolution: 10 })`, ',
        'from the start of the reindex to ',
        `${fmt(settle, 0)} s after the swap (when the old index's memory is freed).`,
      ),
    );
    L.push(
      ...table(
        [
          'articles',
          'reindex s (build in a worker + load in slices)',
          'max delay ms',
          'p99 delay ms',
          'longest wait between questions',
          'questions during rebuild',
          'from the old index',
          'questions after the swap',
          'autocompletes (longest ms)',
        ],
        reindex.map((r) => {
          const x = got(r.reindex);
          if (x?.status !== 'done') return [fmt(r.articles, 0), x ? `${x.status}: ${x.reindexError}` : 'failed'];
          return [
            fmt(r.articles, 0),
            `${fmt(s(x.reindexMs), 1)} (${fmt(s(x.buildPhaseMs), 1)} + ${fmt(s(x.loadPhaseMs), 1)})`,
            fmt(x.maxDelayMs, 0),
            fmt(x.p99DelayMs, 0),
            `${fmt(x.longestGap.ms, 0)} ms, ${x.longestGap.phase}`,
            fmt(x.questionsDuringRebuild, 0),
            x.answeredFromOld ? 'all' : 'no',
            fmt(x.questionsAfterSwap, 0),
            `${fmt(x.autocompletes, 0)} (${fmt(x.autocompleteMaxMs, 0)})`,
          ];
        }),
      ),
    );
  }

  L.push(...renderTargets(res));
  const fails = sizes.flatMap(problems);
  if (fails.length > 0) L.push('', '**Failed measurements and checks:**', '', ...fails.map((f) => `- ${f}`));
  return `${L.join('\n')}\n`;
}

/** FlexSearch's options, as bench/flexsearch.ts's `flexOptions()` sets them. */
export const FLEX_TEXT =
  "new Index({ tokenize: 'strict', context: true, encoder: new Encoder(Charset.Normalize).assign(French) })" +
  ', search(q, { limit: 3, suggest: true })';

/** "ours / plain / FlexSearch". */
function triple(values: Record<System, number | null | undefined>, digits: number): string {
  return SYSTEMS.map((x) => fmt(values[x], digits)).join(' / ');
}

/** One row a system, then ours ÷ each baseline, for each size. */
function renderWhole(sizes: readonly SizeResult[]): string[] {
  const rows: string[][] = [];
  for (const r of sizes) {
    const p = processes(r);
    for (const x of SYSTEMS) {
      const { index, ask } = p[x];
      const skipped = x === 'plain' ? r.whole!.plainBuild === null : x === 'flexsearch' && r.whole!.flexBuild === null;
      if (skipped) continue;
      const h = ask?.hits;
      rows.push([
        `${fmt(r.articles, 0)} ${SYSTEM_NAMES[x]}`,
        fmt(s(index?.wallMs), 2),
        fmt(index?.peakRssMB, 0),
        fmt(mb(index?.snapshotBytes), 1),
        fmt(s(ask?.wallMs), 2),
        fmt(ask?.peakRssMB, 0),
        `${fmt(index?.cpuS, 1)}; ${fmt(ask?.cpuS, 1)}`,
        h ? `${h.at1} / ${h.at3} of ${h.labelled}` : '–',
      ]);
    }
    const c = compare(r)!;
    const x = (v: number | null): string => (v === null ? '–' : times(v));
    for (const [label, key] of [
      ['ours ÷ plain', 'vsPlain'],
      ['ours ÷ FlexSearch', 'vsFlexsearch'],
    ] as const) {
      if (c.index.time[key] === null && c.ask.time[key] === null) continue;
      rows.push([
        `${fmt(r.articles, 0)} ${label}`,
        x(c.index.time[key]),
        x(c.index.peakRss[key]),
        '',
        x(c.ask.time[key]),
        x(c.ask.peakRss[key]),
        '',
        '',
      ]);
    }
  }
  return table(
    [
      'articles, system',
      '`index` s',
      '`index` peak RSS MB',
      'snapshot MB',
      '`ask --jsonl` s',
      '`ask --jsonl` peak RSS MB',
      'CPU s (`index`; `ask`)',
      'hits @1 / @3',
    ],
    rows,
  );
}

/** Per-article figures by size, and how much they grew from the smallest size to the largest. */
function renderGrowth(sizes: readonly SizeResult[]): string[] {
  const points = sizes.map((r) => [r, growthOf(r)!] as const);
  const L = para(
    '**Growth** (whole processes, per article; ours / plain MiniSearch / FlexSearch). Peak RSS per article ',
    "includes each process's fixed start-up memory, which dominates on small corpora.",
  );
  const col = (k: keyof GrowthPoint, digits: number) => (g: Record<System, GrowthPoint | null>) =>
    triple({ ours: g.ours?.[k], plain: g.plain?.[k], flexsearch: g.flexsearch?.[k] }, digits);
  L.push(
    ...table(
      [
        'articles',
        '`index` ms / article',
        '`index` peak RSS KB / article',
        '`ask --jsonl` peak RSS KB / article',
        'snapshot bytes / seed byte',
        '`ask --jsonl` ms / question',
      ],
      points.map(([r, g]) => [
        fmt(r.articles, 0),
        col('indexMsPerArticle', 3)(g),
        col('indexPeakRssKBPerArticle', 1)(g),
        col('askPeakRssKBPerArticle', 1)(g),
        col('snapshotBytesPerSeedByte', 2)(g),
        col('askMsPerQuestion', 2)(g),
      ]),
    ),
  );
  if (points.length >= 2) {
    const [first, last] = [points[0]!, points[points.length - 1]!];
    const change = (k: keyof GrowthPoint): string =>
      SYSTEMS.map((x) => {
        const v = ratio(last[1][x]?.[k], first[1][x]?.[k]);
        return `${SYSTEM_NAMES[x]} ${v === null ? '–' : `×${fmt(v, 2)}`}`;
      }).join(', ');
    L.push(
      ...para(
        `From ${fmt(first[0].articles, 0)} to ${fmt(last[0].articles, 0)} articles (×1 = linear growth), `,
        `\`index\` time per article: ${change('indexMsPerArticle')}; `,
        `\`index\` peak RSS per article: ${change('indexPeakRssKBPerArticle')}. `,
        'Chart: `bench/growth.svg` (`npm run bench:chart`).',
      ),
    );
  }
  return L;
}

/** The table the project README quotes (issue 13's layout): whole processes, ours beside both baselines. */
function renderSummary(res: BenchResults): string[] {
  const sizes = res.sizes.filter((r) => r.whole);
  if (sizes.length === 0) return [];
  const L = para(
    '**Summary** (whole processes; the README quotes this table): `npm run index` and `ask --jsonl` (500 questions) ',
    'of ours, and the build + save / load + answer processes of the baselines, wall time in seconds.',
  );
  L.push(
    ...table(
      [
        'articles',
        '`npm run index` s',
        'peak RSS MB',
        'snapshot MB',
        `\`ask --jsonl\` ${fmt(sizes[0]!.corpus.questions, 0)} q s`,
        'plain MiniSearch index / ask s',
        'FlexSearch index / ask s',
      ],
      sizes.map((r) => {
        const p = processes(r);
        const c = compare(r)!;
        const vs = (v: number | null, name: string): string => (v === null ? '' : `${times(v)} ${name}`);
        const notes = (time: Ratios): string => {
          const parts = [vs(time.vsPlain, 'plain'), vs(time.vsFlexsearch, 'Flex')].filter((x) => x !== '');
          return parts.length > 0 ? ` (${parts.join(', ')})` : '';
        };
        const failed = (x: 'plain' | 'flexsearch', part: 'Build' | 'Answer'): boolean => {
          const key = `${x === 'plain' ? 'plain' : 'flex'}${part}` as const;
          const m = r.whole![key];
          return !!m && 'error' in m;
        };
        const sec = (ms: number | undefined, x: 'plain' | 'flexsearch', part: 'Build' | 'Answer'): string =>
          ms === undefined && failed(x, part) ? 'failed' : fmt(s(ms), 1);
        const pair2 = (x: 'plain' | 'flexsearch'): string =>
          `${sec(p[x].index?.wallMs, x, 'Build')} / ${sec(p[x].ask?.wallMs, x, 'Answer')}`;
        return [
          fmt(r.articles, 0),
          `${fmt(s(p.ours.index?.wallMs), 1)}${notes(c.index.time)}`,
          fmt(p.ours.index?.peakRssMB, 0),
          fmt(mb(p.ours.index?.snapshotBytes), 1),
          `${fmt(s(p.ours.ask?.wallMs), 1)}${notes(c.ask.time)}`,
          pair2('plain'),
          pair2('flexsearch'),
        ];
      }),
    ),
  );
  return L;
}

/** The targets of the issues, each met or not (null: not measured in this run). */
export function computeTargets(res: BenchResults): Target[] {
  const out: Target[] = [];
  const add = (id: string, target: string, measured: string | null, pass: boolean): void => {
    out.push({ id, target, measured, met: measured === null ? null : pass });
  };
  const at = res.sizes.find((r) => r.articles === TARGET_SIZE);
  if (at) {
    const o = latencyOf(at, 'ours')?.warm;
    const p = latencyOf(at, 'plain')?.warm;
    add(
      'latency-p99',
      'question latency p99 ≤ 10 ms (with sentence selection)',
      o ? `${fmt(o.p99, 2)} ms` : null,
      !!o && o.p99 <= 10,
    );
    add(
      'latency-vs-plain',
      'faster than plain MiniSearch on the same questions (p50 and p99)',
      o && p ? `p50 ${fmt(o.p50, 2)} vs ${fmt(p.p50, 2)} ms, p99 ${fmt(o.p99, 2)} vs ${fmt(p.p99, 2)} ms` : null,
      !!o && !!p && o.p50 < p.p50 && o.p99 < p.p99,
    );
    const vs = (a: number, b: number, unit: string, digits: number): string =>
      `${fmt(a, digits)} ${unit} vs ${fmt(b, digits)} ${unit} (${times(a / b)})`;
    const w = processes(at);
    const time = (a: WholeProcess | null, b: WholeProcess | null, max: number, id: string, target: string) =>
      add(
        id,
        target,
        a && b ? vs(a.wallMs / 1000, b.wallMs / 1000, 's', 1) : null,
        !!a && !!b && a.wallMs <= max * b.wallMs,
      );
    time(
      w.ours.index,
      w.plain.index,
      0.6,
      'index-vs-plain',
      '`npm run index` ≤ 0.6× the time of building + saving plain MiniSearch',
    );
    time(
      w.ours.index,
      w.flexsearch.index,
      1,
      'index-vs-flexsearch',
      '`npm run index` ≤ 1.0× the time of building + exporting FlexSearch',
    );
    time(w.ours.ask, w.plain.ask, 0.7, 'ask-vs-plain', '`ask --jsonl` (load + answer) ≤ 0.7× the time of plain');
    time(
      w.ours.ask,
      w.flexsearch.ask,
      1,
      'ask-vs-flexsearch',
      '`ask --jsonl` ≤ 1.0× the time of FlexSearch (import + answer)',
    );
    const [om, pm] = [w.ours.ask?.peakRssMB, w.plain.ask?.peakRssMB];
    add(
      'ask-memory-vs-plain',
      '`ask --jsonl` ≤ 0.6× the peak memory of plain',
      om && pm ? vs(om, pm, 'MB', 0) : null,
      !!om && !!pm && om <= 0.6 * pm,
    );
    const ol = got(at.inProcess?.ours.load);
    add('load', 'snapshot load ≤ 2 s', ol ? `${fmt(s(ol.loadMs), 2)} s` : null, !!ol && ol.loadMs <= 2000);
    const ac = ol?.autocomplete?.latency;
    add(
      'autocomplete-p99',
      'autocomplete latency p99 ≤ 20 ms',
      ac ? `${fmt(ac.p99, 2)} ms` : null,
      !!ac && ac.p99 <= 20,
    );
    const ri = got(at.reindex);
    add(
      'reindex-stall',
      '`/reindex`: no event-loop stall over 100 ms',
      ri
        ? `max ${fmt(ri.maxDelayMs, 0)} ms (longest wait between questions ${fmt(ri.longestGap.ms, 0)} ms, ` +
            `${ri.longestGap.phase})`
        : null,
      !!ri && ri.maxDelayMs <= 100,
    );
    add(
      'reindex-old-index',
      '`/reindex`: questions during the rebuild answered from the old index',
      ri
        ? `${ri.questionsDuringRebuild} questions, ${ri.answeredFromOld ? 'all' : 'not all'} from the old index; ` +
            `swapped after: ${ri.swapped ? 'yes' : 'no'}`
        : null,
      !!ri && ri.answeredFromOld && ri.swapped && ri.status === 'done',
    );
  }
  const large = res.sizes.find((r) => r.articles === LARGE_TARGET_SIZE);
  if (large) largeTargets(large, add);
  // Beyond the target size: that ours went through at all (the 500,000 run, issue 13).
  for (const r of res.sizes.filter((x) => x.articles > TARGET_SIZE && x.whole)) {
    const w = processes(r).ours;
    add(
      `completed-${r.articles}`,
      `\`npm run index\` and \`ask --jsonl\` complete at ${fmt(r.articles, 0)} articles`,
      w.index || w.ask || r.whole!.oursIndex || r.whole!.oursAsk
        ? `index ${w.index ? `${fmt(s(w.index.wallMs), 0)} s, peak ${fmt(w.index.peakRssMB, 0)} MB` : 'failed'}; ` +
            `ask ${w.ask ? `${fmt(s(w.ask.wallMs), 1)} s, peak ${fmt(w.ask.peakRssMB, 0)} MB` : 'failed'}`
        : null,
      !!w.index && !!w.ask,
    );
  }
  return out;
}

/** Decimal gigabytes in the tables' MB (2²⁰ bytes): the stricter reading of a target in GB. */
const GB_IN_MB = 1e9 / 1048576;

/** Issue 13's targets at 100,000 articles, ours alone (whole processes, in-process load and latency). */
function largeTargets(
  r: SizeResult,
  add: (id: string, target: string, measured: string | null, pass: boolean) => void,
): void {
  const w = processes(r).ours;
  const at = fmt(r.articles, 0);
  const index = w.index;
  add(
    'large-index-time',
    `\`npm run index\` ≤ 45 s at ${at} articles`,
    index ? `${fmt(s(index.wallMs), 1)} s` : null,
    !!index && index.wallMs <= 45_000,
  );
  const rss = (p: WholeProcess | null): string | null =>
    p?.peakRssMB ? `${fmt(p.peakRssMB, 0)} MB (${fmt(p.peakRssMB / GB_IN_MB, 2)} GB)` : null;
  add(
    'large-index-memory',
    `\`npm run index\` peak RSS ≤ 2 GB (10⁹ bytes) at ${at} articles`,
    rss(index),
    !!index?.peakRssMB && index.peakRssMB <= 2 * GB_IN_MB,
  );
  const perSeedByte = growthOf(r)?.ours?.snapshotBytesPerSeedByte ?? null;
  add(
    'large-snapshot-size',
    `snapshot ≤ 1.2× the seed bytes at ${at} articles`,
    perSeedByte === null ? null : `${fmt(perSeedByte, 3)}×`,
    perSeedByte !== null && perSeedByte <= 1.2,
  );
  const load = got(r.inProcess?.ours.load);
  add(
    'large-load',
    `snapshot load ≤ 3 s at ${at} articles`,
    load ? `${fmt(s(load.loadMs), 2)} s` : null,
    !!load && load.loadMs <= 3000,
  );
  const latency = latencyOf(r, 'ours')?.warm;
  add(
    'large-latency-p99',
    `question latency p99 ≤ 10 ms at ${at} articles`,
    latency ? `${fmt(latency.p99, 2)} ms` : null,
    !!latency && latency.p99 <= 10,
  );
  const start = r.startup;
  add(
    'large-connected',
    `the bot connected ≤ 5 s after its start, snapshot present, at ${at} articles ` +
      `(median of ${start?.runs.length ?? 0})`,
    start
      ? `${fmt(s(start.median.connectedMs), 2)} s (index ready ${fmt(s(start.median.indexReadyMs), 2)} s); ` +
          `first answer ${fmt(start.median.firstAnswerMs, 0)} ms${start.answered ? '' : ', not every start answered'}`
      : null,
    !!start && start.median.connectedMs <= 5000 && start.answered,
  );
  add(
    'large-ask-memory',
    `\`ask --jsonl\` peak RSS ≤ 1.5 GB (10⁹ bytes) at ${at} articles`,
    rss(w.ask),
    !!w.ask?.peakRssMB && w.ask.peakRssMB <= 1.5 * GB_IN_MB,
  );
}

function renderTargets(res: BenchResults): string[] {
  const targets = res.targets ?? computeTargets(res);
  const atTarget = res.sizes.some((r) => r.articles === TARGET_SIZE);
  const head = `Targets${atTarget ? ` at ${fmt(TARGET_SIZE, 0)} articles unless the row says otherwise` : ''}`;
  const where = `${machineText(res.machine)}, code ${res.code.commit ?? 'unknown'}`;
  if (targets.length === 0)
    return [`Targets are for ${fmt(TARGET_SIZE, 0)} and ${fmt(LARGE_TARGET_SIZE, 0)} articles: not run this time.`];
  const rows = targets.map((t) => [t.target, t.measured ?? '–', t.met === null ? '?' : t.met ? '✓' : '✗']);
  return [
    `**${head}** (${where}):`,
    '',
    ...table(['target', 'measured', ''], rows)
      .map((l, i) => (i === 1 ? '| --- | --- | --- |' : l))
      .slice(0, -1),
  ];
}
