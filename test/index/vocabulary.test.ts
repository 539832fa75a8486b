/**
 * The sorted-array vocabulary answers what MiniSearch's radix tree answers: the same terms and Levenshtein
 * distances from `fuzzyGet`, the same terms from `atPrefix`, `get` and `has`, on random vocabularies over a small
 * alphabet (so that prefixes are shared and typos land on terms) with accented letters and surrogate pairs.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { describe, expect, it } from 'vitest';
import { isStrictlySorted, Vocabulary } from '../../src/index/vocabulary.js';
import { prng } from '../reliability/helpers.js';

const ALPHABET = ['a', 'b', 'e', 'é', 'è', 'n', 's', 't', '1', '𝔸'];

function randomWord(rng: () => number, max: number): string {
  let w = '';
  const length = 1 + Math.floor(rng() * max);
  for (let k = 0; k < length; k++) w += ALPHABET[Math.floor(rng() * ALPHABET.length)]!;
  return w;
}

/** A word with up to `edits` random insertions, deletions or substitutions (of code units). */
function typo(rng: () => number, word: string, edits: number): string {
  let w = word;
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rng() * (w.length + 1));
    const unit = ALPHABET[Math.floor(rng() * ALPHABET.length)]!.charAt(0);
    const op = Math.floor(rng() * 3);
    if (op === 0) w = w.slice(0, at) + unit + w.slice(at);
    else if (op === 1 && w.length > 1) w = w.slice(0, at) + w.slice(at + 1);
    else w = w.slice(0, at) + unit + w.slice(at + 1);
  }
  return w;
}

function both(terms: string[]): { ours: Vocabulary<number>; tree: SearchableMap<number> } {
  const sorted = [...new Set(terms)].sort();
  const tree = new SearchableMap<number>();
  // Inserted in another order than sorted: the tree's results must not depend on it.
  for (const t of [...sorted].reverse()) tree.set(t, sorted.indexOf(t));
  return { ours: new Vocabulary(sorted, (k) => k), tree };
}

const asSorted = <V>(m: Map<string, V>): [string, V][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('Vocabulary', () => {
  it('finds the terms and distances the radix tree finds', () => {
    const rng = prng(11);
    for (let round = 0; round < 60; round++) {
      const words = Array.from({ length: 20 + Math.floor(rng() * 400) }, () => randomWord(rng, 9));
      const { ours, tree } = both(words);
      expect(ours.size).toBe(tree.size);
      for (let q = 0; q < 40; q++) {
        const base = words[Math.floor(rng() * words.length)]!;
        const query = rng() < 0.2 ? randomWord(rng, 10) : typo(rng, base, Math.floor(rng() * 4));
        const distance = Math.floor(rng() * 4);
        expect(asSorted(ours.fuzzyGet(query, distance))).toEqual(asSorted(tree.fuzzyGet(query, distance)));
        const prefix = query.slice(0, 1 + Math.floor(rng() * 4));
        expect([...ours.atPrefix(prefix).keys()]).toEqual([...tree.atPrefix(prefix).keys()].sort());
        expect(ours.atPrefix(prefix).size).toBe(tree.atPrefix(prefix).size);
        expect(ours.get(query)).toBe(tree.get(query));
        expect(ours.has(base)).toBe(true);
      }
    }
  });

  it('iterates in code unit order, and ranges answer for their own terms only', () => {
    const { ours } = both(['chat', 'chaton', 'chatte', 'chien', 'ch', 'dé', 'de', 'zèbre']);
    expect([...ours.keys()]).toEqual(['ch', 'chat', 'chaton', 'chatte', 'chien', 'de', 'dé', 'zèbre']);
    expect([...ours.entries()][1]).toEqual(['chat', 1]);
    const chat = ours.atPrefix('chat');
    expect([...chat]).toEqual([
      ['chat', 1],
      ['chaton', 2],
      ['chatte', 3],
    ]);
    expect(chat.has('chien')).toBe(false);
    expect(chat.get('chaton')).toBe(2);
    expect(chat.get('chien')).toBeUndefined();
    expect(ours.atPrefix('x').size).toBe(0);
    expect(ours.atPrefix('').size).toBe(8);
    expect(ours.fuzzyGet('chiem', 1)).toEqual(new Map([['chien', [4, 1]]]));
    expect(ours.fuzzyGet('', 2)).toEqual(
      new Map([
        ['ch', [0, 2]],
        ['de', [5, 2]],
        ['dé', [6, 2]],
      ]),
    );
    expect(new Vocabulary<number>([], (k) => k).fuzzyGet('a', 1).size).toBe(0);
  });

  it('refuses terms that are not strictly sorted', () => {
    expect(isStrictlySorted(['a', 'b', 'ba'])).toBe(true);
    expect(isStrictlySorted(['a', 'a'])).toBe(false);
    expect(isStrictlySorted(['é', 'e'])).toBe(false);
    expect(() => new Vocabulary(['b', 'a'], (k) => k)).toThrow(/sorted/);
  });
});
