import type { Corpus } from '../corpus/index.js';
import type { IndexDraft } from './draft.js';
import type { PassageMiniSearch } from './passage-minisearch.js';
import type { TermData } from './postings.js';
import type { Vocabulary } from './vocabulary.js';
import type { TitleTerms } from './title-terms.js';

export interface SearchIndex {
  corpus: Corpus;
  mini: PassageMiniSearch;
  /** Number of passages whose text holds each term: the IDF of sentence scoring and the vocabulary. */
  passageFrequency: Map<string, number>;
  /**
   * The same terms sorted, for typo and prefix look-ups (passage counts are in `passageFrequency`). It is also
   * MiniSearch's term map, so the terms are held once.
   */
  vocabulary: Vocabulary<TermData>;
  /** Article indexes by topic name, for filtering. */
  topicArticles: Map<string, Set<number>>;
  /** Terms used by each topic's passages: says exactly which question words a topic lacks. */
  topicTerms: Map<string, Set<string>>;
  /**
   * Champion lists: for each term found in more passages than a query may scan, a bounded sample of the passages
   * most about it (several occurrences first). Questions made only of such words start from these.
   */
  frequentTermPassages: Map<string, Int32Array>;
  /** Each article's title terms, analyzed at build time. */
  titleTerms: TitleTerms;
}

/** Terms held by more passages than this get a champion list (and are not sent to MiniSearch when rarer ones exist). */
export const FREQUENT_TERM_PASSAGES = 3000;
/** Passages kept per champion list. */
export const CHAMPIONS_PER_TERM = 100;

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

/** Topics a bit mask can name: bit k of a term's mask stands for topics[k]. */
const MAX_TOPICS = 31;

/**
 * Which topics' passages use each term, as one bit mask per term (in draft order), from the postings: a term's
 * passages are scanned only until every topic has been seen (most terms of a large corpus reach all topics within
 * a few passages).
 */
export function topicMasksOf(corpus: Corpus, draft: IndexDraft): { topics: string[]; masks: Int32Array<ArrayBuffer> } {
  const topics = [...new Set(corpus.articles.flatMap((a) => a.topics))];
  if (topics.length > MAX_TOPICS) throw new Error(`at most ${MAX_TOPICS} topics (${topics.length} found)`);
  const articleMask = Int32Array.from(corpus.articles, (a) =>
    a.topics.reduce((m, t) => m | (1 << topics.indexOf(t)), 0),
  );
  const all = (1 << topics.length) - 1;
  const masks = new Int32Array(draft.terms.length);
  for (let n = 0; n < draft.terms.length; n++) {
    let mask = 0;
    if (mask !== all)
      draft.postings.each(n, (id) => {
        mask |= articleMask[corpus.passages[id]!.article]!;
        return mask !== all;
      });
    masks[n] = mask;
  }
  return { topics, masks };
}

/** Champion lists of the frequent terms: passages holding the term twice or more first, then once, in id order. */
export function championsOf(draft: IndexDraft): Map<string, Int32Array> {
  const out = new Map<string, Int32Array>();
  draft.terms.forEach((term, n) => {
    if (draft.postings.count(n) <= FREQUENT_TERM_PASSAGES) return;
    const many: number[] = [];
    const once: number[] = [];
    draft.postings.each(n, (id, occurrences) => {
      if (occurrences > 1) many.push(id);
      else if (once.length < CHAMPIONS_PER_TERM) once.push(id);
      return many.length < CHAMPIONS_PER_TERM;
    });
    out.set(term, Int32Array.from([...many, ...once].slice(0, CHAMPIONS_PER_TERM)));
  });
  return out;
}
