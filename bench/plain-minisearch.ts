/**
 * The baseline: plain MiniSearch with its default options over the paragraphs of the same seed files.
 *
 * - paragraphs: blank-line separated blocks as they are (`paragraphsOf` in src/eval, the same anchor as
 *   `npm run eval`); id = paragraph index;
 * - index: `new MiniSearch({ fields: ['text'] })`, `addAll`, saved as `JSON.stringify(mini)` plus the paragraphs
 *   (needed to show an answer: MiniSearch stores no text by default), loaded with `MiniSearch.loadJSON`;
 * - answer: `search(q)` with default options, the top hit's paragraph.
 *
 * As a program (for the whole-process figures):
 *   tsx bench/plain-minisearch.ts build --seeds DIR --out DIR
 *   tsx bench/plain-minisearch.ts answer --out DIR [--timings FILE] < questions.jsonl
 *     (one JSON answer per line; --timings writes the load time, the peak memory after loading and each
 *     question's latency, measured inside the process, to FILE at the end)
 */
import { open, readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { buildPlain, paragraphsOf, parsePlain, type PlainDoc, type PlainIndex, type PlainParagraphs } from '../src/eval/index.js';

export { buildPlain, paragraphsOf, parsePlain, type PlainDoc, type PlainIndex, type PlainParagraphs };

export const PLAIN_INDEX_FILE = 'plain-index.json';
export const PLAIN_PARAGRAPHS_FILE = 'plain-paragraphs.json';

/** Reads every `.txt` seed of a folder, in name order. */
export async function readPlainSeeds(dir: string): Promise<{ file: string; text: string }[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
  const out: { file: string; text: string }[] = new Array(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      out[i] = { file: names[i]!, text: await readFile(path.join(dir, names[i]!), 'utf8') };
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

async function writeSynced(file: string, content: string): Promise<void> {
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
  await writeSynced(path.join(dir, PLAIN_INDEX_FILE), JSON.stringify(index.mini));
  await writeSynced(path.join(dir, PLAIN_PARAGRAPHS_FILE), JSON.stringify(index.data));
}

export async function loadPlain(dir: string): Promise<PlainIndex> {
  const [json, paragraphs] = await Promise.all([
    readFile(path.join(dir, PLAIN_INDEX_FILE), 'utf8'),
    readFile(path.join(dir, PLAIN_PARAGRAPHS_FILE), 'utf8'),
  ]);
  const mini = MiniSearch.loadJSON<PlainDoc>(json, { fields: ['text'] });
  return { mini, data: JSON.parse(paragraphs) as PlainParagraphs };
}

export interface PlainAnswer {
  question: string;
  answered: boolean;
  file: string | null;
  paragraph: string | null;
  score: number | null;
}

/** Default `search(q)`, and the top hit's paragraph as the answer. */
export function answerPlain(index: PlainIndex, q: string): PlainAnswer {
  const top = index.mini.search(q)[0];
  if (!top) return { question: q, answered: false, file: null, paragraph: null, score: null };
  const [f, text] = index.data.paragraphs[top.id as number]!;
  return { question: q, answered: true, file: index.data.files[f]!, paragraph: text, score: top.score };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seeds: { type: 'string' }, out: { type: 'string' }, timings: { type: 'string' } } });
  const [command] = positionals;
  if (!values.out) throw new Error('--out DIR is required');
  if (command === 'build') {
    if (!values.seeds) throw new Error('--seeds DIR is required');
    const data = parsePlain(await readPlainSeeds(values.seeds));
    await savePlain(values.out, { mini: buildPlain(data), data });
    process.stdout.write(`${JSON.stringify({ paragraphs: data.paragraphs.length })}\n`);
  } else if (command === 'answer') {
    const t0 = performance.now();
    const index = await loadPlain(values.out);
    const loadMs = performance.now() - t0;
    const peakRssLoadMB = process.resourceUsage().maxRSS / 1024;
    const times: number[] = [];
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let q: unknown;
      try {
        q = (JSON.parse(line) as { q?: unknown }).q;
      } catch {
        q = undefined;
      }
      const t = performance.now();
      const answer = typeof q === 'string' ? answerPlain(index, q) : { error: 'bad line' };
      times.push(performance.now() - t);
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
    if (values.timings) await writeFile(values.timings, JSON.stringify({ loadMs, peakRssLoadMB, times }));
  } else {
    throw new Error(`unknown command ${String(command)} (build | answer)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
