import type { Rejection, TopicDefinition } from '../corpus/index.js';

/**
 * The index snapshot, one file so it is replaced atomically. Layout, chosen to be small, to load fast, in slices
 * and in parts:
 *   magic "DJSNAP6\n" · u32 header length · SHA-1 of all that follows · header JSON (small: counts, topics,
 *   rejections, sections) · sections
 *   articles   article metadata (all but the text), JSON arrays, packed
 *   textBytes  varints: UTF-8 length of each article's text
 *   texts      the articles' texts, UTF-8, one after the other, packed, whole articles per part (the blocks of the
 *              text store, text-store.ts: about 4 MB each before packing)
 *   passages   varints, per passage: article (less the previous passage's), paragraph, kind (0 article,
 *              1 comment), start, length, sentence count, then per sentence its start (less the previous
 *              sentence's end, or the passage's start) and its length
 *   titles     each article's title terms (title-terms.ts), one line per article, UTF-8, packed, whole lines per part
 *   champions  JSON arrays of [term, [passage ids…]]
 * and MiniSearch's index (what its serialization version 2 holds; passage ids are its document ids):
 *   fieldLength varints, per passage: its number of distinct terms
 *   scalars     JSON: document count, next id, field ids, average field length (one array of one object)
 *   vocabulary  the index terms in code unit order (none twice), UTF-8, one per line, packed
 *   terms       varints, per term in the same order: passages holding it, topic bit mask
 *   postings    per term in the same order, its postings as bytes (postings.ts), whole terms per part
 * Every section is a list of parts (snapshot-io.ts: u32 length, bytes, padding to 4), each of about PART_BYTES, so
 * that no buffer or string holds a whole section: the file is written as a list of buffers, read front to back by
 * positioned reads, and a thread hands it over as several. A packed part is its u32 length unpacked, then Brotli
 * (texts and JSON shrink 3 to 5 times; they were 85 % of the file). Postings stay as they are read: the loaded
 * index keeps those parts and decodes a term's postings when a search asks for them. Parts and bounded slices let
 * a reindex load the new snapshot without stalling the bot; the checksum turns any damage, header included, into
 * a rebuild, and what a valid checksum cannot vouch for (ranges, order, counts) is checked as it loads
 * (snapshot-checks.ts).
 */
export const SNAPSHOT_FORMAT = 11;
/** Parts are cut at about this many bytes (whole items each: a passage, a term's postings). */
export const PART_BYTES = 1024 * 1024;
/** Passages decoded between two pauses. */
export const SLICE_PASSAGES = 5000;
/** JSON parts are cut at about this many bytes before packing: each parses in a few milliseconds. */
export const JSON_PART_BYTES = 512 * 1024;
/** Terms per vocabulary part (about 1 MB before packing). */
export const VOCABULARY_PART_TERMS = 100_000;
/** Brotli quality of packed parts: 4 packs French text about 5 times at over 100 MB/s on one core. */
export const PACK_QUALITY = 4;
/** A packed part unpacks to at most this (a text block holds at most 4 MB or one article of at most 1 MB). */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
export const MAGIC = Buffer.from('DJSNAP6\n', 'latin1');
export const DIGEST_BYTES = 20;
/** Bytes before the header: magic, header length, checksum. */
export const HEADER_AT = MAGIC.length + 4 + DIGEST_BYTES;
/** A header is small (counts, topics, rejections, the section table): a larger claim is refused unread. */
export const MAX_HEADER_BYTES = 256 * 1024 * 1024;
/** Varints before a passage's sentences: article, paragraph, kind, start, length, sentence count. */
export const PASSAGE_FIELDS = 6;
export const SECTIONS = [
  'articles',
  'textBytes',
  'texts',
  'passages',
  'titles',
  'champions',
  'fieldLength',
  'scalars',
  'vocabulary',
  'terms',
  'postings',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface Header {
  format: number;
  analyzer: number;
  fingerprint: string;
  /**
   * Unique to each snapshot written: a live index reloads when the saved snapshot's generation is not its own,
   * whatever the fingerprints say (two builds of the same seeds are two generations).
   */
  generation: string;
  createdAt: string;
  counts: { articles: number; passages: number; terms: number };
  /** Bit k of a term's topic mask stands for topics[k]. */
  topics: string[];
  /** The topics file the articles' topics were decided with: the commands the bot registers come from here. */
  topicDefinitions: TopicDefinition[];
  rejected: Rejection[];
  sections: Record<Section, [number, number]>;
}
