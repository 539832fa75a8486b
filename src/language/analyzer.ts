import { stemmer } from '@orama/stemmers/french';
import { eng as ENGLISH_STOP_WORDS, fra as FRENCH_STOP_WORDS } from 'stopword/dist/stopword.esm.mjs';
import { FAMILY_RULES, NUMBER_WORDS, SYNONYM_GROUPS } from './lexicons.js';
import { ownString } from '../lib/index.js';

/**
 * The French analyzer, the same for index and question: split on anything that is not a letter or a digit
 * (apostrophes and hyphens split words), drop elisions and stop words, lowercase, stem (Snowball), fold accents.
 * Decimal numbers stay whole (99,99 → 99.99), so do numbers written in groups of three (118 000 → 118000, as is 118k);
 * number words are read as digits (deux → 2); hashtags or CamelCase words are also indexed as their parts.
 */

/** Bump when the analysis changes: a snapshot built with another version is rebuilt. */
export const ANALYZER_VERSION = 7;

/** Elided words (`l’`, `qu’`, `jusqu’`…): never meaningful on their own. */
const ELISIONS = [
  'l',
  'd',
  'j',
  'm',
  'n',
  's',
  't',
  'c',
  'qu',
  'jusqu',
  'lorsqu',
  'puisqu',
  'quoiqu',
  'presqu',
  'quelqu',
];
/** Interrogatives and connectives the Snowball list leaves in; questions are full of them. */
const EXTRA_FRENCH_STOP_WORDS = [
  'combien',
  'quand',
  'comment',
  'pourquoi',
  'lequel',
  'laquelle',
  'lesquels',
  'lesquelles',
  'dont',
  'ça',
  'cela',
  'ceux',
  'celle',
  'celles',
  'celui',
  'donc',
  'alors',
  'aussi',
  'très',
  'plus',
  'moins',
  'tout',
  'tous',
  'toute',
  'toutes',
  'y',
  'ni',
  'car',
  'or',
  'si',
  'bien',
  'encore',
  'déjà',
  'chez',
  'vers',
  'entre',
  'sous',
  'selon',
  'dit',
  'après',
  'avant',
  'depuis',
  'pendant',
  'lors',
  'contre',
  'parmi',
  'malgré',
  'toutefois',
  'cependant',
  'ainsi',
  'autant',
  'seulement',
  'notamment',
  'vraiment',
  'autre',
  'autres',
  'puis',
  'où',
  'quoi',
];

const FRENCH_STOPS = new Set<string>([...FRENCH_STOP_WORDS, ...ELISIONS, ...EXTRA_FRENCH_STOP_WORDS].map(fold));
const ENGLISH_STOPS = new Set<string>(
  [
    ...ENGLISH_STOP_WORDS,
    'what',
    'when',
    'where',
    'who',
    'whom',
    'which',
    'why',
    'how',
    'did',
    'does',
    'do',
    'is',
    'are',
    'was',
    'were',
    'much',
    'many',
    'its',
    'it',
    'the',
    'will',
    'would',
    'can',
    'could',
    'should',
    'shall',
    'might',
    'must',
    'have',
    'has',
    'had',
    'be',
    'been',
    'being',
    'get',
    'got',
    'there',
    'their',
    'they',
    'this',
    'that',
    'these',
    'those',
    'than',
    'any',
    'of',
    'to',
    'and',
    'or',
    'a',
    'an',
    'in',
    'on',
    'at',
    'for',
    'by',
    'with',
  ].map(fold),
);

export function isFrenchStopWord(lower: string): boolean {
  return FRENCH_STOPS.has(fold(lower));
}

export function isEnglishStopWord(lower: string): boolean {
  return ENGLISH_STOPS.has(fold(lower));
}

/** Plain ASCII: what folding leaves as it is. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Removes diacritics (é → e, œ → oe): applied after stemming, because Snowball reads accents. */
export function fold(s: string): string {
  // Most words are plain ASCII, which folding leaves as they are (a fifth of a new word's analysis otherwise).
  if (isAscii(s)) return s;
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/**
 * A word: a number in groups of three (`2 824 863`, spaces or no-break spaces), a decimal number, or a run of letters
 * and digits. The one definition of a word, for articles and questions alike. (No look-behind is needed before a
 * group of digits: a run of letters and digits is always consumed whole, and the look-behind doubled the cost.)
 */
export const WORD = new RegExp(
  String.raw`\p{N}{1,3}(?:[ \u00a0\u202f]\p{N}{3})+(?:[.,]\p{N}+)?(?![\p{L}\p{N}])` +
    String.raw`|\p{N}+(?:[.,]\p{N}+)+(?![\p{L}\p{N}])|[\p{L}\p{M}\p{N}]+`,
  'gu',
);
const NUMBER = /^\p{N}+(?:[.,]\p{N}+)*$/u;
const GROUP_SEPARATOR = /[ \u00a0\u202f]/gu;
/** `100k`: thousands in Discord shorthand (two digits at least, so `4K` stays a resolution). */
const THOUSANDS_SHORTHAND = /^(\p{N}{2,})k$/u;
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
    // Copies: a word matched in a text is a view that would keep the whole text alive in the cache.
    terms = computeTerms(surface, mode).map(ownString);
    cache.set(ownString(surface), terms);
  }
  return terms;
}

function computeTerms(surface: string, mode: AnalysisMode): string[] {
  const lower = surface.toLowerCase();
  // Combining marks alone (an orphan accent) are no word.
  if (!/[\p{L}\p{N}]/u.test(lower)) return [];
  const spoken = NUMBER_WORDS.get(lower);
  if (spoken !== undefined) return [spoken];
  const shorthand = THOUSANDS_SHORTHAND.exec(lower);
  if (shorthand) return [`${shorthand[1]!}000`];
  if (/[ \u00a0\u202f]/u.test(lower)) return computeTerms(lower.replace(GROUP_SEPARATOR, ''), mode);
  if (NUMBER.test(lower)) {
    // « 100.000 »: thousands written with a dot; also indexed as the whole number.
    if (mode === 'index' && /^\p{N}{1,3}(?:\.\p{N}{3})+$/u.test(lower))
      return [lower, lower.replace(/\./gu, ''), lower.split('.')[0]!];
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
  eachWord(text, (word) => {
    for (const t of termsOfWord(word, 'index')) out.push(t);
  });
  return out;
}

/**
 * Calls `visit` on each word of a text as written, in order: exactly the matches of WORD, found without a match
 * object per word (indexing's hottest loop: the regex's match arrays were a third of a parsing thread's analysis).
 * A WORD match starts at the first letter, mark or digit past the previous one; from a letter or a mark only the
 * run of letters, marks and digits can match, which is scanned here by character class; from a digit, the regex
 * itself decides (grouped and decimal numbers), sticky at that position. `visit` may analyze words meanwhile.
 */
export function eachWord(text: string, visit: (surface: string) => void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const kind = charKind(text, i);
    const width = kind & WIDE ? 2 : 1;
    if ((kind & KIND) === OTHER) {
      i += width;
      continue;
    }
    if ((kind & KIND) === DIGIT) {
      const sticky = NUMBER_OR_RUN;
      sticky.lastIndex = i;
      const m = sticky.exec(text)!;
      i = sticky.lastIndex;
      visit(m[0]);
      continue;
    }
    let end = i + width;
    // Past the end, charKind is OTHER.
    for (let k = charKind(text, end); (k & KIND) !== OTHER; k = charKind(text, end)) end += k & WIDE ? 2 : 1;
    const start = i;
    i = end;
    visit(text.slice(start, end));
  }
}
/** WORD, sticky: what matches at a given position. */
const NUMBER_OR_RUN = new RegExp(WORD.source, 'uy');
const OTHER = 0;
const LETTER_OR_MARK = 1;
const DIGIT = 2;
const KIND = 3;
/** Set when the character is a surrogate pair (two code units). */
const WIDE = 4;
const UNKNOWN = 255;
/** Kind of each code unit outside the surrogates, found by the regex classes the first time it is met. */
const UNIT_KINDS = new Uint8Array(0x10000).fill(UNKNOWN);
const ASTRAL_KINDS = new Map<number, number>();
const IS_DIGIT = /^\p{N}$/u;
const IS_LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;

function kindOf(char: string): number {
  return IS_DIGIT.test(char) ? DIGIT : IS_LETTER_OR_MARK.test(char) ? LETTER_OR_MARK : OTHER;
}

/** Kind of the character at `i` (past the end: OTHER), WIDE when it is a surrogate pair. */
function charKind(text: string, i: number): number {
  if (i >= text.length) return OTHER;
  const unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdfff) {
    let kind = UNIT_KINDS[unit]!;
    if (kind === UNKNOWN) UNIT_KINDS[unit] = kind = kindOf(String.fromCharCode(unit));
    return kind;
  }
  const point = text.codePointAt(i)!;
  // A lone surrogate is no letter, mark or digit (as in the regex).
  if (point <= 0xffff) return OTHER;
  let kind = ASTRAL_KINDS.get(point);
  if (kind === undefined) ASTRAL_KINDS.set(point, (kind = kindOf(String.fromCodePoint(point))));
  return kind | WIDE;
}

/**
 * The family of an index term: its root once derivational suffixes are taken off (`fermetur` → `ferm`,
 * `chinois` → `chin`, `producteur` → `produ`), or the term itself when no rule applies. Words of one family are
 * searched for each other, at a lower weight than the word itself. Numbers have no family.
 */
export function familyRoot(term: string): string {
  if (HAS_DIGIT.test(term)) return term;
  let root = term;
  for (let step = 0; step < FAMILY_RULES.maxSteps; step++) {
    const rule = FAMILY_RULES.suffixes.find(
      ([suffix, repl]) => root.endsWith(suffix) && root.length - suffix.length + repl.length >= FAMILY_RULES.minRoot,
    );
    if (!rule) break;
    root = root.slice(0, root.length - rule[0].length) + rule[1];
  }
  return root;
}

let synonyms: Map<string, readonly string[]> | undefined;

/**
 * Index terms of the words that stand for a term in a question (its synonym groups, one-word members only: a
 * phrase's words apart mean something else). Built on first use from the synonym lexicon.
 */
export function synonymTerms(term: string): readonly string[] {
  if (!synonyms) {
    const map = new Map<string, Set<string>>();
    for (const group of SYNONYM_GROUPS) {
      const members = group
        .filter((w) => !/[\s']/u.test(w))
        .map((w) => termsOfWord(w, 'query')[0])
        .filter((t): t is string => t !== undefined);
      for (const m of members) {
        let set = map.get(m);
        if (!set) map.set(m, (set = new Set()));
        for (const o of members) if (o !== m) set.add(o);
      }
    }
    synonyms = new Map([...map].map(([k, v]) => [k, [...v]]));
  }
  return synonyms.get(term) ?? [];
}
