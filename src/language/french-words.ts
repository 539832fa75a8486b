import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Whether a word is a correctly spelt French word, from `an-array-of-french-words` (≈336,000 forms, inflections
 * included). A word the articles lack but the language has is a paraphrase, not a typo: it is never "corrected"
 * into another real word (« racheté » is not « acheté »). Read on first use (≈0.2 s, ≈40 MB); `warmFrenchWords`
 * lets a long-running process pay that before its first question.
 */
let words: Set<string> | undefined;

function load(): Set<string> {
  const file = createRequire(import.meta.url).resolve('an-array-of-french-words/index.json');
  const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(list)) throw new Error('an-array-of-french-words: a list is expected');
  return new Set(list.filter((w): w is string => typeof w === 'string'));
}

export function isFrenchWord(lower: string): boolean {
  words ??= load();
  return words.has(lower) || words.has(lower.replace(/[’‘]/gu, "'"));
}

export function warmFrenchWords(): void {
  words ??= load();
}
