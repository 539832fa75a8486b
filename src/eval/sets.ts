import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCorpus } from '../corpus/load-seeds.js';
import { buildSearchIndex } from '../search/build-index.js';
import type { SearchIndex } from '../search/search-index.js';
import { buildPlain, parsePlain, type PlainIndex } from './baseline.js';
import { parseEvalFile, type EvalQuestion } from './evaluate.js';

/** A labelled question set and the seeds folders it is asked over (several folders make one corpus). */
export interface EvalSet {
  name: string;
  questions: string;
  seeds: string[];
}

/** The manifest of the project's sets, paths relative to the repository. */
export const MANIFEST = path.join('test', 'fixtures', 'eval', 'sets.json');

export async function readManifest(root: string): Promise<EvalSet[]> {
  const raw: unknown = JSON.parse(await readFile(path.join(root, MANIFEST), 'utf8'));
  const sets = (raw as { sets?: unknown }).sets;
  if (!Array.isArray(sets)) throw new Error(`${MANIFEST} : une liste « sets » est attendue`);
  return sets.map((s: unknown, i: number) => {
    const set = s as Partial<EvalSet>;
    if (typeof set.name !== 'string' || typeof set.questions !== 'string' || !Array.isArray(set.seeds) || !set.seeds.every((d) => typeof d === 'string')) {
      throw new Error(`${MANIFEST} : l’ensemble n° ${i + 1} doit avoir « name », « questions » et « seeds »`);
    }
    return { name: set.name, questions: path.resolve(root, set.questions), seeds: set.seeds.map((d) => path.resolve(root, d)) };
  });
}

/** The two systems compared, over one corpus. */
export interface EvalCorpus {
  ours: SearchIndex;
  plain: PlainIndex;
}

/** Builds both indexes over the `.txt` files of the folders (copied side by side into a temporary folder). */
export async function openEvalCorpus(folders: readonly string[]): Promise<EvalCorpus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'djingo-eval-'));
  try {
    const files: { file: string; text: string }[] = [];
    for (const folder of folders) {
      for (const f of (await readdir(folder)).filter((n) => n.endsWith('.txt')).sort()) {
        await copyFile(path.join(folder, f), path.join(dir, f));
        files.push({ file: f, text: await readFile(path.join(folder, f), 'utf8') });
      }
    }
    const data = parsePlain(files.sort((a, b) => (a.file < b.file ? -1 : 1)));
    return { ours: buildSearchIndex(await loadCorpus(dir)), plain: { mini: buildPlain(data), data } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  return parseEvalFile(await readFile(file, 'utf8'));
}
