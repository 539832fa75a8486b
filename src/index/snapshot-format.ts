import { createHash, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { type BrotliOptions, brotliCompress, brotliCompressSync, constants as zlib } from 'node:zlib';
import { ANALYZER_VERSION } from '../language/index.js';
import { mapLimited } from '../lib/index.js';
import type { BuiltIndex } from './build.js';
import type { IndexDraft } from './draft.js';
import type { TextStore } from './text-store.js';
import type { MiniScalars } from './passage-minisearch.js';
import { MAX_VARINT_BYTES, VarintParts } from './postings.js';
import { championsOf, topicMasksOf } from './search-index.js';
import { SectionWriter } from './snapshot-io.js';
import { areTitleLines } from './title-terms.js';
import {
  HEADER_AT,
  JSON_PART_BYTES,
  MAGIC,
  PACK_QUALITY,
  PART_BYTES,
  PASSAGE_FIELDS,
  SECTIONS,
  SNAPSHOT_FORMAT,
  VOCABULARY_PART_TERMS,
  type Header,
  type Section,
} from './snapshot-layout.js';

export { DIGEST_BYTES, MAGIC, SNAPSHOT_FORMAT, type Header } from './snapshot-layout.js';
export { parseSnapshot, parseSnapshotInSlices, type SnapshotLoad } from './snapshot-load.js';

/** Brotli settings of a packed part: one output chunk (the default, 16 KB chunks, are copied together at the end). */
const packOptions = (raw: Uint8Array, text: boolean): BrotliOptions => ({
  chunkSize: Math.max(64 * 1024, raw.length),
  params: {
    [zlib.BROTLI_PARAM_QUALITY]: PACK_QUALITY,
    [zlib.BROTLI_PARAM_MODE]: text ? zlib.BROTLI_MODE_TEXT : zlib.BROTLI_MODE_GENERIC,
    [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length,
  },
});

const withLength = (raw: Uint8Array, out: Buffer): Buffer => {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32LE(raw.length, 0);
  return Buffer.concat([length, out]);
};

/** A packed part: its length unpacked (u32), then Brotli. */
function packed(raw: Uint8Array, text: boolean): Buffer {
  return withLength(raw, brotliCompressSync(raw, packOptions(raw, text)));
}

/**
 * The text store's blocks packed on libuv's thread pool, several at once (most of the time a snapshot takes to
 * write): what `snapshotChunks` takes as `packedTexts`.
 */
export function packTexts(texts: TextStore): Promise<Buffer[]> {
  // As many at a time as there are cores: all blocks at once made V8 collect again and again for the memory
  // outside its heap they took.
  return mapLimited(
    texts.blocks,
    availableParallelism(),
    (block) =>
      new Promise<Buffer>((resolve, reject) => {
        brotliCompress(block, packOptions(block, true), (err, out) =>
          err ? reject(err) : resolve(withLength(block, out)),
        );
      }),
  );
}

/** Items (texts) in groups of about JSON_PART_BYTES characters, in order, each group handed to `part`. */
function groupedParts(items: Iterable<string>, part: (group: string[]) => void): void {
  let group: string[] = [];
  let size = 0;
  for (const item of items) {
    if (group.length > 0 && size + item.length > JSON_PART_BYTES) {
      part(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += item.length;
  }
  if (group.length > 0) part(group);
}

/** JSON in packed parts: the items (JSON texts) grouped into arrays of about JSON_PART_BYTES. */
function jsonParts(out: SectionWriter, items: Iterable<string>, pack: boolean): void {
  groupedParts(items, (group) => {
    const raw = Buffer.from(`[${group.join(',')}]`, 'utf8');
    out.part(pack ? packed(raw, true) : raw);
  });
}

const varintParts = (out: SectionWriter): VarintParts => new VarintParts((part) => out.part(part), PART_BYTES);

function varintSection(out: SectionWriter, values: Iterable<number>): void {
  const parts = varintParts(out);
  for (const v of values) parts.item(MAX_VARINT_BYTES), parts.push(v);
  parts.flush();
}

/** MiniSearch's scalars for the draft (serialization version 2): passages are its documents, numbered from 0. */
function scalarsOf(draft: IndexDraft): MiniScalars {
  const count = draft.passageCount;
  return {
    documentCount: count,
    nextId: count,
    fieldIds: { text: 0 },
    averageFieldLength: [draft.averageFieldLength],
    dirtCount: 0,
    serializationVersion: 2,
  };
}

/** The positions of `terms` in code unit order of the terms (distinct: the draft holds each once). */
function sortedOrder(terms: readonly string[]): Int32Array {
  return Int32Array.from(terms.keys()).sort((a, b) => (terms[a]! < terms[b]! ? -1 : 1));
}

/** Each section of the snapshot, written in parts. */
function sectionsOf(
  built: BuiltIndex,
  packedTexts: readonly Buffer[] | undefined,
): { topics: string[]; sections: Record<Section, SectionWriter> } {
  const { corpus, draft, texts } = built;
  const sections = Object.fromEntries(SECTIONS.map((name) => [name, new SectionWriter()])) as Record<
    Section,
    SectionWriter
  >;
  jsonParts(
    sections.articles,
    corpus.articles.map(({ text: _text, ...meta }) => JSON.stringify(meta)),
    true,
  );
  if (texts.count !== corpus.articles.length) throw new Error('the text store and the articles disagree');
  varintSection(
    sections.textBytes,
    Array.from({ length: texts.count }, (_, i) => texts.byteLength(i)),
  );
  // The store's blocks hold whole articles: each is a part.
  if (packedTexts && packedTexts.length !== texts.blocks.length) throw new Error('packed texts and blocks disagree');
  for (const [k, block] of texts.blocks.entries()) sections.texts.part(packedTexts?.[k] ?? packed(block, true));
  const passages = varintParts(sections.passages);
  let article = 0;
  for (const p of corpus.passages) {
    passages.item(MAX_VARINT_BYTES * (PASSAGE_FIELDS + 2 * p.sentences.length));
    passages.push(p.article - article);
    article = p.article;
    passages.push(p.paragraph);
    passages.push(p.kind === 'comment' ? 1 : 0);
    passages.push(p.start);
    passages.push(p.end - p.start);
    passages.push(p.sentences.length);
    let at = p.start;
    for (const s of p.sentences) passages.push(s.start - at), passages.push(s.end - s.start), (at = s.end);
  }
  passages.flush();
  if (built.titleTerms.length !== corpus.articles.length) throw new Error('the title terms and the articles disagree');
  // One line per article, whole lines per part.
  groupedParts(built.titleTerms, (lines) => {
    const text = lines.join('\n');
    if (!areTitleLines(text)) throw new Error('a title line holds stray white space');
    sections.titles.part(packed(Buffer.from(text, 'utf8'), true));
  });
  jsonParts(
    sections.champions,
    [...championsOf(draft)].map(([t, ids]) => JSON.stringify([t, [...ids]])),
    false,
  );
  varintSection(sections.fieldLength, draft.fieldLength);
  sections.scalars.part(Buffer.from(JSON.stringify([scalarsOf(draft)]), 'utf8'));
  if (draft.terms.some((t) => t === '' || t.includes('\n')))
    throw new Error('an index term is empty or holds a line break');
  // Terms in code unit order: the loaded index's vocabulary is then the list as read (vocabulary.ts).
  const order = sortedOrder(draft.terms);
  const sorted = Array.from(order, (n) => draft.terms[n]!);
  for (let k = 0; k < sorted.length; k += VOCABULARY_PART_TERMS) {
    const raw = Buffer.from(sorted.slice(k, k + VOCABULARY_PART_TERMS).join('\n'), 'utf8');
    sections.vocabulary.part(packed(raw, true));
  }
  const { topics, masks } = topicMasksOf(corpus, draft);
  const terms = varintParts(sections.terms);
  const postings = varintParts(sections.postings);
  for (const n of order) {
    terms.item(2 * MAX_VARINT_BYTES);
    terms.push(draft.postings.count(n));
    terms.push(masks[n]!);
    const bytes = draft.postings.bytes(n);
    postings.item(bytes.length);
    postings.pushBytes(bytes);
  }
  terms.flush();
  postings.flush();
  return { topics, sections };
}

/**
 * The snapshot of a built index, as the list of buffers the file is made of, in order (none larger than a part of
 * a section): what `writeSnapshot` writes and a rebuild thread hands over. The checksum is computed over the
 * buffers one after the other. `packedTexts`: the text blocks packed already (`packTexts`), else packed here.
 */
export function snapshotChunks(
  built: BuiltIndex,
  fingerprint: string,
  now: Date,
  generation: string = randomUUID(),
  packedTexts?: readonly Buffer[],
): Buffer[] {
  const { corpus, draft } = built;
  const { topics, sections: bodies } = sectionsOf(built, packedTexts);
  let offset = 0;
  const sections = {} as Record<Section, [number, number]>;
  const chunks: Buffer[] = [];
  for (const name of SECTIONS) {
    // Sections start on multiples of 4 past the header (parts are padded to 4: they always do).
    const aligned = Math.ceil(offset / 4) * 4;
    if (aligned > offset) chunks.push(Buffer.alloc(aligned - offset));
    sections[name] = [aligned, bodies[name].length];
    chunks.push(...bodies[name].chunks);
    offset = aligned + bodies[name].length;
  }
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    analyzer: ANALYZER_VERSION,
    fingerprint,
    generation,
    createdAt: now.toISOString(),
    counts: { articles: corpus.articles.length, passages: corpus.passages.length, terms: draft.terms.length },
    topics,
    topicDefinitions: corpus.topics,
    rejected: corpus.rejected,
    sections,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const base = Math.ceil((HEADER_AT + headerBytes.length) / 4) * 4;
  const start = Buffer.alloc(HEADER_AT);
  MAGIC.copy(start, 0);
  start.writeUInt32LE(headerBytes.length, MAGIC.length);
  const head = [headerBytes, Buffer.alloc(base - HEADER_AT - headerBytes.length)];
  const hash = createHash('sha1');
  for (const chunk of head) hash.update(chunk);
  for (const chunk of chunks) hash.update(chunk);
  hash.digest().copy(start, MAGIC.length + 4);
  return [start, ...head, ...chunks];
}

/** The snapshot in one buffer: for small indexes and tests (a large one is written from its chunks). */
export function serializeSnapshot(built: BuiltIndex, fingerprint: string, now: Date, generation?: string): Buffer {
  return Buffer.concat(snapshotChunks(built, fingerprint, now, generation));
}

/**
 * The chunks gathered into a few buffers of at most `size` bytes that own their memory, in order: what a thread
 * can transfer (a small chunk may share its memory with others).
 */
export function gatherChunks(chunks: readonly Buffer[], size = 64 * 1024 * 1024): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  let i = 0;
  while (i < chunks.length) {
    let length = 0;
    let j = i;
    while (j < chunks.length && (j === i || length + chunks[j]!.length <= size)) length += chunks[j++]!.length;
    const buf = new Uint8Array(new ArrayBuffer(length));
    let at = 0;
    for (; i < j; i++) buf.set(chunks[i]!, at), (at += chunks[i]!.length);
    out.push(buf.buffer);
  }
  return out;
}
