import { familyRoot, isFrenchWord, synonymTerms, type AnalyzedQuestion } from '../language/index.js';
import type { SearchIndex } from '../index/index.js';
import type { WorkMeter } from './types.js';
import { COST, spend } from './work.js';

/**
 * A question prepared for one index: each word's index terms with how well each stands for the word (its own
 * terms 1, a word of its family or a typo's correction less), and each word's weight (the IDF of its best term).
 */

/** Match quality of a word of the same family (fermeture for fermer), relative to the word itself. */
const FAMILY_QUALITY = 0.7;
/** Match quality of a typo's correction. */
const TYPO_QUALITY = 0.8;
/** Match quality of a synonym from the lexicon. */
const SYNONYM_QUALITY = 0.7;
/** Weight of a word no article uses, as a share of the weight of the rarest word: it counts, but little. */
const UNKNOWN_SHARE = 0.35;
/** Names and numbers are what a question is about: they weigh more than its other words. */
export const SALIENT_FACTOR = 1.5;
/** Family members looked at per word: a short root could otherwise walk a large part of the vocabulary. */
const MAX_FAMILY_SCAN = 400;
/** And per question, all words together: a long question of common roots must not walk the vocabulary either. */
const MAX_FAMILY_SCAN_TOTAL = 2400;
/** Words of one question whose typos are corrected (the first ones): each correction searches the vocabulary. */
const MAX_CORRECTED_WORDS = 6;
/** Longer names a name may stand for. */
const MAX_LONGER_NAMES = 8;
/** Corrections kept per unknown word: the closest spellings, the most used first. */
const MAX_CORRECTIONS = 2;

export interface PreparedWord {
  surface: string;
  /** Index term → match quality (0–1]. */
  terms: Map<string, number>;
  weight: number;
  /** Some term of the word is in the index. */
  known: boolean;
  /** Found through a correction of its spelling only. */
  corrected: boolean;
  salient: 'name' | 'number' | null;
  cueWord: boolean;
}

export interface PreparedQuery {
  question: AnalyzedQuestion;
  words: PreparedWord[];
  /** Every index term of the query → the word it stands for and its quality. */
  termWord: Map<string, { word: number; quality: number }>;
  totalWeight: number;
  /** IDF of a term absent from the index: the ceiling of any word's weight. */
  idfRare: number;
  idf: (term: string) => number;
  /** Whether a capitalised word of a sentence is one of the question's (memoized while this question is read). */
  nameCache: Map<string, boolean>;
}

/** Edits allowed to correct a typo: none on short terms (cout would become coup) or numbers (149 is not 148). */
function fuzzyDistance(term: string): number {
  if (/\p{N}/u.test(term) || term.length < 5) return 0;
  return term.length >= 9 ? 2 : 1;
}

/**
 * Known terms an unknown query term probably stands for: the closest ones within the typo distance its length
 * allows; failing that, a known term it starts with (`remboursment` → `rembours`) or, for a long term, known terms
 * that start with it (a word being typed).
 */
function correctionsOf(index: SearchIndex, term: string): string[] {
  if (/\p{N}/u.test(term)) return [];
  const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
  const distance = fuzzyDistance(term);
  if (distance > 0) {
    const found = [...index.vocabulary.fuzzyGet(term, distance)].sort(
      (a, b) => a[1][1] - b[1][1] || df(b[0]) - df(a[0]),
    );
    if (found.length > 0) return found.slice(0, MAX_CORRECTIONS).map(([t]) => t);
  }
  for (let k = term.length - 1; k >= Math.max(5, Math.ceil(term.length * 0.6)); k--) {
    if (index.passageFrequency.has(term.slice(0, k))) return [term.slice(0, k)];
  }
  if (term.length >= 6)
    return [...index.vocabulary.atPrefix(term).keys()].sort((a, b) => df(b) - df(a)).slice(0, MAX_CORRECTIONS);
  return [];
}

/**
 * Known terms of the same family as `term` (same root once derivational suffixes are off), itself excluded; at most
 * `budget.left` terms looked at, taken from it.
 */
function familyOf(index: SearchIndex, term: string, budget: { left: number }): string[] {
  const root = familyRoot(term);
  if (root.length < 4 || /\p{N}/u.test(term)) return [];
  const out: string[] = [];
  let scanned = 0;
  const most = Math.min(MAX_FAMILY_SCAN, budget.left);
  for (const candidate of index.vocabulary.atPrefix(root).keys()) {
    if (++scanned > most) break;
    if (candidate !== term && familyRoot(candidate) === root) out.push(candidate);
  }
  budget.left -= Math.min(scanned, most);
  return out;
}

/** Known terms that start with a name and go on (bounded: a short name could start many words). */
function longerNames(index: SearchIndex, term: string): string[] {
  if (term.length < 3 || /\p{N}/u.test(term)) return [];
  const out: string[] = [];
  for (const candidate of index.vocabulary.atPrefix(term).keys()) {
    if (candidate !== term) out.push(candidate);
    if (out.length >= MAX_LONGER_NAMES) break;
  }
  return out;
}

export function prepareQuery(index: SearchIndex, question: AnalyzedQuestion, work?: WorkMeter): PreparedQuery {
  const n = Math.max(index.corpus.passages.length, 1);
  const idf = (term: string): number => {
    const df = index.passageFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const idfRare = idf('\u0000never-indexed');
  const termWord = new Map<string, { word: number; quality: number }>();
  const add = (term: string, word: number, quality: number, terms: Map<string, number>): void => {
    if ((terms.get(term) ?? 0) < quality) terms.set(term, quality);
    const prior = termWord.get(term);
    if (!prior || prior.quality < quality) termWord.set(term, { word, quality });
  };
  const familyScan = { left: MAX_FAMILY_SCAN_TOTAL };
  let corrections = 0;
  const words: PreparedWord[] = question.words.map((word, w) => {
    const terms = new Map<string, number>();
    for (const t of word.terms) add(t, w, 1, terms);
    let known = word.terms.some((t) => index.passageFrequency.has(t));
    let corrected = false;
    // Word families: a verb and its action noun, a country and its adjective, at a lower weight.
    for (const t of word.terms) for (const f of familyOf(index, t, familyScan)) add(f, w, FAMILY_QUALITY, terms);
    // A name also stands for the longer names it starts (OVH → OVHcloud, Galaxy → GalaxyS20).
    if (word.salient === 'name')
      for (const t of word.terms.slice(0, 1))
        for (const longer of longerNames(index, t)) add(longer, w, FAMILY_QUALITY, terms);
    for (const t of word.terms)
      for (const syn of synonymTerms(t)) if (index.passageFrequency.has(syn)) add(syn, w, SYNONYM_QUALITY, terms);
    if (!known && terms.size === word.terms.length && !isFrenchWord(word.surface.toLowerCase())) {
      // Not in the articles and not a French word: a typo. A real word the articles lack is a paraphrase instead.
      if (corrections++ < MAX_CORRECTED_WORDS)
        for (const c of correctionsOf(index, word.terms[0]!)) add(c, w, TYPO_QUALITY, terms);
      corrected = terms.size > word.terms.length;
    }
    let best = 0;
    for (const [t, q] of terms) if (index.passageFrequency.has(t)) best = Math.max(best, q * idf(t));
    known = best > 0;
    const weight = known ? best * (word.salient ? SALIENT_FACTOR : 1) : UNKNOWN_SHARE * idfRare;
    return { surface: word.surface, terms, weight, known, corrected, salient: word.salient, cueWord: word.cueWord };
  });
  const totalWeight = words.reduce((a, w) => a + w.weight, 0);
  spend(
    work,
    COST.termScanned * (MAX_FAMILY_SCAN_TOTAL - familyScan.left) +
      COST.correction * Math.min(corrections, MAX_CORRECTED_WORDS),
  );
  return { question, words, termWord, totalWeight, idfRare, idf, nameCache: new Map() };
}
