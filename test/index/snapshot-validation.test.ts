/**
 * Crafted snapshots with a valid checksum (an attacker or a bug writing DATA_DIR): every section of a valid snapshot
 * is mutated a few thousand ways, deterministically, the SHA-1 recomputed as the format does; each mutant is either
 * rejected with a reason or loads into an index that answers without throwing and quotes only exact substrings of
 * its articles, within the passage each result names.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { readSeedFiles, type Corpus, type SeedRead } from '../../src/corpus/index.js';
import { buildFromReads, type SearchIndex } from '../../src/index/index.js';
import { DIGEST_BYTES, MAGIC, parseSnapshot, serializeSnapshot } from '../../src/index/snapshot-format.js';
import { suggest } from '../../src/suggest/index.js';
import { SEED_TOPICS, SEEDS } from '../helpers.js';
import { logSummary, pick, prng } from '../reliability/helpers.js';

const MUTATIONS = 2000;
const TOPICS = [null, 'djingo', 'xiaomi', '__proto__'] as const;
/** Sections of varints (postings: one or two per posting), and those whose parts are packed (Brotli). */
const VARINT_SECTIONS = ['textBytes', 'passages', 'fieldLength', 'terms', 'postings'] as const;
const PACKED = new Set(['articles', 'texts', 'vocabulary', 'titles']);
const JSON_SECTIONS = ['champions', 'scalars'] as const;
type SectionName =
  | (typeof VARINT_SECTIONS)[number]
  | (typeof JSON_SECTIONS)[number]
  | 'articles'
  | 'vocabulary'
  | 'titles'
  | 'texts';
type Sections = Record<string, [number, number]>;

interface Layout {
  header: Record<string, unknown> & { sections: Sections };
  bodies: Map<string, Buffer>;
}

const headerAt = MAGIC.length + 4 + DIGEST_BYTES;

/** The snapshot cut into its header and section bodies (the layout snapshot-format.ts documents). */
function split(buf: Buffer): Layout {
  const headerEnd = headerAt + buf.readUInt32LE(MAGIC.length);
  const header = JSON.parse(buf.toString('utf8', headerAt, headerEnd)) as Layout['header'];
  const base = Math.ceil(headerEnd / 4) * 4;
  const bodies = new Map<string, Buffer>();
  for (const [name, [start, length]] of Object.entries(header.sections))
    bodies.set(name, Buffer.from(buf.subarray(base + start, base + start + length)));
  return { header, bodies };
}

/** Lays the sections out again (4-byte aligned, in the original order) and checksums the whole as the format does. */
function join({ header, bodies }: { header: unknown; bodies: Map<string, Buffer> }, keepSections = false): Buffer {
  const sections: Sections = {};
  let offset = 0;
  for (const name of bodies.keys()) {
    offset = Math.ceil(offset / 4) * 4;
    sections[name] = [offset, bodies.get(name)!.length];
    offset += bodies.get(name)!.length;
  }
  const headerBytes = Buffer.from(
    JSON.stringify(keepSections ? header : { ...(header as Layout['header']), sections }),
    'utf8',
  );
  const base = Math.ceil((headerAt + headerBytes.length) / 4) * 4;
  const out = Buffer.alloc(base + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, headerAt);
  for (const [name, [start]] of Object.entries(sections)) bodies.get(name)!.copy(out, base + start);
  createHash('sha1')
    .update(out.subarray(headerAt))
    .digest()
    .copy(out, MAGIC.length + 4);
  return out;
}

/** A section's parts (u32 length, the bytes, zero padding to a multiple of 4) ↔ the parts' bytes. */
function partsOf(body: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const n = body.readUInt32LE(at);
    parts.push(Buffer.from(body.subarray(at + 4, at + 4 + n)));
    at += 4 + n + ((4 - (n % 4)) % 4);
  }
  return parts;
}

function framed(parts: readonly Buffer[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const frame = Buffer.alloc(4);
      frame.writeUInt32LE(p.length, 0);
      return [frame, p, Buffer.alloc((4 - (p.length % 4)) % 4)];
    }),
  );
}

/** A packed part (its u32 length unpacked, then Brotli) ↔ its bytes. */
function pack(raw: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(raw.length, 0);
  return Buffer.concat([length, brotliCompressSync(raw)]);
}
const unpack = (part: Buffer): Buffer => brotliDecompressSync(part.subarray(4));

/** A section's parts as their contents (unpacked where the format packs them) ↔ the section. */
const contentsOf = (name: string, body: Buffer): Buffer[] =>
  partsOf(body).map((p) => (PACKED.has(name) ? unpack(p) : p));
const bodyOf = (name: string, contents: readonly Buffer[]): Buffer =>
  framed(contents.map((c) => (PACKED.has(name) ? pack(c) : c)));

/** JSON parts ↔ the parts' values. */
const readParts = (name: string, body: Buffer): unknown[] =>
  contentsOf(name, body).map((p) => JSON.parse(p.toString('utf8')) as unknown);
const writeParts = (name: string, parts: readonly unknown[]): Buffer =>
  bodyOf(
    name,
    parts.map((p) => Buffer.from(JSON.stringify(p), 'utf8')),
  );

/** Unsigned LEB128, as the format writes its numbers. */
function varints(part: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at < part.length; ) {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = part[at++]!;
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80 || at >= part.length) break;
    }
    out.push(v);
  }
  return out;
}

function varintBytes(values: readonly number[]): Buffer {
  const out: number[] = [];
  for (let v of values) {
    v = Math.max(0, Math.min(2 ** 32 - 1, Math.floor(v)));
    while (v >= 0x80) out.push((v % 128) | 0x80), (v = Math.floor(v / 128));
    out.push(v);
  }
  return Buffer.from(out);
}

/** A varint section's values, its parts one after the other (the frames left out) ↔ the section. */
function valuesOf(body: Buffer): { values: number[]; sizes: number[] } {
  const parts = partsOf(body).map(varints);
  return { values: parts.flat(), sizes: parts.map((p) => p.length) };
}

function valuesBody({ values, sizes }: { values: readonly number[]; sizes: readonly number[] }): Buffer {
  let at = 0;
  return framed(sizes.map((n) => varintBytes(values.slice(at, (at += n)))));
}

/** Where passage `id`'s field `field` is among the passages section's values (its sentences follow its fields). */
const passageSlot = (corpus: Corpus, id: number, field: number): number =>
  corpus.passages.slice(0, id).reduce((n, p) => n + 6 + 2 * p.sentences.length, 0) + field;

/** Which passage (or term) each value of a section belongs to. */
function slotOwners(section: string, values: number, corpus: Corpus): (number | null)[] {
  const owners: (number | null)[] = [];
  for (let item = 0, left = 0; owners.length < values; ) {
    if (section === 'passages') {
      if (left === 0) left = 6 + 2 * (corpus.passages[item++]?.sentences.length ?? 0);
      owners.push(item - 1);
      left--;
    } else if (section === 'terms') owners.push(item++ >> 1);
    else if (section === 'fieldLength') owners.push(item++);
    else owners.push(null);
  }
  return owners;
}

const HOSTILE_VALUES: readonly unknown[] = [
  null,
  '',
  0,
  -1,
  1,
  2.5,
  1e9,
  -(2 ** 31),
  2 ** 31,
  true,
  [],
  {},
  [-1],
  [1e9],
  '__proto__',
  'constructor',
  JSON.parse('{"__proto__": 1}'),
  ['x', [0]],
];

/** Every place in a JSON value: a path of keys from the root. */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) pathsOf(value[i], [...at, i], out);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

/** A structural change at one place of a JSON value: another value, a nudged number, a removed or doubled item. */
function mutateJson(rng: () => number, root: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as unknown;
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  if (paths.length === 0 || rng() < 0.02) return pick(rng, [...HOSTILE_VALUES, [copy], [copy, copy]]);
  const path = pick(rng, paths);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const old = parent[key];
  const op = Math.floor(rng() * 4);
  if (op === 0 && typeof old === 'number') parent[key] = old + pick(rng, [1, -1, 7, -100, 0.5]);
  else if (op === 1 && Array.isArray(parent)) {
    if (rng() < 0.5) parent.splice(Number(key), 1);
    else parent.splice(Number(key), 0, JSON.parse(JSON.stringify(old)));
  } else if (op === 2 && !Array.isArray(parent)) delete parent[key];
  else Object.defineProperty(parent, key, { value: pick(rng, HOSTILE_VALUES), enumerable: true, writable: true });
  return copy;
}

/** A varint section's values with one changed (a nudge, a boundary value, another's value) or two swapped. */
function mutateValues(rng: () => number, values: number[], corpus: Corpus): { values: number[]; slot: number } {
  const out = [...values];
  const n = out.length;
  if (n === 0) return { values: out, slot: 0 };
  const k = Math.floor(rng() * n);
  const v = out[k]!;
  const other = out[Math.floor(rng() * n)]!;
  if (rng() < 0.15) {
    const j = Math.floor(rng() * n);
    out[k] = other;
    out[j] = v;
    return { values: out, slot: k };
  }
  const choices = [
    v + 1,
    v - 1,
    v + 1 + Math.floor(rng() * 64),
    v - 1 - Math.floor(rng() * 64),
    0,
    2 * v,
    other,
    2 ** 31 - 1,
    2 ** 32 - 1,
    corpus.articles.length,
    corpus.passages.length,
    2 * corpus.passages.length,
    corpus.articles[0]!.text.length,
  ];
  out[k] = pick(rng, choices);
  return { values: out, slot: k };
}

/** Bytes with one replaced: anywhere in a section, frames and varints alike. */
function mutateByte(rng: () => number, body: Buffer): Buffer {
  const out = Buffer.from(body);
  if (out.length > 0) out[Math.floor(rng() * out.length)] = pick(rng, [0x00, 0x01, 0x7f, 0x80, 0xff, 0x41]);
  return out;
}

/** A text section with one byte replaced (by any byte, a line break or a space) or two lines swapped. */
function mutateText(rng: () => number, body: Buffer, lines: boolean): Buffer {
  if (lines && rng() < 0.4) {
    const list = body.toString('utf8').split('\n');
    const i = Math.floor(rng() * list.length);
    const j = Math.floor(rng() * list.length);
    if (rng() < 0.5) [list[i], list[j]] = [list[j]!, list[i]!];
    else list[i] = list[j]!;
    return Buffer.from(list.join('\n'), 'utf8');
  }
  const out = Buffer.from(body);
  if (out.length > 0) out[Math.floor(rng() * out.length)] = pick(rng, [0x0a, 0x20, 0x00, 0xff, 0xc3, 0x80, 0x41]);
  return out;
}

interface Mutant {
  section: SectionName | 'header';
  buf: Buffer;
  /** The passage or term the mutation touched, when known: the question then aims at it. */
  passage: number | null;
  term: number | null;
}

function mutate(rng: () => number, layout: Layout, corpus: Corpus): Mutant {
  const sections: (SectionName | 'header')[] = [
    ...VARINT_SECTIONS,
    ...VARINT_SECTIONS,
    'passages',
    'passages',
    'postings',
    ...JSON_SECTIONS,
    'articles',
    'articles',
    'vocabulary',
    'titles',
    'texts',
    'header',
  ];
  const section = pick(rng, sections);
  const bodies = new Map(layout.bodies);
  const body = layout.bodies.get(section) ?? Buffer.alloc(0);
  if (section === 'header') {
    // The header's own fields, its section table included (then the bodies stay where they were).
    const header = mutateJson(rng, layout.header);
    return { section, buf: join({ header, bodies }, true), passage: null, term: null };
  }
  let passage: number | null = null;
  let term: number | null = null;
  if ((VARINT_SECTIONS as readonly string[]).includes(section)) {
    if (rng() < 0.2) bodies.set(section, mutateByte(rng, body));
    else {
      // A value changed, written again as a varint (the frames then say the parts' new lengths).
      const { values, sizes } = valuesOf(body);
      const mutated = mutateValues(rng, values, corpus);
      const owner = slotOwners(section, values.length, corpus)[mutated.slot] ?? null;
      if (section === 'passages' || section === 'fieldLength') passage = owner;
      if (section === 'terms') term = owner;
      bodies.set(section, valuesBody({ values: mutated.values, sizes }));
    }
  } else if (section === 'articles' || section === 'champions' || section === 'scalars') {
    const mutated = mutateJson(rng, readParts(section, body));
    bodies.set(section, writeParts(section, Array.isArray(mutated) ? mutated : [mutated]));
  } else {
    // Within a part's contents (packed again), or any byte of the body.
    const parts = contentsOf(section, body);
    const k = Math.floor(rng() * parts.length);
    if (parts.length > 0 && rng() < 0.85) {
      parts[k] = mutateText(rng, parts[k]!, section === 'vocabulary' || section === 'titles');
      bodies.set(section, bodyOf(section, parts));
    } else bodies.set(section, mutateByte(rng, body));
  }
  return { section, buf: join({ header: layout.header, bodies }), passage, term };
}

/** Every way a result could break the rule « only exact substrings of its article »; empty when it holds. */
function resultProblems(
  index: SearchIndex,
  original: Corpus,
  textsIntact: boolean,
  question: string,
  topic: string | null,
): string[] {
  const problems: string[] = [];
  {
    const answer = ask(index, question, { topic, limit: 3 });
    for (const r of answer.results) {
      const passage = index.corpus.passages[r.passage];
      const article = passage && index.corpus.articles[passage.article];
      const where = `« ${question} » (${String(topic)}) → passage ${r.passage}`;
      if (!passage || !article || article.file !== r.article) {
        problems.push(`${where}: names no passage of ${r.article}`);
        continue;
      }
      const { quoteStart: s, quoteEnd: e } = r;
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e <= s || e > article.text.length)
        problems.push(`${where}: quote offsets ${s}–${e} outside the article`);
      else if (article.text.slice(s, e) !== r.quote) problems.push(`${where}: quote is not the text at its offsets`);
      else if (s < passage.start || e > passage.end) problems.push(`${where}: quote outside its passage`);
      else if (textsIntact && original.articles[passage.article]?.text.slice(s, e) !== r.quote)
        problems.push(`${where}: quote absent from the seed file`);
      if (!r.quote.isWellFormed()) problems.push(`${where}: quote splits a character`);
    }
  }
  return problems;
}

/** The bundled seeds and one article with a paragraph cut into several passages, reader comments and both topics. */
async function reads(): Promise<SeedRead[]> {
  const sentence = (i: number): string =>
    `Xiaomi et Orange annoncent le forfait Djingo numéro ${i}, vendu ${100 + i} euros aux abonnés de Bretagne.`;
  const long = Array.from({ length: 14 }, (_, i) => sentence(i)).join(' ');
  const extra =
    ' title Xiaomi et Djingo, un forfait commun\n date 2021-03\n\n' +
    `${long}\n\nLe forfait est lancé en mars « pour tous les clients », selon Orange.\n\n` +
    '3 commentaires\n\n  1. Un forfait de plus pour les abonnés, rien de neuf.\n\n' +
    '  2. Le prix reste élevé pour un forfait Djingo.\n';
  return [...(await readSeedFiles(SEEDS)), { file: '003_forfait.txt', bytes: Buffer.from(extra, 'utf8') }];
}

/** One value of a varint section (counted without the part frames) set to a value computed from the corpus. */
const setInt =
  (name: string, slot: number | ((corpus: Corpus) => number), value: (corpus: Corpus) => number) =>
  (l: Layout, corpus: Corpus) => {
    const section = valuesOf(l.bodies.get(name)!);
    section.values[typeof slot === 'number' ? slot : slot(corpus)] = value(corpus);
    l.bodies.set(name, valuesBody(section));
  };
/** A part of a section, as stored (packed parts not unpacked), edited in place. */
const editPart = (name: string, k: number, edit: (part: Buffer) => void) => (l: Layout) => {
  const parts = partsOf(l.bodies.get(name)!);
  edit(parts[k < 0 ? parts.length + k : k]!);
  l.bodies.set(name, framed(parts));
};
const setPassage = (id: number, field: number, value: (corpus: Corpus) => number) =>
  setInt('passages', (c) => passageSlot(c, id, field), value);
/** The value of a JSON section (its parts' items, one after the other) edited, written as one part. */
const setJson = (name: string, edit: (items: unknown[]) => unknown[]) => (l: Layout) => {
  l.bodies.set(name, writeParts(name, [edit((readParts(name, l.bodies.get(name)!) as unknown[][]).flat())]));
};

/** Crafted edits, each of one rule, and what the rejection says. */
const CRAFTED: [string, (l: Layout, corpus: Corpus) => void, RegExp][] = [
  ['a passage names an article past the last', setPassage(0, 0, (c) => c.articles.length), /article/],
  [
    'a passage ends past its article',
    setPassage(0, 4, (c) => c.articles[0]!.text.length + 10),
    /passage 0 .* not a span/,
  ],
  ['a passage starts before the previous one ends', setPassage(1, 3, () => 0), /passage 1 .* not a span/],
  ['a paragraph number jumps', setPassage(0, 1, () => 3), /paragraph 3 after 0/],
  ['a passage kind is neither article nor comment', setPassage(0, 2, () => 2), /passages disagree/],
  [
    'a sentence ends past its passage',
    setPassage(0, 6 + 1, (c) => c.passages[0]!.end - c.passages[0]!.start + 5),
    /sentence/,
  ],
  ['a passage has no sentence', setPassage(0, 5, () => 0), /no sentence/],
  ['a posting names a passage past the last', setInt('postings', 0, (c) => 2 * c.passages.length), /postings/],
  ['a term claims more postings than there are', setInt('terms', 0, () => 100_000), /postings/],
  ['a term claims no posting', setInt('terms', 0, () => 0), /postings/],
  [
    'the last posting’s varint never ends',
    editPart('postings', -1, (p) => void (p[p.length - 1]! |= 0x80)),
    /postings/,
  ],
  [
    'a text part claims another length',
    editPart('texts', 0, (p) => p.writeUInt32LE(p.readUInt32LE(0) + 1, 0)),
    /texts/,
  ],
  ['a text part claims 2³¹ bytes unpacked', editPart('texts', 0, (p) => p.writeUInt32LE(2 ** 31, 0)), /texts|large/],
  [
    'a packed part of the vocabulary is not Brotli',
    editPart('vocabulary', 0, (p) => p.fill(0x41, 4)),
    /does not unpack/,
  ],
  ['a term mask names a topic none of its passages has', setInt('terms', 1, () => 1 << 5), /topic mask/],
  ['a field length disagrees with the postings', setInt('fieldLength', 0, () => 1000), /field length/],
  [
    'the scalars give another passage count',
    setJson('scalars', ([v]) => [{ ...(v as object), documentCount: -1 }]),
    /count/,
  ],
  ['a champion list names a passage out of range', setJson('champions', () => [['djingo', [1e6]]]), /champion/],
  ['a champion list for a term that is not frequent', setJson('champions', () => [['djingo', [0]]]), /champion/],
  [
    'an article has no hash',
    (l) => {
      const parts = readParts('articles', l.bodies.get('articles')!) as Record<string, unknown>[][];
      delete parts[0]![0]!['hash'];
      l.bodies.set('articles', writeParts('articles', parts));
    },
    /metadata/,
  ],
  [
    'the header claims more passages than the file has bytes',
    (l) => void ((l.header['counts'] as Record<string, number>)['passages'] = 2 ** 40),
    /counts/,
  ],
  ['an article has a topic the header lacks', (l) => void (l.header['topics'] = ['xiaomi']), /topics/],
  ['the header has no topic definitions', (l) => void delete l.header['topicDefinitions'], /topic definitions/],
  [
    'a topic definition takes a command of the bot',
    (l) => void (l.header['topicDefinitions'] = [{ name: 'reindex', label: 'R', description: 'R', match: ['r1'] }]),
    /topic definitions/,
  ],
  [
    'a topic definition’s label holds a line break',
    (l) => {
      const [first, ...rest] = l.header['topicDefinitions'] as Record<string, unknown>[];
      l.header['topicDefinitions'] = [{ ...first, label: 'Djingo\n@everyone' }, ...rest];
    },
    /topic definitions/,
  ],
  [
    'a text is not UTF-8 (the passage checks count its units from its bytes)',
    (l) => {
      const [first, ...rest] = contentsOf('texts', l.bodies.get('texts')!);
      first![10] = 0xff;
      l.bodies.set('texts', bodyOf('texts', [first!, ...rest]));
    },
    /not UTF-8/,
  ],
  [
    'an index term holds a space',
    (l) => {
      const [first, ...rest] = contentsOf('vocabulary', l.bodies.get('vocabulary')!);
      const edited = Buffer.from(first!.toString('utf8').replace('\n', ' \n'));
      l.bodies.set('vocabulary', bodyOf('vocabulary', [edited, ...rest]));
    },
    /terms are malformed/,
  ],
  [
    'two index terms swapped (the vocabulary is sorted)',
    (l) => {
      const [first, ...rest] = contentsOf('vocabulary', l.bodies.get('vocabulary')!);
      const terms = first!.toString('utf8').split('\n');
      [terms[0], terms[1]] = [terms[1]!, terms[0]!];
      l.bodies.set('vocabulary', bodyOf('vocabulary', [Buffer.from(terms.join('\n')), ...rest]));
    },
    /not sorted/,
  ],
  [
    'a title term holds a tab',
    (l) => {
      const [first, ...rest] = contentsOf('titles', l.bodies.get('titles')!);
      const edited = Buffer.from(first!.toString('utf8').replace(' ', '\t'));
      l.bodies.set('titles', bodyOf('titles', [edited, ...rest]));
    },
    /title terms are malformed/,
  ],
  [
    'a title line is missing',
    (l) => {
      const [first, ...rest] = contentsOf('titles', l.bodies.get('titles')!);
      const edited = Buffer.from(first!.toString('utf8').split('\n').slice(1).join('\n'));
      l.bodies.set('titles', bodyOf('titles', [edited, ...rest]));
    },
    /title terms and articles disagree/,
  ],
  [
    'a title line too many',
    (l) => {
      const [first, ...rest] = contentsOf('titles', l.bodies.get('titles')!);
      l.bodies.set('titles', bodyOf('titles', [Buffer.from(`${first!.toString('utf8')}\nen trop`), ...rest]));
    },
    /title terms and articles disagree/,
  ],
];

describe('a snapshot with a valid checksum but crafted content', () => {
  it.each(CRAFTED)('is rejected when %s', async (_, edit, reason) => {
    const built = buildFromReads(await reads(), SEED_TOPICS);
    const layout = split(serializeSnapshot(built, 'crafted', new Date(0)));
    edit(layout, built.corpus);
    const load = parseSnapshot(join(layout));
    expect(load.ok).toBe(false);
    expect(load.ok ? '' : load.reason).toMatch(reason);
  });

  it('is rejected when a passage ends inside a surrogate pair of its text, and loads when it does not', () => {
    const text = ' title Émoji\n date 2021-03\n\nLe forfait 😀 est lancé en mars pour tous les clients.\n';
    const built = buildFromReads([{ file: '001_emoji.txt', bytes: Buffer.from(text, 'utf8') }], SEED_TOPICS);
    expect(parseSnapshot(serializeSnapshot(built, 'emoji', new Date(0))).ok).toBe(true);
    const layout = split(serializeSnapshot(built, 'crafted', new Date(0)));
    const passage = built.corpus.passages[0]!;
    const inside = built.corpus.articles[0]!.text.indexOf('😀') + 1;
    setPassage(0, 4, () => inside - passage.start)(layout, built.corpus);
    const load = parseSnapshot(join(layout));
    expect(load.ok ? '' : load.reason).toMatch(/passage 0 .* not a span/);
  });

  it('is rejected when its section table moves a section over another', async () => {
    const layout = split(serializeSnapshot(buildFromReads(await reads(), SEED_TOPICS), 'crafted', new Date(0)));
    layout.header.sections['texts']![0] -= 4;
    const load = parseSnapshot(join(layout, true));
    expect(load.ok ? '' : load.reason).toMatch(/overlap/);
  });

  it(`${MUTATIONS} mutations of its sections: each rejected, or serving exact substrings only`, async () => {
    const built = buildFromReads(await reads(), SEED_TOPICS);
    const original = built.corpus;
    expect(original.passages.some((p, i) => i > 0 && original.passages[i - 1]!.paragraph === p.paragraph)).toBe(true);
    const layout = split(serializeSnapshot(built, 'mutations', new Date(0)));
    expect(parseSnapshot(join(layout)).ok).toBe(true);
    const questions = [
      'Combien coûtait l’enceinte Djingo ?',
      'Quel est le prix du forfait Djingo numéro 7 ?',
      'Quand Djingo a-t-il été lancé ?',
      'Où déposer l’enceinte pour le retour ?',
      'Xiaomi',
    ];
    const termList = contentsOf('vocabulary', layout.bodies.get('vocabulary')!).flatMap((p) =>
      p.toString('utf8').split('\n'),
    );
    const rng = prng(0x5eed);
    const problems: string[] = [];
    const rejected = new Map<string, number>();
    const loaded = new Map<string, number>();
    let asked = 0;
    for (let m = 0; m < MUTATIONS && problems.length < 10; m++) {
      const mutant = mutate(rng, layout, original);
      const load = parseSnapshot(mutant.buf);
      if (!load.ok) {
        rejected.set(mutant.section, (rejected.get(mutant.section) ?? 0) + 1);
        continue;
      }
      loaded.set(mutant.section, (loaded.get(mutant.section) ?? 0) + 1);
      // Aimed at what was changed: the passage's own first sentence, or the term; else one of the questions.
      const p = mutant.passage === null ? undefined : original.passages[mutant.passage];
      const aimed = p
        ? original.articles[p.article]!.text.slice(p.sentences[0]!.start, p.sentences[0]!.end)
        : mutant.term === null
          ? questions[m % questions.length]!
          : (termList[mutant.term] ?? 'Djingo');
      const intact = mutant.section !== 'texts' && mutant.section !== 'textBytes';
      try {
        for (const [q, topic] of [
          [aimed, null],
          [questions[(m + 1) % questions.length]!, TOPICS[m % TOPICS.length]!],
        ] as const) {
          const found = resultProblems(load.index, original, intact, q, topic);
          problems.push(...found.map((x) => `#${m} ${mutant.section}: ${x}`));
          asked++;
        }
        if (m % 16 === 0) suggest(load.index, 'Combien coûtait l’enc', 'djingo', 2);
      } catch (err) {
        problems.push(`#${m} ${mutant.section}: throws ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    expect(problems).toEqual([]);
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    // The mutations must reach the checks and leave some mutants loadable, or the test proves little.
    expect(total(rejected)).toBeGreaterThan(MUTATIONS / 4);
    expect(total(loaded)).toBeGreaterThan(MUTATIONS / 10);
    for (const s of VARINT_SECTIONS) expect(rejected.get(s) ?? 0, s).toBeGreaterThan(0);
    logSummary([
      {
        fault: 'snapshot with a valid checksum, sections mutated',
        cases: MUTATIONS,
        outcome:
          `${total(rejected)} rejected, ${total(loaded)} loaded (${asked} questions asked): ` +
          'none throws, only exact substrings quoted',
      },
    ]);
  }, 60_000);
});
