import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import MiniSearch from 'minisearch';
import type { SeedListing } from '../corpus/load-seeds.js';
import type { Article, Corpus, Passage, PassageKind, Rejection, Span } from '../corpus/types.js';
import { ANALYZER_VERSION } from './analyzer.js';
import type { BuiltIndex } from './build-index.js';
import type { IndexDraft } from './index-draft.js';
import { championsOf, MINISEARCH_OPTIONS, topicArticlesOf, topicTermsOf, type SearchIndex } from './search-index.js';

/**
 * The index snapshot, one file so it is replaced atomically. Layout, chosen to load fast:
 *   magic "DJSNAP2\n" · u32 header length · header JSON · sections
 * The header holds the article metadata and the byte range of each section:
 *   texts      every article's text, UTF-8, one after the other (decoded once, articles are slices of it)
 *   passages   Int32Array, PASSAGE_FIELDS per passage
 *   sentences  Int32Array, start and end of every sentence, passage after passage
 *   frequency  JSON [[term, passages]…]
 *   topics     JSON [[topic, [terms…]]…]
 *   champions  JSON [[term, [passage ids…]]…]
 *   index      MiniSearch's own JSON object, cut in parts: u32 part count, then u32 length + JSON per part
 *              (the scalars; the three per-document maps; then the term index, about INDEX_PART_BYTES a part)
 * Typed arrays load with one copy instead of parsing hundreds of thousands of small JSON objects, the parts let a
 * reindex load the new snapshot a slice at a time without stalling the bot, and a checksum of everything after
 * the header turns any damage into a rebuild.
 */
export const SNAPSHOT_FORMAT = 4;
/** Work between two pauses when loading in slices (checksum, texts), in bytes. */
const SLICE_BYTES = 4 * 1024 * 1024;

/** Index parts are cut at about this many bytes of JSON: each parses in a few milliseconds. */
const INDEX_PART_BYTES = 512 * 1024;
export const SNAPSHOT_FILE = 'index-snapshot.bin';
const MAGIC = Buffer.from('DJSNAP2\n', 'latin1');
const PASSAGE_FIELDS = 5; // article, paragraph, kind (0 article, 1 comment), start, end
const SECTIONS = ['texts', 'passages', 'sentences', 'frequency', 'topics', 'champions', 'index'] as const;
type Section = (typeof SECTIONS)[number];

interface Header {
  format: number;
  analyzer: number;
  fingerprint: string;
  createdAt: string;
  articles: Omit<Article, 'text'>[];
  /** Length in UTF-8 bytes of each article's text, in order. */
  textBytes: number[];
  /** Sentences per passage, in order. */
  sentenceCounts: number[];
  rejected: Rejection[];
  sections: Record<Section, [number, number]>;
  /** SHA-1 of every byte after the header. */
  digest: string;
}

/**
 * Fingerprint of a seeds folder from its listing (names, sizes, modification times, rejections) plus the
 * versions of the analysis: equal fingerprints mean the snapshot can be reused without reading any seed.
 */
export function fingerprintSeeds(listing: readonly SeedListing[]): string {
  const h = createHash('sha256').update(`format ${SNAPSHOT_FORMAT} analyzer ${ANALYZER_VERSION}\n`);
  for (const e of listing) {
    h.update(e.file).update('\0');
    h.update('reason' in e ? `rejected:${e.reason}` : `${e.size}:${e.mtimeMs}`);
    h.update('\n');
  }
  return h.digest('hex');
}

const int32Bytes = (a: Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export function serializeSnapshot(built: BuiltIndex, fingerprint: string, now: Date): Buffer {
  const { corpus, draft } = built;
  const passages = new Int32Array(corpus.passages.length * PASSAGE_FIELDS);
  let sentenceTotal = 0;
  corpus.passages.forEach((p, i) => {
    passages.set([p.article, p.paragraph, p.kind === 'comment' ? 1 : 0, p.start, p.end], i * PASSAGE_FIELDS);
    sentenceTotal += p.sentences.length;
  });
  const sentences = new Int32Array(sentenceTotal * 2);
  let at = 0;
  for (const p of corpus.passages) for (const s of p.sentences) (sentences[at++] = s.start), (sentences[at++] = s.end);
  const bodies: Record<Section, Buffer> = {
    texts: Buffer.from(corpus.articles.map((a) => a.text).join(''), 'utf8'),
    passages: int32Bytes(passages),
    sentences: int32Bytes(sentences),
    frequency: Buffer.from(JSON.stringify(draft.terms.map((t, n) => [t, draft.postings[n]!.length / 2])), 'utf8'),
    topics: Buffer.from(JSON.stringify([...topicTermsOf(corpus, draft)].map(([t, set]) => [t, [...set]])), 'utf8'),
    champions: Buffer.from(JSON.stringify([...championsOf(draft)].map(([t, ids]) => [t, [...ids]])), 'utf8'),
    index: serializeDraft(draft),
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
    digest: createHash('sha1').update(body).digest('hex'),
    format: SNAPSHOT_FORMAT,
    analyzer: ANALYZER_VERSION,
    fingerprint,
    createdAt: now.toISOString(),
    articles: corpus.articles.map(({ text: _text, ...meta }) => meta),
    textBytes: corpus.articles.map((a) => Buffer.byteLength(a.text, 'utf8')),
    sentenceCounts: corpus.passages.map((p) => p.sentences.length),
    rejected: corpus.rejected,
    sections,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = MAGIC.length + 4 + headerBytes.length;
  const base = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(base + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, MAGIC.length + 4);
  body.copy(out, base);
  return out;
}

/**
 * The draft in MiniSearch's own serialization (version 2, what `toJSON` gives and `loadJS` takes), written here
 * straight from the postings: parts of JSON text, never one object graph of millions of small objects. Short ids
 * are the passage ids (passages are numbered from 0 with none removed). No stored fields: the corpus holds texts.
 */
function serializeDraft(draft: IndexDraft): Buffer {
  const count = draft.passageCount;
  const scalars = { documentCount: count, nextId: count, fieldIds: { text: 0 }, averageFieldLength: [draft.averageFieldLength], dirtCount: 0, serializationVersion: 2 };
  const perDocument = (value: (id: number) => string): string => {
    const pieces = new Array<string>(count);
    for (let id = 0; id < count; id++) pieces[id] = `"${id}":${value(id)}`;
    return `{${pieces.join(',')}}`;
  };
  // The per-document maps go in parts of their own, as do groups of terms: no part is large to parse.
  const parts = [JSON.stringify(scalars), perDocument(String), perDocument((id) => `[${draft.fieldLength[id]!}]`), '{}'].map((json) => Buffer.from(json, 'utf8'));
  let group: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length) parts.push(Buffer.from(`[${group.join(',')}]`, 'utf8'));
    group = [];
    size = 0;
  };
  draft.terms.forEach((term, n) => {
    const postings = draft.postings[n]!;
    const pieces = new Array<string>(postings.length / 2);
    for (let i = 0; i < postings.length; i += 2) pieces[i / 2] = `"${postings[i]!}":${postings[i + 1]!}`;
    const json = `[${JSON.stringify(term)},{"0":{${pieces.join(',')}}}]`;
    if (size + json.length > INDEX_PART_BYTES) flush();
    group.push(json);
    size += json.length;
  });
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

type MiniPlain = Parameters<typeof MiniSearch.loadJS>[0];

/** Parses MiniSearch's parts, yielding after each. */
function* parseMiniParts(buf: Buffer, start: number, length: number): Generator<void, MiniPlain> {
  const end = start + length;
  const count = buf.readUInt32LE(start);
  let at = start + 4;
  const parts: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw new Error('snapshot index is truncated');
    const n = buf.readUInt32LE(at);
    if (at + 4 + n > end) throw new Error('snapshot index is truncated');
    parts.push(JSON.parse(buf.toString('utf8', at + 4, at + 4 + n)));
    at += 4 + n;
    yield;
  }
  const [rest, documentIds, fieldLength, storedFields, ...termParts] = parts as [
    Omit<MiniPlain, 'index' | 'documentIds' | 'fieldLength' | 'storedFields'>,
    MiniPlain['documentIds'],
    MiniPlain['fieldLength'],
    MiniPlain['storedFields'],
    ...MiniPlain['index'][],
  ];
  return { ...rest, documentIds, fieldLength, storedFields, index: termParts.flat() } as MiniPlain;
}

export type SnapshotLoad =
  | { ok: true; index: SearchIndex; fingerprint: string }
  | { ok: false; reason: string };

function readInt32(buf: Buffer, start: number, length: number): Int32Array {
  // Copy into a fresh aligned buffer: the file buffer may not be 4-byte aligned in memory.
  const copy = new Int32Array(length / 4);
  new Uint8Array(copy.buffer).set(buf.subarray(start, start + length));
  return copy;
}

/** Reads a snapshot. Anything unexpected (truncated, corrupt, other versions) is a reason, never a throw. */
export function parseSnapshot(buf: Buffer): SnapshotLoad {
  try {
    const steps = decodeSnapshot(buf);
    let step = steps.next();
    while (!step.done) step = steps.next();
    const decoded = step.value;
    return 'reason' in decoded ? decoded : assemble(decoded, MiniSearch.loadJS(decoded.mini, MINISEARCH_OPTIONS));
  } catch (err) {
    return { ok: false, reason: `snapshot unreadable: ${(err as Error).message}` };
  }
}

/** The same, a slice at a time, yielding to the event loop in between: for loading a new index while serving. */
export async function parseSnapshotInSlices(buf: Buffer): Promise<SnapshotLoad> {
  try {
    const steps = decodeSnapshot(buf);
    let step = steps.next();
    while (!step.done) {
      await yieldToLoop();
      step = steps.next();
    }
    const decoded = step.value;
    return 'reason' in decoded ? decoded : assemble(decoded, await MiniSearch.loadJSAsync(decoded.mini, MINISEARCH_OPTIONS));
  } catch (err) {
    return { ok: false, reason: `snapshot unreadable: ${(err as Error).message}` };
  }
}

interface Decoded {
  fingerprint: string;
  corpus: Corpus;
  frequency: [string, number][];
  topicTerms: Map<string, Set<string>>;
  frequentTermPassages: Map<string, Int32Array>;
  mini: MiniPlain;
}

function assemble(d: Decoded, mini: MiniSearch): SnapshotLoad {
  if (mini.documentCount !== d.corpus.passages.length) return { ok: false, reason: 'snapshot index and corpus disagree' };
  const { corpus } = d;
  return {
    ok: true,
    fingerprint: d.fingerprint,
    index: { corpus, mini, passageFrequency: new Map(d.frequency), topicArticles: topicArticlesOf(corpus), topicTerms: d.topicTerms, frequentTermPassages: d.frequentTermPassages },
  };
}

/** Decodes everything but MiniSearch's own loading; yields between slices of work so a caller may pause there. */
function* decodeSnapshot(buf: Buffer): Generator<void, Decoded | { ok: false; reason: string }> {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, reason: 'not a snapshot of this format' };
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > buf.length) return { ok: false, reason: 'snapshot is truncated' };
  const header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, headerEnd)) as Header;
  if (header.format !== SNAPSHOT_FORMAT || header.analyzer !== ANALYZER_VERSION) {
    return { ok: false, reason: `snapshot format ${String(header.format)}/${String(header.analyzer)} is not ${SNAPSHOT_FORMAT}/${ANALYZER_VERSION}` };
  }
  const base = Math.ceil(headerEnd / 4) * 4;
  const hash = createHash('sha1');
  for (let at = base; at < buf.length; at += SLICE_BYTES) {
    hash.update(buf.subarray(at, Math.min(buf.length, at + SLICE_BYTES)));
    yield;
  }
  if (hash.digest('hex') !== header.digest) return { ok: false, reason: 'snapshot is damaged (checksum)' };
  const section = (name: Section): [number, number] => {
    const [start, length] = header.sections[name];
    if (base + start + length > buf.length) throw new Error('snapshot is truncated');
    return [base + start, length];
  };
  const [textsAt, textsLength] = section('texts');
  // Decoded in blocks of whole articles, a slice at a time.
  const articles: Article[] = [];
  let byteAt = textsAt;
  for (let i = 0; i < header.articles.length; ) {
    let bytes = 0;
    const first = i;
    while (i < header.articles.length && (i === first || bytes < SLICE_BYTES)) bytes += header.textBytes[i++]!;
    if (byteAt + bytes > textsAt + textsLength) return { ok: false, reason: 'snapshot texts and articles disagree' };
    for (let k = first; k < i; k++) {
      const n = header.textBytes[k]!;
      articles.push({ ...header.articles[k]!, text: buf.toString('utf8', byteAt, byteAt + n) });
      byteAt += n;
    }
    yield;
  }
  if (byteAt !== textsAt + textsLength) return { ok: false, reason: 'snapshot texts and articles disagree' };
  const passageData = readInt32(buf, ...section('passages'));
  const sentenceData = readInt32(buf, ...section('sentences'));
  const count = passageData.length / PASSAGE_FIELDS;
  if (count !== header.sentenceCounts.length) return { ok: false, reason: 'snapshot passages disagree' };
  const passages: Passage[] = new Array(count);
  let s = 0;
  for (let i = 0; i < count; i++) {
    const o = i * PASSAGE_FIELDS;
    const n = header.sentenceCounts[i]!;
    const sentences: Span[] = new Array(n);
    for (let k = 0; k < n; k++, s += 2) sentences[k] = { start: sentenceData[s]!, end: sentenceData[s + 1]! };
    const kind: PassageKind = passageData[o + 2] === 1 ? 'comment' : 'article';
    passages[i] = { id: i, article: passageData[o]!, paragraph: passageData[o + 1]!, kind, start: passageData[o + 3]!, end: passageData[o + 4]!, sentences };
    if (i % 20_000 === 19_999) yield;
  }
  if (s !== sentenceData.length) return { ok: false, reason: 'snapshot sentences disagree' };
  const json = <T>(name: Section): T => {
    const [at, length] = section(name);
    return JSON.parse(buf.toString('utf8', at, at + length)) as T;
  };
  const frequency = json<[string, number][]>('frequency');
  yield;
  const topicTerms = new Map(json<[string, string[]][]>('topics').map(([t, terms]) => [t, new Set(terms)]));
  const frequentTermPassages = new Map(json<[string, number[]][]>('champions').map(([t, ids]) => [t, Int32Array.from(ids)]));
  yield;
  const mini = yield* parseMiniParts(buf, ...section('index'));
  return { fingerprint: header.fingerprint, corpus: { articles, passages, rejected: header.rejected }, frequency, topicTerms, frequentTermPassages, mini };
}

export async function readSnapshot(dataDir: string): Promise<SnapshotLoad> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dataDir, SNAPSHOT_FILE));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no snapshot yet' : `snapshot unreadable (${code ?? 'error'})` };
  }
  return parseSnapshot(buf);
}

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: temporary file in the
 * same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(target: string, content: Buffer | string): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir, path.basename(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await dirHandle.close();
  }
}

/** Temporary files of writers that died mid-write (kill -9): removed, unless their process still runs. */
async function removeStaleTemporaries(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function writeSnapshot(dataDir: string, built: BuiltIndex, fingerprint: string, now = new Date()): Promise<void> {
  await writeFileAtomic(path.join(dataDir, SNAPSHOT_FILE), serializeSnapshot(built, fingerprint, now));
}
