import type { SearchIndex } from '../index/index.js';
import type { WorkMeter } from './types.js';
import { prepareScan, scanPostings, type ScanHit, type ScanTerm } from './postings-scan.js';
import { SALIENT_FACTOR, type PreparedQuery } from './query.js';
import { COST, spend } from './work.js';

/** Reader comments rank below article text for the same match. */
export const COMMENT_FACTOR = 0.6;
/** Credit, in the first ranking, of a question word found only elsewhere in the passage's article or its title. */
const ARTICLE_CREDIT = 0.3;

/**
 * Postings one question may scan: the rarest terms are scanned until they add up to this (terms past it are
 * frequent, weigh little alone, and still count when the candidates' sentences are read). It grows with the corpus,
 * as a word's passages do, within bounds (at 100,000 articles, about 10,000 words in 1,000,000 passages, a scan of
 * 120,000 postings takes 2 to 3 ms). At 10,000 articles, 30,000 rather than 60,000 found as many bench answers in
 * the top 3 (324 and 320 of 416) and took 0.3 ms less a question.
 */
const MIN_SCANNED_POSTINGS = 30_000;
const SCANNED_SHARE = 0.12;
const MAX_SCANNED_POSTINGS = 300_000;
/**
 * Most postings the last resort may scan (a topic's passages missing from every champion list): a word in 1.2 M
 * passages decodes in about 10 ms. A word more common than that is left out.
 */
const MAX_LAST_RESORT_POSTINGS = 4 * MAX_SCANNED_POSTINGS;
/** Share of the scan that synonyms and family members of the question's words may take. */
const RELATED_SHARE = 0.4;
/** Passages kept from the scan for the first ranking: the best by their question words. */
const HITS_READ = 250;

export interface Candidates {
  /** Passage ids to read closely, best first. */
  passages: number[];
  /** For each article met: question word → best match quality found in it (its passages and its title). */
  articleWords: Map<number, Map<number, number>>;
}

/** Decoded postings of one question's scan, reused from question to question (they run one at a time). */
let pool = { ids: new Int32Array(0), occurrences: new Int32Array(0) };

const passageFactors = new WeakMap<SearchIndex, Float32Array>();

/**
 * Each passage's ranking factor (COMMENT_FACTOR for a reader's comment, else 1), in one array per index: the scan
 * reads it for every passage it meets, and a passage object apiece would cost a memory miss each.
 */
function factorsOf(index: SearchIndex): Float32Array {
  let factors = passageFactors.get(index);
  if (!factors) {
    factors = Float32Array.from(index.corpus.passages, (p) => (p.kind === 'comment' ? COMMENT_FACTOR : 1));
    passageFactors.set(index, factors);
  }
  return factors;
}

function poolOf(size: number): typeof pool {
  if (pool.ids.length < size) pool = { ids: new Int32Array(size), occurrences: new Int32Array(size) };
  return pool;
}

/** Postings one question of this index may scan. */
function budgetOf(index: SearchIndex): number {
  const share = Math.round(SCANNED_SHARE * index.corpus.passages.length);
  return Math.min(MAX_SCANNED_POSTINGS, Math.max(MIN_SCANNED_POSTINGS, share));
}

/** Makes the arrays a first question would otherwise make (at 500,000 articles a few hundred ms): at start-up. */
export function prepareCandidates(index: SearchIndex): void {
  factorsOf(index);
  poolOf(budgetOf(index));
  prepareScan(index.mini.passageLengths);
}

/**
 * Candidate passages for a question. The postings of its terms are scanned, rarest first, up to a budget that grows
 * with the corpus, and each passage met gets, per question word, the BM25 weight of the best of the word's terms it
 * holds (the word typed, a synonym or family member at their lower quality): passages holding more of the question's
 * rarer words come first, however common each word is alone. When every known word is more common than the budget
 * allows, candidates come from the words' champion lists, and when these hold none in scope, from a whole scan of
 * the rarest word not scanned yet that the scope's passages use (`scopeTerms`, null: the whole corpus; `budget`:
 * the corpus's unless a test sets it). Passages are then ranked by the
 * question words they hold, words found elsewhere in their article counting for part: the answer's sentence often
 * names only what the question asks, while the article's other paragraphs and title name what it is about.
 */
export function findCandidates(
  index: SearchIndex,
  prepared: PreparedQuery,
  inScope: (id: number) => boolean,
  scopeTerms: ReadonlySet<string> | null,
  titleTerms: (article: number) => readonly string[],
  limit: number,
  work?: WorkMeter,
  budget: number = budgetOf(index),
): Candidates {
  const { corpus, mini } = index;
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;

  // The terms scanned: the rarest first, synonyms and family members within their share; then grouped by word.
  const known = [...prepared.termWord]
    .map(([term, { word, quality }]) => ({ term, word, quality, passages: df(term) }))
    .filter((t) => t.passages > 0)
    .sort((x, y) => x.passages - y.passages || (x.term < y.term ? -1 : 1));
  const chosen: typeof known = [];
  let scanned = 0;
  let related = 0;
  for (const t of known) {
    if (scanned + t.passages > budget) break;
    if (t.quality < 1 && related + t.passages > RELATED_SHARE * budget) continue;
    if (t.quality < 1) related += t.passages;
    scanned += t.passages;
    chosen.push(t);
  }
  // Grouped by word, the words of most weight first: past them, the scan needs only count on passages already met.
  const most = new Map<number, number>();
  for (const t of chosen) most.set(t.word, Math.max(most.get(t.word) ?? 0, t.quality * prepared.idf(t.term)));
  const salientOf = (w: number): number => (prepared.words[w]!.salient ? SALIENT_FACTOR : 1);
  const rankOf = (w: number): number => most.get(w)! * salientOf(w);
  chosen.sort((x, y) => rankOf(y.word) - rankOf(x.word) || x.word - y.word);
  const { ids, occurrences } = poolOf(scanned);
  const scan: ScanTerm[] = [];
  let at = 0;
  for (const { term, word, quality } of chosen) {
    const postings = mini.termPostings(term);
    if (!postings) continue;
    const count = postings.decodeInto(ids.subarray(at), occurrences.subarray(at));
    scan.push({ word, weight: quality * prepared.idf(term) * salientOf(word), quality, from: at, to: at + count });
    at += count;
  }
  const factors = factorsOf(index);
  const factor = (id: number): number => factors[id]!;
  const scanOptions = {
    keep: HITS_READ,
    factor,
    inScope,
    lengths: mini.passageLengths,
    averageLength: mini.averagePassageLength,
  };
  let hits: ScanHit[] = scanPostings(scan, ids, occurrences, scanOptions);

  if (hits.length === 0 && known.length > 0) {
    // Every known word is frequent: passages found in most of their champion lists first.
    const votes = new Map<number, ScanHit>();
    for (const { term: t, word, quality: q } of known.slice(0, 3)) {
      for (const id of index.frequentTermPassages.get(t) ?? []) {
        if (!inScope(id)) continue;
        let h = votes.get(id);
        if (!h) votes.set(id, (h = { id, score: 0, words: new Map() }));
        h.score += q * factor(id);
        h.words.set(word, q);
      }
    }
    hits = [...votes.values()];
  }
  const unscanned = known.find(
    (t) =>
      !chosen.includes(t) && t.passages <= MAX_LAST_RESORT_POSTINGS && (scopeTerms === null || scopeTerms.has(t.term)),
  );
  if (hits.length === 0 && unscanned) {
    // A topic's passages may be missing from the champion lists: its rarest word not yet scanned that the topic
    // uses is scanned whole, in the topic only (found there, so it finds passages). Its own arrays: the pool is
    // sized for the usual scans, and this one is rare (a question whose scanned words the topic does not use).
    const postings = mini.termPostings(unscanned.term);
    const whole = { ids: new Int32Array(unscanned.passages), occurrences: new Int32Array(unscanned.passages) };
    const count = postings ? postings.decodeInto(whole.ids, whole.occurrences) : 0;
    const { word, quality } = unscanned;
    const weight = quality * prepared.idf(unscanned.term) * salientOf(word);
    const term: ScanTerm = { word, weight, quality, from: 0, to: count };
    hits = scanPostings([term], whole.ids, whole.occurrences, scanOptions);
    scanned += count;
  }
  spend(work, COST.postingScanned * scanned + COST.posting * hits.length);

  const articleWords = new Map<number, Map<number, number>>();
  const note = (article: number, word: number, quality: number): void => {
    let found = articleWords.get(article);
    if (!found) articleWords.set(article, (found = new Map()));
    found.set(word, Math.max(found.get(word) ?? 0, quality));
  };
  const articleOf = (h: ScanHit): number => corpus.passages[h.id]!.article;
  for (const h of hits) for (const [w, q] of h.words) note(articleOf(h), w, q);
  const titled = new Set<number>();
  const readTitle = (article: number): void => {
    if (titled.has(article)) return;
    titled.add(article);
    for (const t of titleTerms(article)) {
      const m = prepared.termWord.get(t);
      if (m) note(article, m.word, m.quality);
    }
  };

  const weight = (w: number): number => prepared.words[w]!.weight;
  const topScore = Math.max(1e-9, ...hits.map((h) => h.score));
  const wordCount = prepared.words.length;
  /** The first ranking's score, from the article words noted so far (words in question order, for one sum). */
  const scoreOf = (h: ScanHit): number => {
    let score = 0;
    const found = articleWords.get(articleOf(h));
    for (let w = 0; w < wordCount; w++) {
      const own = h.words.get(w);
      if (own !== undefined) score += weight(w) * own;
      else score += ARTICLE_CREDIT * weight(w) * (found?.get(w) ?? 0);
    }
    return score + 0.25 * prepared.totalWeight * (h.score / topScore);
  };
  // A title can only raise the credit of words the passage lacks, each to at most its full credit: with titles read
  // best bound first, the hits whose bound cannot reach the ranking's last place are ranked without theirs (half
  // the titles of the bench questions left unread, each a line to split and a lookup per term).
  // Bounds and ids in typed arrays, the order sorted as indexes: sorting objects deoptimized this function at one
  // question in five (V8 optimizes `sort` for the maps it has seen, and these objects' maps vary).
  const count = hits.length;
  const bound = new Float64Array(count);
  const hitId = new Int32Array(count);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const h = hits[i]!;
    const found = articleWords.get(articleOf(h));
    let room = 0;
    for (let w = 0; w < wordCount; w++)
      if (!h.words.has(w)) room += ARTICLE_CREDIT * weight(w) * (1 - (found?.get(w) ?? 0));
    bound[i] = scoreOf(h) + room;
    hitId[i] = h.id;
    order[i] = i;
  }
  order.sort((x, y) => bound[y]! - bound[x]! || hitId[x]! - hitId[y]!);
  // A hit's score depends on its own article's words only: once that title is read, it is final.
  const scored: { id: number; score: number }[] = [];
  for (const i of order) {
    // Rounding may put a sum a hair above its bound: a margin keeps the cut exact.
    if (scored.length >= limit && bound[i]! + 1e-9 < scored[limit - 1]!.score) break;
    const h = hits[i]!;
    readTitle(articleOf(h));
    const x = { id: h.id, score: scoreOf(h) };
    let at = scored.length;
    while (
      at > 0 &&
      (scored[at - 1]!.score < x.score || (scored[at - 1]!.score === x.score && scored[at - 1]!.id > x.id))
    )
      at--;
    scored.splice(at, 0, x);
  }
  return { passages: scored.slice(0, limit).map((x) => x.id), articleWords };
}
