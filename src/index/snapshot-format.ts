import { createHash, randomUUID } from 'node:crypto';
import { ANALYZER_VERSION } from '../language/index.js';
import type { BuiltIndex } from './build.js';
import type { IndexDraft } from './draft.js';
import type { MiniScalars } from './passage-minisearch.js';
import { championsOf, topicMasksOf } from './search-index.js';
import { SectionWriter } from './snapshot-io.js';
import {
  HEADER_AT,
  JSON_PART_BYTES,
  MAGIC,
  PART_INTS,
  PASSAGE_FIELDS,
  SECTIONS,
  SNAPSHOT_FORMAT,
  type Header,
  type Section,
} from './snapshot-layout.js';

export { DIGEST_BYTES, MAGIC, SNAPSHOT_FORMAT, type Header } from './snapshot-layout.js';
export { parseSnapshot, parseSnapshotInSlices, type SnapshotLoad } from './snapshot-load.js';

/** JSON in parts: the items (JSON texts) grouped into arrays of about JSON_PART_BYTES. */
function jsonParts(out: SectionWriter, items: Iterable<string>): void {
  let group: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length) out.part(Buffer.from(`[${group.join(',')}]`, 'utf8'));
    group = [];
    size = 0;
  };
  for (const json of items) {
    if (size + json.length > JSON_PART_BYTES) flush();
    group.push(json);
    size += json.length;
  }
  flush();
}

/** Int32 parts of about PART_INTS, whole items each (an item larger than that has a part of its own). */
class IntParts {
  #buf = new Int32Array(PART_INTS);
  #at = 0;

  constructor(private readonly out: SectionWriter) {}

  /** Makes room for an item of `n` integers in the current part. */
  item(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    this.flush();
    if (n > this.#buf.length) this.#buf = new Int32Array(n);
  }

  push(v: number): void {
    this.#buf[this.#at++] = v;
  }

  pushAll(values: ArrayLike<number>): void {
    this.#buf.set(values, this.#at);
    this.#at += values.length;
  }

  flush(): void {
    if (this.#at === 0) return;
    // The part keeps its view of the buffer: the next part has a buffer of its own.
    this.out.part(this.#buf.subarray(0, this.#at));
    this.#buf = new Int32Array(PART_INTS);
    this.#at = 0;
  }
}

function int32Parts(out: SectionWriter, values: Iterable<number>): void {
  const parts = new IntParts(out);
  for (const v of values) parts.item(1), parts.push(v);
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

/** Each section of the snapshot, written in parts. */
function sectionsOf(built: BuiltIndex): { topics: string[]; sections: Record<Section, SectionWriter> } {
  const { corpus, draft } = built;
  const sections = Object.fromEntries(SECTIONS.map((name) => [name, new SectionWriter()])) as Record<
    Section,
    SectionWriter
  >;
  jsonParts(
    sections.articles,
    corpus.articles.map(({ text: _text, ...meta }) => JSON.stringify(meta)),
  );
  const { texts } = built;
  if (texts.count !== corpus.articles.length) throw new Error('the text store and the articles disagree');
  int32Parts(
    sections.textBytes,
    Array.from({ length: texts.count }, (_, i) => texts.byteLength(i)),
  );
  // The store's blocks hold whole articles: each is a part.
  for (const block of texts.blocks) sections.texts.part(block);
  const passages = new IntParts(sections.passages);
  for (const p of corpus.passages) {
    passages.item(PASSAGE_FIELDS + 2 * p.sentences.length);
    passages.pushAll([p.article, p.paragraph, p.kind === 'comment' ? 1 : 0, p.start, p.end, p.sentences.length]);
    for (const s of p.sentences) passages.push(s.start), passages.push(s.end);
  }
  passages.flush();
  jsonParts(
    sections.champions,
    [...championsOf(draft)].map(([t, ids]) => JSON.stringify([t, [...ids]])),
  );
  sections.scalars.part(Buffer.from(JSON.stringify([scalarsOf(draft)]), 'utf8'));
  int32Parts(sections.fieldLength, draft.fieldLength);
  if (draft.terms.some((t) => t === '' || t.includes('\n')))
    throw new Error('an index term is empty or holds a line break');
  for (let n = 0; n < draft.terms.length; n += VOCABULARY_PART_TERMS)
    sections.vocabulary.part(Buffer.from(draft.terms.slice(n, n + VOCABULARY_PART_TERMS).join('\n'), 'utf8'));
  const { topics, masks } = topicMasksOf(corpus, draft);
  const terms = new IntParts(sections.terms);
  const postings = new IntParts(sections.postings);
  draft.postings.forEach((list, n) => {
    terms.item(2);
    terms.push(list.length / 2);
    terms.push(masks[n]!);
    postings.item(list.length);
    postings.pushAll(list);
  });
  terms.flush();
  postings.flush();
  return { topics, sections };
}

/** Terms per vocabulary part (about 1 MB). */
const VOCABULARY_PART_TERMS = 100_000;

/**
 * The snapshot of a built index, as the list of buffers the file is made of, in order (none larger than a part of
 * a section): what `writeSnapshot` writes and a rebuild thread hands over. The checksum is computed over the
 * buffers one after the other.
 */
export function snapshotChunks(
  built: BuiltIndex,
  fingerprint: string,
  now: Date,
  generation: string = randomUUID(),
): Buffer[] {
  const { corpus, draft } = built;
  const { topics, sections: bodies } = sectionsOf(built);
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
