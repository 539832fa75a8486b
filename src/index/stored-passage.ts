import type { Passage, PassageKind, Span } from '../corpus/index.js';

/**
 * The sentence spans of every passage of a loaded index, in two growing typed arrays: at 100,000 articles the
 * ~5 M sentences as objects (and an array per passage) took longer for the garbage collector to walk than the
 * rest of the load. A passage asks for its own when they are read (a question reads a few passages).
 */
export class SentenceTable {
  #starts = new Int32Array(1024);
  #ends = new Int32Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(start: number, end: number): void {
    if (this.#size === this.#starts.length) {
      const starts = new Int32Array(this.#size * 2);
      const ends = new Int32Array(this.#size * 2);
      starts.set(this.#starts);
      ends.set(this.#ends);
      this.#starts = starts;
      this.#ends = ends;
    }
    this.#starts[this.#size] = start;
    this.#ends[this.#size++] = end;
  }

  startOf(k: number): number {
    return this.#starts[k]!;
  }

  endOf(k: number): number {
    return this.#ends[k]!;
  }

  /** Sentences `first` to `first + count − 1`, as new spans. */
  spans(first: number, count: number): Span[] {
    const out: Span[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = { start: this.#starts[first + k]!, end: this.#ends[first + k]! };
    return out;
  }
}

/** A passage of a loaded index: its sentences come from the index's table when asked for. */
export class StoredPassage implements Passage {
  readonly #table: SentenceTable;
  readonly #first: number;
  readonly #count: number;

  constructor(
    readonly id: number,
    readonly article: number,
    readonly paragraph: number,
    readonly kind: PassageKind,
    readonly start: number,
    readonly end: number,
    table: SentenceTable,
    first: number,
    count: number,
  ) {
    this.#table = table;
    this.#first = first;
    this.#count = count;
  }

  /** Its sentences, in order (a new array each time). */
  get sentences(): Span[] {
    return this.#table.spans(this.#first, this.#count);
  }
}
