import type { Rejection, TopicDefinition } from '../corpus/index.js';

/**
 * The index snapshot, one file so it is replaced atomically. Layout, chosen to load fast, in slices and in parts:
 *   magic "DJSNAP6\n" · u32 header length · SHA-1 of all that follows · header JSON (small: counts, topics,
 *   rejections, sections) · sections
 *   articles   article metadata (all but the text), JSON arrays
 *   textBytes  Int32, UTF-8 length of each article's text
 *   texts      the articles' texts, UTF-8, one after the other, whole articles per part (the blocks of the
 *              text store, text-store.ts: about 4 MB each)
 *   passages   Int32, per passage: PASSAGE_FIELDS, then the start and end of each of its sentences
 *   champions  JSON arrays of [term, [passage ids…]]
 * and MiniSearch's index (what its serialization version 2 holds; passage ids are its document ids):
 *   fieldLength Int32, per passage: its number of distinct terms
 *   scalars     JSON: document count, next id, field ids, average field length
 *   vocabulary  the index terms, UTF-8, one per line
 *   terms       Int32, per term in the same order: passages holding it, topic bit mask
 *   postings    Int32, per term in the same order: passage id, occurrences, passage id, occurrences… (whole terms
 *               per part)
 * Every section is a list of parts (snapshot-io.ts: u32 length, bytes, padding to 4), each of about PART_BYTES, so
 * that no buffer or string holds a whole section: the file is written as a list of buffers, read front to back by
 * positioned reads, and a thread hands it over as several. Typed parts are read in place instead of parsing
 * millions of small JSON objects; parts and bounded slices let a reindex load the new snapshot without stalling the
 * bot; the checksum turns any damage, header included, into a rebuild, and what a valid checksum cannot vouch for
 * (ranges, order, counts) is checked as it loads (snapshot-checks.ts).
 */
export const SNAPSHOT_FORMAT = 8;
/** Parts are cut at about this many bytes (whole items each: an article's text, a passage, a term's postings). */
export const PART_BYTES = 1024 * 1024;
export const PART_INTS = PART_BYTES / 4;
/** Work between two pauses when loading in slices (texts decoded), in bytes. */
export const SLICE_BYTES = 1024 * 1024;
/** Passages decoded between two pauses. */
export const SLICE_PASSAGES = 10_000;
/** JSON parts are cut at about this many bytes: each parses in a few milliseconds. */
export const JSON_PART_BYTES = 512 * 1024;
export const MAGIC = Buffer.from('DJSNAP6\n', 'latin1');
export const DIGEST_BYTES = 20;
/** Bytes before the header: magic, header length, checksum. */
export const HEADER_AT = MAGIC.length + 4 + DIGEST_BYTES;
/** A header is small (counts, topics, rejections, the section table): a larger claim is refused unread. */
export const MAX_HEADER_BYTES = 256 * 1024 * 1024;
export const PASSAGE_FIELDS = 6; // article, paragraph, kind (0 article, 1 comment), start, end, sentence count
export const SECTIONS = [
  'articles',
  'textBytes',
  'texts',
  'passages',
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
