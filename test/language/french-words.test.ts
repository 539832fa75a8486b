import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isFrenchWord } from '../../src/language/index.js';
import { sortedWordText } from '../../src/language/french-words.js';

const listFile = createRequire(import.meta.url).resolve('an-array-of-french-words/index.json');

describe('sortedWordText', () => {
  it('finds exactly the words of a sorted list', () => {
    const words = ['', 'a', 'a-t-il', 'ab', 'abc', 'b', 'z', 'à', 'é', 'ét', 'œuf'];
    const list = sortedWordText(`${JSON.stringify(words)}\n`);
    expect(list).not.toBeNull();
    for (const w of words) expect(list!.has(w)).toBe(true);
    for (const w of ['aa', 'a-t', 'abcd', 'c', 'ê', 'œ', 'zz', '"', '","', 'ab","abc'])
      expect(list!.has(w)).toBe(false);
  });

  it('refuses what it cannot search as it stands', () => {
    expect(sortedWordText('["b","a"]')).toBeNull();
    expect(sortedWordText('["a","a"]')).toBeNull();
    expect(sortedWordText('["a", "b"]')).toBeNull();
    expect(sortedWordText('["a\\"b","c"]')).toBeNull();
    expect(sortedWordText('["a",1]')).toBeNull();
    expect(sortedWordText('[]')).toBeNull();
    expect(sortedWordText('{"a":"b"}')).toBeNull();
  });

  it('agrees with the parsed list on every word of the package and its neighbours', () => {
    const text = readFileSync(listFile, 'utf8');
    const list = sortedWordText(text);
    expect(list).not.toBeNull();
    const all = JSON.parse(text) as string[];
    const set = new Set(all);
    let mismatches = 0;
    for (const w of all.filter((_, i) => i % 7 === 0)) {
      if (!list!.has(w)) mismatches++;
      for (const near of [`${w}q`, w.slice(0, -1), `${w}-`]) if (list!.has(near) !== set.has(near)) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(isFrenchWord('urgance')).toBe(false);
    expect(isFrenchWord('racheté')).toBe(true);
  });
});
