import { FREQUENT_TERM_PASSAGES, type SearchIndex } from '../index/index.js';
import type { PreparedQuery } from './query.js';
import type { WorkMeter } from './types.js';
import { COST, spend } from './work.js';

/** Reader comments rank below article text for the same match. */
export const COMMENT_FACTOR = 0.6;
/** Credit, in the first ranking, of a question word found only elsewhere in the passage's article or its title. */
const ARTICLE_CREDIT = 0.3;

/**
 * Postings one question may make MiniSearch score: the rarest terms are sent until they add up to this. Terms above
 * FREQUENT_TERM_PASSAGES have champion lists instead.
 */
const QUERY_POSTINGS = 1500;
/** Postings the synonyms and family members of the question's words may add to a search, out of the whole budget. */
const RELATED_PASSAGES = 600;
/** Hits of the index read for the first ranking: its best ones (MiniSearch's BM25 order). */
const HITS_READ = 250;

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
  work?: WorkMeter,
): Candidates {
  const { corpus } = index;
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
  const all = [...prepared.termWord.keys()];
  const known = all.filter((t) => df(t) > 0).sort((a, b) => df(a) - df(b));
  const quality = (t: string): number => prepared.termWord.get(t)?.quality ?? 0;
  const queried: string[] = [];
  let postings = 0;
  let related = 0;
  for (const t of known) {
    if (df(t) > FREQUENT_TERM_PASSAGES || postings + df(t) > QUERY_POSTINGS) break;
    // Synonyms and family members widen the search; they get a smaller share of the budget than the words typed.
    if (quality(t) < 1 && related + df(t) > RELATED_PASSAGES) continue;
    if (quality(t) < 1) related += df(t);
    queried.push(t);
    postings += df(t);
  }
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
  let hits = search(queried).slice(0, HITS_READ);
  if (queried.length === 0 && known.length > 0) {
    // Every known word is frequent: passages found in most of their champion lists first.
    const votes = new Map<number, number>();
    for (const t of known.slice(0, 3)) {
      for (const id of index.frequentTermPassages.get(t) ?? [])
        if (inScope(id)) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    if (votes.size === 0) postings += df(known[0]!);
    hits =
      votes.size === 0
        ? search([known[0]!]).slice(0, HITS_READ)
        : [...votes].map(([id, v]) => ({ id, score: v, terms: known.slice(0, 3) }));
  }
  spend(work, COST.posting * (postings + hits.length));

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
    for (const [w, q] of articleWords.get(corpus.passages[h.id]!.article) ?? [])
      if (!own.has(w)) s += ARTICLE_CREDIT * weight(w) * q;
    return { id: h.id, score: s + 0.25 * prepared.totalWeight * (h.score / topScore) };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  const passages = scored.slice(0, limit).map((s) => s.id);

  return { passages, articleWords };
}
