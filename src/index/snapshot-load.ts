import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Article, Corpus, Passage, PassageKind, Span } from '../corpus/index.js';
import { ANALYZER_VERSION } from '../language/index.js';
import { PassageMiniSearch } from './passage-minisearch.js';
import { FREQUENT_TERM_PASSAGES, topicArticlesOf, type SearchIndex } from './search-index.js';
import { storedArticle, TextStore } from './text-store.js';
import {
  checkArticleMeta,
  checkChampions,
  checkHeader,
  checkScalars,
  PassageRules,
  SnapshotInvalid,
} from './snapshot-checks.js';
import {
  decodeFile,
  decodeInSlices,
  decodeNow,
  memoryLength,
  nextPart,
  own,
  Refused,
  skipTo,
  take,
  type Cursor,
  type Decoder,
  type MemoryBytes,
} from './snapshot-io.js';
import {
  DIGEST_BYTES,
  HEADER_AT,
  MAGIC,
  MAX_HEADER_BYTES,
  PASSAGE_FIELDS,
  SECTIONS,
  SLICE_PASSAGES,
  SNAPSHOT_FORMAT,
  type Header,
  type Section,
} from './snapshot-layout.js';

export type SnapshotLoad =
  | { ok: true; index: SearchIndex; fingerprint: string; generation: string }
  | { ok: false; reason: string };

function refuse(reason: string): never {
  throw new Refused(reason);
}

const failedLoad = (err: unknown): SnapshotLoad => ({
  ok: false,
  reason:
    err instanceof Refused
      ? err.message
      : err instanceof SnapshotInvalid
        ? `snapshot rejected: ${err.message}`
        : `snapshot unreadable: ${(err as Error).message}`,
});

/**
 * Reads a snapshot held in memory (one buffer, or the parts a thread handed over). Anything unexpected (truncated,
 * corrupt, other versions, content that does not hold together) is a reason, never a throw.
 */
export function parseSnapshot(bytes: MemoryBytes): SnapshotLoad {
  try {
    return decodeNow(bytes, loadSnapshot(memoryLength(bytes)));
  } catch (err) {
    return failedLoad(err);
  }
}

/** The same, a slice at a time, yielding to the event loop in between: for loading a new index while serving. */
export async function parseSnapshotInSlices(bytes: MemoryBytes): Promise<SnapshotLoad> {
  try {
    return await decodeInSlices(bytes, loadSnapshot(memoryLength(bytes)));
  } catch (err) {
    return failedLoad(err);
  }
}

/**
 * Reads a snapshot from an open file of `size` bytes, front to back by positioned reads (never the whole file in
 * one buffer); with `slices`, a slice at a time. Stops at once when `signal` is aborted.
 */
export async function loadSnapshotFile(
  handle: FileHandle,
  size: number,
  options: { slices: boolean; signal?: AbortSignal },
): Promise<SnapshotLoad> {
  try {
    return await decodeFile(handle, loadSnapshot(size), options);
  } catch (err) {
    return failedLoad(err);
  }
}

/**
 * An Int32Array over a part: a view of its bytes when they are 4-byte aligned in memory (parts are, within the
 * file), so that no large buffer is allocated (allocating one makes V8 collect at once); else a copy. Views keep
 * the bytes alive, so they only serve while loading.
 */
function readInt32(part: Buffer): Int32Array {
  if (part.length % 4 !== 0) refuse('snapshot section is not a whole number of integers');
  if (part.byteOffset % 4 === 0) return new Int32Array(part.buffer, part.byteOffset, part.length / 4);
  const copy = new Int32Array(part.length / 4);
  new Uint8Array(copy.buffer).set(part);
  return copy;
}

/** A whole Int32 section (a small one: a few integers per article, passage or term), in one array. */
function* int32Section(c: Cursor, end: number): Decoder<Int32Array> {
  const parts: Int32Array[] = [];
  let length = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const ints = readInt32(part);
    parts.push(ints);
    length += ints.length;
  }
  const out = new Int32Array(length);
  let at = 0;
  for (const ints of parts) out.set(ints, at), (at += ints.length);
  return out;
}

/** Each part of a JSON section, parsed, as an array (anything else is refused with `reason`). */
function* jsonArrays(c: Cursor, end: number, reason: string): Decoder<unknown[][]> {
  const out: unknown[][] = [];
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const items: unknown = JSON.parse(part.toString('utf8'));
    if (!Array.isArray(items)) refuse(reason);
    out.push(items);
    yield;
  }
  return out;
}

interface Loading {
  c: Cursor;
  header: Header;
  /** Where each section starts and ends in the file. */
  at: (name: Section) => [number, number];
}

/** Decodes the snapshot front to back and loads its index into MiniSearch, in slices. */
function* loadSnapshot(size: number): Decoder<SnapshotLoad> {
  if (size < HEADER_AT) refuse('not a snapshot of this format');
  const c: Cursor = { at: 0, size, hashFrom: HEADER_AT, hash: createHash('sha1') };
  const start = Buffer.from(yield* take(c, HEADER_AT));
  if (!start.subarray(0, MAGIC.length).equals(MAGIC)) refuse('not a snapshot of this format');
  const headerLength = start.readUInt32LE(MAGIC.length);
  // Checked before anything that long is read: a length of 2³¹ or more read in one call aborts the process.
  if (HEADER_AT + headerLength > size)
    refuse(`snapshot header length ${headerLength} is past the end of the file (${size} bytes)`);
  if (headerLength > MAX_HEADER_BYTES) refuse(`snapshot header length ${headerLength} is too large`);
  const raw: unknown = JSON.parse((yield* take(c, headerLength)).toString('utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) refuse('snapshot has no header');
  const { format, analyzer } = raw as Partial<Header>;
  if (format !== SNAPSHOT_FORMAT || analyzer !== ANALYZER_VERSION)
    refuse(`snapshot format ${String(format)}/${String(analyzer)} is not ${SNAPSHOT_FORMAT}/${ANALYZER_VERSION}`);
  const header = { ...(raw as Header), ...checkHeader(raw as Record<string, unknown>, SECTIONS) };
  const base = Math.ceil((HEADER_AT + headerLength) / 4) * 4;
  // Sections tile the rest of the file in order, as written: none overlaps another or reads past the file.
  let end = 0;
  for (const name of SECTIONS) {
    const [from, length] = header.sections[name];
    if (from !== Math.ceil(end / 4) * 4) refuse('snapshot sections overlap or leave gaps');
    end = from + length;
  }
  if (base + end !== size) refuse('snapshot is truncated or has trailing bytes');
  const at = (name: Section): [number, number] => {
    const [from, length] = header.sections[name];
    return [base + from, base + from + length];
  };
  const loading: Loading = { c, header, at };

  const articles = yield* decodeArticles(loading);
  const { passages, passageTopics } = yield* decodePassages(loading, articles);
  const corpus: Corpus = { articles, passages, rejected: header.rejected, topics: header.topicDefinitions };
  const index = yield* loadIndex(loading, corpus, passageTopics);
  if (c.at !== size) refuse('snapshot is truncated or has trailing bytes');
  if (!c.hash.digest().equals(start.subarray(MAGIC.length + 4, MAGIC.length + 4 + DIGEST_BYTES)))
    refuse('snapshot is damaged (checksum)');
  return {
    ok: true,
    fingerprint: header.fingerprint,
    generation: typeof header.generation === 'string' ? header.generation : '',
    index,
  };
}

/** Section `name`: reads up to its start, and returns where it ends. */
function* enter({ c, at }: Loading, name: Section): Decoder<number> {
  const [from, to] = at(name);
  yield* skipTo(c, from);
  return to;
}

/** Article metadata and texts. */
function* decodeArticles(l: Loading): Decoder<Article[]> {
  const { c, header } = l;
  const count = header.counts.articles;
  const topics = new Set(header.topics);
  const metas: Omit<Article, 'text'>[] = [];
  for (const part of yield* jsonArrays(c, yield* enter(l, 'articles'), 'snapshot articles disagree'))
    for (const meta of part) metas.push(checkArticleMeta(meta, topics));
  const textBytes = yield* int32Section(c, yield* enter(l, 'textBytes'));
  if (metas.length !== count || textBytes.length !== count) refuse('snapshot articles disagree');
  // Each part holds whole articles: it becomes a block of the loaded index's text store, as it is.
  const store = new TextStore();
  const end = yield* enter(l, 'texts');
  let i = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    let used = 0;
    const first = i;
    while (i < count && used < part.length) {
      const n = textBytes[i]!;
      if (n < 0 || used + n > part.length) refuse('snapshot texts and articles disagree');
      used += n;
      i++;
    }
    if (used !== part.length) refuse('snapshot texts and articles disagree');
    store.addBlock(own(part), textBytes.subarray(first, i));
    yield;
  }
  const empty = i;
  while (i < count && textBytes[i] === 0) i++;
  if (i !== count) refuse('snapshot texts and articles disagree');
  store.addBlock(Buffer.alloc(0), textBytes.subarray(empty, i));
  const articles = metas.map((meta, k) => storedArticle(meta, store, k));
  return articles;
}

/** Passages with their sentences, checked against their articles; and the topic mask of each passage's article. */
function* decodePassages(
  l: Loading,
  articles: readonly Article[],
): Decoder<{ passages: Passage[]; passageTopics: Int32Array }> {
  const { c, header } = l;
  const count = header.counts.passages;
  const passages: Passage[] = new Array(count);
  const rules = new PassageRules(articles);
  const articleTopics = Int32Array.from(articles, (a) =>
    a.topics.reduce((mask, t) => mask | (1 << header.topics.indexOf(t)), 0),
  );
  const passageTopics = new Int32Array(count);
  const end = yield* enter(l, 'passages');
  let id = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const data = readInt32(part);
    // Whole passages per part: its fields, then its sentences.
    for (let o = 0; o < data.length; ) {
      if (id >= count || o + PASSAGE_FIELDS > data.length) refuse('snapshot passages disagree');
      const n = data[o + 5]!;
      if (n < 0 || o + PASSAGE_FIELDS + 2 * n > data.length) refuse('snapshot sentences disagree');
      const sentences: Span[] = new Array(n);
      for (let k = 0, s = o + PASSAGE_FIELDS; k < n; k++, s += 2) sentences[k] = { start: data[s]!, end: data[s + 1]! };
      const code = data[o + 2]!;
      if (code !== 0 && code !== 1) refuse('snapshot passages disagree');
      const kind: PassageKind = code === 1 ? 'comment' : 'article';
      const passage: Passage = {
        id,
        article: data[o]!,
        paragraph: data[o + 1]!,
        kind,
        start: data[o + 3]!,
        end: data[o + 4]!,
        sentences,
      };
      rules.check(id, passage.article, passage.paragraph, kind, passage, sentences);
      passages[id] = passage;
      passageTopics[id] = articleTopics[passage.article]!;
      o += PASSAGE_FIELDS + 2 * n;
      if (++id % SLICE_PASSAGES === 0) yield;
    }
  }
  if (id !== count) refuse('snapshot passages disagree');
  return { passages, passageTopics };
}

/**
 * Work between two pauses when filling MiniSearch's maps, counted in postings; a term or a document costs about
 * ITEM_WORK.
 */
const SLICE_POSTINGS = 50_000;
const ITEM_WORK = 20;

/**
 * The search index over the corpus: champion lists, MiniSearch's scalars and field lengths, the terms and their
 * postings, each checked as it is read (passages in range and in increasing order, each term at least once, a
 * term's topic mask the union of its passages' topics, each passage's field length its number of distinct terms).
 */
function* loadIndex(l: Loading, corpus: Corpus, passageTopics: Int32Array): Decoder<SearchIndex> {
  const { c, header } = l;
  const { counts } = header;
  const championParts = yield* jsonArrays(c, yield* enter(l, 'champions'), 'champion lists are malformed');
  const frequentTermPassages = checkChampions(championParts.flat(), counts.passages);
  const fieldLength = yield* int32Section(c, yield* enter(l, 'fieldLength'));
  const scalarParts = yield* jsonArrays(c, yield* enter(l, 'scalars'), 'index scalars are malformed');
  // The scalars are one JSON object: written as the one item of one part.
  const scalars = checkScalars(
    scalarParts.length === 1 && scalarParts[0]!.length === 1 ? scalarParts[0]![0] : null,
    counts.passages,
    fieldLength,
  );
  const mini = new PassageMiniSearch(scalars);
  for (let id = 0; id < fieldLength.length; id++) {
    mini.addPassageLength(id, fieldLength[id]!);
    if (id % (SLICE_POSTINGS / ITEM_WORK) === 0) yield;
  }

  const termList: string[] = [];
  let end = yield* enter(l, 'vocabulary');
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const text = part.toString('utf8');
    // The analyzer's terms are never empty and hold no white space (queries join terms with spaces).
    if (/[^\S\n]/u.test(text)) refuse('snapshot terms are malformed');
    for (const term of text.split('\n')) termList.push(term);
  }
  if (termList.includes('')) refuse('snapshot terms are malformed');
  const terms = yield* int32Section(c, yield* enter(l, 'terms'));
  if (termList.length !== counts.terms || terms.length !== counts.terms * 2) refuse('snapshot terms disagree');

  const passageFrequency = new Map<string, number>();
  const topicTerms = new Map(header.topics.map((t) => [t, new Set<string>()]));
  const topicSets = [...topicTerms.values()];
  // Distinct terms per passage, from the postings: each passage's field length must be that.
  const termsPerPassage = new Int32Array(counts.passages);
  end = yield* enter(l, 'postings');
  let n = 0;
  let sincePause = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const postings = readInt32(part);
    // Whole terms per part.
    for (let from = 0; from < postings.length; n++) {
      const count = n < termList.length ? terms[2 * n]! : 0;
      const to = from + 2 * count;
      if (count <= 0 || to > postings.length) refuse('snapshot postings disagree');
      const term = termList[n]!;
      passageFrequency.set(term, count);
      const mask = terms[2 * n + 1]!;
      for (let m = mask, k = 0; m !== 0; m >>>= 1, k++) if (m & 1) topicSets[k]?.add(term);
      const docs = new Map<number, number>();
      let previous = -1;
      let union = 0;
      for (let i = from; i < to; i += 2) {
        const id = postings[i]!;
        const occurrences = postings[i + 1]!;
        if (id <= previous || id >= counts.passages || occurrences < 1)
          throw new SnapshotInvalid(`postings of term ${n} are out of range or order`);
        previous = id;
        termsPerPassage[id]!++;
        union |= passageTopics[id]!;
        docs.set(id, occurrences);
      }
      if (union !== mask) throw new SnapshotInvalid(`topic mask of term ${n} disagrees with its passages`);
      mini.addTermPostings(term, docs);
      sincePause += to - from + ITEM_WORK;
      from = to;
      if (sincePause >= SLICE_POSTINGS) (sincePause = 0), yield;
    }
  }
  if (n !== termList.length) refuse('snapshot postings disagree');
  for (let id = 0; id < counts.passages; id++)
    if (termsPerPassage[id] !== fieldLength[id]) throw new SnapshotInvalid(`field length of passage ${id} disagrees`);

  if (mini.documentCount !== corpus.passages.length) refuse('snapshot index and corpus disagree');
  if (passageFrequency.size !== termList.length) refuse('snapshot terms disagree');
  // Champion lists stand in for the postings of the frequent terms: exactly those terms, passages that hold them.
  let frequent = 0;
  for (const count of passageFrequency.values()) if (count > FREQUENT_TERM_PASSAGES) frequent++;
  if (frequent !== frequentTermPassages.size) refuse('snapshot champion lists disagree');
  for (const [term, ids] of frequentTermPassages) {
    const postings = mini.termTree.get(term)?.get(0);
    if (!postings || (passageFrequency.get(term) ?? 0) <= FREQUENT_TERM_PASSAGES || ids.some((id) => !postings.has(id)))
      refuse('snapshot champion lists disagree');
  }
  return {
    corpus,
    mini,
    passageFrequency,
    vocabulary: mini.termTree,
    topicArticles: topicArticlesOf(corpus),
    topicTerms,
    frequentTermPassages,
  };
}
