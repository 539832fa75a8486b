/**
 * The index's terms in one sorted array, each with a value made when asked for (its postings): MiniSearch's map of
 * terms and the vocabulary of typo and prefix look-ups. It answers what MiniSearch's `SearchableMap` (a radix tree
 * of Maps) answers (`get`, `has`, `size`, `atPrefix`, `fuzzyGet` with the same Levenshtein distances, iteration),
 * ranges of the array standing for the tree's nodes. Written here because building that tree was a seventh of a
 * 100,000-article load (0.4 s, 200,000 terms inserted one by one) and 50 MB of Maps, where the snapshot can list its
 * terms sorted and the array is then read as it is. Iteration is in code unit order (the tree's is that of its
 * insertions): the order in which prefix look-ups meet their terms.
 */

/** Terms from `lo` to `hi` (excluded) of a vocabulary: those starting with one prefix. */
export class VocabularyRange<T> {
  constructor(
    private readonly vocabulary: Vocabulary<T>,
    private readonly lo: number,
    private readonly hi: number,
  ) {}

  get size(): number {
    return this.hi - this.lo;
  }

  has(term: string): boolean {
    const k = this.vocabulary.indexOf(term);
    return k >= this.lo && k < this.hi;
  }

  get(term: string): T | undefined {
    return this.has(term) ? this.vocabulary.valueAt(this.vocabulary.indexOf(term)) : undefined;
  }

  *keys(): IterableIterator<string> {
    for (let k = this.lo; k < this.hi; k++) yield this.vocabulary.termAt(k);
  }

  *values(): IterableIterator<T> {
    for (let k = this.lo; k < this.hi; k++) yield this.vocabulary.valueAt(k);
  }

  *entries(): IterableIterator<[string, T]> {
    for (let k = this.lo; k < this.hi; k++) yield [this.vocabulary.termAt(k), this.vocabulary.valueAt(k)];
  }

  [Symbol.iterator](): IterableIterator<[string, T]> {
    return this.entries();
  }
}

/** Whether each term is after the one before it, in code unit order: sorted, none twice. */
export function isStrictlySorted(terms: readonly string[]): boolean {
  for (let k = 1; k < terms.length; k++) if (!(terms[k - 1]! < terms[k]!)) return false;
  return true;
}

export class Vocabulary<T> {
  readonly #terms: readonly string[];
  readonly #value: (k: number) => T;

  /** `terms` strictly sorted in code unit order (refused otherwise); `value(k)`, the value of term `k`. */
  constructor(terms: readonly string[], value: (k: number) => T) {
    if (!isStrictlySorted(terms)) throw new Error('vocabulary terms are not strictly sorted');
    this.#terms = terms;
    this.#value = value;
  }

  get size(): number {
    return this.#terms.length;
  }

  termAt(k: number): string {
    return this.#terms[k]!;
  }

  valueAt(k: number): T {
    return this.#value(k);
  }

  /** The first position whose term is not before `term`. */
  #lowerBound(term: string): number {
    let lo = 0;
    let hi = this.#terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#terms[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The position of `term`, or -1. */
  indexOf(term: string): number {
    const k = this.#lowerBound(term);
    return this.#terms[k] === term ? k : -1;
  }

  has(term: string): boolean {
    return this.indexOf(term) >= 0;
  }

  get(term: string): T | undefined {
    const k = this.indexOf(term);
    return k >= 0 ? this.#value(k) : undefined;
  }

  /** The terms that start with `prefix` (itself included), in order. */
  atPrefix(prefix: string): VocabularyRange<T> {
    const lo = this.#lowerBound(prefix);
    // Sorted, the terms with the prefix come together from `lo`: the first one without it ends them.
    let hi = this.#terms.length;
    let from = lo;
    while (from < hi) {
      const mid = (from + hi) >>> 1;
      if (this.#terms[mid]!.startsWith(prefix)) from = mid + 1;
      else hi = mid;
    }
    return new VocabularyRange(this, lo, from);
  }

  /**
   * The terms within `maxDistance` edits (Levenshtein: insertions, deletions, substitutions of code units) of
   * `query`, with their values and distances: the walk of MiniSearch's `fuzzyGet` (one matrix row per character
   * of the walked prefix, a branch left once its row's minimum passes the distance), over ranges of terms sharing
   * a prefix instead of the tree's nodes.
   */
  fuzzyGet(query: string, maxDistance: number): Map<string, [T, number]> {
    const results = new Map<string, [T, number]>();
    const n = query.length + 1;
    // Matching terms are at most query.length + maxDistance long: rows 0 … that.
    const m = n + maxDistance;
    const matrix = new Uint8Array(m * n).fill(maxDistance + 1);
    for (let j = 0; j < n; ++j) matrix[j] = j;
    for (let i = 1; i < m; ++i) matrix[i * n] = i;
    const terms = this.#terms;
    // Terms lo … hi − 1 share their first `depth` code units, whose rows are filled.
    const walk = (lo: number, hi: number, depth: number): void => {
      if (terms[lo]!.length === depth) {
        // The range's prefix is itself a term (sorted first).
        const distance = matrix[depth * n + n - 1]!;
        if (distance <= maxDistance) results.set(terms[lo]!, [this.#value(lo), distance]);
        lo++;
      }
      const i = depth + 1;
      while (lo < hi) {
        const unit = terms[lo]!.charCodeAt(depth);
        // The terms of this range going on with `unit` come together: the first with a later unit ends them.
        let end = hi;
        let from = lo + 1;
        while (from < end) {
          const mid = (from + end) >>> 1;
          if (terms[mid]!.charCodeAt(depth) === unit) from = mid + 1;
          else end = mid;
        }
        if (i < m) {
          const row = n * i;
          const previous = row - n;
          let minDistance = matrix[row]!;
          const jmin = Math.max(0, i - maxDistance - 1);
          const jmax = Math.min(n - 1, i + maxDistance);
          for (let j = jmin; j < jmax; ++j) {
            const different = unit !== query.charCodeAt(j) ? 1 : 0;
            const dist = Math.min(
              matrix[previous + j]! + different,
              matrix[previous + j + 1]! + 1,
              matrix[row + j]! + 1,
            );
            matrix[row + j + 1] = dist;
            if (dist < minDistance) minDistance = dist;
          }
          if (minDistance <= maxDistance) walk(lo, from, i);
        }
        lo = from;
      }
    };
    if (terms.length > 0) walk(0, terms.length, 0);
    return results;
  }

  *keys(): IterableIterator<string> {
    yield* this.#terms;
  }

  *values(): IterableIterator<T> {
    for (let k = 0; k < this.#terms.length; k++) yield this.#value(k);
  }

  *entries(): IterableIterator<[string, T]> {
    for (let k = 0; k < this.#terms.length; k++) yield [this.#terms[k]!, this.#value(k)];
  }

  [Symbol.iterator](): IterableIterator<[string, T]> {
    return this.entries();
  }
}
