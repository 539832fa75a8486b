import { eachWord, termsOfWord } from '../language/index.js';
import { ownString } from '../lib/index.js';

/**
 * Index terms of a run of passages, counted: what a parsing thread hands over for indexing. Terms are numbered by
 * the thread's TermCounter for the whole build, so each distinct term crosses the thread boundary once per thread
 * (not once per run), and the counts travel in typed arrays.
 */
export interface AnalyzedPassages {
  /** The counter's number of `newTerms[0]`: the terms it had numbered before this run. */
  firstTerm: number;
  /** Terms first met in this run, numbered firstTerm, firstTerm + 1… in order of first use. */
  newTerms: string[];
  /** Passage k's pairs are entries[2·offsets[k] … 2·offsets[k+1]); offsets has one slot more than passages. */
  offsets: Int32Array<ArrayBuffer>;
  /** Pairs (the counter's term number, occurrences in the passage), each term once per passage. */
  entries: Int32Array<ArrayBuffer>;
}

/** The first `used` values of `a` in an array twice as large. */
function grown(a: Int32Array<ArrayBuffer>, used: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a.subarray(0, used));
  return bigger;
}

/** Words remembered with their term numbers (a word's numbers are found again from its terms when forgotten). */
const WORDS_LIMIT = 200_000;
const NO_TERMS: readonly number[] = [];

/**
 * Numbers index terms for one build, run after run, and counts each passage's terms. One per parsing thread: a
 * word is looked up once (its term numbers remembered) where analysis then counting looked up the word and each
 * of its terms, and the main thread maps the numbers to its own through an array instead of a lookup per term
 * and run (IndexDraft.add with the counter's CounterTerms).
 */
export class TermCounter {
  readonly #numbers = new Map<string, number>();
  /** Word as written → its term number, or its numbers when it has none or several. */
  readonly #words = new Map<string, number | readonly number[]>();
  /** Where the current passage's pair of term n sits in `entries`, valid when seenIn[n] is the current passage. */
  #seenIn = new Int32Array(1024).fill(-1);
  #slot = new Int32Array(1024);
  /** Passages counted so far, all runs together: a passage's serial tells its pairs from older ones. */
  #passages = 0;
  /** Where a run's pairs are counted, grown as needed and kept from run to run. */
  #entries = new Int32Array(1 << 16);

  /** Terms numbered so far. */
  get terms(): number {
    return this.#numbers.size;
  }

  /**
   * Analyzes passage texts and counts each passage's terms. All or nothing: when it throws, the counter is as it
   * was, so that the next run's numbers follow on from those the main thread has seen.
   */
  analyze(texts: Iterable<string>): AnalyzedPassages {
    const firstTerm = this.#numbers.size;
    const newTerms: string[] = [];
    const newWords: string[] = [];
    // Typed arrays grown by doubling (the pairs' one is kept for the next run): plain arrays of numbers, then
    // copied into typed ones, cost a tenth more of the analysis.
    let offsets = new Int32Array(256);
    let passages = 0;
    let entries = this.#entries;
    let size = 0;
    let passage = 0;
    const count = (n: number): void => {
      if (this.#seenIn[n] === passage) entries[this.#slot[n]! + 1]!++;
      else {
        this.#seenIn[n] = passage;
        this.#slot[n] = size;
        if (size + 2 > entries.length) entries = this.#entries = grown(entries, size);
        entries[size] = n;
        entries[size + 1] = 1;
        size += 2;
      }
    };
    const visit = (surface: string): void => {
      let numbers = this.#words.get(surface);
      if (numbers === undefined) {
        if (this.#words.size >= WORDS_LIMIT) {
          this.#words.clear();
          newWords.length = 0;
        }
        const terms = termsOfWord(surface, 'index');
        numbers =
          terms.length === 1
            ? this.#number(terms[0]!, newTerms)
            : terms.length === 0
              ? NO_TERMS
              : terms.map((t) => this.#number(t, newTerms));
        // A copy: the word as matched is a view into the passage's text, which the map would keep alive.
        const word = ownString(surface);
        this.#words.set(word, numbers);
        newWords.push(word);
      }
      if (typeof numbers === 'number') count(numbers);
      else for (const n of numbers) count(n);
    };
    try {
      for (const text of texts) {
        passage = this.#passages++;
        eachWord(text, visit);
        if (passages + 2 > offsets.length) offsets = grown(offsets, passages + 1);
        offsets[++passages] = size / 2;
      }
    } catch (err) {
      for (const term of newTerms) this.#numbers.delete(term);
      for (const word of newWords) this.#words.delete(word);
      throw err;
    }
    // Copies of their own: they are transferred to the main thread.
    return { firstTerm, newTerms, offsets: offsets.slice(0, passages + 1), entries: entries.slice(0, size) };
  }

  #number(term: string, newTerms: string[]): number {
    let n = this.#numbers.get(term);
    if (n === undefined) {
      n = this.#numbers.size;
      this.#numbers.set(term, n);
      newTerms.push(term);
      if (n === this.#seenIn.length) {
        const seenIn = new Int32Array(n * 2).fill(-1);
        seenIn.set(this.#seenIn);
        this.#seenIn = seenIn;
        const slot = new Int32Array(n * 2);
        slot.set(this.#slot);
        this.#slot = slot;
      }
    }
    return n;
  }
}

/** Analyzes passage texts on their own (a counter of their own): their terms numbered from 0. */
export function analyzePassages(texts: Iterable<string>): AnalyzedPassages {
  return new TermCounter().analyze(texts);
}
