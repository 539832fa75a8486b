import { FREQUENT_TERM_PASSAGES, type SearchIndex } from '../search/search-index.js';
import type { PreparedQuery } from './query.js';

/** Reader comments rank below article text for the same match. */
const COMMENT_FACTOR = 0.6;
/** Credit, in the first ranking, of a question word found only elsewhere in the passage's article or its title. */
const ARTICLE_CREDIT = 0.3;
/** Articles most about the question whose every passage is read, not only those holding a question word. */
const WHOLE_ARTICLES = 2;
const WHOLE_ARTICLE_PASSAGES = 40;

export interface Candidates {
  /** Passage ids to read closely, best first. */
  passages: number[];
  /** For each article met: question word → best match quality found in it (its passages and its title). */
  articleWords: Map<number, Map<number, number>>;
}

interface Hit {
  id: number;
  score: number;
  terms: readonly string[];
}

/**
 * Candidate passages for a question. MiniSearch scores every passage holding a query term, so the terms sent to it
 * are the rarest ones, until their passages add up to a budget: a word found in most passages would cost the most
 * and rank the least (it still counts, on the candidates, when their sentences are read). When every known word is
 * that common, candidates come from the words' champion lists. Passages are then ranked by the question words they
 * hold, words found elsewhere in their article counting for part: the answer's sentence often names only what
 * the question asks, while the article's other paragraphs and title name what it is about.
 */
export function findCandidates(
  index: SearchIndex,
  prepared: PreparedQuery,
  inScope: (id: number) => boolean,
  filtered: boolean,
  titleTerms: (article: number) => readonly string[],
  limit: number,
): Candidates {
  const { corpus } = index;
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
  const all = [...prepared.termWord.keys()];
  const known = all.filter((t) => df(t) > 0).sort((a, b) => df(a) - df(b));
  const queried: string[] = [];
  let postings = 0;
  for (const t of known) {
    if (df(t) > FREQUENT_TERM_PASSAGES || postings + df(t) > FREQUENT_TERM_PASSAGES) break;
    queried.push(t);
    postings += df(t);
  }
  const quality = (t: string): number => prepared.termWord.get(t)?.quality ?? 0;
  const search = (terms: string[]): Hit[] =>
    terms.length === 0
      ? []
      : index.mini
          .search(terms.join(' '), {
            tokenize: (s) => s.split(' '),
            processTerm: (t) => t,
            // Typos were corrected against the vocabulary beforehand: every term here is exact.
            boostTerm: (t) => quality(t),
            filter: filtered ? (r) => inScope(r.id as number) : undefined,
            boostDocument: (id) => (corpus.passages[id as number]!.kind === 'comment' ? COMMENT_FACTOR : 1),
          })
          .map((r) => ({ id: r.id as number, score: r.score, terms: r.terms }));
  let hits = search(queried);
  if (queried.length === 0 && known.length > 0) {
    // Every known word is frequent: passages found in most of their champion lists first.
    const votes = new Map<number, number>();
    for (const t of known.slice(0, 3)) {
      for (const id of index.frequentTermPassages.get(t) ?? []) if (inScope(id)) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    hits = votes.size === 0
      ? search([known[0]!])
      : [...votes].map(([id, v]) => ({ id, score: v, terms: known.slice(0, 3) }));
  }

  const articleWords = new Map<number, Map<number, number>>();
  const note = (article: number, term: string): void => {
    const m = prepared.termWord.get(term);
    if (!m) return;
    let words = articleWords.get(article);
    if (!words) articleWords.set(article, (words = new Map()));
    words.set(m.word, Math.max(words.get(m.word) ?? 0, m.quality));
  };
  for (const h of hits) {
    const article = corpus.passages[h.id]!.article;
    if (!articleWords.has(article)) for (const t of titleTerms(article)) note(article, t);
    for (const t of h.terms) note(article, t);
  }

  const weight = (w: number): number => prepared.words[w]!.weight;
  const topScore = Math.max(1e-9, ...hits.map((h) => h.score));
  const scored = hits.map((h) => {
    const own = new Map<number, number>();
    for (const t of h.terms) {
      const m = prepared.termWord.get(t);
      if (m) own.set(m.word, Math.max(own.get(m.word) ?? 0, m.quality));
    }
    let s = 0;
    for (const [w, q] of own) s += weight(w) * q;
    for (const [w, q] of articleWords.get(corpus.passages[h.id]!.article) ?? []) if (!own.has(w)) s += ARTICLE_CREDIT * weight(w) * q;
    return { id: h.id, score: s + 0.25 * prepared.totalWeight * (h.score / topScore) };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  const passages = scored.slice(0, limit).map((s) => s.id);

  // The articles most about the question are read whole: the answer's sentence may hold none of its words.
  const articleScore = [...articleWords].map(([article, words]) => {
    let s = 0;
    for (const [w, q] of words) s += weight(w) * q;
    return { article, s };
  });
  articleScore.sort((a, b) => b.s - a.s || a.article - b.article);
  const chosen = new Set(passages);
  let extra = 0;
  for (const { article } of articleScore.slice(0, WHOLE_ARTICLES)) {
    for (const p of passagesOf(index, article)) {
      if (extra >= WHOLE_ARTICLE_PASSAGES) break;
      if (!chosen.has(p) && inScope(p)) {
        chosen.add(p);
        passages.push(p);
        extra++;
      }
    }
  }
  return { passages, articleWords };
}

const firstPassage = new WeakMap<SearchIndex, Int32Array>();

/** Passage ids of one article (passages of an article are numbered together). */
function passagesOf(index: SearchIndex, article: number): number[] {
  let starts = firstPassage.get(index);
  if (!starts) {
    starts = new Int32Array(index.corpus.articles.length + 1).fill(-1);
    const { passages } = index.corpus;
    for (let i = passages.length - 1; i >= 0; i--) starts[passages[i]!.article] = i;
    starts[index.corpus.articles.length] = passages.length;
    firstPassage.set(index, starts);
  }
  const out: number[] = [];
  const from = starts[article]!;
  if (from < 0) return out;
  for (let i = from; i < index.corpus.passages.length && index.corpus.passages[i]!.article === article; i++) out.push(i);
  return out;
}
