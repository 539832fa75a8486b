import { indexTerms } from '../language/index.js';
import { DraftPostings } from './postings.js';

/**
 * Index terms of a run of passages, counted: what a parsing thread hands over for indexing. Terms are numbered
 * within the run, so each distinct term crosses the thread boundary once, and the counts travel in typed arrays.
 */
export interface AnalyzedPassages {
  /** Distinct terms of the run, in order of first use. */
  vocabulary: string[];
  /** Passage k's pairs are entries[2·offsets[k] … 2·offsets[k+1]); offsets has one slot more than passages. */
  offsets: Int32Array<ArrayBuffer>;
  /** Pairs (term number in `vocabulary`, occurrences in the passage), each term once per passage. */
  entries: Int32Array<ArrayBuffer>;
}

/** Analyzes passage texts and counts each passage's terms. */
export function analyzePassages(texts: Iterable<string>): AnalyzedPassages {
  const numbers = new Map<string, number>();
  const vocabulary: string[] = [];
  const offsets: number[] = [0];
  const entries: number[] = [];
  // Where the current passage's pair of each term sits, valid when seenIn[term] is the current passage.
  const slot: number[] = [];
  const seenIn: number[] = [];
  let passage = 0;
  for (const text of texts) {
    for (const term of indexTerms(text)) {
      let n = numbers.get(term);
      if (n === undefined) {
        numbers.set(term, (n = vocabulary.length));
        vocabulary.push(term);
        seenIn.push(-1);
        slot.push(0);
      }
      if (seenIn[n] === passage) entries[slot[n]! + 1]!++;
      else {
        seenIn[n] = passage;
        slot[n] = entries.length;
        entries.push(n, 1);
      }
    }
    offsets.push(entries.length / 2);
    passage++;
  }
  return { vocabulary, offsets: Int32Array.from(offsets), entries: Int32Array.from(entries) };
}

/**
 * The inverted index while it is built: postings per term and the length of each passage, what MiniSearch
 * serializes (and loads) of its own index. Building it is only appending bytes, where `MiniSearch.add` inserts
 * every (passage, term) pair into its radix tree; the tree is then built once, when the snapshot is loaded.
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
   * ids are consecutive from `passageCount`.
   */
  add(analyzed: AnalyzedPassages, ids: ArrayLike<number>): void {
    const { vocabulary, offsets, entries } = analyzed;
    const local = new Int32Array(vocabulary.length).fill(-1);
    for (let k = 0; k + 1 < offsets.length; k++) {
      const id = ids[k]!;
      if (id < 0) continue;
      if (id !== this.fieldLength.length)
        throw new Error(`passage ${id} added out of order (expected ${this.fieldLength.length})`);
      const from = offsets[k]!;
      const to = offsets[k + 1]!;
      for (let e = from * 2; e < to * 2; e += 2) {
        const v = entries[e]!;
        let n = local[v]!;
        if (n < 0) local[v] = n = this.#number(vocabulary[v]!);
        this.postings.add(n, id, entries[e + 1]!);
      }
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
