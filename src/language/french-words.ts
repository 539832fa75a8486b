import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Whether a word is a correctly spelt French word, from `an-array-of-french-words` (≈336,000 forms, inflections
 * included). A word the articles lack but the language has is a paraphrase, not a typo: it is never "corrected"
 * into another real word (« racheté » is not « acheté »). Read on first use; `warmFrenchWords` lets a long-running
 * process pay that before its first question.
 *
 * The list ships sorted, one JSON string per word: it is searched as its own text, by halves, over the words'
 * offsets (≈15 ms and 5 MB to read), rather than parsed into a Set (≈250 ms, 40 MB and collector work, a tenth of
 * a whole `ask --jsonl` at 10,000 articles). A list that is not plain sorted strings goes into a Set.
 */
export interface WordList {
  has(word: string): boolean;
}

let words: WordList | undefined;

/** A JSON array of strings without escapes, sorted by code unit: searchable as it stands. Else null. */
export function sortedWordText(file: string): WordList | null {
  const json = file.trimEnd();
  if (!json.startsWith('["') || !json.endsWith('"]') || json.includes('\\')) return null;
  // Word k spans starts[k] to ends[k]; separators are exactly `","` (no space, no escape: checked below).
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 2; ; ) {
    const close = json.indexOf('"', at);
    starts.push(at);
    ends.push(close);
    if (close === json.length - 2) break;
    if (json.charCodeAt(close + 1) !== 0x2c || json.charCodeAt(close + 2) !== 0x22) return null;
    at = close + 3;
  }
  const start = Int32Array.from(starts);
  const end = Int32Array.from(ends);
  /** Code units `a..a+n` of `json` compared with those of `text` from `b` (`m` long): negative when first. */
  const compare = (a: number, n: number, text: string, b: number, m: number): number => {
    for (let i = 0; i < n && i < m; i++) {
      const d = json.charCodeAt(a + i) - text.charCodeAt(b + i);
      if (d !== 0) return d;
    }
    return n - m;
  };
  for (let k = 1; k < start.length; k++) {
    const b = start[k - 1]!;
    if (compare(start[k]!, end[k]! - start[k]!, json, b, end[k - 1]! - b) <= 0) return null;
  }
  return {
    has(s: string): boolean {
      let lo = 0;
      let hi = start.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const d = compare(start[mid]!, end[mid]! - start[mid]!, s, 0, s.length);
        if (d === 0) return true;
        if (d < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
  };
}

function load(): WordList {
  const file = createRequire(import.meta.url).resolve('an-array-of-french-words/index.json');
  const json = readFileSync(file, 'utf8');
  const sorted = sortedWordText(json);
  if (sorted) return sorted;
  const list: unknown = JSON.parse(json);
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
