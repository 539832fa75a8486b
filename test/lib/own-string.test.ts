import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ownString } from '../../src/lib/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes still held after keeping one 20-character word matched in each of 200 texts of 100 KB. */
function heldByWords(keep: (word: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 200; i++) {
    // A flat text of its own, and a word matched in it (a view into it).
    const text = `mot${String(i).padStart(17, 'x')} ${'abcdefghij'.repeat(10_000)}`.split('').join('');
    kept.push(keep(/\S{20}/u.exec(text)![0]));
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  expect(new Set(kept).size).toBe(200);
  return held;
}

describe('ownString', () => {
  it('keeps the word, not the text it was matched in', () => {
    // The control: views keep the 20 MB of texts alive.
    expect(heldByWords((w) => w)).toBeGreaterThan(15 * 2 ** 20);
    expect(heldByWords(ownString)).toBeLessThan(2 * 2 ** 20);
    expect(ownString('gouvernementales')).toBe('gouvernementales');
  });
});
