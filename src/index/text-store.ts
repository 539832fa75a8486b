import type { Article } from '../corpus/index.js';

/**
 * The articles' texts as UTF-8 in a few large buffers, outside the V8 heap: at 500,000 articles of 5,000
 * characters, the texts as strings would be 2.5 to 5 GB of heap. Each article is a run of bytes in one block; its
 * text is decoded when asked for, and the last few decoded are kept (a question reads a handful of articles many
 * times, the autocomplete miner and the loader read each article's sentences one after the other).
 *
 * Blocks hold whole articles and are the snapshot's text parts: the build appends to them, the snapshot writes
 * them, the loader's parts become the loaded index's blocks.
 */
export const TEXT_BLOCK_BYTES = 4 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
/** Texts kept decoded: a slot per article number modulo this. */
const CACHED_TEXTS = 256;

export class TextStore {
  /** The blocks, each cut to the bytes it holds (the last one grows while the build appends to it). */
  readonly #blocks: Buffer[] = [];
  /** The last block in full, while the build appends to it; null once it is full or taken from a snapshot. */
  #filling: Buffer | null = null;
  /** Per article: its block, its first byte and its byte length. */
  #block = new Int32Array(1024);
  #start = new Int32Array(1024);
  #bytes = new Int32Array(1024);
  #count = 0;
  /** Bytes each block taken from a snapshot holds (-1 for the build's own). */
  readonly #reserved: number[] = [];
  readonly #cacheKey = new Int32Array(CACHED_TEXTS).fill(-1);
  readonly #cacheText: string[] = new Array(CACHED_TEXTS).fill('');

  /** `blockBytes`: the size of the blocks the build appends to (smaller in tests). */
  constructor(private readonly blockBytes = TEXT_BLOCK_BYTES) {}

  get count(): number {
    return this.#count;
  }

  /** The blocks, each cut to the bytes it holds: the snapshot's text parts. */
  get blocks(): readonly Buffer[] {
    return this.#blocks;
  }

  /** UTF-8 length of article `i`'s text. */
  byteLength(i: number): number {
    return this.#bytes[i]!;
  }

  /** Appends a text (the build); returns its article number. */
  add(text: string): number {
    const n = Buffer.byteLength(text, 'utf8');
    const last = this.#blocks.length - 1;
    let used = last < 0 ? 0 : this.#blocks[last]!.length;
    if (!this.#filling || used + n > this.#filling.length) {
      this.#filling = Buffer.allocUnsafeSlow(Math.max(this.blockBytes, n));
      this.#blocks.push(this.#filling.subarray(0, 0));
      this.#reserved.push(-1);
      used = 0;
    }
    this.#filling.write(text, used, n, 'utf8');
    this.#blocks[this.#blocks.length - 1] = this.#filling.subarray(0, used + n);
    this.#record(this.#blocks.length - 1, used, n);
    return this.#count - 1;
  }

  /**
   * Takes a block of whole texts as they lie one after the other (the loader, from a snapshot part), the block kept
   * as it is: `lengths` are their UTF-8 lengths, which must add up to the block's length.
   */
  addBlock(block: Buffer, lengths: ArrayLike<number>): void {
    this.setBlock(this.reserveBlock(lengths), block);
  }

  /**
   * Numbers the texts of a block still to come (the loader unpacks it meanwhile): `lengths` are their UTF-8
   * lengths. Returns the block's number, for `setBlock`; its texts cannot be read before.
   */
  reserveBlock(lengths: ArrayLike<number>): number {
    this.#filling = null;
    const k = this.#blocks.push(EMPTY) - 1;
    let at = 0;
    for (let i = 0; i < lengths.length; i++) this.#record(k, at, lengths[i]!), (at += lengths[i]!);
    this.#reserved.push(at);
    return k;
  }

  /** Block `k`'s bytes, which must be as many as its texts' lengths add up to. */
  setBlock(k: number, block: Buffer): void {
    if (this.#reserved[k] !== block.length) throw new Error('text lengths do not add up to their block');
    this.#blocks[k] = block;
  }

  /** The number of the block holding article `i`'s text. */
  blockOf(i: number): number {
    return this.#block[i]!;
  }

  /** Article `i`'s text. */
  text(i: number): string {
    const slot = i % CACHED_TEXTS;
    if (this.#cacheKey[slot] === i) return this.#cacheText[slot]!;
    if (!(i >= 0 && i < this.#count)) throw new RangeError(`no text ${i}`);
    const start = this.#start[i]!;
    const text = this.#blocks[this.#block[i]!]!.toString('utf8', start, start + this.#bytes[i]!);
    this.#cacheKey[slot] = i;
    this.#cacheText[slot] = text;
    return text;
  }

  /**
   * Article `i`'s text length in UTF-16 units, read from its UTF-8 bytes without decoding it (the loader checks
   * every passage's offsets against it: decoding every text for that took most of a load's time and garbage);
   * null when the text holds a character outside the BMP, whose surrogate pairs only the text itself can tell.
   */
  unitsWithoutPairs(i: number): number | null {
    if (!(i >= 0 && i < this.#count)) throw new RangeError(`no text ${i}`);
    const bytes = this.#blocks[this.#block[i]!]!;
    const start = this.#start[i]!;
    const end = start + this.#bytes[i]!;
    // Units are the bytes less the continuation bytes (10xxxxxx); a lead byte of four (a pair of units) declines.
    // Four bytes at a time from a 4-byte boundary of the memory: a third of a 100,000-article load went here.
    const head = Math.min(end, start + ((4 - ((bytes.byteOffset + start) & 3)) & 3));
    const words = (end - head) >> 2;
    const tail = head + 4 * words;
    let continuation = continuationBytes(bytes, start, head) + continuationBytes(bytes, tail, end);
    if (Number.isNaN(continuation)) return null;
    if (words > 0) {
      const view = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
      for (let w = 0; w < words; w++) {
        const x = view[w]!;
        if ((x & 0x80808080) === 0) continue;
        // A byte whose four high bits are set: a lead byte of four.
        if ((x & (x << 1) & (x << 2) & (x << 3) & 0x80808080) !== 0) return null;
        // Bytes of high bits 10, one bit each, summed by a multiply into the top byte.
        continuation += Math.imul((x & ~(x << 1) & 0x80808080) >>> 7, 0x01010101) >>> 24;
      }
    }
    return end - start - continuation;
  }

  #record(block: number, start: number, bytes: number): void {
    if (this.#count === this.#block.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#block = grow(this.#block);
      this.#start = grow(this.#start);
      this.#bytes = grow(this.#bytes);
    }
    this.#block[this.#count] = block;
    this.#start[this.#count] = start;
    this.#bytes[this.#count] = bytes;
    this.#count++;
  }
}

/** Continuation bytes (10xxxxxx) of `bytes[from, to)`; NaN if a lead byte of four is among them. */
function continuationBytes(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const b = bytes[k]!;
    if (b >= 0xf0) return Number.NaN;
    if ((b & 0xc0) === 0x80) n++;
  }
  return n;
}

/**
 * An article whose text lives in a store: `text` is an enumerable property of its own, a getter (so the article
 * compares, spreads and serializes as one holding its text).
 */
export function storedArticle(meta: Omit<Article, 'text'>, store: TextStore, i: number): Article {
  return {
    ...meta,
    get text(): string {
      return store.text(i);
    },
  };
}
