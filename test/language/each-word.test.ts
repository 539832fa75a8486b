import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachWord, WORD } from '../../src/language/index.js';
import { SEEDS, SHARED } from '../helpers.js';

const words = (text: string): string[] => {
  const out: string[] = [];
  eachWord(text, (w) => void out.push(w));
  return out;
};
const byRegex = (text: string): string[] => [...text.matchAll(WORD)].map((m) => m[0]);

/** Characters where the scan and the regex could part: digits of several scripts, marks, separators, surrogates. */
const CHARS = [
  ...'aZéÉœçñß0123456789',
  ' ',
  '\u00a0',
  '\u202f',
  '\n',
  '.',
  ',',
  "'",
  '’',
  '-',
  '«',
  '»',
  '€',
  '%',
  '\u0301',
  '\u0327', // combining marks
  '²',
  '½',
  'Ⅻ',
  '٣',
  '߁', // other numbers
  '\u{1d400}',
  '\u{1d7d9}',
  '😀',
  '\u{10400}', // astral letter, digit, symbol, letter
  '\ud800',
  '\udc00', // lone surrogates
];

describe('eachWord', () => {
  it('finds exactly the WORD matches of any text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        expect(words(text)).toEqual(byRegex(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds exactly the WORD matches of the bundled and dev articles', () => {
    const dev = path.join(SHARED, 'eval', 'dev', 'articles');
    const files = [
      ...readdirSync(SEEDS).map((f) => path.join(SEEDS, f)),
      ...readdirSync(dev).map((f) => path.join(dev, f)),
    ].filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(words(text)).toEqual(byRegex(text));
    }
  });

  it('lets the visitor scan words itself meanwhile', () => {
    const inner: string[] = [];
    eachWord('Le prix, 2 824 863 euros.', (w) => {
      eachWord(`${w} x`, (v) => void inner.push(v));
    });
    expect(inner).toEqual(['Le', 'x', 'prix', 'x', '2 824 863', 'x', 'euros', 'x']);
  });
});
