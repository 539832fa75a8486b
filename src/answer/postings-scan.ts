/**
 * The passages holding the most of a question's words, by a scan of their terms' postings: each passage counts,
 * per question word, the weight of the best of the word's terms it holds (a synonym or family member counts at its
 * lower quality, a term found several times a little more, BM25's saturation), and the best `keep` are kept.
 *
 * Written by hand because no library scores a passage by its question words without a map entry per passage met:
 * MiniSearch builds one per posting (a question may scan a hundred thousand). The scan goes through the corpus a
 * block of passage ids at a time, every term's sorted postings advancing together, so that the per-passage sums
 * live in small arrays that stay in the processor's cache: a sum per passage over the whole corpus costs one
 * memory miss a posting on a large corpus, several times the decoding. For the same reason each passage's length
 * (BM25's normalization, read once per posting) is read from 2 bytes a passage, not a table of 8: postings are
 * sparse, one cache line apiece, and at 100,000 articles the 8-byte table (7.5 MB) made the scan 1.8 times slower.
 */

/** Passage ids a block spans: its arrays (a few of 8 bytes each per passage) fit in a core's own cache. */
const BLOCK = 8192;
/** BM25's term-frequency saturation and length normalization (their usual values). */
const BM25_K = 1.2;
const BM25_B = 0.75;

/** One term of the scan: its postings (decoded into `ids`/`occurrences` from `from` to `to`) and what it counts. */
export interface ScanTerm {
  word: number;
  /** Weight of the term where it occurs once (its IDF times its quality and its word's factor). */
  weight: number;
  quality: number;
  from: number;
  to: number;
}

export interface ScanHit {
  id: number;
  score: number;
  /** Question word → the quality of the best of its terms the passage holds. */
  words: Map<number, number>;
}

/** Per-block arrays, reused from question to question (questions run one at a time), zeroed after each block. */
interface BlockArrays {
  /** Each passage's sum so far (0: not met in this block). */
  gain: Float64Array;
  /** For a word of several terms: the best of its terms' gains in each passage, and the word last met there + 1. */
  wordGain: Float64Array;
  wordTag: Int32Array;
  /** Passages of the block met, and those met by the current word. */
  met: Int32Array;
  wordMet: Int32Array;
}

let arrays: BlockArrays | null = null;

function blockArrays(): BlockArrays {
  arrays ??= {
    gain: new Float64Array(BLOCK),
    wordGain: new Float64Array(BLOCK),
    wordTag: new Int32Array(BLOCK),
    met: new Int32Array(BLOCK),
    wordMet: new Int32Array(BLOCK),
  };
  return arrays;
}

/**
 * Each passage's length in 2 bytes, per lengths array: the same every scan. A passage is at most 600 characters, so
 * it never has 65,535 distinct terms; a count above that (a crafted snapshot) would rank as that length.
 */
const shortLengths = new WeakMap<Int32Array, Uint16Array>();

function shortLengthsOf(lengths: Int32Array): Uint16Array {
  let short = shortLengths.get(lengths);
  if (!short) {
    short = new Uint16Array(lengths.length);
    for (let id = 0; id < lengths.length; id++) short[id] = Math.min(0xffff, Math.max(0, lengths[id]!));
    shortLengths.set(lengths, short);
  }
  return short;
}

/** Makes the table a first scan would make (at 500,000 articles, 4.7 M passages): at start-up. */
export function prepareScan(lengths: Int32Array): void {
  shortLengthsOf(lengths);
}

/** What a scan keeps and how it scores. */
export interface ScanOptions {
  /** Passages kept: the best. */
  keep: number;
  /** Each passage's factor on its score (a reader's comment ranks lower). */
  factor: (id: number) => number;
  /** Passages that may be kept (a topic's). */
  inScope: (id: number) => boolean;
  /** Each passage's number of distinct terms, and their mean (BM25's length normalization). */
  lengths: Int32Array;
  averageLength: number;
}

/**
 * The `keep` passages of highest score (ties: lower id first), best first. `terms` are grouped by word (a word's
 * terms next to each other), best first by their weight for the scan to skip the most; `ids` and `occurrences`
 * hold their postings, each term's in increasing id.
 */
export function scanPostings(
  terms: readonly ScanTerm[],
  ids: Int32Array,
  occurrences: Int32Array,
  options: ScanOptions,
): ScanHit[] {
  const { keep, factor, inScope, lengths, averageLength } = options;
  const perLength = (BM25_K * BM25_B) / averageLength;
  const fixed = BM25_K * (1 - BM25_B);
  const saturated = BM25_K + 1;
  const short = shortLengthsOf(lengths);
  const a = blockArrays();
  // Zeroed at the start too: a scan cut short by an exception (a caller's `inScope` or `factor`) leaves no state.
  a.gain.fill(0);
  a.wordTag.fill(0);
  const at = terms.map((t) => t.from);
  // The most each word and those after it can add to a passage (BM25's saturation bounds a term's weight by K + 1
  // times its weight; factors are at most 1): once the heap's worst beats it, passages not met yet are skipped.
  const wordMost: number[] = [];
  terms.forEach((t, k) => {
    const most = t.weight * saturated;
    if (k > 0 && terms[k - 1]!.word === t.word) wordMost[wordMost.length - 1] = Math.max(wordMost.at(-1)!, most);
    else wordMost.push(most);
  });
  const reach = wordMost.map((_, g) => wordMost.slice(g).reduce((x, y) => x + y, 0));
  // A min-heap of the best so far, its worst at the root.
  const heapId = new Int32Array(keep);
  const heapScore = new Float64Array(keep);
  let size = 0;
  const worse = (i: number, j: number): boolean =>
    heapScore[i]! < heapScore[j]! || (heapScore[i] === heapScore[j] && heapId[i]! > heapId[j]!);
  const swap = (i: number, j: number): void => {
    const id = heapId[i]!;
    const score = heapScore[i]!;
    heapId[i] = heapId[j]!;
    heapScore[i] = heapScore[j]!;
    heapId[j] = id;
    heapScore[j] = score;
  };
  /** Puts a new entry at the root and sifts it down (the root's entry is dropped). */
  const replaceRoot = (id: number, score: number): void => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const m =
        r < size && (heapScore[r]! < heapScore[l]! || (heapScore[r] === heapScore[l] && heapId[r]! > heapId[l]!))
          ? r
          : l;
      if (score < heapScore[m]! || (score === heapScore[m] && id > heapId[m]!)) break;
      heapId[i] = heapId[m]!;
      heapScore[i] = heapScore[m]!;
      i = m;
    }
    heapId[i] = id;
    heapScore[i] = score;
  };
  const offer = (id: number, score: number): void => {
    if (size < keep) {
      heapId[size] = id;
      heapScore[size] = score;
      for (let i = size++; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (score > heapScore[0]! || (score === heapScore[0] && id < heapId[0]!)) replaceRoot(id, score);
  };

  // Hot loop: the arrays in locals; each posting's gain summed in the order BM25's formula reads, so that scores
  // are the same to the last bit whatever the path. The formula is written out in both loops and in the words'
  // lookup below, the same each time: as a closure it made the scan 8 % slower (its constants read from a context).
  const { gain, wordGain, wordTag, met: metIds, wordMet: wordMetIds } = a;
  for (let base = 0; ; ) {
    // The next block holding a posting.
    let next = Number.POSITIVE_INFINITY;
    for (let k = 0; k < terms.length; k++) if (at[k]! < terms[k]!.to) next = Math.min(next, ids[at[k]!]!);
    if (next === Number.POSITIVE_INFINITY) break;
    base = Math.max(base, next - (next % BLOCK));
    const end = base + BLOCK;
    let met = 0;
    for (let k = 0, g = 0; k < terms.length; g++) {
      const word = terms[k]!.word;
      // Past this word, a passage not met yet can no longer reach the heap: only those met are counted on.
      const onlyMet = size === keep && reach[g]! < heapScore[0]!;
      if (k + 1 === terms.length || terms[k + 1]!.word !== word) {
        // A word of one term (most words): a passage holds the term once, its gain goes straight to the sum.
        const { weight, to } = terms[k]!;
        let i = at[k]!;
        for (; i < to; i++) {
          const id = ids[i]!;
          if (id >= end) break;
          const local = id - base;
          const before = gain[local]!;
          if (before === 0) {
            if (onlyMet) continue;
            metIds[met++] = local;
          }
          const o = occurrences[i]!;
          gain[local] = before + (weight * o * saturated) / (o + fixed + perLength * short[id]!);
        }
        at[k++] = i;
        continue;
      }
      // A word of several terms: the best of them in each passage, then added to the sums.
      const tag = word + 1;
      let wordMet = 0;
      for (; k < terms.length && terms[k]!.word === word; k++) {
        const { weight, to } = terms[k]!;
        let i = at[k]!;
        for (; i < to; i++) {
          const id = ids[i]!;
          if (id >= end) break;
          const local = id - base;
          if (onlyMet && gain[local] === 0) continue;
          const o = occurrences[i]!;
          const v = (weight * o * saturated) / (o + fixed + perLength * short[id]!);
          if (wordTag[local] !== tag) {
            wordTag[local] = tag;
            wordGain[local] = v;
            wordMetIds[wordMet++] = local;
          } else if (v > wordGain[local]!) wordGain[local] = v;
        }
        at[k] = i;
      }
      for (let m = 0; m < wordMet; m++) {
        const local = wordMetIds[m]!;
        if (gain[local] === 0) metIds[met++] = local;
        gain[local] = gain[local]! + wordGain[local]!;
      }
    }
    for (let m = 0; m < met; m++) {
      const local = metIds[m]!;
      const id = base + local;
      // Factors are at most 1: a sum below the heap's worst cannot enter, whatever the passage's scope or factor.
      const sum = gain[local]!;
      if ((size < keep || sum >= heapScore[0]!) && inScope(id)) offer(id, sum * factor(id));
      gain[local] = 0;
      wordTag[local] = 0;
    }
    base = end;
  }

  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => (worse(i, j) ? 1 : worse(j, i) ? -1 : 0));
  // The kept passages' words, looked up in the postings (a few hundred passages, rather than a record of every
  // passage met): a kept passage was counted on for each word it holds, as skipping starts only at a word where a
  // passage not met yet can no longer enter, and lasts to the block's end.
  return order.map((h) => {
    const id = heapId[h]!;
    const words = new Map<number, number>();
    let word = -1;
    let best = 0;
    for (const t of terms) {
      let lo = t.from;
      let hi = t.to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[mid]! < id) lo = mid + 1;
        else hi = mid;
      }
      if (lo === t.to || ids[lo] !== id) continue;
      const o = occurrences[lo]!;
      const v = (t.weight * o * saturated) / (o + fixed + perLength * short[id]!);
      // The quality of the word's term of most gain, the first of equals (as the scan counted them).
      if (t.word !== word || v > best) {
        words.set(t.word, t.quality);
        word = t.word;
        best = v;
      }
    }
    return { id, score: heapScore[h]!, words };
  });
}
