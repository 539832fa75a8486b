/** Small helpers shared by the benchmark's steps and report. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { foldForEval } from '../src/eval/index.js';

export const MB = 1024 * 1024;

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Nearest-rank percentiles, mean and maximum. */
export function summarize(times: readonly number[]): LatencySummary {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return {
    n: s.length,
    p50: round(at(50), 3),
    p95: round(at(95), 3),
    p99: round(at(99), 3),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), 3),
    max: round(s[s.length - 1] ?? NaN, 3),
  };
}

/** Total size of the files under a folder (whatever the snapshot's layout), temporary files left out. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) total += statSync(full).size;
  }
  return total;
}

/**
 * Median of each numeric field over repeated runs of a step, nested objects field by field; anything else comes
 * from the first run.
 */
export function medianOf<T>(runs: readonly T[]): T {
  const first = runs[0];
  if (runs.length <= 1 || first === null || typeof first !== 'object' || Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    const values = runs.map((r) => (r as Record<string, unknown>)[key]);
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (typeof value === 'number') out[key] = round(median(numbers), 3);
    // Parts that later runs skip (null) come from the runs that measured them.
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = medianOf(values.filter(Boolean));
    } else out[key] = value;
  }
  return out as T;
}

/** Hit rate at 1 and at 3 on the questions that carry their `answer` (bench/corpus.ts), for one system. */
export interface HitRate {
  /** Questions with a known answer. */
  labelled: number;
  at1: number;
  at3: number;
}

const foldText = (s: string): string => foldForEval(s).replace(/\s+/gu, ' ');

/**
 * Whether each question's answer is in one of its first three texts (quotes or paragraphs, best first), compared
 * folded as `npm run eval` does (case, accents, apostrophes) and spacing ignored. `texts[i]` answers question i.
 */
export function hitRate(questions: readonly { answer?: string }[], texts: readonly (readonly string[])[]): HitRate {
  const rate: HitRate = { labelled: 0, at1: 0, at3: 0 };
  questions.forEach((q, i) => {
    if (q.answer === undefined) return;
    rate.labelled++;
    const wanted = foldText(q.answer);
    const at = (texts[i] ?? []).slice(0, 3).findIndex((t) => foldText(t).includes(wanted));
    if (at === 0) rate.at1++;
    if (at >= 0) rate.at3++;
  });
  return rate;
}
