/** Small helpers shared by the benchmark's steps and report. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(times: readonly number[]): LatencySummary {
  const s = [...times].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50), 3),
    p95: round(percentile(s, 95), 3),
    p99: round(percentile(s, 99), 3),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), 3),
    max: round(s[s.length - 1] ?? NaN, 3),
  };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Total size of the files under a folder (a snapshot may be one file or several). */
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
 * Median of each numeric field over several runs of the same step (non-numeric fields and nested objects are
 * taken field by field too; arrays and strings come from the first run).
 */
export function medianOf<T>(runs: readonly T[]): T {
  const first = runs[0];
  if (runs.length <= 1 || first === null || typeof first !== 'object' || Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first as Record<string, unknown>)) {
    const values = runs.map((r) => (r as Record<string, unknown>)[key]);
    const objects = values.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (typeof value === 'number') out[key] = median(values.filter((v): v is number => typeof v === 'number'));
    else if (objects.length > 0) out[key] = medianOf(objects); // runs that skipped a part (null) do not count
    else out[key] = value;
  }
  return out as T;
}

export const MB = 1024 * 1024;
