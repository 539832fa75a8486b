import type { Passage, Span } from '../corpus/types.js';
import { analyzeQuestion, tokenize, type AnalyzedQuestion, type AnswerCue, type Token } from '../language/index.js';
import type { Answer, AnswerResult } from './types.js';
import { FREQUENT_TERM_PASSAGES, type SearchIndex } from '../search/search-index.js';
import { cutAroundHighlights } from './snippet.js';
import { sliceWhole } from '../search/text-cut.js';

export interface AskOptions {
  /** Topic asked through, or null/undefined for every topic. */
  topic?: string | null;
  /** How many results at most (default 3). */
  limit?: number;
  /** When the topic does not answer, look for the topics that do (default true). */
  suggestTopics?: boolean;
}

/** Length of `AnswerResult.articleHash`. */
export const ARTICLE_HASH_CHARS = 12;
/** Questions are cut to this length: a slash command allows less anyway. */
export const MAX_QUESTION_CHARS = 500;
/** Passages re-scored sentence by sentence after the index ranks them. */
const CANDIDATES = 20;
/** Share of the question's weighted key words a passage must hold to count as an answer. */
export const MIN_COVERAGE = 0.5;
/** Reader comments rank below article text for the same match. */
const COMMENT_FACTOR = 0.6;
/** Match quality of a term found through typo tolerance or as a prefix, relative to an exact match. */
const FUZZY_WEIGHT = 0.8;
/** Sentence BM25 (Lucene's unified highlighter): k1, b, and a length pivot in characters. */
const K1 = 1.2;
const B = 0.75;
const PIVOT = 87;
/** Two sentences together are quoted only while they stay this short. */
const MAX_PAIR_CHARS = 480;

interface WordMatch {
  word: number;
  weight: number;
}

interface Candidate {
  passage: Passage;
  miniScore: number;
  coverage: number;
  quote: Span;
  quoteScore: number;
  meetsCue: boolean;
  matchedTerms: Map<string, WordMatch>;
  final: number;
}

const NUMBER_WORDS = '(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|soixante|cent|mille)';
/** What a sentence must hold to answer each kind of question. */
const CUE_PATTERNS: Partial<Record<Exclude<AnswerCue, null>, RegExp>> = {
  date: /(?<!\p{N})(?:1[89]\d\d|20\d\d)(?!\p{N})|(?<!\p{L})(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|january|february|march|april|may|june|july|august|september|october|november|december|hier|demain|aujourd['’]hui|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?!\p{L})/iu,
  price: /\p{N}\s?(?:€|euros?|eur|dollars?|\$|£|livres?|francs?|centimes?)(?!\p{L})|[$£€]\s?\p{N}|(?<!\p{L})gratuit/iu,
  duration: new RegExp(`(?:\\p{N}+|(?<!\\p{L})${NUMBER_WORDS})\\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans|années?|trimestres?)(?!\\p{L})`, 'iu'),
  percent: /\p{N}\s?%|(?<!\p{L})pour ?cent(?!\p{L})/iu,
  quantity: /\p{N}|(?<!\p{L})(?:millier|million|milliard|moiti[ée]|tiers|quart|douzaine|centaine|dizaine|deux|trois|quatre|cinq|dix|cent|mille)s?(?!\p{L})/iu,
};

/** Whether a sentence holds the kind of answer the question asks for (always true when it asks for none). */
function meetsCue(cue: AnswerCue, sentence: string): boolean {
  const pattern = cue === null ? undefined : CUE_PATTERNS[cue];
  return pattern === undefined || pattern.test(sentence);
}

/** A quote lacking the kind of answer asked for (no date for « quand ») ranks below one that has it. */
const CUE_MISSING_FACTOR = 0.6;
/** Coverage credit for a question word found near the quote (elsewhere in the paragraph, or in the title). */
const CONTEXT_CREDIT = 0.5;

/** Edits allowed to correct a typo: none on short terms (cout would become coup) or numbers (149 is not 148). */
function fuzzyDistance(term: string): number {
  if (/\p{N}/u.test(term) || term.length < 5) return 0;
  return term.length >= 9 ? 2 : 1;
}

/** Corrections kept per unknown word: the closest spellings, the most used first. */
const MAX_CORRECTIONS = 2;

/**
 * Known terms an unknown query term probably stands for: the closest ones within the typo distance its length
 * allows; failing that, known terms it starts with (`remboursment` → `rembours`) or, for a long term, that start
 * with it (a word being typed).
 */
function corrections(index: SearchIndex, term: string): string[] {
  if (/\p{N}/u.test(term)) return [];
  const { vocabulary } = index;
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
  const distance = fuzzyDistance(term);
  if (distance > 0) {
    const found = [...vocabulary.fuzzyGet(term, distance)].sort((a, b) => a[1][1] - b[1][1] || df(b[0]) - df(a[0]));
    if (found.length > 0) return found.slice(0, MAX_CORRECTIONS).map(([t]) => t);
  }
  for (let k = term.length - 1; k >= Math.max(5, Math.ceil(term.length * 0.6)); k--) {
    if (index.passageFrequency.has(term.slice(0, k))) return [term.slice(0, k)];
  }
  if (term.length >= 6) {
    return [...vocabulary.atPrefix(term).keys()].sort((a, b) => df(b) - df(a)).slice(0, MAX_CORRECTIONS);
  }
  return [];
}

/** The question prepared for the index: its terms, which word each comes from, and each word's weight. */
interface PreparedQuery {
  question: AnalyzedQuestion;
  terms: string[];
  termWord: Map<string, number>;
  /** Terms standing for an unknown word by its prefix: a typo's correction, not an exact match. */
  typoTerms: Set<string>;
  /** How much each word counts towards coverage. */
  wordWeight: number[];
  totalWeight: number;
  known: boolean[];
  idf: (term: string) => number;
}

function prepare(index: SearchIndex, question: AnalyzedQuestion): PreparedQuery {
  const n = Math.max(index.corpus.passages.length, 1);
  const idf = (term: string): number => {
    const df = index.passageFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const idfRare = idf('\u0000never-indexed');
  const terms: string[] = [];
  const termWord = new Map<string, number>();
  const wordWeight: number[] = [];
  const known: boolean[] = [];
  const typoTerms = new Set<string>();
  question.words.forEach((word, w) => {
    let best = 0;
    for (const t of word.terms) {
      if (!termWord.has(t)) {
        termWord.set(t, w);
        terms.push(t);
      }
      if (index.passageFrequency.has(t)) best = Math.max(best, idf(t));
    }
    if (best === 0) {
      // A word the articles never use: correct it against their vocabulary (a typo, or a misspelt inflection the
      // stemmer could not strip), so that the correction is searched like any known term.
      for (const c of corrections(index, word.terms[0]!)) {
        if (!termWord.has(c)) {
          termWord.set(c, w);
          terms.push(c);
        }
        typoTerms.add(c);
      }
    }
    known.push(best > 0);
    // A word the articles never use may be a typo or a paraphrase: it counts, but less than a known word.
    // A name or a number the articles do use is what the question is about: missing it means no answer.
    const salient = /\p{N}/u.test(word.surface) || (/^\p{Lu}/u.test(word.surface) && question.text.indexOf(word.surface) > 0);
    wordWeight.push(best > 0 ? best * (salient ? 2 : 1) : 0.5 * idfRare);
  });
  const totalWeight = wordWeight.reduce((a, b) => a + b, 0);
  return { question, terms, termWord, typoTerms, wordWeight, totalWeight, known, idf };
}

/** A passage worth reading closely, with how well the index ranked it. */
interface Hit {
  id: number;
  score: number;
}

/**
 * Candidate passages for a question. MiniSearch scores and sorts every passage holding a query term, so the
 * terms sent to it are the rarest ones, until their passages add up to a budget: a word found in most passages
 * would cost the most and rank the least (it still counts, on the candidates, for sentence choice and coverage).
 * When every known word of the question is that common, candidates come from the words' champion lists.
 */
function findCandidates(index: SearchIndex, prepared: PreparedQuery, inScope: (id: number) => boolean, filtered: boolean): Hit[] {
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
  const known = prepared.terms.filter((t) => df(t) > 0).sort((a, b) => df(a) - df(b));
  const unknown = prepared.terms.filter((t) => df(t) === 0);
  const queried = [...unknown];
  let postings = 0;
  for (const t of known) {
    if (df(t) > FREQUENT_TERM_PASSAGES || postings + df(t) > FREQUENT_TERM_PASSAGES) break;
    queried.push(t);
    postings += df(t);
  }
  const searched: Hit[] =
    queried.length === 0
      ? []
      : index.mini
          .search(queried.join(' '), {
            tokenize: (s) => s.split(' '),
            processTerm: (t) => t,
            // Typos were corrected against the vocabulary beforehand: every term here is exact.
            filter: filtered ? (r) => inScope(r.id as number) : undefined,
            boostDocument: (id) => (index.corpus.passages[id as number]!.kind === 'comment' ? COMMENT_FACTOR : 1),
          })
          .map((r) => ({ id: r.id as number, score: r.score }));
  const knownQueried = queried.length > unknown.length;
  if (knownQueried || known.length === 0) return searched;
  // Every known word is frequent: passages found in most of their champion lists first.
  const votes = new Map<number, number>();
  for (const t of known.slice(0, 3)) {
    for (const id of index.frequentTermPassages.get(t) ?? []) if (inScope(id)) votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  if (votes.size === 0) {
    // No champion in scope (a small topic): ask the index for the rarest word after all.
    return index.mini
      .search(known[0]!, { tokenize: (s) => [s], processTerm: (t) => t, filter: (r) => inScope(r.id as number) })
      .map((r) => ({ id: r.id as number, score: r.score }))
      .concat(searched);
  }
  const champions = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id, v]) => ({ id, score: v }));
  const top = Math.max(1, ...searched.map((h) => h.score));
  // Typo matches keep their place beside the champions, on the same scale.
  return [...champions, ...searched.map((h) => ({ ...h, score: (h.score / top) * 0.5 }))].sort((a, b) => b.score - a.score);
}

const titleCache = new WeakMap<SearchIndex, Map<number, readonly string[]>>();

/** Index terms of an article's title (memoized per index). */
function titleTerms(index: SearchIndex, article: number): readonly string[] {
  let byArticle = titleCache.get(index);
  if (!byArticle) titleCache.set(index, (byArticle = new Map()));
  let terms = byArticle.get(article);
  if (!terms) byArticle.set(article, (terms = tokenize(index.corpus.articles[article]!.title).flatMap((t) => [...t.terms])));
  return terms;
}

interface SentenceView {
  span: Span;
  tokens: Token[];
}

/** The sentences of a passage with their tokens (offsets into the article text). */
function sentenceViews(text: string, passage: Passage): SentenceView[] {
  return passage.sentences.map((span) => ({
    span,
    tokens: tokenize(text.slice(span.start, span.end)).map((t) => ({ ...t, start: t.start + span.start, end: t.end + span.start })),
  }));
}

function scoreSentences(
  prepared: PreparedQuery,
  matched: Map<string, WordMatch>,
  text: string,
  views: SentenceView[],
): { quote: Span; score: number; words: Set<number>; meets: boolean } {
  const score = (range: SentenceView[], position: number): { score: number; words: Set<number>; meets: boolean } => {
    const tf = new Map<number, { count: number; weight: number; term: string }>();
    for (const v of range) {
      for (const tok of v.tokens) {
        for (const term of tok.terms) {
          const m = matched.get(term);
          if (!m) continue;
          const entry = tf.get(m.word);
          if (entry) entry.count++;
          else tf.set(m.word, { count: 1, weight: m.weight, term });
          break;
        }
      }
    }
    const length = range[range.length - 1]!.span.end - range[0]!.span.start;
    const norm = K1 * (1 - B + (B * length) / PIVOT);
    let s = 0;
    for (const [word, e] of tf) {
      const w = prepared.known[word] ? prepared.idf(e.term) : prepared.wordWeight[word]!;
      s += w * e.weight * ((e.count * (K1 + 1)) / (e.count + norm));
    }
    const sentenceText = text.slice(range[0]!.span.start, range[range.length - 1]!.span.end);
    const meets = meetsCue(prepared.question.cue, sentenceText);
    s *= (meets ? 1 : CUE_MISSING_FACTOR) * (1 + 0.1 / (1 + position));
    return { score: s, words: new Set(tf.keys()), meets };
  };
  let best = { i: 0, j: 0, score: -1, words: new Set<number>(), meets: false };
  views.forEach((_, i) => {
    const r = score([views[i]!], i);
    if (r.score > best.score) best = { i, j: i, ...r };
  });
  // Add the following or preceding sentence when it brings question words the best one lacks,
  // or the kind of answer asked for (the date right after the sentence naming the event).
  const single = best;
  for (const [i, j] of [[single.i, single.i + 1], [single.i - 1, single.i]] as const) {
    if (i < 0 || j >= views.length) continue;
    if (views[j]!.span.end - views[i]!.span.start > MAX_PAIR_CHARS) continue;
    const r = score(views.slice(i, j + 1), i);
    const addsWords = [...r.words].some((w) => !single.words.has(w));
    const addsCue = r.meets && !single.meets && !best.meets;
    if (addsCue || (addsWords && r.score > best.score)) best = { i, j, ...r };
  }
  return { quote: { start: views[best.i]!.span.start, end: views[best.j]!.span.end }, score: best.score, words: best.words, meets: best.meets };
}

function highlightsIn(text: string, quote: Span, matched: Map<string, WordMatch>): Span[] {
  return tokenize(text.slice(quote.start, quote.end))
    .filter((t) => t.terms.some((term) => matched.has(term)))
    .map((t) => ({ start: t.start, end: t.end }));
}

/** The part of a question that is read: at most MAX_QUESTION_CHARS, cut at a word boundary when longer. */
export function cutQuestion(text: string): { text: string; cut: boolean } {
  if (text.length <= MAX_QUESTION_CHARS) return { text, cut: false };
  const head = sliceWhole(text, MAX_QUESTION_CHARS);
  if (/\s/u.test(text[head.length] ?? ' ')) return { text: head.trimEnd(), cut: true };
  const space = head.search(/\s\S*$/u);
  return { text: space > 0 ? head.slice(0, space).trimEnd() : head, cut: true };
}

export function ask(index: SearchIndex, questionText: string, options: AskOptions = {}): Answer {
  const { corpus } = index;
  const topic = options.topic ?? null;
  const limit = Math.max(1, options.limit ?? 3);
  const read = cutQuestion(questionText);
  const question = analyzeQuestion(read.text);
  const scope = topic === null ? null : (index.topicArticles.get(topic) ?? new Set<number>());
  const articlesSearched = scope === null ? corpus.articles.length : scope.size;
  const base: Answer = {
    question: questionText, topic, language: question.language, answered: false, hedged: false, confidence: 0,
    emptyQuestion: !/[\p{L}\p{N}]/u.test(read.text), questionCut: read.cut, results: [], unmatched: [], articlesSearched, alsoAnsweredIn: [],
  };
  if (question.words.length === 0 || articlesSearched === 0) {
    const answer = { ...base, unmatched: question.words.map((w) => w.surface) };
    if (topic !== null && question.words.length > 0 && options.suggestTopics !== false) answer.alsoAnsweredIn = otherTopicsAnswering(index, questionText, topic);
    return answer;
  }

  const prepared = prepare(index, question);
  const inScope = (id: number): boolean => scope === null || scope.has(corpus.passages[id]!.article);
  const hits = findCandidates(index, prepared, inScope, scope !== null);

  // Index terms that stand for a question word: its own terms and its corrections (those count for less).
  const resolved = new Map<string, WordMatch>();
  for (const [t, w] of prepared.termWord) resolved.set(t, { word: w, weight: prepared.typoTerms.has(t) ? FUZZY_WEIGHT : 1 });
  const resolve = (term: string): WordMatch | null => resolved.get(term) ?? null;
  // Words found somewhere in scope, for `unmatched`: exactly, from the vocabulary of the scope.
  const vocabulary = topic === null ? null : index.topicTerms.get(topic);
  const matchedWords = new Set<number>();
  for (const [t, w] of prepared.termWord) {
    if (vocabulary ? vocabulary.has(t) : index.passageFrequency.has(t)) matchedWords.add(w);
  }

  const candidates: Candidate[] = [];
  const topMini = hits[0]?.score ?? 1;
  for (const hit of hits.slice(0, CANDIDATES)) {
    const passage = corpus.passages[hit.id as number]!;
    const article = corpus.articles[passage.article]!;
    const views = sentenceViews(article.text, passage);
    // Every question word the passage holds, common ones included (they were not all sent to the index).
    const matchedTerms = new Map<string, WordMatch>();
    for (const v of views) {
      for (const tok of v.tokens) {
        for (const term of tok.terms) {
          const m = resolve(term);
          if (m) matchedTerms.set(term, m);
        }
      }
    }
    if (matchedTerms.size === 0) continue;
    /** Best match quality of each question word found in the passage or its title. */
    const context = new Map<number, number>();
    for (const m of matchedTerms.values()) context.set(m.word, Math.max(context.get(m.word) ?? 0, m.weight));
    for (const term of titleTerms(index, passage.article)) {
      const m = resolve(term);
      if (m) context.set(m.word, Math.max(context.get(m.word) ?? 0, m.weight));
    }
    const best = scoreSentences(prepared, matchedTerms, article.text, views);
    // Coverage: how much of the question the quote itself holds; words only in the rest of the paragraph or in
    // the title (what the article is about) count for part.
    let covered = 0;
    for (const [word, quality] of context) {
      const credit = best.words.has(word) ? 1 : CONTEXT_CREDIT;
      covered += prepared.wordWeight[word]! * credit * (prepared.known[word] ? quality : 1);
    }
    if (best.meets) {
      prepared.question.words.forEach((w, i) => {
        if (w.cueWord && !context.has(i)) covered += prepared.wordWeight[i]!;
      });
    }
    const coverage = covered / prepared.totalWeight;
    candidates.push({ passage, miniScore: hit.score, coverage, quote: best.quote, quoteScore: best.score, meetsCue: best.meets, matchedTerms, final: 0 });
  }
  const topQuote = Math.max(1e-9, ...candidates.map((c) => c.quoteScore));
  for (const c of candidates) {
    c.final = (c.coverage + c.quoteScore / topQuote + 0.5 * (c.miniScore / topMini)) *
      (c.passage.kind === 'comment' ? COMMENT_FACTOR : 1) * (c.meetsCue ? 1 : CUE_MISSING_FACTOR);
  }
  const unmatched = question.words.filter((_, i) => !matchedWords.has(i)).map((w) => w.surface);
  const answering = candidates.filter((c) => c.coverage >= MIN_COVERAGE).sort((a, b) => b.final - a.final);

  // Different articles first, then further passages of the same ones.
  const firsts: Candidate[] = [];
  const rest: Candidate[] = [];
  const articlesUsed = new Set<number>();
  for (const c of answering) {
    if (articlesUsed.has(c.passage.article)) rest.push(c);
    else {
      articlesUsed.add(c.passage.article);
      firsts.push(c);
    }
  }
  const results = [...firsts, ...rest].slice(0, limit).map((c) => toResult(index, c));
  const answer = { ...base, answered: results.length > 0, results, unmatched };
  if (!answer.answered && topic !== null && options.suggestTopics !== false) answer.alsoAnsweredIn = otherTopicsAnswering(index, questionText, topic);
  return answer;
}

/** Topics other than `topic` through which the same question gets an answer. */
function otherTopicsAnswering(index: SearchIndex, questionText: string, topic: string): string[] {
  return [...index.topicArticles.keys()].filter((t) => t !== topic && ask(index, questionText, { topic: t, limit: 1, suggestTopics: false }).answered);
}

function toResult(index: SearchIndex, c: Candidate): AnswerResult {
  const article = index.corpus.articles[c.passage.article]!;
  const text = article.text;
  const full = highlightsIn(text, c.quote, c.matchedTerms).map((h) => ({ start: h.start + c.quote.start, end: h.end + c.quote.start }));
  const cut = cutAroundHighlights(text, c.quote.start, c.quote.end, full);
  const highlights = full
    .filter((h) => h.start >= cut.start && h.end <= cut.end)
    .map((h) => ({ start: h.start - cut.start, end: h.end - cut.start }));
  return {
    article: article.file,
    articleHash: article.hash.slice(0, ARTICLE_HASH_CHARS),
    title: article.title,
    source: article.source,
    date: article.date,
    paragraph: c.passage.paragraph,
    kind: c.passage.kind,
    quote: text.slice(cut.start, cut.end),
    quoteStart: cut.start,
    quoteEnd: cut.end,
    cutBefore: cut.cutBefore,
    cutAfter: cut.cutAfter,
    highlights,
    score: Math.round(c.final * 1000) / 1000,
    passage: c.passage.id,
  };
}
