/**
 * The second anchor: FlexSearch 0.8 over the same paragraphs as plain MiniSearch (the same seed files read the same
 * way, src/eval's blank-line blocks), with options chosen for French questions rather than its defaults:
 *
 * - `new Encoder(Charset.Normalize).assign(French)`: case and accents folded (NFKD, combining marks removed, lower
 *   case, doubled letters merged), then FlexSearch's own French pack (`flexsearch/lang/fr`: stop words « de », « la »,
 *   « qui »…, a light French stemmer), so that « l’opérateur » / « operateurs » meet and the frame words of a
 *   question do not score every paragraph;
 * - `tokenize: 'strict'` with `context: true`: whole terms, and a contextual index of neighbouring terms that ranks
 *   paragraphs holding the question's words next to each other first (the only tokenizer the context index takes);
 * - `search(q, { limit: 3, suggest: true })`: `suggest` so that a paragraph missing one of the question's words
 *   (« Pourquoi », a typo) still comes back, as MiniSearch's OR does.
 *
 * Of the setups tried on the benchmark's labelled questions (bench/README.md: `forward` and `tolerant` tokenizers,
 * the Latin phonetic charsets, with and without the context index or the French pack), this one answers within a
 * few questions of the best and the fastest, and better than plain MiniSearch. Saved as FlexSearch's own `export`,
 * one file a key, fsynced, plus the paragraphs (FlexSearch's `Index` stores no text); loaded with `import`.
 *
 * As a program, for the whole-process figures (as bench/plain-minisearch.ts):
 *   tsx bench/flexsearch.ts build --seeds DIR --out DIR
 *   tsx bench/flexsearch.ts answer --out DIR [--timings FILE] < questions.jsonl
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Charset, Encoder, Index, type IndexOptions } from 'flexsearch';
import French from 'flexsearch/lang/fr';
import { parsePlain, type PlainParagraphs } from '../src/eval/index.js';
import { answerOf, answerStdin, readPlainSeeds, writeSynced, type BaselineAnswer } from './plain-minisearch.js';

const EXPORT_DIR = 'flexsearch-export';
const PARAGRAPHS_FILE = 'flexsearch-paragraphs.json';

/** The options, built afresh for each index (an Encoder holds a cache); FLEX_TEXT in report.ts says them. */
export function flexOptions(): IndexOptions {
  return { tokenize: 'strict', context: true, encoder: new Encoder(Charset.Normalize).assign(French) };
}

export interface FlexIndex {
  index: Index;
  data: PlainParagraphs;
}

export function buildFlex(data: PlainParagraphs): FlexIndex {
  const index = new Index(flexOptions());
  data.paragraphs.forEach(([, text], id) => {
    index.add(id, text);
  });
  return { index, data };
}

/** Reading, parsing into paragraphs and adding them: the whole build. */
export async function buildFlexFrom(seedsDir: string): Promise<FlexIndex> {
  return buildFlex(parsePlain(await readPlainSeeds(seedsDir)));
}

/** FlexSearch's `export`, each key to its own file (written as it comes, fsynced), and the paragraphs. */
export async function saveFlex(dir: string, flex: FlexIndex): Promise<void> {
  await mkdir(path.join(dir, EXPORT_DIR), { recursive: true });
  await flex.index.export(async (key, data) => writeSynced(path.join(dir, EXPORT_DIR, `${key}.json`), data));
  await writeSynced(path.join(dir, PARAGRAPHS_FILE), JSON.stringify(flex.data));
}

/** A new index with the same options, and every exported key imported into it. */
export async function loadFlex(dir: string): Promise<FlexIndex> {
  const index = new Index(flexOptions());
  const files = (await readdir(path.join(dir, EXPORT_DIR))).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    index.import(file.slice(0, -'.json'.length), await readFile(path.join(dir, EXPORT_DIR, file), 'utf8'));
  }
  const data = JSON.parse(await readFile(path.join(dir, PARAGRAPHS_FILE), 'utf8')) as PlainParagraphs;
  return { index, data };
}

/** The top three paragraphs, best first. */
export function answerFlex(flex: FlexIndex, q: string): BaselineAnswer {
  return answerOf(flex.data, flex.index.search(q, { limit: 3, suggest: true }) as number[]);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seeds: { type: 'string' }, out: { type: 'string' }, timings: { type: 'string' } },
  });
  const [command] = positionals;
  if (!values.out) throw new Error('--out DIR is required');
  if (command === 'build') {
    if (!values.seeds) throw new Error('--seeds DIR is required');
    await saveFlex(values.out, await buildFlexFrom(values.seeds));
  } else if (command === 'answer') {
    const flex = await loadFlex(values.out);
    await answerStdin((q) => answerFlex(flex, q), values.timings);
  } else {
    throw new Error(`unknown command ${String(command)} (build | answer)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
