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

export function passageFrequencies(corpus: Corpus): Map<string, number> {
  const df = new Map<string, number>();
  for (const p of corpus.passages) {
    const text = corpus.articles[p.article]!.text.slice(p.start, p.end);
    for (const t of new Set(indexTerms(text))) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return df;
}

export function buildSearchIndex(corpus: Corpus): SearchIndex {
  const mini = new MiniSearch<PassageDoc>(MINISEARCH_OPTIONS);
  mini.addAll(corpus.passages.map((p) => docOf(corpus, p)));
  return { corpus, mini, passageFrequency: passageFrequencies(corpus), topicArticles: topicArticlesOf(corpus) };
}
