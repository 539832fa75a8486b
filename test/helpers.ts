import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSeedFiles } from '../src/corpus/index.js';
import { buildSearchIndex, type SearchIndex } from '../src/index/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEEDS = path.join(ROOT, 'seeds');
export const SHARED = path.resolve(ROOT, '..', 'shared');

let seedIndex: Promise<SearchIndex> | undefined;
/** The index of the bundled seeds, built once per test file. */
export function bundledIndex(): Promise<SearchIndex> {
  seedIndex ??= readSeedFiles(SEEDS).then(buildSearchIndex);
  return seedIndex;
}

export function tempDir(prefix = 'djingo-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export const silentLog = { info: (): void => {}, warn: (): void => {} };
