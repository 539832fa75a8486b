/**
 * The loader's check of one term's postings (untrusted bytes): counts, topic masks and champions as a plain walk
 * over the decoded postings finds them, on random terms; and the malformed forms a varint can take refused.
 */
import { describe, expect, it } from 'vitest';
import { checkTermPostings, writeVarint, type TermCheck } from '../../src/index/postings.js';
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

/** Per passage its topic mask, then a count (zero). */
function perPassageOf(masks: number[]): Int32Array {
  const out = new Int32Array(2 * masks.length);
  for (let id = 0; id < masks.length; id++) out[2 * id] = masks[id]!;
  return out;
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
      const perPassage = new Int32Array(2 * passages);
      const masks = ids.map(() => 1 << Math.floor(rng() * 5));
      for (let k = 0; k < ids.length; k++) perPassage[2 * ids[k]!] = masks[k]!;
      const champions = Int32Array.from(ids.filter(() => rng() < 0.3));
      const bytes = encode(ids, occurrences);
      const out = fresh();
      checkTermPostings(bytes, 0, ids.length, perPassage, champions, out);
      expect(out.end).toBe(bytes.length);
      expect(out.outOfRange).toBe(-1);
      expect(out.topics).toBe(masks.reduce((a, m) => a | m, 0));
      expect(out.champions).toBe(champions.length);
      for (const id of ids) expect(perPassage[2 * id + 1]).toBe(1);
    }
  });

  it('counts only the champions that are among the postings', () => {
    const out = fresh();
    checkTermPostings(
      encode([1, 4, 9], [1, 1, 1]),
      0,
      3,
      perPassageOf(new Array(12).fill(0)),
      Int32Array.of(0, 4, 11),
      out,
    );
    expect(out.champions).toBe(1);
  });

  it('names a passage past the last, a five-byte gap of 2³¹ or more included', () => {
    const out = fresh();
    checkTermPostings(encode([2, 5], [1, 1]), 0, 2, perPassageOf([0, 0, 0, 0, 0]), null, out);
    expect(out.outOfRange).toBe(5);
    // 0xff 0xff 0xff 0xff 0x0f: 2³⁵ − 1, beyond what int32 arithmetic holds; it must not wrap into range.
    for (const last of [0x08, 0x0f, 0x7f]) {
      const wide = fresh();
      checkTermPostings(Uint8Array.of(0xff, 0xff, 0xff, 0xff, last), 0, 1, perPassageOf([0, 0]), null, wide);
      expect(wide.outOfRange).toBeGreaterThanOrEqual(2);
      expect(wide.end).toBe(-1);
    }
    // 0x07 as the fifth byte: below 2³¹, still past two passages.
    const high = fresh();
    checkTermPostings(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x07), 0, 1, perPassageOf([0, 0]), null, high);
    expect(high.outOfRange).toBe(7 * 2 ** 27);
  });

  it('refuses an occurrence count the Int32Array it is decoded into cannot hold', () => {
    // Gap 0 with occurrences, then the count less 2: 2³¹ − 3 is the largest (the count 2³¹ − 1).
    const fits = fresh();
    checkTermPostings(Uint8Array.of(0x01, 0xfd, 0xff, 0xff, 0xff, 0x07), 0, 1, perPassageOf([0]), null, fits);
    expect(fits.end).toBe(6);
    for (const bytes of [
      Uint8Array.of(0x01, 0xfe, 0xff, 0xff, 0xff, 0x07),
      Uint8Array.of(0x01, 0xfe, 0xff, 0xff, 0xff, 0x0f),
    ]) {
      const out = fresh();
      checkTermPostings(bytes, 0, 1, perPassageOf([0]), null, out);
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
      checkTermPostings(bytes, 0, 1, perPassageOf(new Array(4).fill(0)), null, out);
      expect(out.end).toBe(-1);
      expect(out.outOfRange).toBe(-1);
    }
  });
});
