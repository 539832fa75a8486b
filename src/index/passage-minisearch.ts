import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import type { TermData } from './postings.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * A passage as MiniSearch sees it: its index terms (the index is written from an `IndexDraft`, never through
 * `MiniSearch.add`, so this shape only types the options). Queries reach MiniSearch already analyzed, as terms
 * joined by spaces. The quoted text lives in the corpus, not in the index; titles are matched apart, which keeps
 * their terms out of every passage's postings.
 */
export interface PassageDoc {
  id: number;
  text: string;
}

const splitTerms = (s: string): string[] => (s === '' ? [] : s.split(' '));

/** Options of the index (MiniSearch requires them at load): terms come pre-analyzed. */
export const MINISEARCH_OPTIONS: Options<PassageDoc> = {
  idField: 'id',
  fields: ['text'],
  storeFields: [],
  tokenize: splitTerms,
  processTerm: (term) => term,
};

/** MiniSearch's scalars (serialization version 2) as the snapshot keeps them. */
export type MiniScalars = Omit<AsPlainObject, 'index' | 'documentIds' | 'fieldLength' | 'storedFields'>;

/**
 * Passage ids 0…n−1 as MiniSearch's maps of document ids ↔ short ids (they are the same numbers): what it asks of
 * them (`has`, `get`, iteration to serialize) without a map entry per passage.
 */
class DenseIds {
  constructor(readonly size: number) {}

  has(id: unknown): boolean {
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < this.size;
  }

  get(id: unknown): number | undefined {
    return this.has(id) ? (id as number) : undefined;
  }

  *entries(): IterableIterator<[number, number]> {
    for (let id = 0; id < this.size; id++) yield [id, id];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/** Each passage's field length (distinct terms of its one field) as MiniSearch's map of short id → lengths. */
class FieldLengths {
  constructor(private readonly lengths: Int32Array) {}

  get size(): number {
    return this.lengths.length;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.lengths.length;
  }

  get(id: number): number[] | undefined {
    return this.has(id) ? [this.lengths[id]!] : undefined;
  }

  *entries(): IterableIterator<[number, number[]]> {
    for (let id = 0; id < this.lengths.length; id++) yield [id, [this.lengths[id]!]];
  }

  [Symbol.iterator](): IterableIterator<[number, number[]]> {
    return this.entries();
  }
}

/**
 * MiniSearch over passages, loaded from the snapshot through its supported extension point: a subclass filling
 * the protected maps that `loadJS` fills (MiniSearch 7 declares them protected and lets subclasses take over
 * loading), from typed arrays and a slice at a time, without a plain object per term to parse and convert. Passage
 * ids are its document ids and short ids alike. The maps it searches through are stand-ins answering what it asks
 * of them: the passage ids and field lengths from one typed array, the terms from one sorted array
 * (vocabulary.ts), each term's postings decoded from the snapshot's bytes when a search asks for them
 * (postings.ts), so that loading an index makes no map entry per passage, per term nor per posting. Such an index
 * is searched and serialized (`toJSON`), never added to.
 */
export class PassageMiniSearch extends MiniSearch<PassageDoc> {
  constructor(scalars?: MiniScalars) {
    super(MINISEARCH_OPTIONS);
    if (!scalars) return;
    this._documentCount = scalars.documentCount;
    this._nextId = scalars.nextId;
    this._fieldIds = scalars.fieldIds;
    this._avgFieldLength = scalars.averageFieldLength;
    this._dirtCount = scalars.dirtCount ?? 0;
  }

  #lengths: Int32Array = new Int32Array(0);

  /** Records passages 0…n−1 with their numbers of distinct terms. */
  setPassageLengths(distinctTerms: Int32Array): void {
    this.#lengths = distinctTerms;
    const ids = new DenseIds(distinctTerms.length) as unknown as Map<number, number>;
    this._documentIds = ids;
    this._idToShortId = ids;
    this._fieldLength = new FieldLengths(distinctTerms) as unknown as Map<number, number[]>;
  }

  #vocabulary: Vocabulary<TermData> | null = null;

  /**
   * Records the terms with their postings, in the single field (number 0) passages have: the vocabulary stands
   * for MiniSearch's term map (it answers the same calls).
   */
  setVocabulary(vocabulary: Vocabulary<TermData>): void {
    this.#vocabulary = vocabulary;
    this._index = vocabulary as unknown as typeof this._index;
  }

  /** Each passage's number of distinct terms (BM25's field length), by passage id. */
  get passageLengths(): Int32Array {
    return this.#lengths;
  }

  /** The mean of `passageLengths`. */
  get averagePassageLength(): number {
    return this._avgFieldLength[0] ?? 1;
  }

  /** A term's postings, to scan without MiniSearch's scoring (undefined for a term no passage holds). */
  termPostings(term: string): TermData | undefined {
    return this.#vocabulary?.get(term);
  }
}
