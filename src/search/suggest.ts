import { fold, isFrenchStopWord, termsOfWord } from './analyzer.js';
import { ask } from './answer.js';
import type { SearchIndex } from './search-index.js';
import { sliceWhole } from './text-cut.js';

/** Autocomplete choices are at most this long (Discord's limit for a choice). */
export const MAX_SUGGESTION = 100;
const MAX_SUGGESTIONS = 25;
/** Suggestions are checked to have an answer; bounded so autocomplete stays far below Discord's 3 s. */
const MAX_CHECKS = 40;

interface Phrase {
  text: string;
  folded: string;
  count: number;
  topics: string[];
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*/gu;
/** Passages per article mined for phrases: the top of an article says what it is about, and it bounds the work. */
const PASSAGES_PER_ARTICLE = 8;

/**
 * Phrases of the articles a person would type: runs of one to three words that neither start nor end with a
 * stop word (« enceinte connectée », « point relais », « Deutsch Telekom »), ranked by how often they occur.
 */
function phrasesOf(index: SearchIndex): Phrase[] {
  const byKey = new Map<string, Phrase>();
  const seenPerArticle = new Map<number, number>();
  for (const p of index.corpus.passages) {
    if (p.kind === 'comment') continue;
    const n = seenPerArticle.get(p.article) ?? 0;
    if (n >= PASSAGES_PER_ARTICLE) continue;
    seenPerArticle.set(p.article, n + 1);
    const article = index.corpus.articles[p.article]!;
    for (const s of p.sentences) {
      const text = article.text.slice(s.start, s.end);
      const words = [...text.matchAll(WORD)];
      for (let i = 0; i < words.length; i++) {
        for (let n = 1; n <= 3 && i + n <= words.length; n++) {
          const first = words[i]!;
          const last = words[i + n - 1]!;
          // Only words separated by single spaces form a phrase (no punctuation inside).
          const span = text.slice(first.index, last.index + last[0].length);
          if (n > 1 && !/^[^\s,;:.!?()«»"]+(?: [^\s,;:.!?()«»"]+)*$/u.test(span)) break;
          const edge = (w: string): boolean => /\p{N}/u.test(w) || (w.length > 2 && !isFrenchStopWord(w.toLowerCase()) && termsOfWord(w, 'query').length > 0);
          if (!edge(first[0]) || !edge(last[0]) || span.length > 60) continue;
          if (n === 1 && (first[0].length < 4 || /\p{N}/u.test(first[0]))) continue;
          const folded = fold(span.toLowerCase());
          let phrase = byKey.get(folded);
          if (!phrase) byKey.set(folded, (phrase = { text: span, folded, count: 0, topics: [] }));
          phrase.count++;
          for (const t of article.topics) if (!phrase.topics.includes(t)) phrase.topics.push(t);
        }
      }
    }
  }
  // Longer phrases read better as suggestions; frequent ones are what articles are about.
  return [...byKey.values()].sort((a, b) => b.count * (1 + a.text.split(' ').length) - a.count * (1 + b.text.split(' ').length) || a.text.localeCompare(b.text));
}

const cache = new WeakMap<SearchIndex, Phrase[]>();

/** Mines the phrases of an index ahead of the first autocomplete (after start-up and after each reindex). */
export function warmSuggestions(index: SearchIndex): void {
  if (!cache.has(index)) cache.set(index, phrasesOf(index));
}

function cutChoice(text: string): string {
  if (text.length <= MAX_SUGGESTION) return text;
  const cut = sliceWhole(text, MAX_SUGGESTION);
  const space = cut.lastIndexOf(' ');
  return space > 20 ? cut.slice(0, space) : cut;
}

/**
 * Autocomplete for a question being typed: the typed text completed with phrases of the articles whose
 * beginning matches the word being typed, keeping only suggestions that get an answer. Never throws.
 */
export function suggest(index: SearchIndex, typed: string, topic: string | null, limit = MAX_SUGGESTIONS): string[] {
  let phrases = cache.get(index);
  if (!phrases) cache.set(index, (phrases = phrasesOf(index)));
  const inTopic = topic === null ? phrases : phrases.filter((p) => p.topics.includes(topic));
  const text = sliceWhole(typed.replace(/\s+/gu, ' ').trimStart(), MAX_SUGGESTION);
  const m = /^(.*?)([\p{L}\p{N}-]*)$/u.exec(text);
  const head = m?.[1] ?? '';
  const partial = fold((m?.[2] ?? '').toLowerCase());
  const candidates: string[] = [];
  if (text.trim().length > 0) candidates.push(text.trim());
  for (const p of inTopic) {
    if (partial ? !p.folded.startsWith(partial) : !p.text.includes(' ')) continue;
    candidates.push(cutChoice(`${head}${p.text}`));
    if (candidates.length >= MAX_CHECKS) break;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const key = fold(c.toLowerCase());
    if (seen.has(key) || c.length === 0) continue;
    seen.add(key);
    if (ask(index, c, { topic, limit: 1, suggestTopics: false }).answered) out.push(c);
    if (out.length >= limit) break;
  }
  return out;
}
