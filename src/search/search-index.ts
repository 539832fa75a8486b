import MiniSearch, { type Options } from 'minisearch';
import type { Corpus } from '../corpus/types.js';
import { indexTerms } from './analyzer.js';

/**
 * What MiniSearch indexes for a passage: its text and its article's title, already analyzed into index terms
 * joined by spaces (so each passage is analyzed once, and nothing but terms reaches the index). The quoted text
 * lives in the corpus, not in the index.
 */
interface PassageDoc {
  id: number;
  text: string;
  title: string;
}

const splitTerms = (s: string): string[] => (s === '' ? [] : s.split(' '));

/** Options shared by building and loading (MiniSearch requires the same ones): terms come pre-analyzed. */
export const MINISEARCH_OPTIONS: Options<PassageDoc> = {
  idField: 'id',
  fields: ['text', 'title'],
  storeFields: [],
  tokenize: splitTerms,
  processTerm: (term) => term,
};

export interface SearchIndex {
  corpus: Corpus;
  mini: MiniSearch<PassageDoc>;
  /** Number of passages whose text holds each term: the IDF of sentence scoring and the vocabulary. */
  passageFrequency: Map<string, number>;
  /** Passage ids by topic name, for filtering. */
  topicArticles: Map<string, Set<number>>;
}


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

/** Indexes passages [from, to) of the corpus and counts their terms; building in slices calls it repeatedly. */
export function indexPassages(index: SearchIndex, from: number, to: number): void {
  const { corpus, mini, passageFrequency } = index;
  let titleOf = -1;
  let title = '';
  for (const p of corpus.passages.slice(from, to)) {
    const article = corpus.articles[p.article]!;
    if (p.article !== titleOf) {
      titleOf = p.article;
      title = indexTerms(article.title).join(' ');
    }
    const terms = indexTerms(article.text.slice(p.start, p.end));
    mini.add({ id: p.id, text: terms.join(' '), title });
    for (const t of new Set(terms)) passageFrequency.set(t, (passageFrequency.get(t) ?? 0) + 1);
  }
}

/** An index of the corpus with no passage added yet. */
export function emptySearchIndex(corpus: Corpus): SearchIndex {
  return { corpus, mini: new MiniSearch<PassageDoc>(MINISEARCH_OPTIONS), passageFrequency: new Map(), topicArticles: topicArticlesOf(corpus) };
}

export function buildSearchIndex(corpus: Corpus): SearchIndex {
  const index = emptySearchIndex(corpus);
  indexPassages(index, 0, corpus.passages.length);
  return index;
}
