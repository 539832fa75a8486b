import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';

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

/** Postings of one term: passage id → occurrences (MiniSearch's `DocumentTermFreqs`). */
export type TermPostings = Map<number, number>;

/**
 * MiniSearch over passages, loaded from the snapshot through its supported extension point: a subclass filling
 * the protected maps that `loadJS` fills (MiniSearch 7 declares them protected and lets subclasses take over
 * loading), from typed arrays and a slice at a time, without a plain object per term to parse and convert. Passage
 * ids are its document ids and short ids alike.
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

  /** Records passage `id` with its number of distinct terms. */
  addPassageLength(id: number, distinctTerms: number): void {
    this._documentIds.set(id, id);
    this._idToShortId.set(id, id);
    this._fieldLength.set(id, [distinctTerms]);
  }

  /** Records a term's postings, in the single field (number 0) passages have. */
  addTermPostings(term: string, postings: TermPostings): void {
    this._index.set(term, new Map([[0, postings]]));
  }

  /** The term tree, which doubles as the vocabulary for typo and prefix look-ups (the terms are held once). */
  // Inferred: MiniSearch does not export the SearchableMap class its main module types this with.
  get termTree() {
    return this._index;
  }
}

/** MiniSearch's radix tree of terms (its values are MiniSearch's own: read keys and look-ups only). */
export type TermTree = PassageMiniSearch['termTree'];
