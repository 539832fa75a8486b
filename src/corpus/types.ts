import type { TopicDefinition } from './topics.js';

/** Shapes shared by everything that reads seed files. Offsets are UTF-16 indices into `Article.text`. */

/** Who wrote a passage: the article itself, or a reader in the comments below it. */
export type PassageKind = 'article' | 'comment';

export interface Span {
  start: number;
  end: number;
}

export interface Passage {
  /** Index of the passage in `Corpus.passages`; also its id in the search index. */
  id: number;
  /** Index of its article in `Corpus.articles`. */
  article: number;
  /** 1-based paragraph number among the article's (or the comments') paragraphs. */
  paragraph: number;
  kind: PassageKind;
  start: number;
  end: number;
  /** Sentences of the passage, as spans into `Article.text`, in order. */
  sentences: Span[];
}

export interface Article {
  /** Seed file name, e.g. `001_cf704c01d8a71904.txt`. */
  file: string;
  title: string;
  /** Publisher, when a header or the page furniture names it. */
  source: string | null;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, when known. */
  date: string | null;
  url: string | null;
  /** ISO 639-3 code detected by franc (`fra`), or `und` when the text is too short to tell. */
  language: string;
  topics: string[];
  /** The decoded file (BOM removed, line endings kept): quotes are substrings of it. */
  text: string;
  /** SHA-256 of the file bytes, to tell changed files apart at reindex. */
  hash: string;
  /**
   * SHA-256 of the title and article text with case and spacing ignored: two files with the same one are duplicates
   * (the second is rejected), and `/ajouter` refuses an article whose fingerprint the index already holds.
   */
  fingerprint: string;
}

export interface Rejection {
  file: string;
  reason: string;
}

export interface Corpus {
  articles: Article[];
  passages: Passage[];
  rejected: Rejection[];
  /** The topic definitions the articles' topics were decided with (the seeds folder's topics file). */
  topics: TopicDefinition[];
}
