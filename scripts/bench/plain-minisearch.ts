/**
 * The baseline: plain MiniSearch with its default options over the paragraphs of the same seed files.
 *
 * - paragraphs: the seed format read simply (header lines dropped, blank-line separated blocks, the first line is
 *   the title and is not a paragraph); id = paragraph index;
 * - index: `new MiniSearch({ fields: ['text'] })`, `addAll`, saved as `JSON.stringify(mini)` plus the paragraphs
 *   (needed to show an answer: MiniSearch stores no text by default), loaded with `MiniSearch.loadJSON`;
 * - answer: `search(q)` with default options, the top hit's paragraph.
 *
 * As a program (for the whole-process figures):
 *   tsx scripts/bench/plain-minisearch.ts build --seeds DIR --out DIR
 *   tsx scripts/bench/plain-minisearch.ts answer --out DIR [--timings FILE] < questions.jsonl
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

export const PLAIN_INDEX_FILE = 'plain-index.json';
export const PLAIN_PARAGRAPHS_FILE = 'plain-paragraphs.json';

export interface PlainParagraphs {
  files: string[];
  /** [file index, paragraph text]; the position is the MiniSearch id. */
  paragraphs: [number, string][];
}

export interface PlainDoc {
  id: number;
  text: string;
}

export interface PlainIndex {
  mini: MiniSearch<PlainDoc>;
  data: PlainParagraphs;
}

const HEADER = /^ (date|source|url|title)\b/u;

/** Paragraphs of one seed file, read the simple way. */
export function paragraphsOf(text: string): string[] {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  let i = 0;
  while (i < lines.length && HEADER.test(lines[i]!)) i++;
  const blocks: string[] = [];
  let current: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      if (current.length > 0) blocks.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  // The first line is the title.
  const first = blocks[0];
  if (first !== undefined) {
    const rest = first.split('\n').slice(1).join('\n');
    if (rest.trim() === '') blocks.shift();
    else blocks[0] = rest;
  }
  return blocks;
}

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

export function parsePlain(seeds: readonly { file: string; text: string }[]): PlainParagraphs {
  const data: PlainParagraphs = { files: [], paragraphs: [] };
  seeds.forEach((s, f) => {
    data.files.push(s.file);
    for (const p of paragraphsOf(s.text)) data.paragraphs.push([f, p]);
  });
  return data;
}

export function buildPlain(data: PlainParagraphs): MiniSearch<PlainDoc> {
  const mini = new MiniSearch<PlainDoc>({ fields: ['text'] });
  mini.addAll(data.paragraphs.map(([, text], id) => ({ id, text })));
  return mini;
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
