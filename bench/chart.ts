/**
 * The growth chart: per-article cost of the whole processes (bench/report.ts `growthOf`) against the corpus size,
 * articles on a log scale, ours vs plain MiniSearch vs FlexSearch, as an SVG written here from the benchmark's JSON
 * (no dependency). `npm run bench` writes it after a run of two sizes or more; by hand:
 *
 *   npm run bench:chart                                    # bench-results/latest.json → bench/growth.svg
 *   npm run bench:chart -- --out FILE.svg A.json B.json    # sizes of several runs (a later run's size wins)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  growthOf,
  machineText,
  SYSTEM_NAMES,
  SYSTEMS,
  type BenchResults,
  type GrowthPoint,
  type SizeResult,
  type System,
} from './report.js';

/** The panels, left to right. */
export const PANELS: readonly { metric: keyof GrowthPoint; title: string; unit: string }[] = [
  { metric: 'indexMsPerArticle', title: 'npm run index: time per article', unit: 'ms' },
  { metric: 'indexPeakRssKBPerArticle', title: 'npm run index: peak RSS per article', unit: 'KB' },
];

const STYLE: Record<System, { color: string; marker: 'circle' | 'square' | 'triangle'; dash: string }> = {
  ours: { color: '#1f6feb', marker: 'circle', dash: '' },
  plain: { color: '#d1242f', marker: 'square', dash: '6 4' },
  flexsearch: { color: '#1a7f37', marker: 'triangle', dash: '2 3' },
};

export interface Series {
  system: System;
  /** [articles, value], by size; sizes without a figure left out. */
  points: [number, number][];
}

/** Each size once (a later run's wins), in order of size. */
export function mergeSizes(runs: readonly BenchResults[]): SizeResult[] {
  const bySize = new Map<number, SizeResult>();
  for (const run of runs) for (const r of run.sizes) if (r.whole) bySize.set(r.articles, r);
  return [...bySize.values()].sort((a, b) => a.articles - b.articles);
}

export function seriesOf(sizes: readonly SizeResult[], metric: keyof GrowthPoint): Series[] {
  return SYSTEMS.map((system) => ({
    system,
    points: sizes.flatMap((r): [number, number][] => {
      const v = growthOf(r)?.[system]?.[metric];
      return v === null || v === undefined || !Number.isFinite(v) ? [] : [[r.articles, v]];
    }),
  }));
}

const esc = (s: string): string =>
  s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
const num = (n: number): string => String(Math.round(n * 10) / 10);
const label = (n: number): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: n >= 100 ? 0 : n >= 10 ? 1 : n >= 1 ? 2 : 3 });

/** Round ticks (1, 2 or 5 times a power of ten) from 0 to at least `max`. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** Articles axis: the powers of ten between the smallest size and the largest, and those sizes themselves. */
export function logTicks(min: number, max: number): number[] {
  const ticks = new Set([min, max]);
  for (let p = 10 ** Math.ceil(Math.log10(min)); p <= max; p *= 10) ticks.add(p);
  return [...ticks].sort((a, b) => a - b);
}

function marker(kind: 'circle' | 'square' | 'triangle', x: number, y: number, attrs: string): string {
  if (kind === 'circle') return `<circle cx="${num(x)}" cy="${num(y)}" r="4" ${attrs}/>`;
  if (kind === 'square') return `<rect x="${num(x - 4)}" y="${num(y - 4)}" width="8" height="8" ${attrs}/>`;
  const pts = [
    [x, y - 5],
    [x + 4.5, y + 3.5],
    [x - 4.5, y + 3.5],
  ];
  return `<polygon points="${pts.map(([a, b]) => `${num(a!)},${num(b!)}`).join(' ')}" ${attrs}/>`;
}

const WIDTH = 960;
const HEIGHT = 420;
const PANEL = { top: 104, bottom: 360, width: 380, gap: 90, left: 80 };
/** Room left and right of the extreme sizes, in decades. */
const X_PAD = 0.12;

/** The chart, or null when fewer than two sizes have whole-process figures (no growth to show). */
export function renderGrowthSvg(runs: readonly BenchResults[]): string | null {
  const sizes = mergeSizes(runs);
  if (sizes.length < 2) return null;
  const last = runs[runs.length - 1]!;
  const articles = sizes.map((r) => r.articles);
  const xTicks = logTicks(Math.min(...articles), Math.max(...articles));
  const x0 = Math.log10(Math.min(...articles)) - X_PAD;
  const x1 = Math.log10(Math.max(...articles)) + X_PAD;
  const commits = [...new Set(runs.map((r) => r.code.commit ?? 'unknown'))].join(', ');
  const dates = [...new Set(runs.map((r) => r.date.slice(0, 10)))].join(', ');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      'font-family="sans-serif" font-size="12">',
    '<title>Growth: cost per article from the smallest corpus to the largest</title>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">` +
      'Cost per article as the corpus grows (whole processes; flat = linear)</text>',
    `<text class="machine" x="${WIDTH / 2}" y="40" text-anchor="middle" fill="#555555">` +
      `${esc(`${machineText(last.machine)}; code ${commits}; ${dates}`)}</text>`,
  ];
  // Legend, centred: each entry a line and marker, its name (about 6.6 px a character), then a gap.
  const widths = SYSTEMS.map((system) => 36 + SYSTEM_NAMES[system].length * 6.6 + 28);
  let x = (WIDTH - widths.reduce((a, b) => a + b, 0) + 28) / 2;
  SYSTEMS.forEach((system, i) => {
    const st = STYLE[system];
    out.push(
      `<g class="legend" data-system="${system}">` +
        `<line x1="${num(x)}" y1="60" x2="${num(x + 28)}" y2="60" stroke="${st.color}" stroke-width="2"` +
        `${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>` +
        marker(st.marker, x + 14, 60, `fill="${st.color}"`) +
        `<text x="${num(x + 36)}" y="64">${esc(SYSTEM_NAMES[system])}</text></g>`,
    );
    x += widths[i]!;
  });
  PANELS.forEach((panel, p) => {
    const left = PANEL.left + p * (PANEL.width + PANEL.gap);
    const right = left + PANEL.width;
    const series = seriesOf(sizes, panel.metric);
    const max = Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => v)));
    const yTicks = linearTicks(max);
    const yMax = yTicks[yTicks.length - 1]!;
    const sx = (n: number): number => left + ((Math.log10(n) - x0) / (x1 - x0)) * PANEL.width;
    const sy = (v: number): number => PANEL.bottom - (v / yMax) * (PANEL.bottom - PANEL.top);
    out.push(`<g class="panel" data-metric="${panel.metric}">`);
    out.push(
      `<text class="panel-title" x="${left + PANEL.width / 2}" y="${PANEL.top - 14}" text-anchor="middle" ` +
        `font-weight="bold">${esc(`${panel.title} (${panel.unit})`)}</text>`,
    );
    // Grid and y axis.
    out.push('<g class="y-axis">');
    for (const t of yTicks) {
      const y = num(sy(t));
      out.push(
        `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>` +
          `<text class="tick" x="${left - 6}" y="${num(sy(t) + 4)}" text-anchor="end">${label(t)}</text>`,
      );
    }
    out.push(
      `<text class="axis-title" transform="translate(${left - 52} ${(PANEL.top + PANEL.bottom) / 2}) rotate(-90)" ` +
        `text-anchor="middle">${esc(`${panel.unit} per article`)}</text>`,
      '</g>',
    );
    // x axis, log scale.
    out.push('<g class="x-axis">');
    out.push(`<line x1="${left}" y1="${PANEL.bottom}" x2="${right}" y2="${PANEL.bottom}" stroke="#333333"/>`);
    for (const t of xTicks) {
      const x = num(sx(t));
      out.push(
        `<line x1="${x}" y1="${PANEL.bottom}" x2="${x}" y2="${PANEL.bottom + 5}" stroke="#333333"/>` +
          `<text class="tick" x="${x}" y="${PANEL.bottom + 19}" text-anchor="middle">${label(t)}</text>`,
      );
    }
    out.push(
      `<text class="axis-title" x="${left + PANEL.width / 2}" y="${PANEL.bottom + 40}" text-anchor="middle">` +
        'articles (log scale)</text>',
      '</g>',
    );
    out.push(`<line x1="${left}" y1="${PANEL.top}" x2="${left}" y2="${PANEL.bottom}" stroke="#333333"/>`);
    for (const s of series) {
      const st = STYLE[s.system];
      out.push(`<g class="series" data-system="${s.system}">`);
      if (s.points.length >= 2) {
        const pts = s.points.map(([n, v]) => `${num(sx(n))},${num(sy(v))}`).join(' ');
        out.push(
          `<polyline points="${pts}" fill="none" stroke="${st.color}" stroke-width="2"` +
            `${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`,
        );
      }
      for (const [n, v] of s.points) {
        out.push(
          `<g class="point" data-articles="${n}" data-value="${v}">` +
            marker(st.marker, sx(n), sy(v), `fill="${st.color}"`) +
            `<title>${esc(`${SYSTEM_NAMES[s.system]}, ${label(n)} articles: ${label(v)} ${panel.unit}`)}</title></g>`,
        );
      }
      out.push('</g>');
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Writes the chart of these runs to `file`; false (nothing written) when there is no growth to show. */
export function writeChart(runs: readonly BenchResults[], file: string): boolean {
  const svg = renderGrowthSvg(runs);
  if (svg === null) return false;
  writeFileSync(file, svg);
  return true;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: path.join(root, 'bench', 'growth.svg') } },
  });
  const inputs = positionals.length > 0 ? positionals : [path.join(root, 'bench-results', 'latest.json')];
  const runs = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchResults);
  if (!writeChart(runs, values.out)) {
    process.stderr.write('no chart: fewer than two sizes with whole-process figures in the input\n');
    process.exit(1);
  }
  process.stderr.write(`${values.out}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
