import { sliceWhole } from '../lib/index.js';

/** Questions are stored at most this long (characters, after collapsing whitespace). */
export const QUESTION_MAX = 200;

/** A question as stored: trimmed, whitespace runs collapsed to one space, at most QUESTION_MAX characters. */
export function cleanQuestion(text: string): string {
  return sliceWhole(text.replace(/\s+/gu, ' ').trim(), QUESTION_MAX).trimEnd();
}

/**
 * The key that groups wordings of one question: lowercase, accents folded (é → e, œ → oe), every run of
 * punctuation, symbols and spaces made one space. « Combien coûte l’enceinte ? » and « combien coute l enceinte »
 * share the key `combien coute l enceinte`.
 */
export function questionKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/gu, 'oe')
    .replace(/æ/gu, 'ae')
    .replace(/ß/gu, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
