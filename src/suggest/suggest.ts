import { fold, isFrenchStopWord, termsOfWord } from '../language/index.js';
import { ask, type WorkMeter } from '../answer/index.js';
import type { SearchIndex } from '../index/index.js';
import { runNow, SlicedRun, sliceWhole } from '../lib/index.js';

/** Autocomplete choices are at most this long (Discord's limit for a choice). */
const MAX_SUGGESTION = 100;
const MAX_SUGGESTIONS = 25;
/** Suggestions are checked to have an answer; bounded so autocomplete stays far below Discord's 3 s. */
const MAX_CHECKS = 40;
/**
 * Answer work one autocomplete may do checking its suggestions, in WorkMeter units (about 6 ms): it runs on the
 * event loop every member's questions share, at every keystroke. The checks go in rank order and stop before one
 * that would overrun (as costly as the average so far): the choices are then the first of the ranking's.
 */
export const CHECK_BUDGET = 6000;
/** Phrases are listed by their first characters (folded), up to this many: a prefix finds its phrases at once. */
const PREFIX_CHARS = 4;

interface Phrase {
  text: string;
  folded: string;
  count: number;
  topics: string[];
  /** Pieces between single spaces: a longer phrase needs more uses to rank as high. */
  length: number;
}

/** A word of a phrase as shown: unlike the analyzer's words, a hyphenated compound (« Wi-Fi ») stays one. */
const PHRASE_WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*/gu;
/** Passages per article mined for phrases: the top of an article says what it is about, and it bounds the work. */
const PASSAGES_PER_ARTICLE = 8;
/**
 * Articles mined at most, spread evenly over the corpus: phrase counts of a few thousand articles rank the common
 * phrases as well as all of them would, and mining stays a bounded piece of work however large the corpus grows.
 */
const MAX_ARTICLES_MINED = 2000;
/** Phrases kept, the best ranked: what an autocomplete can use, without holding every phrase of the corpus. */
const MAX_PHRASES = 20_000;
/** Passages mined between two pauses when mining in slices. */
const SLICE_PASSAGES = 40;
/**
 * What may not stand between two words of a phrase: punctuation, two spaces, or a space that is not a plain one
 * (one plain space, or marks inside a word as in aujourd’hui, may).
 */
const BAD_SEPARATOR = /[,;:.!?()«»"]|\s\s|[^\S ]/u;
const HAS_DIGIT = /\p{N}/u;

/**
 * Frequent phrases first; a phrase of more pieces needs more uses to rank as high. Ties keep the order in which the
 * phrases were first met (the sort is stable), which is cheaper than comparing texts and as deterministic.
 */
const byRank = (a: Phrase, b: Phrase): number => b.count * (1 + a.length) - a.count * (1 + b.length);
const score = (p: Phrase): number => p.count / (1 + p.length);

/**
 * Phrases of the articles a person would type: runs of one to three words that neither start nor end with a
 * stop word (« enceinte connectée », « point relais », « Deutsch Telekom »), ranked by how often they occur.
 * A generator, so that mining can pause between slices of passages.
 */
function* minePhrases(
  index: SearchIndex,
  limits = { articles: MAX_ARTICLES_MINED, phrases: MAX_PHRASES },
): Generator<void, Phrase[]> {
  const { articles, passages } = index.corpus;
  const every = Math.max(1, Math.ceil(articles.length / limits.articles));
  const byKey = new Map<string, Phrase>();
  const minedPerArticle = new Int32Array(articles.length);
  // Per distinct word or separator: whether a phrase may start or end with it, and its folded form.
  const edges = new Map<string, boolean>();
  const folds = new Map<string, string>();
  const isEdge = (w: string): boolean => {
    let e = edges.get(w);
    if (e === undefined)
      edges.set(
        w,
        (e =
          HAS_DIGIT.test(w) ||
          (w.length > 2 && !isFrenchStopWord(w.toLowerCase()) && termsOfWord(w, 'query').length > 0)),
      );
    return e;
  };
  const folded = (w: string): string => {
    let f = folds.get(w);
    if (f === undefined) folds.set(w, (f = fold(w.toLowerCase())));
    return f;
  };
  let mined = 0;
  for (const p of passages) {
    if (p.kind === 'comment' || p.article % every !== 0 || minedPerArticle[p.article]! >= PASSAGES_PER_ARTICLE)
      continue;
    minedPerArticle[p.article]!++;
    const article = articles[p.article]!;
    for (const s of p.sentences) {
      const text = article.text.slice(s.start, s.end);
      const words = [...text.matchAll(PHRASE_WORD)];
      for (let i = 0; i < words.length; i++) {
        const first = words[i]!;
        // The key folds word by word, which equals folding the whole span (for French; Greek final sigma aside).
        let key = folded(first[0]);
        for (let n = 1; n <= 3 && i + n <= words.length; n++) {
          const last = words[i + n - 1]!;
          if (n > 1) {
            // Only words separated by single spaces form a phrase (no punctuation inside).
            const before = words[i + n - 2]!;
            const separator = text.slice(before.index + before[0].length, last.index);
            if (separator !== ' ' && BAD_SEPARATOR.test(separator)) break;
            key += folded(separator) + folded(last[0]);
          }
          const end = last.index + last[0].length;
          if (!isEdge(first[0]) || !isEdge(last[0]) || end - first.index > 60) continue;
          if (n === 1 && (first[0].length < 4 || HAS_DIGIT.test(first[0]))) continue;
          let phrase = byKey.get(key);
          if (!phrase) {
            const span = text.slice(first.index, end);
            byKey.set(
              key,
              (phrase = { text: span, folded: key, count: 0, topics: [], length: span.split(' ').length }),
            );
          }
          phrase.count++;
          for (const t of article.topics) if (!phrase.topics.includes(t)) phrase.topics.push(t);
        }
      }
    }
    if (++mined % SLICE_PASSAGES === 0) yield;
  }
  let kept = [...byKey.values()];
  byKey.clear();
  yield;
  if (kept.length > limits.phrases) {
    // The best ones without sorting them all: the score they must reach, then ties in mining order.
    const scores = Float64Array.from(kept, score).sort();
    const threshold = scores[scores.length - limits.phrases]!;
    yield;
    const above = kept.filter((p) => score(p) > threshold);
    for (const p of kept) {
      if (above.length >= limits.phrases) break;
      if (score(p) === threshold) above.push(p);
    }
    kept = above;
    yield;
  }
  return kept.sort(byRank);
}

/** The ranked phrases of an index, listed by prefix for each topic (null: every topic). */
interface PhraseBook {
  phrases: Phrase[];
  /** Per topic: folded prefix (1 to PREFIX_CHARS characters) → phrase numbers, best ranked first. */
  byPrefix: Map<string | null, Map<string, number[]>>;
  /** Per topic: the phrases of several words, best ranked first (offered when no word is being typed). */
  several: Map<string | null, number[]>;
}

/** Phrases listed between two pauses when building the prefix lists in slices. */
const SLICE_PHRASES = 2000;

function* listPhrases(phrases: Phrase[]): Generator<void, PhraseBook> {
  const book: PhraseBook = { phrases, byPrefix: new Map(), several: new Map() };
  const append = <K>(map: Map<K, number[]>, key: K, n: number): void => {
    const list = map.get(key);
    if (list) list.push(n);
    else map.set(key, [n]);
  };
  for (let n = 0; n < phrases.length; n++) {
    const p = phrases[n]!;
    for (const topic of [null, ...p.topics]) {
      let prefixes = book.byPrefix.get(topic);
      if (!prefixes) book.byPrefix.set(topic, (prefixes = new Map()));
      for (let k = 1; k <= Math.min(PREFIX_CHARS, p.folded.length); k++) append(prefixes, p.folded.slice(0, k), n);
      if (p.text.includes(' ')) append(book.several, topic, n);
    }
    if (n % SLICE_PHRASES === SLICE_PHRASES - 1) yield;
  }
  return book;
}

function* bookOf(index: SearchIndex): Generator<void, PhraseBook> {
  return yield* listPhrases(yield* minePhrases(index));
}

const books = new WeakMap<SearchIndex, SlicedRun<PhraseBook>>();

/** Mines phrases to the end on this thread (tests pass smaller limits). */
export function minePhrasesNow(
  index: SearchIndex,
  limits?: { articles: number; phrases: number },
): readonly Readonly<Phrase>[] {
  return runNow(minePhrases(index, limits));
}

/** The phrase book of an index, mined in slices from the first time it is asked for (again after a failure). */
function bookRun(index: SearchIndex): SlicedRun<PhraseBook> {
  let run = books.get(index);
  if (!run || run.failed) books.set(index, (run = new SlicedRun(bookOf(index))));
  return run;
}

/** The phrase book now: an autocomplete while start-up still mines finishes the mining (once) on its turn. */
function phrasesOf(index: SearchIndex): PhraseBook {
  return bookRun(index).now();
}

/** Mines the phrases of an index at once, ahead of the first autocomplete. */
export function warmSuggestions(index: SearchIndex): void {
  phrasesOf(index);
}

/**
 * The same, a slice at a time, yielding to the event loop in between: at start-up while the bot connects, and for a
 * new index while the old one serves.
 */
export function warmSuggestionsInSlices(index: SearchIndex): Promise<void> {
  return bookRun(index).done.then(() => {});
}

/** Phrases of the topic that complete `partial` (folded), best ranked first; if it is empty, those of several words. */
function* completing(book: PhraseBook, topic: string | null, partial: string): Generator<Phrase> {
  const numbers = partial ? book.byPrefix.get(topic)?.get(partial.slice(0, PREFIX_CHARS)) : book.several.get(topic);
  for (const n of numbers ?? []) {
    const p = book.phrases[n]!;
    if (partial.length <= PREFIX_CHARS || p.folded.startsWith(partial)) yield p;
  }
}

function cutChoice(text: string): string {
  if (text.length <= MAX_SUGGESTION) return text;
  const cut = sliceWhole(text, MAX_SUGGESTION);
  const space = cut.lastIndexOf(' ');
  return space > 20 ? cut.slice(0, space) : cut;
}

/**
 * Autocomplete for a question being typed: the typed text completed with phrases of the articles whose
 * beginning matches the word being typed, keeping only suggestions that get an answer, as many as CHECK_BUDGET
 * allows. Never throws. `work`, when given, counts the answer work done.
 */
export function suggest(
  index: SearchIndex,
  typed: string,
  topic: string | null,
  limit = MAX_SUGGESTIONS,
  work: WorkMeter = { units: 0 },
): string[] {
  const book = phrasesOf(index);
  const text = sliceWhole(typed.replace(/\s+/gu, ' ').trimStart(), MAX_SUGGESTION);
  const m = /^(.*?)([\p{L}\p{N}-]*)$/u.exec(text);
  const head = m?.[1] ?? '';
  const partial = fold((m?.[2] ?? '').toLowerCase());
  const candidates: string[] = [];
  if (text.trim().length > 0) candidates.push(text.trim());
  for (const p of completing(book, topic, partial)) {
    if (candidates.length >= MAX_CHECKS) break;
    candidates.push(cutChoice(`${head}${p.text}`));
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const start = work.units;
  let checks = 0;
  for (const c of candidates) {
    const key = fold(c.toLowerCase());
    if (seen.has(key) || c.length === 0) continue;
    seen.add(key);
    const spent = work.units - start;
    if (checks > 0 && spent + spent / checks > CHECK_BUDGET) break;
    if (ask(index, c, { topic, limit: 1, suggestTopics: false, work }).answered) out.push(c);
    checks++;
    if (out.length >= limit) break;
  }
  return out;
}
