import type { Passage, Span } from '../corpus/index.js';
import { analyzeQuestion, tokenize, type AnswerCue, type Token } from '../language/index.js';
import { sliceWhole } from '../lib/index.js';
import type { SearchIndex } from '../index/index.js';
import { COMMENT_FACTOR, findCandidates } from './candidates.js';
import { answerProbability, decide, type DecisionFeatures } from './decision.js';
import { cueStrength, runsOn } from './kinds.js';
import { prepareQuery, SALIENT_FACTOR, type PreparedQuery } from './query.js';
import { cutAroundHighlights } from './snippet.js';
import type { Answer, AnswerResult, WorkMeter } from './types.js';
import { COST, spend } from './work.js';

export interface AskOptions {
  /** Topic asked through, or null/undefined for every topic. */
  topic?: string | null;
  /** How many results at most (default 3). */
  limit?: number;
  /** When the topic does not answer, look for the topics that do (default true). */
  suggestTopics?: boolean;
  /** Counts the work this answer does (the topics it looks through included). */
  work?: WorkMeter;
}

/** Length of `AnswerResult.articleHash`. */
const ARTICLE_HASH_CHARS = 12;
/** Questions are cut to this length: a slash command allows less anyway. */
export const MAX_QUESTION_CHARS = 500;
/** Passages read sentence by sentence after the first ranking. */
const CANDIDATES = 8;
/**
 * What one candidate may cost a question, however long its passage: sentences scored, characters read (a sentence
 * past the budget is read, and quoted, up to it). Passages are cut far below this; these hold whatever comes.
 */
const MAX_SENTENCES_READ = 48;
const MAX_CHARS_READ = 3000;
/** How far before a passage an open quotation is looked for (a long one-line paragraph would be read whole). */
const QUOTE_LOOKBACK = 2000;
/** Sentence BM25 (Lucene's unified highlighter): k1, b, and a length pivot in characters. */
const K1 = 1.2;
const B = 0.75;
const PIVOT = 87;
/** Two sentences together are quoted only while they stay this short. */
const MAX_PAIR_CHARS = 480;
/** Credit of a question word found elsewhere in the passage, or only elsewhere in the article (its title included). */
const PASSAGE_CREDIT = 0.5;
const ARTICLE_CREDIT = 0.3;
/** A quote lacking the kind of answer asked for (no date for « quand ») ranks below one that has it. */
const CUE_MISSING_FACTOR = 0.55;
/** How well a number counts for « combien de N » when N is not what it counts. */
const UNCOUNTED_NOUN_STRENGTH = 0.6;
/** Score of a passage whose article lacks a name of the question. */
const NAME_ABSENT_FACTOR = 0.5;
/** A short line without a full stop (a sub-heading, a caption) is no answer on its own. */
const HEADING_FACTOR = 0.4;
const HEADING_CHARS = 90;
/** Kinds of answer that are a value: a word naming them (« prix », « date ») is answered by the value itself. */
const VALUE_CUES: ReadonlySet<AnswerCue> = new Set<AnswerCue>([
  'date',
  'day',
  'year',
  'time',
  'price',
  'percent',
  'duration',
  'count',
  'quantity',
]);
/** How much the plain coverage of the question counts beside BM25, which favours short sentences. */
const COVERAGE_MIX = 3;

interface WordHit {
  count: number;
  quality: number;
}

interface SentenceView {
  span: Span;
  tokens: Token[];
}

/** One passage read closely: its best quote and the signals the decision needs. */
export interface Candidate {
  passage: Passage;
  quote: Span;
  score: number;
  features: DecisionFeatures;
  /** Index terms of the passage that stand for a question word (for the highlights). */
  matchedTerms: Set<string>;
  /** Its article lacks a name or a number of the question that other articles have: it is about something else. */
  nameAbsent: boolean;
}

/** The part of a question that is read: at most MAX_QUESTION_CHARS, cut at a word boundary when longer. */
export function cutQuestion(text: string): { text: string; cut: boolean } {
  if (text.length <= MAX_QUESTION_CHARS) return { text, cut: false };
  const head = sliceWhole(text, MAX_QUESTION_CHARS);
  if (/\s/u.test(text[head.length] ?? ' ')) return { text: head.trimEnd(), cut: true };
  const space = head.search(/\s\S*$/u);
  return { text: space > 0 ? head.slice(0, space).trimEnd() : head, cut: true };
}

/**
 * The sentences of a passage with their tokens (offsets into the article text), within MAX_SENTENCES_READ and
 * MAX_CHARS_READ: a sentence the budget ends in is cut at its last whole word within it.
 */
function sentenceViews(text: string, passage: Passage): SentenceView[] {
  const views: SentenceView[] = [];
  let left = MAX_CHARS_READ;
  for (const sentence of passage.sentences.slice(0, MAX_SENTENCES_READ)) {
    if (left <= 0) break;
    const span = sentence.end - sentence.start <= left ? sentence : cutSpan(text, sentence, left);
    left -= span.end - span.start;
    views.push({
      span,
      tokens: tokenize(text.slice(span.start, span.end)).map((t) => ({
        ...t,
        start: t.start + span.start,
        end: t.end + span.start,
      })),
    });
  }
  return views;
}

/** The first `max` characters of a span, back to its last white space (if any), never inside a surrogate pair. */
function cutSpan(text: string, span: Span, max: number): Span {
  const head = sliceWhole(text.slice(span.start, span.start + max), max);
  const space = head.search(/\s+\S*$/u);
  return { start: span.start, end: span.start + (space > 0 ? space : Math.max(1, head.length)) };
}

function wordHits(prepared: PreparedQuery, views: readonly SentenceView[], matched: Set<string>): Map<number, WordHit> {
  const hits = new Map<number, WordHit>();
  for (const v of views) {
    for (const tok of v.tokens) {
      let best: { word: number; quality: number } | undefined;
      for (const term of tok.terms) {
        const m = prepared.termWord.get(term);
        if (m && (!best || m.quality > best.quality)) best = m;
        if (m) matched.add(term);
      }
      if (!best) continue;
      const h = hits.get(best.word);
      if (h) {
        h.count++;
        h.quality = Math.max(h.quality, best.quality);
      } else hits.set(best.word, { count: 1, quality: best.quality });
    }
  }
  return hits;
}

/** Opening quotation marks in a piece of text, minus closing ones. */
function quoteBalance(text: string): number {
  return (text.match(/[«“]/gu) ?? []).length - (text.match(/[»”]/gu) ?? []).length;
}

/** The quotation marks open before a passage on its line, within QUOTE_LOOKBACK characters. */
function openBefore(text: string, passageStart: number): number {
  const from = Math.max(0, passageStart - QUOTE_LOOKBACK);
  const before = text.slice(from, passageStart);
  return quoteBalance(before.slice(before.lastIndexOf('\n') + 1));
}

/** When sentences i..j sit inside a « quotation » closed later in the passage: the sentence that closes it. */
function closingSentence(
  text: string,
  views: readonly SentenceView[],
  i: number,
  j: number,
  opened: number,
): number | null {
  // `opened` is counted from the start of the paragraph: a passage may begin inside a quotation opened before it.
  const open = opened + quoteBalance(text.slice(views[0]!.span.start, views[i]!.span.start + 1));
  const own = text.slice(views[i]!.span.start, views[j]!.span.end);
  if (open <= 0 && !/^[«“]/u.test(own)) return null;
  if (/[»”]/u.test(own)) return null;
  for (let k = j + 1; k < views.length; k++)
    if (/[»”]/u.test(text.slice(views[k]!.span.start, views[k]!.span.end))) return k;
  return null;
}

/**
 * For « combien de N »: the index terms that stand for N (its own, family, synonyms), or null when N is unknown.
 * A name (« combien de Home ») is counted in units or sales, not by its name: it is only required in the quote.
 */
interface CountedNoun {
  terms: ReadonlySet<string>;
  isName: boolean;
}

function countedNoun(prepared: PreparedQuery): CountedNoun | null {
  const noun = prepared.question.cueNoun[0];
  if (noun === undefined) return null;
  const word = prepared.words.find((w) => w.terms.has(noun));
  // A noun the articles never use (« exemplaires ») cannot be counted: any number will do.
  if (!word?.known) return null;
  return word.salient === null
    ? { terms: new Set(word.terms.keys()), isName: false }
    : { terms: new Set([noun]), isName: true };
}

/** A number, in digits or words (« un millier », « des centaines »). */
const COUNT_WORD = new RegExp(
  String.raw`^(?:\p{N}|(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|trente|cent|mille|milliers?` +
    '|millions?|milliards?|centaines?|dizaines?)$)',
  'iu',
);

/** Words that count a product named elsewhere in the sentence. */
const UNIT_WORD = /^(?:unités?|exemplaires?|ventes?|appareils?|copies|pièces?|terminaux|modèles?|units?|copies?)$/iu;

/**
 * Whether a number is followed, within three words, by the noun counted; for a name, also a number of units of it
 * when the name is in the same range.
 */
function countsNoun(range: readonly SentenceView[], noun: CountedNoun): boolean {
  const tokens = range.flatMap((v) => v.tokens);
  const isNoun = (t: Token): boolean => t.terms.some((term) => noun.terms.has(term));
  const counts = (isCounted: (t: Token) => boolean): boolean =>
    tokens.some((t, i) => COUNT_WORD.test(t.surface) && tokens.slice(i + 1, i + 4).some(isCounted));
  if (counts(isNoun)) return true;
  // « 3,1 millions d'unités » counts the product the sentence names.
  return noun.isName && tokens.some(isNoun) && counts((t) => UNIT_WORD.test(t.surface));
}

function isHeading(text: string): boolean {
  const t = text.trim();
  return t.length <= HEADING_CHARS && !/[.!?…»”":]$/u.test(t);
}

/**
 * Reads one candidate passage: scores each sentence (and each pair of neighbours) by the question words it holds
 * (BM25 with sentence length), the words found around it (rest of the passage, rest of the article and its title,
 * for part), and whether it holds the kind of answer asked for.
 */
function readCandidate(
  index: SearchIndex,
  prepared: PreparedQuery,
  passage: Passage,
  articleWords: ReadonlyMap<number, number>,
  work?: WorkMeter,
): Candidate | null {
  const article = index.corpus.articles[passage.article]!;
  const views = sentenceViews(article.text, passage);
  spend(work, COST.charRead * (views.length > 0 ? views[views.length - 1]!.span.end - views[0]!.span.start : 0));
  if (views.length === 0) return null;
  const matchedTerms = new Set<string>();
  const inPassage = wordHits(prepared, views, matchedTerms);
  if (inPassage.size === 0 && articleWords.size === 0) return null;
  const { words, question } = prepared;
  const isQuestionWord = (surface: string): boolean => {
    let known = prepared.nameCache.get(surface);
    if (known === undefined)
      prepared.nameCache.set(
        surface,
        (known = tokenize(surface).some((t) => t.terms.some((term) => prepared.termWord.has(term)))),
      );
    return known;
  };
  const total = Math.max(prepared.totalWeight, 1e-9);
  const counted = question.cue === 'count' ? countedNoun(prepared) : null;

  const evaluate = (i: number, j: number) => {
    const range = views.slice(i, j + 1);
    const hits = wordHits(prepared, range, new Set());
    const text = article.text.slice(range[0]!.span.start, range[range.length - 1]!.span.end);
    const norm = K1 * (1 - B + (B * text.length) / PIVOT);
    let bm25 = 0;
    let covered = 0;
    let quoteCovered = 0;
    let rarest = 0;
    let absent = 0;
    let salientAbsent = 0;
    words.forEach((w, k) => {
      const h = hits.get(k);
      if (h) {
        bm25 += w.weight * h.quality * ((h.count * (K1 + 1)) / (h.count + norm));
        covered += w.weight * h.quality;
        quoteCovered += w.weight * h.quality;
        rarest = Math.max(rarest, w.weight / (w.salient ? SALIENT_FACTOR : 1));
        return;
      }
      const p = inPassage.get(k);
      const a = articleWords.get(k);
      const credit = p ? PASSAGE_CREDIT * p.quality : a ? ARTICLE_CREDIT * a : 0;
      if (credit === 0 && w.known) {
        absent += w.weight;
        // Names only: a number is often written otherwise (« 1 an », « un an »).
        if (w.salient === 'name') salientAbsent = 1;
      }
      bm25 += w.weight * credit;
      covered += w.weight * credit;
    });
    let strength = cueStrength(question.cue, text, isQuestionWord);
    // « combien de clients »: a number of clients answers better than any other number.
    if (strength > 0 && counted !== null && !countsNoun(range, counted)) strength *= UNCOUNTED_NOUN_STRENGTH;
    const meets = strength > 0;
    if (meets && VALUE_CUES.has(question.cue)) {
      // A word naming the kind of answer (« prix », « date ») is answered by the value, not by the word.
      words.forEach((w, k) => {
        if (w.cueWord && !hits.has(k)) covered += w.weight * (1 - (inPassage.has(k) ? PASSAGE_CREDIT : 0));
      });
    }
    let score =
      (bm25 + COVERAGE_MIX * covered) *
      (CUE_MISSING_FACTOR + (1 - CUE_MISSING_FACTOR) * strength) *
      (1 + 0.05 / (1 + i));
    // A sub-heading or a caption alone is no answer.
    if (i === j && views.length === 1 && isHeading(text)) score *= HEADING_FACTOR;
    return { score, covered, quoteCovered, rarest, meets, hits, absent, salientAbsent, strength };
  };

  let bestI = 0;
  let best = evaluate(0, 0);
  for (let i = 1; i < views.length; i++) {
    const r = evaluate(i, i);
    if (r.score > best.score) {
      best = r;
      bestI = i;
    }
  }
  let bestJ = bestI;
  // Add the next or previous sentence when it brings the kind of answer the best one lacks, question words it
  // lacks, or (for « pourquoi », « comment ») the rest of an answer that runs on.
  const single = best;
  for (const [i, j] of [
    [bestI, bestI + 1],
    [bestI - 1, bestI],
  ] as const) {
    if (i < 0 || j >= views.length) continue;
    if (views[j]!.span.end - views[i]!.span.start > MAX_PAIR_CHARS) continue;
    const r = evaluate(i, j);
    const addsCue = r.strength > single.strength;
    const addsWords = [...r.hits.keys()].some((k) => !single.hits.has(k));
    const runOn =
      runsOn(question.cue) &&
      j === bestI + 1 &&
      /[:,]\s*$|(?<!\p{L})(?:car|mais|donc|ainsi)\s*$/u.test(
        article.text.slice(views[i]!.span.start, views[i]!.span.end),
      );
    if (addsCue || runOn || (addsWords && r.score > best.score * 1.1)) {
      best = r;
      bestI = i;
      bestJ = j;
    }
  }
  const opened = best.strength < 1 && question.cue !== null ? openBefore(article.text, views[0]!.span.start) : 0;
  if (best.strength < 1 && question.cue !== null) {
    // A sentence inside a quotation: who said it, and when, comes after the closing mark (« … », a tweeté X).
    const close = closingSentence(article.text, views, bestI, bestJ, opened);
    if (close !== null && views[close]!.span.end - views[bestI]!.span.start <= MAX_PAIR_CHARS) {
      const r = evaluate(bestI, close);
      if (r.strength > best.strength) {
        best = r;
        bestJ = close;
      }
    }
  }
  if (best.strength < 1 && question.cue !== null) {
    // Another quoted sentence may answer better once the words after its closing mark are read with it.
    for (let i = 0; i < views.length; i++) {
      if (i >= bestI && i <= bestJ) continue;
      const close = closingSentence(article.text, views, i, i, opened);
      if (close === null || views[close]!.span.end - views[i]!.span.start > MAX_PAIR_CHARS) continue;
      const r = evaluate(i, close);
      if (r.strength > best.strength && r.score > best.score) {
        best = r;
        bestI = i;
        bestJ = close;
      }
    }
  }
  if (passage.kind === 'comment') best.score *= COMMENT_FACTOR;
  // An article without one of the question's names is about something else: any article with them ranks first.
  if (best.salientAbsent === 1) best.score *= NAME_ABSENT_FACTOR;
  return {
    passage,
    quote: { start: views[bestI]!.span.start, end: views[bestJ]!.span.end },
    score: best.score,
    matchedTerms,
    nameAbsent: best.salientAbsent === 1,
    features: {
      coverage: Math.min(1, best.covered / total),
      quoteCoverage: Math.min(1, best.quoteCovered / total),
      // For « combien de N », only a number of N holds the value asked for (`ruledOut` reads this).
      meetsCue: best.meets && (counted === null || best.strength >= 1) ? 1 : 0,
      margin: 0,
      unknownShare: words.reduce((a, w) => a + (w.known ? 0 : w.weight), 0) / total,
      absentShare: best.absent / total,
      rarest: Math.min(1, best.rarest / prepared.idfRare),
    },
  };
}

/** Everything `ask` weighs, before the decision: for the evaluation and the decision's fitting script. */
export interface Ranking {
  prepared: PreparedQuery;
  candidates: Candidate[];
  /** Question words in no article of the scope. */
  unmatched: string[];
  articlesSearched: number;
  /**
   * A name or a number of the question is in no article of the scope (« PlayStation »): then no passage answers,
   * however close its other words.
   */
  missingName: boolean;
}

export function rank(index: SearchIndex, questionText: string, topic: string | null, work?: WorkMeter): Ranking {
  const { corpus } = index;
  const read = cutQuestion(questionText).text;
  spend(work, COST.question + COST.questionChar * read.length);
  const question = analyzeQuestion(read);
  const prepared = prepareQuery(index, question, work);
  const scope = topic === null ? null : (index.topicArticles.get(topic) ?? new Set<number>());
  const articlesSearched = scope === null ? corpus.articles.length : scope.size;
  const vocabulary = topic === null ? null : index.topicTerms.get(topic);
  const inVocabulary = (t: string): boolean => (vocabulary ? vocabulary.has(t) : index.passageFrequency.has(t));
  const unmatched = prepared.words.filter((w) => ![...w.terms.keys()].some(inVocabulary)).map((w) => w.surface);
  if (prepared.words.length === 0 || articlesSearched === 0)
    return { prepared, candidates: [], unmatched, articlesSearched, missingName: false };

  const inScope = (id: number): boolean => scope === null || scope.has(corpus.passages[id]!.article);
  const { passages, articleWords } = findCandidates(
    index,
    prepared,
    inScope,
    vocabulary ?? null,
    (article) => index.titleTerms.of(article),
    CANDIDATES,
    work,
  );
  // A name is found by its own term or a longer name, family member or correction of it; the parts of a
  // CamelCase name alone (PlayStation → station) do not count.
  const missingName = prepared.words.some((w, k) => {
    const own = prepared.question.words[k]!.terms[0];
    return w.salient !== null && ![...w.terms].some(([t, q]) => (q < 1 || t === own) && inVocabulary(t));
  });
  const candidates: Candidate[] = [];
  for (const id of passages) {
    const passage = corpus.passages[id]!;
    const c = readCandidate(index, prepared, passage, articleWords.get(passage.article) ?? new Map(), work);
    if (c) candidates.push(c);
  }
  candidates.sort((a, b) => b.score - a.score || a.passage.id - b.passage.id);
  candidates.forEach((c, i) => {
    const next = candidates.find((o, k) => k > i && o.passage.id !== c.passage.id);
    c.features.margin = next && c.score > 0 ? Math.max(0, 1 - next.score / c.score) : 1;
  });
  return { prepared, candidates, unmatched, articlesSearched, missingName };
}

/**
 * What decides before the model: a name or number of the question in no article, or a name the best passage's
 * article lacks (the question is about something the articles do not cover), or a value asked for (a date, a
 * price, a number) that none of the three best passages holds, counting only passages whose article has the
 * question's names.
 */
export function ruledOut(ranking: Ranking): boolean {
  const top = ranking.candidates[0];
  if (!top || ranking.missingName || top.nameAbsent) return true;
  return (
    VALUE_CUES.has(ranking.prepared.question.cue) &&
    ranking.candidates.slice(0, 3).every((c) => c.features.meetsCue === 0 || c.nameAbsent)
  );
}

export function ask(index: SearchIndex, questionText: string, options: AskOptions = {}): Answer {
  const topic = options.topic ?? null;
  const limit = Math.max(1, options.limit ?? 3);
  const read = cutQuestion(questionText);
  const ranking = rank(index, questionText, topic, options.work);
  const definitions = index.corpus.topics;
  const definition = topic === null ? definitions.find((t) => t.example) : definitions.find((t) => t.name === topic);
  const base: Answer = {
    question: questionText,
    topic,
    exampleQuestion: definition?.example ?? (definition ? `Que disent les articles sur ${definition.label} ?` : null),
    language: ranking.prepared.question.language,
    answered: false,
    hedged: false,
    confidence: 0,
    emptyQuestion: !/[\p{L}\p{N}]/u.test(read.text),
    questionCut: read.cut,
    results: [],
    unmatched: ranking.unmatched,
    articlesSearched: ranking.articlesSearched,
    alsoAnsweredIn: [],
  };
  const top = ranking.candidates[0];
  const confidence = top ? answerProbability(top.features) : 0;
  const decision = top && !ruledOut(ranking) ? decide(confidence) : 'none';
  if (decision === 'none') {
    if (topic !== null && ranking.prepared.words.length > 0 && options.suggestTopics !== false)
      base.alsoAnsweredIn = otherTopicsAnswering(index, questionText, topic, options.work);
    return base;
  }
  // Best first, whatever their article: the next passage of the same article is often the one that answers.
  const results = ranking.candidates.slice(0, limit).map((c) => toResult(index, c));
  return {
    ...base,
    answered: true,
    hedged: decision === 'hedged',
    confidence: Math.round(confidence * 1000) / 1000,
    results,
  };
}

/** Topics other than `topic` through which the same question gets an answer. */
function otherTopicsAnswering(index: SearchIndex, questionText: string, topic: string, work?: WorkMeter): string[] {
  return [...index.topicArticles.keys()].filter(
    (t) => t !== topic && ask(index, questionText, { topic: t, limit: 1, suggestTopics: false, work }).answered,
  );
}

function highlightsIn(text: string, quote: Span, matched: ReadonlySet<string>): Span[] {
  return tokenize(text.slice(quote.start, quote.end))
    .filter((t) => t.terms.some((term) => matched.has(term)))
    .map((t) => ({ start: t.start + quote.start, end: t.end + quote.start }));
}

/**
 * A quote narrowed so it does not end on a closing quotation mark it never opened (`2020. ” `), nor start on an
 * opening one it never closes: still a substring of the article, one without a stray mark.
 */
export function trimUnbalancedQuotes(text: string, quote: Span): Span {
  let { start, end } = quote;
  const count = (re: RegExp): number => (text.slice(start, end).match(re) ?? []).length;
  for (let guard = 0; guard < 3; guard++) {
    const tail = /\s*[”»]\s*$/u.exec(text.slice(start, end));
    if (tail && count(/[”»]/gu) > count(/[“«]/gu)) end -= tail[0].length;
    else if (/"\s*$/u.test(text.slice(start, end)) && count(/"/gu) % 2 === 1)
      end = start + text.slice(start, end).replace(/\s*"\s*$/u, '').length;
    else break;
  }
  for (let guard = 0; guard < 3; guard++) {
    const head = /^\s*[“«]\s*/u.exec(text.slice(start, end));
    if (head && count(/[“«]/gu) > count(/[”»]/gu)) start += head[0].length;
    else break;
  }
  return end > start ? { start, end } : quote;
}

function toResult(index: SearchIndex, c: Candidate): AnswerResult {
  const article = index.corpus.articles[c.passage.article]!;
  const text = article.text;
  const quote = trimUnbalancedQuotes(text, c.quote);
  const full = highlightsIn(text, quote, c.matchedTerms);
  const cut = cutAroundHighlights(text, quote.start, quote.end, full);
  const highlights = full
    .filter((h) => h.start >= cut.start && h.end <= cut.end)
    .map((h) => ({ start: h.start - cut.start, end: h.end - cut.start }));
  return {
    article: article.file,
    articleHash: article.hash.slice(0, ARTICLE_HASH_CHARS),
    title: article.title,
    source: article.source,
    date: article.date,
    url: article.url,
    paragraph: c.passage.paragraph,
    kind: c.passage.kind,
    quote: text.slice(cut.start, cut.end),
    quoteStart: cut.start,
    quoteEnd: cut.end,
    cutBefore: cut.cutBefore,
    cutAfter: cut.cutAfter,
    highlights,
    score: Math.round(c.score * 1000) / 1000,
    passage: c.passage.id,
  };
}
