import { createHash, randomUUID } from 'node:crypto';
import type { Article, Corpus, Passage, PassageKind, Rejection, Span, TopicDefinition } from '../corpus/index.js';
import { ANALYZER_VERSION } from '../language/index.js';
import { runInSlices, runNow } from '../lib/index.js';
import type { BuiltIndex } from './build.js';
import type { IndexDraft } from './draft.js';
import { PassageMiniSearch, type MiniScalars } from './passage-minisearch.js';
import {
  championsOf,
  FREQUENT_TERM_PASSAGES,
  topicArticlesOf,
  topicMasksOf,
  type SearchIndex,
} from './search-index.js';
import {
  checkArticleMeta,
  checkChampions,
  checkHeader,
  checkScalars,
  PassageRules,
  SnapshotInvalid,
} from './snapshot-checks.js';

/**
 * The index snapshot, one file so it is replaced atomically. Layout, chosen to load fast and in slices:
 *   magic "DJSNAP6\n" · u32 header length · SHA-1 of all that follows · header JSON (small: counts, topics,
 *   rejections, sections) · sections
 *   articles   article metadata (all but the text), JSON in parts
 *   textBytes  Int32Array, UTF-8 length of each article's text
 *   texts      every article's text, UTF-8, one after the other
 *   passages   Int32Array, PASSAGE_FIELDS per passage
 *   sentences  Int32Array, start and end of every sentence, passage after passage
 *   champions  JSON [[term, [passage ids…]]…]
 * and MiniSearch's index (what its serialization version 2 holds; passage ids are its document ids):
 *   scalars     JSON: document count, next id, field ids, average field length
 *   fieldLength Int32Array, per passage: its number of distinct terms
 *   vocabulary  the index terms, UTF-8, one per line
 *   terms       Int32Array, per term in the same order: passages holding it, topic bit mask
 *   postings    Int32Array, per term in the same order: passage id, occurrences, passage id, occurrences…
 * "JSON in parts" is u32 part count, then u32 length + JSON text per part. Typed arrays are read in place instead
 * of parsing millions of small JSON objects; parts and bounded slices let a reindex load the new snapshot without
 * stalling the bot; the checksum turns any damage, header included, into a rebuild, and what a valid checksum
 * cannot vouch for (ranges, order, counts) is checked as it loads (snapshot-checks.ts).
 */
export const SNAPSHOT_FORMAT = 7;
/** Work between two pauses when loading in slices (checksum, texts), in bytes. */
const SLICE_BYTES = 2 * 1024 * 1024;
/** Passages decoded between two pauses. */
const SLICE_PASSAGES = 10_000;
/** JSON parts are cut at about this many bytes: each parses in a few milliseconds. */
const PART_BYTES = 512 * 1024;
export const MAGIC = Buffer.from('DJSNAP6\n', 'latin1');
export const DIGEST_BYTES = 20;
const PASSAGE_FIELDS = 6; // article, paragraph, kind (0 article, 1 comment), start, end, sentence count
const SECTIONS = [
  'articles',
  'textBytes',
  'texts',
  'passages',
  'sentences',
  'champions',
  'scalars',
  'fieldLength',
  'vocabulary',
  'terms',
  'postings',
] as const;
type Section = (typeof SECTIONS)[number];

export interface Header {
  format: number;
  analyzer: number;
  fingerprint: string;
  /**
   * Unique to each snapshot written: a live index reloads when the saved snapshot's generation is not its own,
   * whatever the fingerprints say (two builds of the same seeds are two generations).
   */
  generation: string;
  createdAt: string;
  counts: { articles: number; passages: number; terms: number };
  /** Bit k of a term's topic mask stands for topics[k]. */
  topics: string[];
  /** The topics file the articles' topics were decided with: the commands the bot registers come from here. */
  topicDefinitions: TopicDefinition[];
  rejected: Rejection[];
  sections: Record<Section, [number, number]>;
}

const int32Bytes = (a: Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** JSON in parts: the items (JSON texts) grouped into arrays of about PART_BYTES. */
function jsonParts(items: Iterable<string>): Buffer {
  const parts: Buffer[] = [];
  let group: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length) parts.push(Buffer.from(`[${group.join(',')}]`, 'utf8'));
    group = [];
    size = 0;
  };
  for (const json of items) {
    if (size + json.length > PART_BYTES) flush();
    group.push(json);
    size += json.length;
  }
  flush();
  const out = Buffer.alloc(4 + parts.reduce((n, p) => n + 4 + p.length, 0));
  out.writeUInt32LE(parts.length, 0);
  let at = 4;
  for (const p of parts) {
    out.writeUInt32LE(p.length, at);
    p.copy(out, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** Parses JSON parts one at a time, as the caller asks for them. */
function* readParts(buf: Buffer, start: number, length: number): Generator<unknown, void, undefined> {
  const end = start + length;
  if (length < 4) throw new Error('snapshot part list is truncated');
  const count = buf.readUInt32LE(start);
  let at = start + 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw new Error('snapshot part list is truncated');
    const n = buf.readUInt32LE(at);
    if (at + 4 + n > end) throw new Error('snapshot part list is truncated');
    yield JSON.parse(buf.toString('utf8', at + 4, at + 4 + n)) as unknown;
    at += 4 + n;
  }
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

export function serializeSnapshot(
  built: BuiltIndex,
  fingerprint: string,
  now: Date,
  generation: string = randomUUID(),
): Buffer {
  const { corpus, draft } = built;
  const passages = new Int32Array(corpus.passages.length * PASSAGE_FIELDS);
  let sentenceTotal = 0;
  corpus.passages.forEach((p, i) => {
    passages.set(
      [p.article, p.paragraph, p.kind === 'comment' ? 1 : 0, p.start, p.end, p.sentences.length],
      i * PASSAGE_FIELDS,
    );
    sentenceTotal += p.sentences.length;
  });
  const sentences = new Int32Array(sentenceTotal * 2);
  let at = 0;
  for (const p of corpus.passages) for (const s of p.sentences) (sentences[at++] = s.start), (sentences[at++] = s.end);
  const { topics, masks } = topicMasksOf(corpus, draft);
  const terms = new Int32Array(draft.terms.length * 2);
  const postings = new Int32Array(draft.postings.reduce((sum, list) => sum + list.length, 0));
  let postingAt = 0;
  draft.postings.forEach((list, n) => {
    terms[2 * n] = list.length / 2;
    terms[2 * n + 1] = masks[n]!;
    postings.set(list, postingAt);
    postingAt += list.length;
  });
  const vocabulary = draft.terms.join('\n');
  if (draft.terms.some((t) => t === '' || t.includes('\n')))
    throw new Error('an index term is empty or holds a line break');
  const bodies: Record<Section, Buffer> = {
    articles: jsonParts(corpus.articles.map(({ text: _text, ...meta }) => JSON.stringify(meta))),
    textBytes: int32Bytes(Int32Array.from(corpus.articles, (a) => Buffer.byteLength(a.text, 'utf8'))),
    texts: Buffer.from(corpus.articles.map((a) => a.text).join(''), 'utf8'),
    passages: int32Bytes(passages),
    sentences: int32Bytes(sentences),
    champions: Buffer.from(JSON.stringify([...championsOf(draft)].map(([t, ids]) => [t, [...ids]])), 'utf8'),
    scalars: Buffer.from(JSON.stringify(scalarsOf(draft)), 'utf8'),
    fieldLength: int32Bytes(Int32Array.from(draft.fieldLength)),
    vocabulary: Buffer.from(vocabulary, 'utf8'),
    terms: int32Bytes(terms),
    postings: int32Bytes(postings),
  };
  let offset = 0;
  const sections = {} as Record<Section, [number, number]>;
  for (const name of SECTIONS) {
    // Int32Array views need 4-byte alignment: sections start on multiples of 4 past the header.
    offset = Math.ceil(offset / 4) * 4;
    sections[name] = [offset, bodies[name].length];
    offset += bodies[name].length;
  }
  const body = Buffer.alloc(offset);
  for (const name of SECTIONS) bodies[name].copy(body, sections[name][0]);
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
  const headerAt = MAGIC.length + 4 + DIGEST_BYTES;
  const base = Math.ceil((headerAt + headerBytes.length) / 4) * 4;
  const out = Buffer.alloc(base + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, headerAt);
  body.copy(out, base);
  createHash('sha1')
    .update(out.subarray(headerAt))
    .digest()
    .copy(out, MAGIC.length + 4);
  return out;
}

export type SnapshotLoad =
  | { ok: true; index: SearchIndex; fingerprint: string; generation: string }
  | { ok: false; reason: string };

/**
 * An Int32Array over a section: a view of the snapshot's bytes when they are 4-byte aligned in memory (sections are,
 * within the file), so that no large buffer is allocated (allocating one makes V8 collect at once); else a copy.
 * Views keep the snapshot's buffer alive, so they only serve while loading.
 */
function readInt32(buf: Buffer, start: number, length: number): Int32Array {
  if (length % 4 !== 0) throw new Error('snapshot section is not a whole number of integers');
  if ((buf.byteOffset + start) % 4 === 0) return new Int32Array(buf.buffer, buf.byteOffset + start, length / 4);
  const copy = new Int32Array(length / 4);
  new Uint8Array(copy.buffer).set(buf.subarray(start, start + length));
  return copy;
}

const bounds = ([start, length]: [number, number]): [number, number] => [start, start + length];

const failedLoad = (err: unknown): SnapshotLoad => ({
  ok: false,
  reason:
    err instanceof SnapshotInvalid
      ? `snapshot rejected: ${err.message}`
      : `snapshot unreadable: ${(err as Error).message}`,
});

/**
 * Reads a snapshot. Anything unexpected (truncated, corrupt, other versions, content that does not hold together)
 * is a reason, never a throw.
 */
export function parseSnapshot(buf: Buffer): SnapshotLoad {
  try {
    return runNow(loadSnapshot(buf));
  } catch (err) {
    return failedLoad(err);
  }
}

/** The same, a slice at a time, yielding to the event loop in between: for loading a new index while serving. */
export async function parseSnapshotInSlices(buf: Buffer): Promise<SnapshotLoad> {
  try {
    return await runInSlices(loadSnapshot(buf));
  } catch (err) {
    return failedLoad(err);
  }
}

interface Decoded {
  fingerprint: string;
  generation: string;
  corpus: Corpus;
  /** These two are filled as the terms are loaded. */
  passageFrequency: Map<string, number>;
  topicTerms: Map<string, Set<string>>;
  topicSets: Set<string>[];
  frequentTermPassages: Map<string, Int32Array>;
  scalars: MiniScalars;
  fieldLength: Int32Array;
  termList: string[];
  /** Passage count and topic mask per term. */
  terms: Int32Array;
  postings: Int32Array;
  /** Per passage, the topic mask of its article: what each term's mask must be the union of. */
  passageTopics: Int32Array;
}

/** Decodes the snapshot and loads its index into MiniSearch, in slices. */
function* loadSnapshot(buf: Buffer): Generator<void, SnapshotLoad> {
  const decoded = yield* decodeSnapshot(buf);
  if ('reason' in decoded) return decoded;
  const mini = new PassageMiniSearch(decoded.scalars);
  yield* fillIndex(mini, decoded);
  return assemble(decoded, mini);
}

function assemble(d: Decoded, mini: PassageMiniSearch): SnapshotLoad {
  if (mini.documentCount !== d.corpus.passages.length)
    return { ok: false, reason: 'snapshot index and corpus disagree' };
  if (d.passageFrequency.size !== d.termList.length) return { ok: false, reason: 'snapshot terms disagree' };
  // Champion lists stand in for the postings of the frequent terms: exactly those terms, passages that hold them.
  let frequent = 0;
  for (const count of d.passageFrequency.values()) if (count > FREQUENT_TERM_PASSAGES) frequent++;
  if (frequent !== d.frequentTermPassages.size) return { ok: false, reason: 'snapshot champion lists disagree' };
  for (const [term, ids] of d.frequentTermPassages) {
    const postings = mini.termTree.get(term)?.get(0);
    if (
      !postings ||
      (d.passageFrequency.get(term) ?? 0) <= FREQUENT_TERM_PASSAGES ||
      ids.some((id) => !postings.has(id))
    )
      return { ok: false, reason: 'snapshot champion lists disagree' };
  }
  const { corpus } = d;
  return {
    ok: true,
    fingerprint: d.fingerprint,
    generation: d.generation,
    index: {
      corpus,
      mini,
      passageFrequency: d.passageFrequency,
      vocabulary: mini.termTree,
      topicArticles: topicArticlesOf(corpus),
      topicTerms: d.topicTerms,
      frequentTermPassages: d.frequentTermPassages,
    },
  };
}

/** Term n's passage count and topics, recorded; returns where its postings end. */
function recordTerm(d: Decoded, n: number, from: number): number {
  const term = d.termList[n]!;
  const count = d.terms[2 * n]!;
  const to = from + 2 * count;
  if (count <= 0 || to > d.postings.length) throw new Error('snapshot postings disagree');
  d.passageFrequency.set(term, count);
  for (let mask = d.terms[2 * n + 1]!, k = 0; mask !== 0; mask >>>= 1, k++) if (mask & 1) d.topicSets[k]?.add(term);
  return to;
}

/**
 * A term's postings in [from, to), checked as they are read: passages in range and in increasing order, each term
 * at least once, the term's topic mask the union of its passages' topics. Counts each passage's terms in `terms`.
 */
function termPostings(d: Decoded, n: number, from: number, to: number, terms: Int32Array): Map<number, number> {
  const { postings, passageTopics } = d;
  const docs = new Map<number, number>();
  let previous = -1;
  let mask = 0;
  for (let i = from; i < to; i += 2) {
    const id = postings[i]!;
    const occurrences = postings[i + 1]!;
    if (id <= previous || id >= passageTopics.length || occurrences < 1)
      throw new SnapshotInvalid(`postings of term ${n} are out of range or order`);
    previous = id;
    terms[id]!++;
    mask |= passageTopics[id]!;
    docs.set(id, occurrences);
  }
  if (mask !== d.terms[2 * n + 1]) throw new SnapshotInvalid(`topic mask of term ${n} disagrees with its passages`);
  return docs;
}

/**
 * Work between two pauses when filling MiniSearch's maps, counted in postings; a term or a document costs about
 * ITEM_WORK.
 */
const SLICE_POSTINGS = 50_000;
const ITEM_WORK = 20;

function* fillIndex(mini: PassageMiniSearch, d: Decoded): Generator<void, void> {
  const count = d.fieldLength.length;
  for (let id = 0; id < count; id++) {
    mini.addPassageLength(id, d.fieldLength[id]!);
    if (id % (SLICE_POSTINGS / ITEM_WORK) === 0) yield;
  }
  const { postings } = d;
  // Distinct terms per passage, from the postings: each passage's field length must be that.
  const terms = new Int32Array(count);
  let at = 0;
  let sincePause = 0;
  for (let n = 0; n < d.termList.length; n++) {
    const to = recordTerm(d, n, at);
    mini.addTermPostings(d.termList[n]!, termPostings(d, n, at, to, terms));
    sincePause += to - at + ITEM_WORK;
    at = to;
    if (sincePause >= SLICE_POSTINGS) (sincePause = 0), yield;
  }
  if (at !== postings.length) throw new Error('snapshot postings disagree');
  for (let id = 0; id < count; id++)
    if (terms[id] !== d.fieldLength[id]) throw new SnapshotInvalid(`field length of passage ${id} disagrees`);
}

/** Decodes everything but MiniSearch's loading; yields between slices of work so a caller may pause there. */
function* decodeSnapshot(buf: Buffer): Generator<void, Decoded | { ok: false; reason: string }> {
  const headerAt = MAGIC.length + 4 + DIGEST_BYTES;
  if (buf.length < headerAt || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    return { ok: false, reason: 'not a snapshot of this format' };
  const headerEnd = headerAt + buf.readUInt32LE(MAGIC.length);
  if (headerEnd > buf.length) return { ok: false, reason: 'snapshot is truncated' };
  const hash = createHash('sha1');
  for (let at = headerAt; at < buf.length; at += SLICE_BYTES) {
    hash.update(buf.subarray(at, Math.min(buf.length, at + SLICE_BYTES)));
    yield;
  }
  if (!hash.digest().equals(buf.subarray(MAGIC.length + 4, headerAt)))
    return { ok: false, reason: 'snapshot is damaged (checksum)' };
  const raw: unknown = JSON.parse(buf.toString('utf8', headerAt, headerEnd));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, reason: 'snapshot has no header' };
  const { format, analyzer } = raw as Partial<Header>;
  if (format !== SNAPSHOT_FORMAT || analyzer !== ANALYZER_VERSION) {
    return {
      ok: false,
      reason: `snapshot format ${String(format)}/${String(analyzer)} is not ${SNAPSHOT_FORMAT}/${ANALYZER_VERSION}`,
    };
  }
  const header = { ...(raw as Header), ...checkHeader(raw as Record<string, unknown>, SECTIONS) };
  const base = Math.ceil(headerEnd / 4) * 4;
  // Sections tile the rest of the file in order, as written: none overlaps another or reads past the file.
  let end = 0;
  for (const name of SECTIONS) {
    const [start, length] = header.sections[name];
    if (start !== Math.ceil(end / 4) * 4) return { ok: false, reason: 'snapshot sections overlap or leave gaps' };
    end = start + length;
  }
  if (base + end !== buf.length) return { ok: false, reason: 'snapshot is truncated or has trailing bytes' };
  const section = (name: Section): [number, number] => {
    const [start, length] = header.sections[name];
    if (base + start + length > buf.length) throw new Error('snapshot is truncated');
    return [base + start, length];
  };
  const { counts } = header;

  const topics = new Set(header.topics);
  const metas: Omit<Article, 'text'>[] = [];
  for (const part of readParts(buf, ...section('articles'))) {
    if (!Array.isArray(part)) return { ok: false, reason: 'snapshot articles disagree' };
    for (const meta of part) metas.push(checkArticleMeta(meta, topics));
    yield;
  }
  const textBytes = readInt32(buf, ...section('textBytes'));
  if (metas.length !== counts.articles || textBytes.length !== counts.articles)
    return { ok: false, reason: 'snapshot articles disagree' };
  const [textsAt, textsLength] = section('texts');
  // Decoded in blocks of whole articles, a slice at a time.
  const articles: Article[] = new Array(counts.articles);
  let byteAt = textsAt;
  for (let i = 0; i < counts.articles; ) {
    const sliceEnd = byteAt + SLICE_BYTES;
    do {
      const n = textBytes[i]!;
      if (n < 0 || byteAt + n > textsAt + textsLength)
        return { ok: false, reason: 'snapshot texts and articles disagree' };
      articles[i] = { ...metas[i]!, text: buf.toString('utf8', byteAt, byteAt + n) };
      byteAt += n;
      i++;
    } while (i < counts.articles && byteAt < sliceEnd);
    yield;
  }
  if (byteAt !== textsAt + textsLength) return { ok: false, reason: 'snapshot texts and articles disagree' };

  const passageData = readInt32(buf, ...section('passages'));
  const sentenceData = readInt32(buf, ...section('sentences'));
  if (passageData.length !== counts.passages * PASSAGE_FIELDS)
    return { ok: false, reason: 'snapshot passages disagree' };
  const passages: Passage[] = new Array(counts.passages);
  const rules = new PassageRules(articles);
  const articleTopics = Int32Array.from(articles, (a) =>
    a.topics.reduce((mask, t) => mask | (1 << header.topics.indexOf(t)), 0),
  );
  const passageTopics = new Int32Array(counts.passages);
  let s = 0;
  for (let i = 0; i < counts.passages; i++) {
    const o = i * PASSAGE_FIELDS;
    const n = passageData[o + 5]!;
    if (n < 0 || s + 2 * n > sentenceData.length) return { ok: false, reason: 'snapshot sentences disagree' };
    const sentences: Span[] = new Array(n);
    for (let k = 0; k < n; k++, s += 2) sentences[k] = { start: sentenceData[s]!, end: sentenceData[s + 1]! };
    const code = passageData[o + 2]!;
    if (code !== 0 && code !== 1) return { ok: false, reason: 'snapshot passages disagree' };
    const kind: PassageKind = code === 1 ? 'comment' : 'article';
    const passage: Passage = {
      id: i,
      article: passageData[o]!,
      paragraph: passageData[o + 1]!,
      kind,
      start: passageData[o + 3]!,
      end: passageData[o + 4]!,
      sentences,
    };
    rules.check(i, passage.article, passage.paragraph, kind, passage, sentences);
    passages[i] = passage;
    passageTopics[i] = articleTopics[passage.article]!;
    if (i % SLICE_PASSAGES === SLICE_PASSAGES - 1) yield;
  }
  if (s !== sentenceData.length) return { ok: false, reason: 'snapshot sentences disagree' };

  const frequentTermPassages = checkChampions(
    JSON.parse(buf.toString('utf8', ...bounds(section('champions')))),
    counts.passages,
  );
  const fieldLength = readInt32(buf, ...section('fieldLength'));
  const scalars = checkScalars(
    JSON.parse(buf.toString('utf8', ...bounds(section('scalars')))),
    counts.passages,
    fieldLength,
  );
  yield;
  const vocabulary = buf.toString('utf8', ...bounds(section('vocabulary')));
  const termList = vocabulary === '' ? [] : vocabulary.split('\n');
  const terms = readInt32(buf, ...section('terms'));
  const postings = readInt32(buf, ...section('postings'));
  if (termList.length !== counts.terms || terms.length !== counts.terms * 2)
    return { ok: false, reason: 'snapshot terms disagree' };
  // The analyzer's terms are never empty and hold no white space (queries join terms with spaces).
  if (/[^\S\n]/u.test(vocabulary) || termList.includes(''))
    return { ok: false, reason: 'snapshot terms are malformed' };
  const topicTerms = new Map(header.topics.map((t) => [t, new Set<string>()]));
  return {
    fingerprint: header.fingerprint,
    generation: typeof header.generation === 'string' ? header.generation : '',
    corpus: { articles, passages, rejected: header.rejected, topics: header.topicDefinitions },
    passageFrequency: new Map(),
    topicTerms,
    topicSets: [...topicTerms.values()],
    frequentTermPassages,
    scalars,
    fieldLength,
    termList,
    terms,
    postings,
    passageTopics,
  };
}
