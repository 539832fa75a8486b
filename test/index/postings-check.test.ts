/**
 * The loader's check of one term's postings (untrusted bytes): counts, topic masks and champions as a plain walk
 * over the decoded postings finds them, on random terms, in both layouts of the passages' tally; the malformed forms
 * a varint can take refused; and a packed count that overflows into its passage's topic mask caught.
 */
import { describe, expect, it } from 'vitest';
import { checkTermPostings, PassageTally, writeVarint, type TermCheck } from '../../src/index/postings.js';
import { prng } from '../reliability/helpers.js';

/** A term's postings as the draft writes them: 2 × gap + (occurrences > 1), then occurrences − 2 when > 1. */
function encode(ids: number[], occurrences: number[]): Uint8Array {
  const out = new Uint8Array(10 * ids.length + 1);
  let at = 0;
  let last = -1;
  ids.forEach((id, k) => {
    const gap = id - last - 1;
    last = id;
    at = writeVarint(out, at, 2 * gap + (occurrences[k]! > 1 ? 1 : 0));
    if (occurrences[k]! > 1) at = writeVarint(out, at, occurrences[k]! - 2);
  });
  return out.subarray(0, at);
}

const fresh = (): TermCheck => ({ end: 0, outOfRange: -1, topics: 0, champions: 0 });

/** Passages of these topic masks, counted zero times (`topics`: how many the corpus has). */
function tallyOf(masks: number[], topics = 2): PassageTally {
  const tally = new PassageTally(masks.length, topics);
  for (let id = 0; id < masks.length; id++) tally.setTopics(id, masks[id]!);
  return tally;
}

describe('checkTermPostings', () => {
  it('finds what a plain walk finds, gaps of one to four varint bytes', () => {
    const rng = prng(7);
    for (let round = 0; round < 200; round++) {
      const span = [100, 20_000, 3_000_000][round % 3]!;
      const count = 1 + Math.floor(rng() * 30);
      const set = new Set<number>();
      while (set.size < count) set.add(Math.floor(rng() * span));
      const ids = [...set].sort((a, b) => a - b);
      const occurrences = ids.map(() => (rng() < 0.3 ? 2 + Math.floor(rng() * 300) : 1));
      const passages = ids[ids.length - 1]! + 1;
      // 15 topics or fewer: one int32 a passage; more: two. Masks up to the corpus's last topic.
      const topics = round % 2 === 0 ? 15 : 25;
      const all = new Array<number>(passages).fill(0);
      const masks = ids.map(() => (1 << Math.floor(rng() * topics)) | (rng() < 0.2 ? 1 : 0));
      for (let k = 0; k < ids.length; k++) all[ids[k]!] = masks[k]!;
      const tally = tallyOf(all, topics);
      const champions = Int32Array.from(ids.filter(() => rng() < 0.3));
      const bytes = encode(ids, occurrences);
      const out = fresh();
      checkTermPostings(bytes, 0, ids.length, tally, champions, out);
      expect(out.end).toBe(bytes.length);
      expect(out.outOfRange).toBe(-1);
      expect(out.topics).toBe(masks.reduce((a, m) => a | m, 0));
      expect(out.champions).toBe(champions.length);
      // The passages counted, and as many others, hold what they were given.
      const others = ids.map(() => Math.floor(rng() * passages)).filter((id) => !ids.includes(id));
      for (const [id, terms] of [...ids.map((id) => [id, 1]), ...others.map((id) => [id, 0])] as [number, number][]) {
        expect(tally.holds(id, terms, all[id]!)).toBe(true);
        expect(tally.holds(id, terms + 1, all[id]!)).toBe(false);
      }
    }
  });

  it('counts only the champions that are among the postings', () => {
    const out = fresh();
    checkTermPostings(encode([1, 4, 9], [1, 1, 1]), 0, 3, tallyOf(new Array(12).fill(0)), Int32Array.of(0, 4, 11), out);
    expect(out.champions).toBe(1);
  });

  it('names a passage past the last, a five-byte gap of 2³¹ or more included', () => {
    const out = fresh();
    checkTermPostings(encode([2, 5], [1, 1]), 0, 2, tallyOf([0, 0, 0, 0, 0]), null, out);
    expect(out.outOfRange).toBe(5);
    // 0xff 0xff 0xff 0xff 0x0f: 2³⁵ − 1, beyond what int32 arithmetic holds; it must not wrap into range.
    for (const last of [0x08, 0x0f, 0x7f]) {
      const wide = fresh();
      checkTermPostings(Uint8Array.of(0xff, 0xff, 0xff, 0xff, last), 0, 1, tallyOf([0, 0]), null, wide);
      expect(wide.outOfRange).toBeGreaterThanOrEqual(2);
      expect(wide.end).toBe(-1);
    }
    // 0x07 as the fifth byte: below 2³¹, still past two passages.
    const high = fresh();
    checkTermPostings(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x07), 0, 1, tallyOf([0, 0]), null, high);
    expect(high.outOfRange).toBe(7 * 2 ** 27);
  });

  it('refuses an occurrence count the Int32Array it is decoded into cannot hold', () => {
    // Gap 0 with occurrences, then the count less 2: 2³¹ − 3 is the largest (the count 2³¹ − 1).
    const fits = fresh();
    checkTermPostings(Uint8Array.of(0x01, 0xfd, 0xff, 0xff, 0xff, 0x07), 0, 1, tallyOf([0]), null, fits);
    expect(fits.end).toBe(6);
    for (const bytes of [
      Uint8Array.of(0x01, 0xfe, 0xff, 0xff, 0xff, 0x07),
      Uint8Array.of(0x01, 0xfe, 0xff, 0xff, 0xff, 0x0f),
    ]) {
      const out = fresh();
      checkTermPostings(bytes, 0, 1, tallyOf([0]), null, out);
      expect(out.end).toBe(-1);
    }
  });

  it('refuses varints that never end, run past five bytes or past the part', () => {
    const cases = [
      Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      Uint8Array.of(0x81),
      // A gap with occurrences whose varint never ends.
      Uint8Array.of(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      Uint8Array.of(0x01),
      Uint8Array.of(),
    ];
    for (const bytes of cases) {
      const out = fresh();
      checkTermPostings(bytes, 0, 1, tallyOf(new Array(4).fill(0)), null, out);
      expect(out.end).toBe(-1);
      expect(out.outOfRange).toBe(-1);
    }
  });

  it('tells a packed count that carried into its topic mask from the count it claims', () => {
    const tally = tallyOf([3, 0]);
    const one = encode([0], [1]);
    const out = fresh();
    for (let k = 0; k < 0x10000 + 5; k++) checkTermPostings(one, 0, 1, tally, null, out);
    // 65,541 counts: the low half reads 5, the mask 3 became 4.
    expect(tally.holds(0, 5, 3)).toBe(false);
    expect(tally.holds(0, 0x10000 + 5, 3)).toBe(false);
    expect(out.topics).toBe(4);
    expect(tally.holds(1, 0, 0)).toBe(true);
    // Five counts: both halves as given.
    const five = tallyOf([3, 0]);
    for (let k = 0; k < 5; k++) checkTermPostings(one, 0, 1, five, null, out);
    expect(five.holds(0, 5, 3)).toBe(true);
    expect(out.topics).toBe(3);
  });
});
