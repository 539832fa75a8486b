import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSeedFiles, readTopics, type SeedRead, type TopicDefinition } from '../corpus/index.js';
import { buildSearchIndex, type SearchIndex } from '../index/index.js';
import { buildPlain, parsePlain, type PlainIndex } from './baseline.js';
import { parseEvalFile, type EvalQuestion } from './evaluate.js';
import { EvalUsageError, NBSP, NNBSP, quoted } from './words.js';

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
  if (!Array.isArray(sets)) throw new Error(`${MANIFEST}${NNBSP}: une liste ${quoted('sets')} est attendue`);
  return sets.map((s: unknown, i: number) => {
    const set = s as Partial<EvalSet>;
    if (
      typeof set.name !== 'string' ||
      typeof set.questions !== 'string' ||
      !Array.isArray(set.seeds) ||
      !set.seeds.every((d) => typeof d === 'string')
    ) {
      throw new Error(
        `${MANIFEST}${NNBSP}: l’ensemble n°${NBSP}${i + 1} doit ` +
          `avoir ${quoted('name')}, ${quoted('questions')} et ${quoted('seeds')}`,
      );
    }
    return {
      name: set.name,
      questions: path.resolve(root, set.questions),
      seeds: set.seeds.map((d) => path.resolve(root, d)),
    };
  });
}

/** The two systems compared, over one corpus. */
export interface EvalCorpus {
  ours: SearchIndex;
  plain: PlainIndex;
}

/**
 * Builds both indexes over the `.txt` files of the folders, in memory, as one corpus: the files are taken in name
 * order across folders, as if they sat in one folder (nothing is written, no snapshot is touched). The same file
 * name in two folders is an error rather than one silently hiding the other.
 */
export async function openEvalCorpus(folders: readonly string[]): Promise<EvalCorpus> {
  const reads: SeedRead[] = [];
  const folderOf = new Map<string, string>();
  // Each folder's topics (a name defined twice keeps its first definition).
  const topics: TopicDefinition[] = [];
  for (const folder of folders) {
    for (const t of (await readTopics(folder)).topics) if (!topics.some((o) => o.name === t.name)) topics.push(t);
    for (const read of await readSeedFiles(folder)) {
      if (!read.file.toLowerCase().endsWith('.txt')) continue;
      const other = folderOf.get(read.file);
      if (other !== undefined)
        throw new EvalUsageError(
          `le fichier ${quoted(read.file)} est à la fois dans ${quoted(other)} et dans ${quoted(folder)}`,
        );
      folderOf.set(read.file, folder);
      reads.push(read);
    }
  }
  reads.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const decoder = new TextDecoder();
  const texts = reads.flatMap((r) => ('bytes' in r ? [{ file: r.file, text: decoder.decode(r.bytes) }] : []));
  const data = parsePlain(texts);
  return { ours: buildSearchIndex(reads, topics), plain: { mini: buildPlain(data), data } };
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  return parseEvalFile(await readFile(file, 'utf8'));
}
