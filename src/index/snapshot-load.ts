import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Article, Corpus, Passage, PassageKind } from '../corpus/index.js';
import { ANALYZER_VERSION } from '../language/index.js';
import { PassageMiniSearch } from './passage-minisearch.js';
import { checkTermPostings, PassageTally, PostingsStore, TermData, VarintReader, type TermCheck } from './postings.js';
import { FREQUENT_TERM_PASSAGES, topicArticlesOf, type SearchIndex } from './search-index.js';
import { SentenceTable, StoredPassage } from './stored-passage.js';
import { storedArticle, TextStore } from './text-store.js';
import { areTitleLines, TitleTerms } from './title-terms.js';
import { Vocabulary } from './vocabulary.js';
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
  Unpacking,
  type Cursor,
  type Decoder,
  type MemoryBytes,
} from './snapshot-io.js';
import {
  DIGEST_BYTES,
  HEADER_AT,
  MAGIC,
  MAX_HEADER_BYTES,
  MAX_UNPACKED_BYTES,
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

/** A packed part (its u32 length unpacked, then Brotli), to unpack: at most MAX_UNPACKED_BYTES, exactly that. */
function unpackingOf(part: Buffer): Unpacking {
  if (part.length < 4) refuse('snapshot packed part is truncated');
  const length = part.readUInt32LE(0);
  if (length > MAX_UNPACKED_BYTES) refuse('snapshot packed part is too large');
  return new Unpacking(part.subarray(4), length);
}

/** An unpacking finished (started already). */
function* finished(job: Unpacking): Decoder<Buffer> {
  if (!job.result) yield { finish: job };
  if (!job.result) refuse('snapshot packed part does not unpack to its length');
  return job.result;
}

/**
 * The packed parts of a section that ends at `end`, each started unpacking as it is read (on the thread pool when
 * loading in slices or from the file), to finish in order: one after the other, the waits for the pool were a fifth
 * of the articles' metadata at 100,000 articles.
 */
function* packedParts(c: Cursor, end: number): Decoder<Unpacking[]> {
  const jobs: Unpacking[] = [];
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const job = unpackingOf(part);
    yield { start: job };
    jobs.push(job);
  }
  return jobs;
}

/**
 * A whole section of varints (a small one: a few per article, passage or term), exactly `count` of them, each at
 * most `max`, in one array.
 */
function* varintSection(c: Cursor, end: number, count: number, max: number, what: string): Decoder<Int32Array> {
  const out = new Int32Array(count);
  let n = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    for (const r = new VarintReader(part); !r.done; ) {
      const v = r.next();
      if (v < 0 || v > max || n >= count) refuse(`snapshot ${what} disagree`);
      out[n++] = v;
    }
    yield;
  }
  if (n !== count) refuse(`snapshot ${what} disagree`);
  return out;
}

const EMPTY = Buffer.alloc(0);

/** Each part of a JSON section (packed or not), parsed, as an array (anything else is refused with `reason`). */
function* jsonArrays(c: Cursor, end: number, packed: boolean, reason: string): Decoder<unknown[][]> {
  const parts: (Buffer | Unpacking)[] = [];
  if (packed) parts.push(...(yield* packedParts(c, end)));
  else for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) parts.push(part);
  const out: unknown[][] = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const items: unknown = JSON.parse((part instanceof Unpacking ? yield* finished(part) : part).toString('utf8'));
    if (!Array.isArray(items)) refuse(reason);
    out.push(items);
    // Let go once parsed: a section's unpacked bytes are not all held at once (180 MB at 500,000 articles).
    parts[k] = EMPTY;
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

/** The distinct ids of a champion list, in increasing order (the order postings are checked in). */
function distinctSorted(ids: Int32Array): Int32Array {
  const sorted = Int32Array.from(ids).sort();
  let kept = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[kept++] = sorted[k]!;
  return sorted.subarray(0, kept);
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
  // Each article, passage and term takes at least a byte of the file: arrays are sized by these counts.
  const { counts } = header;
  if (counts.articles > size || counts.passages > size || counts.terms > size)
    refuse('snapshot counts are past its size');
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

  const texts = yield* decodeArticles(loading);
  const { articles } = texts;
  const { passages, tally, articleTopics } = yield* decodePassages(loading, texts);
  const titleTerms = yield* decodeTitles(loading);
  const corpus: Corpus = { articles, passages, rejected: header.rejected, topics: header.topicDefinitions };
  const index = yield* loadIndex(loading, corpus, { tally, articleTopics }, titleTerms);
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

/** Article metadata, and their texts: unpacking (on the thread pool when loading in slices) as they are read. */
function* decodeArticles(l: Loading): Decoder<Texts> {
  const { c, header } = l;
  const count = header.counts.articles;
  const topics = new Set(header.topics);
  const metas: Omit<Article, 'text'>[] = [];
  for (const part of yield* jsonArrays(c, yield* enter(l, 'articles'), true, 'snapshot articles disagree'))
    for (const meta of part) metas.push(checkArticleMeta(meta, topics));
  if (metas.length !== count) refuse('snapshot articles disagree');
  const textBytes = yield* varintSection(c, yield* enter(l, 'textBytes'), count, MAX_UNPACKED_BYTES, 'articles');
  // Each part holds whole articles: unpacked, it becomes a block of the loaded index's text store.
  const texts = new TextStore();
  const unpacking: (Unpacking | null)[] = [];
  const end = yield* enter(l, 'texts');
  let i = 0;
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const job = unpackingOf(part);
    let used = 0;
    const first = i;
    while (i < count && used < job.length) {
      used += textBytes[i]!;
      i++;
    }
    if (used !== job.length) refuse('snapshot texts and articles disagree');
    texts.reserveBlock(textBytes.subarray(first, i));
    unpacking.push(job);
    yield { start: job };
    // A pause per part: starting an unpacking does not give the event loop a turn.
    yield;
  }
  const empty = i;
  while (i < count && textBytes[i] === 0) i++;
  if (i !== count) refuse('snapshot texts and articles disagree');
  texts.addBlock(Buffer.alloc(0), textBytes.subarray(empty, i));
  unpacking.push(null);
  return { articles: metas.map((meta, k) => storedArticle(meta, texts, k)), texts, unpacking };
}

/** The articles, their text store, and its blocks still unpacking (null once in the store). */
interface Texts {
  articles: Article[];
  texts: TextStore;
  unpacking: (Unpacking | null)[];
}

/** Block `k` of the texts, once unpacked, in the store; the packed bytes can then go. */
function* textBlock({ texts, unpacking }: Texts, k: number): Decoder<void> {
  const job = unpacking[k];
  if (!job) return;
  const block = yield* finished(job);
  // Valid UTF-8 (checked natively, fast): the passage checks count a text's UTF-16 units from its bytes.
  if (!isUtf8(block)) refuse('snapshot texts are not UTF-8');
  texts.setBlock(k, block);
  unpacking[k] = null;
  // Storing a block counts its articles' UTF-16 units (4 MB of text): a pause after it.
  yield;
}

/** The postings check's tally of each passage (its topics set), and each article's topic mask. */
interface PassageTopics {
  tally: PassageTally;
  articleTopics: Int32Array;
}

/** Passages with their sentences, checked against their articles; and the topic mask of each passage's article. */
function* decodePassages(l: Loading, t: Texts): Decoder<{ passages: Passage[] } & PassageTopics> {
  const { articles, texts } = t;
  const { c, header } = l;
  const count = header.counts.passages;
  const passages: Passage[] = new Array(count);
  const rules = new PassageRules(texts);
  const sentences = new SentenceTable();
  const articleTopics = Int32Array.from(articles, (a) =>
    a.topics.reduce((mask, t) => mask | (1 << header.topics.indexOf(t)), 0),
  );
  // Per passage, the topic mask of its article, then (counted from the postings) its number of distinct terms.
  const tally = new PassageTally(count, header.topics.length);
  const end = yield* enter(l, 'passages');
  let id = 0;
  let article = 0;
  const fields = new Array<number>(PASSAGE_FIELDS);
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    // Whole passages per part: its fields, then its sentences.
    for (const r = new VarintReader(part); !r.done; ) {
      if (id >= count) refuse('snapshot passages disagree');
      for (let k = 0; k < PASSAGE_FIELDS; k++) if ((fields[k] = r.next()) < 0) refuse('snapshot passages disagree');
      const [articleStep, paragraph, code, start, length, n] = fields as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      article += articleStep;
      if (code !== 0 && code !== 1) refuse('snapshot passages disagree');
      const kind: PassageKind = code === 1 ? 'comment' : 'article';
      const first = sentences.size;
      let at = start;
      for (let k = 0; k < n; k++) {
        const gap = r.next();
        const span = r.next();
        if (gap < 0 || span < 0) refuse('snapshot sentences disagree');
        sentences.push(at + gap, (at += gap + span));
      }
      const passage = new StoredPassage(id, article, paragraph, kind, start, start + length, sentences, first, n);
      // Checked against the texts as they come unpacked, block after block.
      if (article < articles.length) yield* textBlock(t, texts.blockOf(article));
      rules.check(id, article, paragraph, kind, passage, sentences, first, n);
      passages[id] = passage;
      tally.setTopics(id, articleTopics[article]!);
      if (++id % SLICE_PASSAGES === 0) yield;
    }
  }
  if (id !== count) refuse('snapshot passages disagree');
  // And the blocks of articles no passage reads.
  for (let k = 0; k < t.unpacking.length; k++) yield* textBlock(t, k);
  return { passages, tally, articleTopics };
}

/** Work between two pauses when checking postings, counted in postings; a term costs about ITEM_WORK. */
const SLICE_POSTINGS = 100_000;
const ITEM_WORK = 20;
/** A term's topic mask is an int32 whose sign bit is unused; a count, below 2³¹. */
const MAX_MASK = 2 ** 31 - 1;

/** Each article's title terms: one line per article, whole lines per part. */
function* decodeTitles(l: Loading): Decoder<TitleTerms> {
  const { c, header } = l;
  const titles = new TitleTerms(header.counts.articles);
  for (const job of yield* packedParts(c, yield* enter(l, 'titles'))) {
    const raw = yield* finished(job);
    if (!isUtf8(raw)) refuse('snapshot title terms are malformed');
    const text = raw.toString('utf8');
    if (!areTitleLines(text)) refuse('snapshot title terms are malformed');
    if (!titles.addPart(text)) refuse('snapshot title terms and articles disagree');
    yield;
  }
  if (titles.count !== titles.articles) refuse('snapshot title terms and articles disagree');
  return titles;
}

/**
 * The search index over the corpus: champion lists, MiniSearch's scalars and field lengths, the terms and their
 * postings, each checked as it is read (passages in range, each term at least once, a term's topic mask the union
 * of its passages' topics, each passage's field length its number of distinct terms, each champion list among its
 * term's passages). The postings' parts are kept as read: a term's are decoded when a search asks for them.
 */
function* loadIndex(l: Loading, corpus: Corpus, topics: PassageTopics, titleTerms: TitleTerms): Decoder<SearchIndex> {
  const { c, header } = l;
  const { counts } = header;
  const championParts = yield* jsonArrays(c, yield* enter(l, 'champions'), false, 'champion lists are malformed');
  const frequentTermPassages = checkChampions(championParts.flat(), counts.passages);
  const fieldLength = yield* varintSection(c, yield* enter(l, 'fieldLength'), counts.passages, MAX_MASK, 'passages');
  const scalarParts = yield* jsonArrays(c, yield* enter(l, 'scalars'), false, 'index scalars are malformed');
  // The scalars are one JSON object: written as the one item of one part.
  const scalars = checkScalars(
    scalarParts.length === 1 && scalarParts[0]!.length === 1 ? scalarParts[0]![0] : null,
    counts.passages,
    fieldLength,
  );
  const mini = new PassageMiniSearch(scalars);
  mini.setPassageLengths(fieldLength);

  const termList: string[] = [];
  for (const job of yield* packedParts(c, yield* enter(l, 'vocabulary'))) {
    const text = (yield* finished(job)).toString('utf8');
    // The analyzer's terms are never empty and hold no white space (queries join terms with spaces).
    if (/[^\S\n]/u.test(text)) refuse('snapshot terms are malformed');
    for (const term of text.split('\n')) termList.push(term);
    yield;
  }
  if (termList.includes('')) refuse('snapshot terms are malformed');
  if (termList.length !== counts.terms) refuse('snapshot terms disagree');
  const terms = yield* varintSection(c, yield* enter(l, 'terms'), 2 * counts.terms, MAX_MASK, 'terms');

  const passageFrequency = new Map<string, number>();
  const topicTerms = new Map(header.topics.map((t) => [t, new Set<string>()]));
  const topicSets = [...topicTerms.values()];
  const store = new PostingsStore(counts.terms);
  // Written in code unit order (which also says none is there twice): the vocabulary is this array, and refuses it
  // otherwise.
  let vocabulary: Vocabulary<TermData>;
  try {
    vocabulary = new Vocabulary(termList, (k) => new TermData(store, k));
  } catch {
    refuse('snapshot terms are not sorted');
  }
  const end = yield* enter(l, 'postings');
  let n = 0;
  let sincePause = 0;
  const check: TermCheck = { end: 0, outOfRange: -1, topics: 0, champions: 0 };
  for (let part = yield* nextPart(c, end); part; part = yield* nextPart(c, end)) {
    const kept = own(part);
    const p = store.addPart(kept);
    // Whole terms per part.
    for (let at = 0; at < kept.length; n++) {
      if (n >= termList.length) refuse('snapshot postings disagree');
      const count = terms[2 * n]!;
      const mask = terms[2 * n + 1]!;
      const term = termList[n]!;
      const ids = frequentTermPassages.get(term);
      const champions = ids ? distinctSorted(ids) : null;
      checkTermPostings(kept, at, count, topics.tally, champions, check);
      if (check.outOfRange >= 0) throw new SnapshotInvalid(`postings of term ${n} are out of range or order`);
      if (count === 0 || check.end < 0) refuse('snapshot postings disagree');
      if (check.topics !== mask) throw new SnapshotInvalid(`topic mask of term ${n} disagrees with its passages`);
      // Champion lists stand in for the postings of frequent terms: passages that hold them.
      if (champions && (check.champions !== champions.length || count <= FREQUENT_TERM_PASSAGES))
        refuse('snapshot champion lists disagree');
      store.setTerm(n, p, at, count);
      at = check.end;
      passageFrequency.set(term, count);
      for (let m = mask, k = 0; m !== 0; m >>>= 1, k++) if (m & 1) topicSets[k]?.add(term);
      sincePause += count + ITEM_WORK;
      if (sincePause >= SLICE_POSTINGS) (sincePause = 0), yield;
    }
  }
  if (n !== termList.length) refuse('snapshot postings disagree');
  mini.setVocabulary(vocabulary);
  const { passages } = corpus;
  for (let id = 0; id < counts.passages; id++)
    if (!topics.tally.holds(id, fieldLength[id]!, topics.articleTopics[passages[id]!.article]!))
      throw new SnapshotInvalid(`field length of passage ${id} disagrees`);
  if (mini.documentCount !== corpus.passages.length) refuse('snapshot index and corpus disagree');
  // And exactly the frequent terms have one.
  let frequent = 0;
  for (const count of passageFrequency.values()) if (count > FREQUENT_TERM_PASSAGES) frequent++;
  if (frequent !== frequentTermPassages.size) refuse('snapshot champion lists disagree');
  return {
    corpus,
    mini,
    passageFrequency,
    vocabulary,
    topicArticles: topicArticlesOf(corpus),
    topicTerms,
    frequentTermPassages,
    titleTerms,
  };
}
