import MiniSearch, { type Options } from 'minisearch';
import type { Corpus, Passage } from '../corpus/types.js';
import { indexTerms } from './analyzer.js';

/**
 * What MiniSearch indexes for a passage: its text, already analyzed into index terms joined by spaces (so each
 * passage is analyzed once, and nothing but terms reaches the index). The quoted text lives in the corpus, not in
 * the index; titles are matched apart (answer.ts), which keeps their terms out of every passage's postings.
 */
interface PassageDoc {
  id: number;
  text: string;
}

const splitTerms = (s: string): string[] => (s === '' ? [] : s.split(' '));

/** Options shared by building and loading (MiniSearch requires the same ones): terms come pre-analyzed. */
export const MINISEARCH_OPTIONS: Options<PassageDoc> = {
  idField: 'id',
  fields: ['text'],
  storeFields: [],
  tokenize: splitTerms,
  processTerm: (term) => term,
};

export interface SearchIndex {
  corpus: Corpus;
  mini: MiniSearch<PassageDoc>;
  /** Number of passages whose text holds each term: the IDF of sentence scoring and the vocabulary. */
  passageFrequency: Map<string, number>;
  /** Article indexes by topic name, for filtering. */
  topicArticles: Map<string, Set<number>>;
  /** Terms used by each topic's passages: says exactly which question words a topic lacks. */
  topicTerms: Map<string, Set<string>>;
  /**
   * Champion lists: for each term found in more passages than a query may scan, a bounded sample of the passages
   * most about it (several occurrences first). Questions made only of such words start from these.
   */
  frequentTermPassages: Map<string, Int32Array>;
}

/** Terms held by more passages than this get a champion list (and are not sent to MiniSearch when rarer ones exist). */
export const FREQUENT_TERM_PASSAGES = 3000;
/** Passages kept per champion list. */
export const CHAMPIONS_PER_TERM = 100;

/** What indexing gathers per term: its passage count, and champion candidates (twice or more, then once). */
interface TermDraft {
  passages: number;
  many: number[];
  once: number[];
}
const drafts = new WeakMap<SearchIndex, Map<string, TermDraft>>();


export function topicArticlesOf(corpus: Corpus): Map<string, Set<number>> {
  const byTopic = new Map<string, Set<number>>();
  corpus.articles.forEach((a, i) => {
    for (const t of a.topics) {
      let set = byTopic.get(t);
      if (!set) byTopic.set(t, (set = new Set()));
      set.add(i);
    }
  });
  return byTopic;
}

/** Indexes passages [from, to) of the corpus and counts their terms; building in slices calls it repeatedly, then `finishIndex`. */
export function indexPassages(index: SearchIndex, from: number, to: number): void {
  const { corpus } = index;
  for (const p of corpus.passages.slice(from, to)) {
    indexPassage(index, p, indexTerms(corpus.articles[p.article]!.text.slice(p.start, p.end)));
  }
}

/** Indexes one passage of the corpus whose index terms are already known (analyzed here or in a worker). */
export function indexPassage(index: SearchIndex, p: Passage, terms: readonly string[]): void {
  let draft = drafts.get(index);
  if (!draft) drafts.set(index, (draft = new Map()));
  const article = index.corpus.articles[p.article]!;
  index.mini.add({ id: p.id, text: terms.join(' ') });
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const topicSets = article.topics.map((topic) => {
    let set = index.topicTerms.get(topic);
    if (!set) index.topicTerms.set(topic, (set = new Set()));
    return set;
  });
  for (const [t, n] of counts) {
    for (const set of topicSets) set.add(t);
    let d = draft.get(t);
    if (!d) draft.set(t, (d = { passages: 0, many: [], once: [] }));
    d.passages++;
    const list = n > 1 ? d.many : d.once;
    if (list.length < CHAMPIONS_PER_TERM) list.push(p.id);
  }
}

/** Once every passage is indexed: the term frequencies, the champion lists of the frequent terms; drafts dropped. */
export function finishIndex(index: SearchIndex): void {
  index.topicArticles = topicArticlesOf(index.corpus);
  const draft = drafts.get(index);
  drafts.delete(index);
  if (!draft) return;
  for (const [t, d] of draft) {
    index.passageFrequency.set(t, d.passages);
    if (d.passages > FREQUENT_TERM_PASSAGES) index.frequentTermPassages.set(t, Int32Array.from([...d.many, ...d.once].slice(0, CHAMPIONS_PER_TERM)));
  }
}

/** An index of the corpus with no passage added yet. */
export function emptySearchIndex(corpus: Corpus): SearchIndex {
  return {
    corpus,
    mini: new MiniSearch<PassageDoc>(MINISEARCH_OPTIONS),
    passageFrequency: new Map(),
    topicArticles: topicArticlesOf(corpus),
    topicTerms: new Map(),
    frequentTermPassages: new Map(),
  };
}

export function buildSearchIndex(corpus: Corpus): SearchIndex {
  const index = emptySearchIndex(corpus);
  indexPassages(index, 0, corpus.passages.length);
  finishIndex(index);
  return index;
}
