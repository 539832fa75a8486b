/**
 * Postings as bytes, from the build to the loaded index: per term, its passages in increasing id, each as one
 * unsigned LEB128 varint, 2·(gap to the previous id, minus one) + (occurs more than once), followed by the
 * occurrences minus two when it does. About 1.3 bytes a posting where Int32 pairs took 8, and only one encoding:
 * the draft appends to it, the snapshot writes it as it is, the loaded index keeps the snapshot's parts and decodes
 * a term's postings when a search asks for them (into two typed arrays, not a Map), once every term has been
 * checked at load.
 */

/** A varint of a value below 2³⁵ takes at most 5 bytes (those written are below 2³¹). */
export const MAX_VARINT_BYTES = 5;

/** Writes `v` (a non-negative integer below 2³¹) at `at`; returns where it ends. */
export function writeVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/** Reads varints of `buf` from `at` to `end`, checking each: `next` is -1 when the bytes end inside one. */
export class VarintReader {
  constructor(
    readonly buf: Uint8Array,
    public at = 0,
    readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  /** The next value (below 2³⁵), or -1 when the bytes end inside it or it runs past 5 bytes. */
  next(): number {
    let v = 0;
    let scale = 1;
    for (let k = 0; k < MAX_VARINT_BYTES && this.at < this.end; k++) {
      const b = this.buf[this.at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    return -1;
  }
}

/** Appends varints to a growing buffer: a snapshot section's parts, whole items each (see `item`). */
export class VarintParts {
  #buf: Uint8Array;
  #at = 0;

  constructor(
    private readonly emit: (part: Uint8Array) => void,
    private readonly partBytes: number,
  ) {
    this.#buf = new Uint8Array(partBytes);
  }

  /** Makes room in the current part for an item of at most `maxBytes`. */
  item(maxBytes: number): void {
    if (this.#at + maxBytes <= this.#buf.length) return;
    this.flush();
    if (maxBytes > this.#buf.length) this.#buf = new Uint8Array(maxBytes);
  }

  push(v: number): void {
    this.#at = writeVarint(this.#buf, this.#at, v);
  }

  pushBytes(bytes: Uint8Array): void {
    this.#buf.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  flush(): void {
    if (this.#at === 0) return;
    this.emit(this.#buf.subarray(0, this.#at));
    this.#buf = new Uint8Array(this.partBytes);
    this.#at = 0;
  }
}

const grow = (a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> => {
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
};

/** Bytes of a slab: terms' blocks are cut from slabs, never one typed array per term. */
const SLAB_BYTES = 16 * 1024 * 1024;
/** A term's first block; a full block moves to one twice its size (the old one is left where it was). */
const FIRST_BLOCK_BYTES = 16;

/**
 * The postings of the terms while the index is built, as bytes per term (what the snapshot writes). Each term's
 * bytes are one block of a slab, moved to a block twice as large when full: a quarter of a million small typed
 * arrays at 100,000 articles, each reallocated as it grew, cost three times the time of the appends and a good
 * part of the main thread's garbage collection. Blocks left behind waste at most as much as they hold.
 */
export class DraftPostings {
  readonly #slabs: Uint8Array[] = [];
  #slab = new Uint8Array(0);
  #top = 0;
  /** Per term: its block's slab, where the block starts, its size, the bytes used, its last passage, its count. */
  #slabOf = new Int32Array(1024);
  #start = new Int32Array(1024);
  #size = new Int32Array(1024);
  #used = new Int32Array(1024);
  #last = new Int32Array(1024);
  #count = new Int32Array(1024);
  #terms = 0;

  /** `slabBytes`: tests make it small, to cross slabs. */
  constructor(private readonly slabBytes = SLAB_BYTES) {}

  get terms(): number {
    return this.#terms;
  }

  /** A new term, with no posting yet; returns its number. */
  addTerm(): number {
    const n = this.#terms++;
    if (n === this.#used.length) {
      this.#slabOf = grow(this.#slabOf, n + 1);
      this.#start = grow(this.#start, n + 1);
      this.#size = grow(this.#size, n + 1);
      this.#used = grow(this.#used, n + 1);
      this.#last = grow(this.#last, n + 1);
      this.#count = grow(this.#count, n + 1);
    }
    this.#place(n, FIRST_BLOCK_BYTES);
    this.#last[n] = -1;
    return n;
  }

  /** Gives term `n` a block of `size` bytes holding the bytes it used so far. */
  #place(n: number, size: number): void {
    if (this.#top + size > this.#slab.length) {
      this.#slab = new Uint8Array(Math.max(this.slabBytes, size));
      this.#slabs.push(this.#slab);
      this.#top = 0;
    }
    const used = this.#used[n]!;
    if (used > 0) {
      const from = this.#start[n]!;
      this.#slab.set(this.#slabs[this.#slabOf[n]!]!.subarray(from, from + used), this.#top);
    }
    this.#slabOf[n] = this.#slabs.length - 1;
    this.#start[n] = this.#top;
    this.#size[n] = size;
    this.#top += size;
  }

  /** Term `n` occurs `occurrences` times in passage `id`, past every passage it was added for before. */
  add(n: number, id: number, occurrences: number): void {
    this.addPassage(id, [0, occurrences], 0, 1, [n]);
  }

  /**
   * Passage `id` holds the pairs (term, occurrences) `entries[2·from … 2·to)`, each term once, its number mapped
   * through `numbers` (the draft's number of the counter's term), past every passage its terms were added for.
   */
  addPassage(id: number, entries: ArrayLike<number>, from: number, to: number, numbers: ArrayLike<number>): void {
    const start = this.#start;
    const used = this.#used;
    const last = this.#last;
    const count = this.#count;
    for (let e = from * 2; e < to * 2; e += 2) {
      const n = numbers[entries[e]!]!;
      const occurrences = entries[e + 1]!;
      const gap = id - last[n]! - 1;
      if (gap < 0 || occurrences < 1) throw new Error(`posting of term ${n} out of order`);
      if (used[n]! + 2 * MAX_VARINT_BYTES > this.#size[n]!) this.#place(n, this.#size[n]! * 2);
      const bytes = this.#slabs[this.#slabOf[n]!]!;
      let at = writeVarint(bytes, start[n]! + used[n]!, 2 * gap + (occurrences > 1 ? 1 : 0));
      if (occurrences > 1) at = writeVarint(bytes, at, occurrences - 2);
      used[n] = at - start[n]!;
      last[n] = id;
      count[n]!++;
    }
  }

  /** Passages holding term `n`. */
  count(n: number): number {
    return this.#count[n]!;
  }

  /** Term `n`'s postings as bytes. */
  bytes(n: number): Uint8Array {
    const start = this.#start[n]!;
    return this.#slabs[this.#slabOf[n]!]!.subarray(start, start + this.#used[n]!);
  }

  /** Calls `visit` on term `n`'s postings in order, until it returns false. */
  each(n: number, visit: (id: number, occurrences: number) => unknown): void {
    const bytes = this.bytes(n);
    for (let at = 0, id = -1; at < bytes.length; ) {
      const r = decodeOne(bytes, at, id);
      at = r.at;
      id = r.id;
      if (visit(id, r.occurrences) === false) return;
    }
  }
}

const one = { at: 0, id: 0, occurrences: 0 };

/** The posting at `at` (bytes already checked), after passage `previous`. */
function decodeOne(bytes: Uint8Array, at: number, previous: number): typeof one {
  let v = 0;
  let scale = 1;
  for (let b = bytes[at++]!; ; b = bytes[at++]!) {
    v += (b & 0x7f) * scale;
    if (b < 0x80) break;
    scale *= 128;
  }
  let occurrences = 1;
  if (v % 2 === 1) {
    let o = 0;
    scale = 1;
    for (let b = bytes[at++]!; ; b = bytes[at++]!) {
      o += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    occurrences = o + 2;
  }
  one.at = at;
  one.id = previous + 1 + Math.floor(v / 2);
  one.occurrences = occurrences;
  return one;
}

/**
 * Reads one term's postings of `count` passages at `r` (bytes not yet trusted): calls `visit` with each id and its
 * occurrences; returns false when the bytes do not hold `count` well-formed postings (ids are checked by the
 * caller: below the passage count).
 */
export function scanPostings(
  r: VarintReader,
  count: number,
  visit: (id: number, occurrences: number) => void,
): boolean {
  let id = -1;
  for (let k = 0; k < count; k++) {
    const v = r.next();
    if (v < 0) return false;
    let occurrences = 1;
    if (v % 2 === 1) {
      const o = r.next();
      if (o < 0) return false;
      occurrences = o + 2;
    }
    id += 1 + Math.floor(v / 2);
    visit(id, occurrences);
  }
  return true;
}

/** The largest occurrence count a posting may hold, less 2 as written: the count stays an int32. */
const MAX_STORED_OCCURRENCES = 2 ** 31 - 1 - 2;

/** What `checkTermPostings` found of a term's postings. */
export interface TermCheck {
  /** Where its postings end in the part; -1 when the bytes do not hold `count` well-formed postings. */
  end: number;
  /** A passage id at or past the passage count, or -1. */
  outOfRange: number;
  /** The union of its passages' topic masks. */
  topics: number;
  /** How many of its passages are in its champion list. */
  champions: number;
}

/** Topics a tally packs into the high half of one int32 per passage (its sign bit left clear). */
const PACKED_TOPICS = 15;

/**
 * Per passage, its article's topic mask and its number of distinct terms as the postings check counts them. With
 * at most 15 topics both share one int32 (the mask in the high half, the count in the low: 4 bytes a passage),
 * else they lie side by side (8 bytes, one cache line for both): the check touches a passage's cell at each of
 * its postings, a memory miss apiece for rare terms, and at 100,000 articles the 8-byte cells made a load 0.2 s
 * slower (7.5 MB against 3.7).
 */
export class PassageTally {
  readonly cells: Int32Array;
  /** log2 of the int32s a passage takes: 0 packed, 1 side by side. */
  readonly shift: 0 | 1;

  constructor(
    readonly passages: number,
    topics: number,
  ) {
    this.shift = topics <= PACKED_TOPICS ? 0 : 1;
    this.cells = new Int32Array(passages << this.shift);
  }

  setTopics(id: number, mask: number): void {
    this.cells[id << this.shift] = this.shift === 0 ? mask << 16 : mask;
  }

  /**
   * Whether passage `id` was counted `terms` times and still has topic mask `mask`: packed, a count past 65,535
   * carries into the mask (no passage has that many terms: its 600 characters hold far fewer).
   */
  holds(id: number, terms: number, mask: number): boolean {
    if (this.shift === 1) return this.cells[(id << 1) + 1] === terms;
    return terms >= 0 && terms <= 0xffff && this.cells[id] === ((mask << 16) | terms);
  }
}

/**
 * Checks one term's postings at `at` of a part (bytes not yet trusted), as the loader does for every term: each
 * passage is counted in `tally`, its topic mask added, its presence in `champions` (sorted, distinct) counted.
 * The same as `scanPostings` with those visits, written out: it runs once per posting (26 million at 100,000
 * articles), so one-byte varints take a short path and champions are met by walking their sorted list beside the
 * increasing ids, not by a set lookup apiece.
 */
export function checkTermPostings(
  bytes: Uint8Array,
  at: number,
  count: number,
  tally: PassageTally,
  champions: Int32Array | null,
  out: TermCheck,
): void {
  const end = bytes.length;
  const { cells, passages, shift: cellShift } = tally;
  // Packed, a cell's count is its low half (the topics are read from the high one); else the second int32.
  const countAt = cellShift;
  const topicsShift = cellShift === 0 ? 16 : 0;
  const lastChampion = champions ? champions.length : 0;
  let champion = 0;
  let next = champions && lastChampion > 0 ? champions[0]! : -1;
  let id = -1;
  let topics = 0;
  let found = 0;
  out.end = -1;
  out.outOfRange = -1;
  for (let k = 0; k < count; k++) {
    // In int32 arithmetic throughout (shifts, not multiplies): a double anywhere made every index below a
    // conversion, and this loop twice as slow.
    if (at >= end) return;
    let b = bytes[at++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      let shift = 7;
      do {
        if (at >= end || shift > 28) return;
        b = bytes[at++]!;
        // A fifth byte above 7 makes a value of 2³¹ or more: past any passage.
        if (shift === 28 && b > 7) {
          if (b < 0x80) out.outOfRange = passages;
          return;
        }
        v |= (b & 0x7f) << shift;
        shift += 7;
      } while (b >= 0x80);
    }
    if ((v & 1) === 1) {
      // The occurrence count that follows (written less 2): its form checked, and small enough for the count to fit
      // the Int32Array it is decoded into (a larger one would wrap to zero or below).
      let stored = 0;
      let scale = 1;
      let n = 0;
      let u = 0x80;
      while (u >= 0x80) {
        if (at >= end || n++ >= MAX_VARINT_BYTES) return;
        u = bytes[at++]!;
        stored += (u & 0x7f) * scale;
        scale *= 128;
      }
      if (stored > MAX_STORED_OCCURRENCES) return;
    }
    id = id + 1 + (v >>> 1);
    if (id >= passages) {
      out.outOfRange = id;
      return;
    }
    const slot = id << cellShift;
    topics |= cells[slot]!;
    cells[slot + countAt]!++;
    if (id >= next && next >= 0) {
      while (next >= 0 && next < id) next = ++champion < lastChampion ? champions![champion]! : -1;
      if (next === id) {
        found++;
        next = ++champion < lastChampion ? champions![champion]! : -1;
      }
    }
  }
  out.end = at;
  out.topics = topics >>> topicsShift;
  out.champions = found;
}

/**
 * One term's postings, decoded: what MiniSearch reads as the term's map of passage id → occurrences (it only
 * asks for its size, its keys in order and the occurrences of each, and iterates it to serialize).
 */
export class PostingsView {
  #cursor = 0;

  constructor(
    readonly ids: Int32Array,
    readonly occurrences: Int32Array,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  keys(): IterableIterator<number> {
    return this.ids.values();
  }

  values(): IterableIterator<number> {
    return this.occurrences.values();
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.occurrences[i]!];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  forEach(visit: (occurrences: number, id: number) => void): void {
    for (let i = 0; i < this.ids.length; i++) visit(this.occurrences[i]!, this.ids[i]!);
  }

  has(id: number): boolean {
    return this.#find(id) >= 0;
  }

  get(id: number): number | undefined {
    const i = this.#find(id);
    return i < 0 ? undefined : this.occurrences[i];
  }

  /** Where `id` is: MiniSearch asks in key order, so the slot after the last one found is tried first. */
  #find(id: number): number {
    const { ids } = this;
    const c = this.#cursor;
    if (ids[c] === id) return c;
    if (ids[c + 1] === id) return (this.#cursor = c + 1);
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === id) return (this.#cursor = mid);
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** The postings of a loaded index: the snapshot's parts as they were read, and where each term's postings are. */
export class PostingsStore {
  readonly #parts: Uint8Array[] = [];
  readonly #part: Int32Array;
  readonly #at: Int32Array;
  readonly #count: Int32Array;

  constructor(terms: number) {
    this.#part = new Int32Array(terms);
    this.#at = new Int32Array(terms);
    this.#count = new Int32Array(terms);
  }

  /** Keeps a part; returns its number. */
  addPart(part: Uint8Array): number {
    return this.#parts.push(part) - 1;
  }

  /** Term `n`'s postings are `count` postings at `at` of part `part`, checked already. */
  setTerm(n: number, part: number, at: number, count: number): void {
    this.#part[n] = part;
    this.#at[n] = at;
    this.#count[n] = count;
  }

  count(n: number): number {
    return this.#count[n]!;
  }

  /**
   * Decodes term `n`'s postings into `ids` and `occurrences` (reused by the caller: a query's scan allocates
   * nothing); returns their count. The arrays must hold `count(n)` values.
   */
  decodeInto(n: number, ids: Int32Array, occurrences: Int32Array): number {
    const count = this.#count[n]!;
    const bytes = this.#parts[this.#part[n]!]!;
    let at = this.#at[n]!;
    let id = -1;
    for (let k = 0; k < count; k++) {
      let v = 0;
      let scale = 1;
      let b = bytes[at++]!;
      while (b >= 0x80) {
        v += (b & 0x7f) * scale;
        scale *= 128;
        b = bytes[at++]!;
      }
      v += b * scale;
      let o = 1;
      if (v % 2 === 1) {
        o = 0;
        scale = 1;
        b = bytes[at++]!;
        while (b >= 0x80) {
          o += (b & 0x7f) * scale;
          scale *= 128;
          b = bytes[at++]!;
        }
        o += b * scale + 2;
      }
      id += 1 + Math.floor(v / 2);
      ids[k] = id;
      occurrences[k] = o;
    }
    return count;
  }

  /** Term `n`'s postings, decoded. */
  postings(n: number): PostingsView {
    const ids = new Int32Array(this.#count[n]!);
    const occurrences = new Int32Array(ids.length);
    this.decodeInto(n, ids, occurrences);
    return new PostingsView(ids, occurrences);
  }
}

/**
 * What the vocabulary holds for a term: MiniSearch's map of field id → postings, for the one field passages have,
 * with its postings decoded each time they are asked for (MiniSearch asks once per term per search).
 */
export class TermData {
  constructor(
    readonly store: PostingsStore,
    readonly n: number,
  ) {}

  get size(): number {
    return 1;
  }

  /** Decodes the term's postings into reusable arrays (see `PostingsStore.decodeInto`); returns their count. */
  decodeInto(ids: Int32Array, occurrences: Int32Array): number {
    return this.store.decodeInto(this.n, ids, occurrences);
  }

  get(field: number): PostingsView | undefined {
    return field === 0 ? this.store.postings(this.n) : undefined;
  }

  has(field: number): boolean {
    return field === 0;
  }

  keys(): IterableIterator<number> {
    return [0].values();
  }

  values(): IterableIterator<PostingsView> {
    return [this.store.postings(this.n)].values();
  }

  entries(): IterableIterator<[number, PostingsView]> {
    return [[0, this.store.postings(this.n)] as [number, PostingsView]].values();
  }

  [Symbol.iterator](): IterableIterator<[number, PostingsView]> {
    return this.entries();
  }

  forEach(visit: (postings: PostingsView, field: number) => void): void {
    visit(this.store.postings(this.n), 0);
  }
}
