/** The benchmark's results as data, and as the Markdown tables printed and saved to RESULTS.md. */
import type { CorpusMeta } from './corpus.js';
import type { LatencySummary } from './stats.js';

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
  /** Ours: `serializeSnapshot` + `writeSnapshot`; plain: `JSON.stringify` + write. */
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

export interface WholeProcess {
  wallMs: number;
  peakRssMB: number | null;
  cpuS: number | null;
}

type Or<T> = T | Failure;

export interface SizeResult {
  articles: number;
  corpus: Omit<CorpusMeta, 'growth'> & { questions: number; questionKinds: Record<string, number> };
  inProcess: {
    ours: { build: Or<OursBuildStep>; load: Or<LoadStep> };
    plain: { build: Or<BuildStep>; load: Or<LoadStep> };
  } | null;
  whole: {
    oursIndex: Or<WholeProcess & { rejected: number }>;
    plainBuild: Or<WholeProcess>;
    oursAsk: Or<WholeProcess>;
    plainAnswer: Or<WholeProcess & { latency: LatencySummary; answered: number }>;
  } | null;
  reindex: Or<ReindexStep> | null;
}

export interface BenchResults {
  date: string;
  /** The command line's arguments. */
  args: string;
  machine: string;
  /** The commit measured, and whether src/ or commands/ had uncommitted changes at the start or the end. */
  code: { commit: string | null; uncommitted: boolean; changedDuringRun: boolean };
  sizes: SizeResult[];
  elapsedMs: number;
  /** Measured processes that started while other work kept more than 0.35 core busy, and the most seen. */
  contention: { processes: number; underLoad: number; maxBusyCores: number };
}

const TARGET_SIZE = 10_000;
/** Prefixes the load step times autocomplete on (bench/step.ts). */
export const AUTOCOMPLETE_PREFIXES = 1000;

const ok = <T extends object>(x: Or<T> | null | undefined): x is T => x !== null && x !== undefined && !('error' in x);
const got = <T extends object>(x: Or<T> | null | undefined): T | null => (ok(x) ? x : null);

function fmt(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "ours / plain (×ratio)". */
function pair(ours: number | null | undefined, plain: number | null | undefined, digits: number): string {
  const cell = `${fmt(ours, digits)} / ${fmt(plain, digits)}`;
  if (ours === null || ours === undefined || plain === null || plain === undefined || !(plain > 0)) return cell;
  const r = ours / plain;
  return `${cell} (×${fmt(r, r >= 10 ? 0 : r >= 0.1 ? 2 : 3)})`;
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
  const load = got(r.inProcess?.[side].load);
  if (load?.latency) return load.latency;
  const plain = side === 'plain' ? got(r.whole?.plainAnswer) : null;
  return plain ? { warm: plain.latency, answered: plain.answered, source: 'whole-process run, one pass' } : null;
}

/** Failed measurements, and corpora the build did not take whole. */
function problems(r: SizeResult): string[] {
  const out: string[] = [];
  const at = `${fmt(r.articles, 0)} articles`;
  const parts: [string, Or<object> | null | undefined][] = [
    ['build (ours)', r.inProcess?.ours.build],
    ['load (ours)', r.inProcess?.ours.load],
    ['build (plain)', r.inProcess?.plain.build],
    ['load (plain)', r.inProcess?.plain.load],
    ['`index`', r.whole?.oursIndex],
    ['plain build', r.whole?.plainBuild],
    ['`ask --jsonl`', r.whole?.oursAsk],
    ['plain answer', r.whole?.plainAnswer],
    ['reindex', r.reindex],
  ];
  for (const [name, x] of parts) if (x && 'error' in x) out.push(`${at}, ${name}: ${x.error}`);
  const build = got(r.inProcess?.ours.build);
  const rejected = build?.rejected ?? got(r.whole?.oursIndex)?.rejected ?? 0;
  if (rejected > 0) out.push(`${at}: ${rejected} generated files refused by the build (duplicates or not French)`);
  if (build && build.notFrench > 0) out.push(`${at}: ${build.notFrench} articles not detected as French`);
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
      `**Machine:** ${res.machine}. **Code measured:** ${code.commit ?? 'unknown commit'}`,
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
      'paragraph as the answer.',
    ),
  );

  L.push(...para("**Corpus** (synthetic, its vocabulary growing by Heaps' law with K = 44, β = 0.49):"));
  L.push(
    ...table(
      [
        'articles',
        'paragraphs',
        'passages (ours) / paragraphs (plain)',
        'seed files MB',
        'tokens',
        'distinct words',
        'questions',
      ],
      sizes.map((r) => [
        fmt(r.articles, 0),
        fmt(r.corpus.paragraphs, 0),
        `${fmt(got(r.inProcess?.ours.build)?.passages, 0)} / ${fmt(got(r.inProcess?.plain.build)?.passages, 0)}`,
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
        'files), plain reading + parsing into paragraphs + `addAll`; write = `serializeSnapshot` + `writeSnapshot` / ',
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
          const pb = got(r.inProcess!.plain.build);
          const ol = got(r.inProcess!.ours.load);
          const pl = got(r.inProcess!.plain.load);
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
        '`src/app/cli.ts index` vs a process that reads the files, builds and saves plain MiniSearch; ',
        '`src/app/cli.ts ask --jsonl` fed the questions vs a process that loads plain MiniSearch and answers them.',
      ),
    );
    L.push(
      ...table(
        [
          'articles',
          '`index` s',
          '`index` peak RSS MB',
          '`ask --jsonl` s',
          '`ask --jsonl` peak RSS MB',
          'CPU s (`index`; `ask`)',
        ],
        whole.map((r) => {
          const [oi, pb, oa, pa] = [
            got(r.whole!.oursIndex),
            got(r.whole!.plainBuild),
            got(r.whole!.oursAsk),
            got(r.whole!.plainAnswer),
          ];
          return [
            fmt(r.articles, 0),
            pair(s(oi?.wallMs), s(pb?.wallMs), 2),
            pair(oi?.peakRssMB, pb?.peakRssMB, 0),
            pair(s(oa?.wallMs), s(pa?.wallMs), 2),
            pair(oa?.peakRssMB, pa?.peakRssMB, 0),
            `${pair(oi?.cpuS, pb?.cpuS, 1)}; ${pair(oa?.cpuS, pa?.cpuS, 1)}`,
          ];
        }),
      ),
    );
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

function renderTargets(res: BenchResults): string[] {
  const at = res.sizes.find((r) => r.articles === TARGET_SIZE);
  if (!at) return [`Targets are for ${fmt(TARGET_SIZE, 0)} articles: not run this time.`];
  const rows: string[][] = [];
  const add = (target: string, measured: string | null, pass: boolean): void => {
    rows.push([target, measured ?? '–', measured === null ? '?' : pass ? '✓' : '✗']);
  };
  const o = latencyOf(at, 'ours')?.warm;
  const p = latencyOf(at, 'plain')?.warm;
  add('question latency p99 ≤ 10 ms (with sentence selection)', o ? `${fmt(o.p99, 2)} ms` : null, !!o && o.p99 <= 10);
  add(
    'faster than plain MiniSearch on the same questions (p50 and p99)',
    o && p ? `p50 ${fmt(o.p50, 2)} vs ${fmt(p.p50, 2)} ms, p99 ${fmt(o.p99, 2)} vs ${fmt(p.p99, 2)} ms` : null,
    !!o && !!p && o.p50 < p.p50 && o.p99 < p.p99,
  );
  const vs = (a: number, b: number, unit: string, digits: number): string =>
    `${fmt(a, digits)} ${unit} vs ${fmt(b, digits)} ${unit} (×${fmt(a / b, 2)})`;
  const [oi, pb, oa, pa] = [
    got(at.whole?.oursIndex),
    got(at.whole?.plainBuild),
    got(at.whole?.oursAsk),
    got(at.whole?.plainAnswer),
  ];
  add(
    '`npm run index` no slower than building + saving plain MiniSearch',
    oi && pb ? vs(oi.wallMs / 1000, pb.wallMs / 1000, 's', 1) : null,
    !!oi && !!pb && oi.wallMs <= pb.wallMs,
  );
  add(
    '`ask --jsonl` (load + answer) ≤ 0.7× the time of plain',
    oa && pa ? vs(oa.wallMs / 1000, pa.wallMs / 1000, 's', 1) : null,
    !!oa && !!pa && oa.wallMs <= 0.7 * pa.wallMs,
  );
  const [om, pm] = [oa?.peakRssMB, pa?.peakRssMB];
  add(
    '`ask --jsonl` ≤ 0.6× the peak memory of plain',
    om && pm ? vs(om, pm, 'MB', 0) : null,
    !!om && !!pm && om <= 0.6 * pm,
  );
  const ol = got(at.inProcess?.ours.load);
  add('snapshot load ≤ 2 s', ol ? `${fmt(s(ol.loadMs), 2)} s` : null, !!ol && ol.loadMs <= 2000);
  const ac = ol?.autocomplete?.latency;
  add('autocomplete latency p99 ≤ 20 ms', ac ? `${fmt(ac.p99, 2)} ms` : null, !!ac && ac.p99 <= 20);
  const ri = got(at.reindex);
  add(
    '`/reindex`: no event-loop stall over 100 ms',
    ri
      ? `max ${fmt(ri.maxDelayMs, 0)} ms (longest wait between questions ${fmt(ri.longestGap.ms, 0)} ms, ` +
          `${ri.longestGap.phase})`
      : null,
    !!ri && ri.maxDelayMs <= 100,
  );
  add(
    '`/reindex`: questions during the rebuild answered from the old index',
    ri
      ? `${ri.questionsDuringRebuild} questions, ${ri.answeredFromOld ? 'all' : 'not all'} from the old index; ` +
          `swapped after: ${ri.swapped ? 'yes' : 'no'}`
      : null,
    !!ri && ri.answeredFromOld && ri.swapped && ri.status === 'done',
  );
  return [
    `**Targets at ${fmt(TARGET_SIZE, 0)} articles:**`,
    '',
    ...table(['target', 'measured', ''], rows)
      .map((l, i) => (i === 1 ? '| --- | --- | --- |' : l))
      .slice(0, -1),
  ];
}
