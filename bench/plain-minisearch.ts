/**
 * The baseline: plain MiniSearch with its default options over the paragraphs of the same seed files, set up by
 * src/eval (the anchor `npm run eval` compares with too). Saved as `JSON.stringify(mini)` plus the paragraphs
 * (MiniSearch stores no text), loaded with `MiniSearch.loadJSON`; the answer is the top hit of default `search(q)`
 * (the next two are printed too, for the hit rate at 3).
 *
 * As a program, for the whole-process figures:
 *   tsx bench/plain-minisearch.ts build --seeds DIR --out DIR
 *   tsx bench/plain-minisearch.ts answer --out DIR [--timings FILE] < questions.jsonl
 * (`answer` prints one JSON answer a line; --timings saves each question's latency, timed inside the process.)
 */
import { open, readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { buildPlain, parsePlain, type PlainDoc, type PlainIndex, type PlainParagraphs } from '../src/eval/index.js';

const INDEX_FILE = 'plain-index.json';
const PARAGRAPHS_FILE = 'plain-paragraphs.json';

/** Reads every `.txt` seed of a folder, in name order, 16 files at a time (as the project's listing reads). */
export async function readPlainSeeds(dir: string): Promise<{ file: string; text: string }[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
  const out: { file: string; text: string }[] = new Array(names.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    for (let i = next++; i < names.length; i = next++) {
      out[i] = { file: names[i]!, text: await readFile(path.join(dir, names[i]!), 'utf8') };
    }
  };
  await Promise.all(Array.from({ length: 16 }, reader));
  return out;
}

/** Reading, parsing into paragraphs and `addAll`: the whole build. */
export async function buildPlainFrom(seedsDir: string): Promise<PlainIndex> {
  const data = parsePlain(await readPlainSeeds(seedsDir));
  return { mini: buildPlain(data), data };
}

/** Written and fsynced, as the project's snapshot is. */
export async function writeSynced(file: string, content: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function savePlain(dir: string, index: PlainIndex): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeSynced(path.join(dir, INDEX_FILE), JSON.stringify(index.mini));
  await writeSynced(path.join(dir, PARAGRAPHS_FILE), JSON.stringify(index.data));
}

export async function loadPlain(dir: string): Promise<PlainIndex> {
  const [json, paragraphs] = await Promise.all([
    readFile(path.join(dir, INDEX_FILE), 'utf8'),
    readFile(path.join(dir, PARAGRAPHS_FILE), 'utf8'),
  ]);
  const mini = MiniSearch.loadJSON<PlainDoc>(json, { fields: ['text'] });
  return { mini, data: JSON.parse(paragraphs) as PlainParagraphs };
}

/** What a baseline prints for a question: its best paragraphs, best first (none when it does not answer). */
export interface BaselineAnswer {
  answered: boolean;
  results: { file: string; paragraph: string }[];
}

/** Paragraphs by their position in `data`, as a baseline's answer. */
export function answerOf(data: PlainParagraphs, ids: readonly number[]): BaselineAnswer {
  const results = ids.map((id) => {
    const [f, paragraph] = data.paragraphs[id]!;
    return { file: data.files[f]!, paragraph };
  });
  return { answered: results.length > 0, results };
}

/** Default `search(q)`: the top hit's paragraph is the answer, and the next two are given for the hit rate at 3. */
export function answerPlain(index: PlainIndex, q: string): BaselineAnswer {
  return answerOf(
    index.data,
    index.mini
      .search(q)
      .slice(0, 3)
      .map((r) => r.id as number),
  );
}

/** Answers the JSON lines of stdin one by one, printing one JSON answer a line; each question's latency saved. */
export async function answerStdin(answer: (q: string) => BaselineAnswer, timingsFile?: string): Promise<void> {
  const times: number[] = [];
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const { q } = JSON.parse(line) as { q: string };
    const t = performance.now();
    const a = answer(q);
    times.push(performance.now() - t);
    process.stdout.write(`${JSON.stringify(a)}\n`);
  }
  if (timingsFile) await writeFile(timingsFile, JSON.stringify(times));
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
    await savePlain(values.out, await buildPlainFrom(values.seeds));
  } else if (command === 'answer') {
    const index = await loadPlain(values.out);
    await answerStdin((q) => answerPlain(index, q), values.timings);
  } else {
    throw new Error(`unknown command ${String(command)} (build | answer)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
