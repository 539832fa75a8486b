import MiniSearch, { type Options } from 'minisearch';
import type { Corpus, Passage } from '../corpus/types.js';
import { indexTerms } from './analyzer.js';

/** What MiniSearch indexes for a passage. Nothing is stored in the index: the text lives in the corpus. */
interface PassageDoc {
  id: number;
  text: string;
  title: string;
}

/**
 * Options shared by building and loading (MiniSearch requires the same ones): our analyzer does all the work,
 * so MiniSearch's own term processing is the identity.
 */
export const MINISEARCH_OPTIONS: Options<PassageDoc> = {
  idField: 'id',
  fields: ['text', 'title'],
  storeFields: [],
  tokenize: (text) => indexTerms(text),
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

function docOf(corpus: Corpus, passage: Passage): PassageDoc {
  const article = corpus.articles[passage.article]!;
  return { id: passage.id, text: article.text.slice(passage.start, passage.end), title: article.title };
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
  for (const p of corpus.passages.slice(from, to)) {
    const doc = docOf(corpus, p);
    mini.add(doc);
    for (const t of new Set(indexTerms(doc.text))) passageFrequency.set(t, (passageFrequency.get(t) ?? 0) + 1);
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
