import { DraftPostings } from './postings.js';
import type { AnalyzedPassages } from './term-counter.js';

/**
 * What the term numbers of one TermCounter stand for in a draft: its term k is `terms[k]`, the draft's term
 * `numbers[k]` (-1 until a passage kept in the draft uses it: a duplicate's terms alone make no term).
 */
export class CounterTerms {
  readonly terms: string[] = [];
  readonly numbers: number[] = [];
}

/**
 * The inverted index while it is built: postings per term and the length of each passage, what MiniSearch
 * serializes (and loads) of its own index. Building it is only appending bytes, where `MiniSearch.add` inserts
 * every (passage, term) pair into its radix tree; the loaded index's terms are the snapshot's sorted list
 * (vocabulary.ts).
 */
export class IndexDraft {
  /** Distinct terms, numbered in order of first use. */
  readonly terms: string[] = [];
  /** Per term number: its passages in increasing id, with their occurrences, as bytes (postings.ts). */
  readonly postings = new DraftPostings();
  /** Per passage id: its number of distinct terms (MiniSearch's field length). */
  readonly fieldLength: number[] = [];
  /** Mean field length, accumulated as MiniSearch does. */
  averageFieldLength = 0;
  readonly #numbers = new Map<string, number>();

  get passageCount(): number {
    return this.fieldLength.length;
  }

  /**
   * Adds analyzed passages. `ids[k]` is passage k's id in the corpus, or -1 to leave it out (a duplicate file);
   * ids are consecutive from `passageCount`. `counted` holds what the numbers of the counter that analyzed them
   * stand for, runs of one counter added in the order it analyzed them (by default, a counter of their own).
   */
  add(analyzed: AnalyzedPassages, ids: ArrayLike<number>, counted = new CounterTerms()): void {
    const { firstTerm, newTerms, offsets, entries } = analyzed;
    const { terms, numbers } = counted;
    if (firstTerm !== terms.length)
      throw new Error(`terms numbered from ${firstTerm}, expected ${terms.length}: runs out of order`);
    for (const term of newTerms) {
      terms.push(term);
      numbers.push(-1);
    }
    for (let k = 0; k + 1 < offsets.length; k++) {
      const id = ids[k]!;
      if (id < 0) continue;
      if (id !== this.fieldLength.length)
        throw new Error(`passage ${id} added out of order (expected ${this.fieldLength.length})`);
      const from = offsets[k]!;
      const to = offsets[k + 1]!;
      // Terms first kept here are numbered in order of use, before the passage's postings are appended.
      for (let e = from * 2; e < to * 2; e += 2) {
        const v = entries[e]!;
        if (numbers[v]! < 0) numbers[v] = this.#number(terms[v]!);
      }
      this.postings.addPassage(id, entries, from, to, numbers);
      const length = to - from;
      const count = this.fieldLength.length;
      this.averageFieldLength = (this.averageFieldLength * count + length) / (count + 1);
      this.fieldLength.push(length);
    }
  }

  #number(term: string): number {
    let n = this.#numbers.get(term);
    if (n === undefined) {
      this.#numbers.set(term, (n = this.terms.length));
      this.terms.push(term);
      this.postings.addTerm();
    }
    return n;
  }
}
