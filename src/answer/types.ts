import type { PassageKind, Span } from '../corpus/index.js';
import type { QuestionLanguage } from '../language/index.js';

/** One quote that answers a question, with everything needed to cite it. */
export interface AnswerResult {
  /** Seed file name. */
  article: string;
  /** First 12 hex digits of the article file's SHA-256: names the article across restarts and reindexes. */
  articleHash: string;
  title: string;
  source: string | null;
  date: string | null;
  /** The article's ` url` header as written (null when none): displays check it before making it a link. */
  url: string | null;
  /** 1-based paragraph number (among the article's paragraphs, or among the comments for a comment). */
  paragraph: number;
  /** `comment`: written by a reader under the article, never to be presented as the article. */
  kind: PassageKind;
  /** Verbatim substring of the article's text: `Article.text.slice(quoteStart, quoteEnd)`. */
  quote: string;
  quoteStart: number;
  quoteEnd: number;
  /** The quote was cut inside its sentence at that end: displays add "…" there, outside the quote. */
  cutBefore: boolean;
  cutAfter: boolean;
  /** Words of the quote that matched the question, as spans into `quote`, in order, not overlapping. */
  highlights: Span[];
  score: number;
  /** Passage id in the corpus the answer was built from (to show the whole paragraph or the next result). */
  passage: number;
}

export interface Answer {
  question: string;
  /** The topic asked through, or null for every topic. */
  topic: string | null;
  /**
   * An example question from the topics file (the topic's, or for every topic the first topic's), for the message
   * that answers an empty question; null when there is none.
   */
  exampleQuestion: string | null;
  language: QuestionLanguage;
  /** False when no passage answers the question's key words: then `results` is empty. */
  answered: boolean;
  /**
   * Answered, but not surely: the quote is the closest passage found, and every face says so
   * (« Je ne suis pas sûr… voici le passage le plus proche »). Always false when not answered.
   */
  hedged: boolean;
  /** Calibrated probability (0 to 1) that the first result answers the question; 0 when not answered. */
  confidence: number;
  /** The question holds no word at all (empty, punctuation or emoji only). */
  emptyQuestion: boolean;
  /** The question was longer than `MAX_QUESTION_CHARS` and only its beginning, cut at a word boundary, was read. */
  questionCut: boolean;
  results: AnswerResult[];
  /** Words of the question found nowhere in the articles searched. */
  unmatched: string[];
  /** How many articles were searched (those of the topic, or all). */
  articlesSearched: number;
  /** When a topic does not answer: the other topics that do. */
  alsoAnsweredIn: string[];
}

/**
 * Work done answering, counted in units of about a microsecond on the benchmark's machine (characters read,
 * postings scored, terms scanned, each at its rough cost): a caller that must bound its own work, as autocomplete
 * does, passes one to `ask` and reads it after. Counted from what the question reads, not from the clock, so the
 * same question always counts the same.
 */
export interface WorkMeter {
  units: number;
}
