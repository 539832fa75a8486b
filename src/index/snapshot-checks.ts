import {
  checkTopics,
  type Article,
  type PassageKind,
  type Rejection,
  type Span,
  type TopicDefinition,
} from '../corpus/index.js';
import type { MiniScalars } from './passage-minisearch.js';
import type { SentenceTable } from './stored-passage.js';

/**
 * What a snapshot must hold for the index it loads into to quote only its own articles and never throw: its checksum
 * only tells damage from a whole file, whoever wrote it (a bug, or anyone who can write DATA_DIR). Each check is
 * linear and runs while the snapshot is decoded; a failed one rejects the snapshot, which is then rebuilt.
 */
export class SnapshotInvalid extends Error {}

function fail(reason: string): never {
  throw new SnapshotInvalid(reason);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A term's topic mask is an int32 whose sign bit is left unused. */
const MAX_TOPICS = 31;

/** The header fields the rest of the snapshot is read by. */
export interface CheckedHeader<S extends string> {
  fingerprint: string;
  counts: { articles: number; passages: number; terms: number };
  topics: string[];
  topicDefinitions: TopicDefinition[];
  rejected: Rejection[];
  sections: Record<S, [number, number]>;
}

export function checkHeader<S extends string>(raw: Record<string, unknown>, names: readonly S[]): CheckedHeader<S> {
  const { fingerprint, counts, topics, rejected, sections } = raw;
  if (typeof fingerprint !== 'string') fail('header has no fingerprint');
  if (!isRecord(counts) || !isCount(counts['articles']) || !isCount(counts['passages']) || !isCount(counts['terms']))
    fail('header counts are not counts');
  if (!isStrings(topics) || new Set(topics).size !== topics.length || topics.length > MAX_TOPICS)
    fail('header topics are not distinct names');
  let topicDefinitions: TopicDefinition[];
  try {
    // The same rules as the topics file: a snapshot is a file anyone with access to DATA_DIR may have edited.
    topicDefinitions = checkTopics({ topics: raw['topicDefinitions'] }, 'snapshot');
  } catch {
    fail('header topic definitions are malformed');
  }
  if (!Array.isArray(rejected) || !rejected.every((r) => isRecord(r) && isStrings([r['file'], r['reason']])))
    fail('header rejections are malformed');
  if (!isRecord(sections)) fail('header has no section table');
  for (const name of names) {
    const s = Object.hasOwn(sections, name) ? sections[name] : undefined;
    if (!Array.isArray(s) || s.length !== 2 || !isCount(s[0]) || !isCount(s[1])) fail(`section ${name} is not placed`);
  }
  return { ...(raw as unknown as CheckedHeader<S>), topicDefinitions };
}

/** An article's metadata as the serializer writes it; its topics are among the header's. */
export function checkArticleMeta(raw: unknown, topics: ReadonlySet<string>): Omit<Article, 'text'> {
  if (
    !isRecord(raw) ||
    typeof raw['file'] !== 'string' ||
    raw['file'] === '' ||
    typeof raw['title'] !== 'string' ||
    typeof raw['language'] !== 'string' ||
    typeof raw['hash'] !== 'string' ||
    typeof raw['fingerprint'] !== 'string' ||
    !isStringOrNull(raw['source']) ||
    !isStringOrNull(raw['date']) ||
    !isStringOrNull(raw['url'])
  )
    fail('article metadata is malformed');
  const own = raw['topics'];
  if (!isStrings(own) || new Set(own).size !== own.length || !own.every((t) => topics.has(t)))
    fail(`article ${raw['file']} has topics the header does not list`);
  return raw as unknown as Omit<Article, 'text'>;
}

/** Whether an offset falls between the two halves of a surrogate pair (a quote cut there is not well formed). */
function splitsPair(text: string, at: number): boolean {
  const low = text.charCodeAt(at);
  const high = text.charCodeAt(at - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
}

/**
 * Passages in corpus order, as the corpus builder makes them: articles in order; within an article, passages in
 * text order, each within the text; paragraph numbers counting from 1 per kind (the pieces of a long paragraph
 * share its number); sentences in order, within their passage, at least one. Fed one passage at a time.
 */
/** What the passage checks need of the articles' texts (the loader's text store). */
export interface TextShapes {
  readonly count: number;
  unitsWithoutPairs(i: number): number | null;
  text(i: number): string;
}

export class PassageRules {
  #article = -1;
  #end = 0;
  readonly #paragraphs = { article: 0, comment: 0 };

  /** The current article's length in UTF-16 units, and its text when it holds surrogate pairs (else null). */
  #units = 0;
  #text: string | null = null;

  /** Whether an offset of the current article falls inside a surrogate pair. */
  #splits(at: number): boolean {
    return this.#text !== null && splitsPair(this.#text, at);
  }

  /** `texts` tells each article's length, and its text where offsets could split a surrogate pair. */
  constructor(private readonly texts: TextShapes) {}

  /** Checks passage `id`, its sentences being `count` spans from `first` of `sentences`. */
  check(
    id: number,
    article: number,
    paragraph: number,
    kind: PassageKind,
    span: Span,
    sentences: SentenceTable,
    first: number,
    count: number,
  ) {
    if (!(article >= 0 && article < this.texts.count) || article < this.#article)
      fail(`passage ${id} names article ${article} out of order`);
    if (article !== this.#article) {
      this.#article = article;
      const units = this.texts.unitsWithoutPairs(article);
      this.#text = units === null ? this.texts.text(article) : null;
      this.#units = units ?? this.#text!.length;
      this.#end = 0;
      this.#paragraphs.article = this.#paragraphs.comment = 0;
    }
    const last = this.#paragraphs[kind];
    if (paragraph !== last && paragraph !== last + 1) fail(`passage ${id} has paragraph ${paragraph} after ${last}`);
    if (paragraph < 1) fail(`passage ${id} has paragraph ${paragraph}`);
    this.#paragraphs[kind] = paragraph;
    const { start, end } = span;
    if (start < this.#end || end <= start || end > this.#units || this.#splits(start) || this.#splits(end))
      fail(`passage ${id} (${start}–${end}) is not a span of its article after the previous one`);
    this.#end = end;
    if (count === 0) fail(`passage ${id} has no sentence`);
    let at = start;
    for (let k = first; k < first + count; k++) {
      const s = sentences.startOf(k);
      const e = sentences.endOf(k);
      if (s < at || e <= s || e > end || this.#splits(s) || this.#splits(e))
        fail(`passage ${id} has a sentence (${s}–${e}) outside it or out of order`);
      at = e;
    }
  }
}

/** MiniSearch's scalars as the serializer writes them for `passages` passages of these field lengths. */
export function checkScalars(raw: unknown, passages: number, fieldLength: Int32Array): MiniScalars {
  if (!isRecord(raw)) fail('index scalars are malformed');
  const { documentCount, nextId, fieldIds, averageFieldLength, dirtCount, serializationVersion } = raw;
  if (documentCount !== passages || nextId !== passages) fail('index and corpus disagree on the passage count');
  if (dirtCount !== 0 || serializationVersion !== 2) fail('index scalars are not of this format');
  if (!isRecord(fieldIds) || Object.keys(fieldIds).join() !== 'text' || fieldIds['text'] !== 0)
    fail('index fields are not the passage text');
  if (fieldLength.length !== passages) fail('field lengths and passages disagree');
  let sum = 0;
  for (let i = 0; i < fieldLength.length; i++) {
    if (fieldLength[i]! < 0) fail(`passage ${i} has a negative field length`);
    sum += fieldLength[i]!;
  }
  const mean = passages === 0 ? 0 : sum / passages;
  // The builder accumulates the mean term by term: equal up to rounding.
  const average = Array.isArray(averageFieldLength) && averageFieldLength.length === 1 ? averageFieldLength[0] : null;
  if (typeof average !== 'number' || !(Math.abs(average - mean) <= 1e-6 * Math.max(1, mean)))
    fail('average field length disagrees with the field lengths');
  return raw as unknown as MiniScalars;
}

/** Champion lists: terms with passage ids in range (checked against the postings once those are loaded). */
export function checkChampions(raw: unknown, passages: number): Map<string, Int32Array> {
  if (!Array.isArray(raw)) fail('champion lists are malformed');
  const out = new Map<string, Int32Array>();
  for (const entry of raw) {
    const [term, ids] = Array.isArray(entry) && entry.length === 2 ? entry : [];
    if (typeof term !== 'string' || !Array.isArray(ids) || out.has(term)) fail('champion lists are malformed');
    if (!ids.every((id) => Number.isInteger(id) && id >= 0 && id < passages))
      fail(`champion list of ${term} names passages out of range`);
    out.set(term, Int32Array.from(ids as number[]));
  }
  return out;
}
