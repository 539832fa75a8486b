/**
 * The passages holding the most of a question's words, by a scan of their terms' postings: each passage counts,
 * per question word, the weight of the best of the word's terms it holds (a synonym or family member counts at its
 * lower quality, a term found several times a little more, BM25's saturation), and the best `keep` are kept.
 *
 * Written by hand because no library scores a passage by its question words without a map entry per passage met:
 * MiniSearch builds one per posting (a question may scan a hundred thousand). The scan goes through the corpus a
 * block of passage ids at a time, every term's sorted postings advancing together, so that the per-passage sums
 * live in small arrays that stay in the processor's cache: a sum per passage over the whole corpus costs one
 * memory miss a posting on a large corpus, several times the decoding.
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
  gain: Float64Array;
  wordGain: Float64Array;
  wordQuality: Float64Array;
  /** The word last counted in a passage, plus one (0: none yet in this block). */
  wordTag: Int32Array;
  /** Each passage's log: its first entry plus one; entries chain through `logNext`. */
  logHead: Int32Array;
  /** Passages of the block met, and those met by the current word. */
  met: Int32Array;
  wordMet: Int32Array;
  /** The block's log: per word met in a passage, the word, its quality and the passage's previous entry plus one. */
  logWord: Int32Array;
  logQuality: Float64Array;
  logNext: Int32Array;
}

let arrays: BlockArrays | null = null;

/** The arrays, with a log for blocks of up to `postings` postings. */
function blockArrays(postings: number): BlockArrays {
  if (arrays && arrays.logWord.length < postings) {
    arrays.logWord = new Int32Array(postings);
    arrays.logQuality = new Float64Array(postings);
    arrays.logNext = new Int32Array(postings);
  }
  arrays ??= {
    gain: new Float64Array(BLOCK),
    wordGain: new Float64Array(BLOCK),
    wordQuality: new Float64Array(BLOCK),
    wordTag: new Int32Array(BLOCK),
    logHead: new Int32Array(BLOCK),
    met: new Int32Array(BLOCK),
    wordMet: new Int32Array(BLOCK),
    logWord: new Int32Array(postings),
    logQuality: new Float64Array(postings),
    logNext: new Int32Array(postings),
  };
  return arrays;
}

/** BM25's length term of each passage (`perLength × length`), per lengths array: the same every scan. */
const normTables = new WeakMap<Int32Array, { perLength: number; norms: Float64Array }>();

function normsOf(lengths: Int32Array, perLength: number): Float64Array {
  const known = normTables.get(lengths);
  if (known && known.perLength === perLength) return known.norms;
  const norms = new Float64Array(lengths.length);
  for (let id = 0; id < lengths.length; id++) norms[id] = perLength * lengths[id]!;
  normTables.set(lengths, { perLength, norms });
  return norms;
}

/** Makes the table a first scan would make (at 500,000 articles, 4.7 M passages): at start-up. */
export function prepareScan(lengths: Int32Array, averageLength: number): void {
  normsOf(lengths, (BM25_K * BM25_B) / averageLength);
}

/** What a scan keeps and how it scores. */
export interface ScanOptions {
  /** Number of question words (terms name theirs from 0 to words − 1). */
  words: number;
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
  const { words, keep, factor, inScope, lengths, averageLength } = options;
  const perLength = (BM25_K * BM25_B) / averageLength;
  const fixed = BM25_K * (1 - BM25_B);
  const a = blockArrays(Math.max(0, ...terms.map((t) => t.to)));
  // Zeroed at the start too: a scan cut short by an exception (a caller's `inScope` or `factor`) leaves no state.
  a.gain.fill(0);
  a.wordTag.fill(0);
  a.logHead.fill(0);
  const { logWord, logQuality, logNext } = a;
  const at = terms.map((t) => t.from);
  // The most each word and those after it can add to a passage (BM25's saturation bounds a term's weight by K + 1
  // times its weight; factors are at most 1): once the heap's worst beats it, passages not met yet are skipped.
  const wordMost: number[] = [];
  terms.forEach((t, k) => {
    const most = t.weight * (BM25_K + 1);
    if (k > 0 && terms[k - 1]!.word === t.word) wordMost[wordMost.length - 1] = Math.max(wordMost.at(-1)!, most);
    else wordMost.push(most);
  });
  const reach = wordMost.map((_, g) => wordMost.slice(g).reduce((x, y) => x + y, 0));
  // A min-heap of the best so far (its worst at the root), each entry's words in its own row of `rows`.
  const heapId = new Int32Array(keep);
  const heapScore = new Float64Array(keep);
  const heapRow = new Int32Array(keep);
  const rows = new Float64Array(keep * words);
  let size = 0;
  const worse = (i: number, j: number): boolean =>
    heapScore[i]! < heapScore[j]! || (heapScore[i] === heapScore[j] && heapId[i]! > heapId[j]!);
  const swap = (i: number, j: number): void => {
    const id = heapId[i]!;
    const score = heapScore[i]!;
    const row = heapRow[i]!;
    heapId[i] = heapId[j]!;
    heapScore[i] = heapScore[j]!;
    heapRow[i] = heapRow[j]!;
    heapId[j] = id;
    heapScore[j] = score;
    heapRow[j] = row;
  };
  /** Puts a new entry at the root and sifts it down (the root's entry is dropped). */
  const replaceRoot = (id: number, score: number, row: number): void => {
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
      heapRow[i] = heapRow[m]!;
      i = m;
    }
    heapId[i] = id;
    heapScore[i] = score;
    heapRow[i] = row;
  };
  const offer = (id: number, score: number, local: number): void => {
    let row: number;
    if (size < keep) {
      row = size;
      heapId[size] = id;
      heapScore[size] = score;
      heapRow[size] = row;
      for (let i = size++; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else {
      if (score < heapScore[0]! || (score === heapScore[0] && id > heapId[0]!)) return;
      row = heapRow[0]!;
      replaceRoot(id, score, row);
    }
    const first = row * words;
    for (let w = 0; w < words; w++) rows[first + w] = 0;
    for (let e = a.logHead[local]! - 1; e >= 0; e = logNext[e]! - 1) rows[first + logWord[e]!] = logQuality[e]!;
  };

  // Hot loop: the arrays in locals, each posting's BM25 length term from a table made once per index.
  const { gain, wordGain, wordQuality, wordTag, logHead, met: metIds, wordMet: wordMetIds } = a;
  const norms = normsOf(lengths, perLength);
  const saturated = BM25_K + 1;
  for (let base = 0; ; ) {
    // The next block holding a posting.
    let next = Number.POSITIVE_INFINITY;
    for (let k = 0; k < terms.length; k++) if (at[k]! < terms[k]!.to) next = Math.min(next, ids[at[k]!]!);
    if (next === Number.POSITIVE_INFINITY) break;
    base = Math.max(base, next - (next % BLOCK));
    const end = base + BLOCK;
    let met = 0;
    let logged = 0;
    for (let k = 0, g = 0; k < terms.length; g++) {
      const word = terms[k]!.word;
      const tag = word + 1;
      let wordMet = 0;
      // Past this word, a passage not met yet can no longer reach the heap: only those met are counted on.
      const onlyMet = size === keep && reach[g]! < heapScore[0]!;
      for (; k < terms.length && terms[k]!.word === word; k++) {
        const t = terms[k]!;
        const quality = t.quality;
        const to = t.to;
        let i = at[k]!;
        for (; i < to; i++) {
          const id = ids[i]!;
          if (id >= end) break;
          const local = id - base;
          if (onlyMet && gain[local] === 0) continue;
          const o = occurrences[i]!;
          // Summed in the order BM25's formula reads, so that scores are the same to the last bit.
          const v = (t.weight * o * saturated) / (o + fixed + norms[id]!);
          if (wordTag[local] !== tag) {
            wordTag[local] = tag;
            wordGain[local] = v;
            wordQuality[local] = quality;
            wordMetIds[wordMet++] = local;
          } else if (v > wordGain[local]!) {
            wordGain[local] = v;
            wordQuality[local] = quality;
          }
        }
        at[k] = i;
      }
      for (let m = 0; m < wordMet; m++) {
        const local = wordMetIds[m]!;
        if (gain[local] === 0) metIds[met++] = local;
        gain[local] = gain[local]! + wordGain[local]!;
        logNext[logged] = logHead[local]!;
        logWord[logged] = word;
        logQuality[logged++] = wordQuality[local]!;
        logHead[local] = logged;
      }
    }
    for (let m = 0; m < met; m++) {
      const local = metIds[m]!;
      const id = base + local;
      // Factors are at most 1: a sum below the heap's worst cannot enter, whatever the passage's scope or factor.
      const sum = gain[local]!;
      if ((size < keep || sum >= heapScore[0]!) && inScope(id)) offer(id, sum * factor(id), local);
      gain[local] = 0;
      wordTag[local] = 0;
      logHead[local] = 0;
    }
    base = end;
  }

  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => (worse(i, j) ? 1 : worse(j, i) ? -1 : 0));
  return order.map((i) => {
    const found = new Map<number, number>();
    const row = heapRow[i]! * words;
    for (let w = 0; w < words; w++) if (rows[row + w]! > 0) found.set(w, rows[row + w]!);
    return { id: heapId[i]!, score: heapScore[i]!, words: found };
  });
}
