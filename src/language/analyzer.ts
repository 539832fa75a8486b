import { stemmer } from '@orama/stemmers/french';
import { eng as ENGLISH_STOP_WORDS, fra as FRENCH_STOP_WORDS } from 'stopword';

/**
 * The French analyzer, the same for index and question: split on anything that is not a letter or a digit
 * (apostrophes and hyphens split words), drop elisions and stop words, lowercase, stem (Snowball), fold accents.
 * Decimal numbers stay whole (99,99 → 99.99), and hashtags or CamelCase words are also indexed as their parts.
 */

/** Bump when the analysis changes: a snapshot built with another version is rebuilt. */
export const ANALYZER_VERSION = 5;

/** Elided words (`l’`, `qu’`, `jusqu’`…): never meaningful on their own. */
const ELISIONS = ['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'quelqu'];
/** Interrogatives and connectives the Snowball list leaves in; questions are full of them. */
const EXTRA_FRENCH_STOP_WORDS = [
  'combien', 'quand', 'comment', 'pourquoi', 'lequel', 'laquelle', 'lesquels', 'lesquelles', 'dont', 'ça', 'cela',
  'ceux', 'celle', 'celles', 'celui', 'donc', 'alors', 'aussi', 'très', 'plus', 'moins', 'tout', 'tous', 'toute',
  'toutes', 'y', 'ni', 'car', 'or', 'si', 'bien', 'encore', 'déjà', 'chez', 'vers', 'entre', 'sous', 'selon', 'dit',
  'après', 'avant', 'depuis', 'pendant', 'lors', 'contre', 'parmi', 'malgré', 'toutefois', 'cependant', 'ainsi',
  'autant', 'seulement', 'notamment', 'vraiment', 'autre', 'autres', 'puis', 'où',
];

const FRENCH_STOPS = new Set<string>([...FRENCH_STOP_WORDS, ...ELISIONS, ...EXTRA_FRENCH_STOP_WORDS].map(fold));
const ENGLISH_STOPS = new Set<string>([
  ...ENGLISH_STOP_WORDS,
  'what', 'when', 'where', 'who', 'whom', 'which', 'why', 'how', 'did', 'does', 'do', 'is', 'are', 'was', 'were',
  'much', 'many', 'its', 'it', 'the', 'of', 'to', 'and', 'or', 'a', 'an', 'in', 'on', 'at', 'for', 'by', 'with',
].map(fold));

export function isFrenchStopWord(lower: string): boolean {
  return FRENCH_STOPS.has(fold(lower));
}

export function isEnglishStopWord(lower: string): boolean {
  return ENGLISH_STOPS.has(fold(lower));
}

/** Removes diacritics (é → e, œ → oe): applied after stemming, because Snowball reads accents. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

const WORD = /\p{N}+(?:[.,]\p{N}+)+(?![\p{L}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;
const NUMBER = /^\p{N}+(?:[.,]\p{N}+)*$/u;
const HAS_DIGIT = /\p{N}/u;
const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})/u;

export interface Token {
  /** The word as written. */
  surface: string;
  start: number;
  end: number;
  /** Index terms of the word (one usually; a few for decimals, accented words and CamelCase). */
  terms: readonly string[];
}

/** `index` adds the alternative forms an indexed word may be searched by; `query` keeps each word's own form. */
export type AnalysisMode = 'index' | 'query';

function stemWord(lower: string, mode: AnalysisMode): string[] {
  if (HAS_DIGIT.test(lower)) return [lower];
  const folded = fold(lower);
  if (folded === lower) return [stemmer(lower)];
  // Snowball stems accented and unaccented spellings differently (sécurité → sécur, securite → securit):
  // the index holds both forms, a question uses the one its spelling gives.
  const accented = fold(stemmer(lower));
  if (mode === 'query') return [accented];
  const plain = stemmer(folded);
  return plain === accented ? [accented] : [accented, plain];
}

/** Stemming is the costly step of analysis and words repeat: memoize, bounded. */
const MEMO_LIMIT = 200_000;
const memo: Record<AnalysisMode, Map<string, readonly string[]>> = { index: new Map(), query: new Map() };

/** Index terms of one word as written, or [] for a stop word. The array is shared: do not mutate it. */
export function termsOfWord(surface: string, mode: AnalysisMode): readonly string[] {
  const cache = memo[mode];
  let terms = cache.get(surface);
  if (terms === undefined) {
    if (cache.size >= MEMO_LIMIT) cache.clear();
    terms = computeTerms(surface, mode);
    cache.set(surface, terms);
  }
  return terms;
}

function computeTerms(surface: string, mode: AnalysisMode): string[] {
  const lower = surface.toLowerCase();
  // Combining marks alone (an orphan accent) are no word.
  if (!/[\p{L}\p{N}]/u.test(lower)) return [];
  if (NUMBER.test(lower)) {
    const normalized = lower.replace(/,/g, '.');
    const whole = normalized.split('.')[0]!;
    return mode === 'index' && whole !== normalized ? [normalized, whole] : [normalized];
  }
  if (isFrenchStopWord(lower)) return [];
  const terms = stemWord(lower, mode).filter((t) => t !== '');
  const parts = surface.split(CAMEL_BOUNDARY);
  if (parts.length > 1) {
    for (const part of parts) {
      for (const t of termsOfWord(part, mode)) if (!terms.includes(t)) terms.push(t);
    }
  }
  return terms;
}

/** Words of a text with their offsets and index terms; stop words and elisions are left out. */
export function tokenize(text: string, mode: AnalysisMode = 'index'): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const surface = m[0];
    const terms = termsOfWord(surface, mode);
    if (terms.length > 0) tokens.push({ surface, start: m.index, end: m.index + surface.length, terms });
  }
  return tokens;
}

/** Flat list of index terms of a text (what MiniSearch indexes). */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) for (const t of termsOfWord(m[0], 'index')) out.push(t);
  return out;
}
