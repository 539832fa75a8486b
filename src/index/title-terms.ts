import { eachWord, termsOfWord } from '../language/index.js';
import { sliceWhole } from '../lib/index.js';

/**
 * Titles are matched apart from passages (their terms stay out of the postings): a question word found in an
 * article's title credits its passages. Each title is analyzed once, by the build's parsing threads, and its
 * distinct terms kept as one line of text (terms joined by spaces: the analyzer's terms hold no white space): a
 * question then splits a few lines instead of analyzing a few hundred titles (a fifth of a cold process's first
 * questions).
 */

/** Characters of a title read for its terms: a header line may be as long as a seed. */
export const MAX_TITLE_CHARS = 300;

/** A title's distinct index terms, in order of first use, joined by spaces. */
export function titleTermsLine(title: string): string {
  const terms = new Set<string>();
  eachWord(sliceWhole(title, MAX_TITLE_CHARS), (word) => {
    for (const t of termsOfWord(word, 'index')) terms.add(t);
  });
  return [...terms].join(' ');
}

/** Lines (joined by line breaks) of terms one space apart, none empty: what a part of title lines must be. */
export const areTitleLines = (text: string): boolean => !/[^\S \n]| {2}|^ | $| \n|\n /u.test(text);

/**
 * The title lines of a loaded index, kept as the snapshot's parts are (one string per part, each article's line
 * found by its offsets), so that a large index holds no string per article.
 */
export class TitleTerms {
  readonly #parts: string[] = [];
  readonly #part: Int32Array;
  readonly #start: Int32Array;
  readonly #end: Int32Array;
  #count = 0;

  constructor(readonly articles: number) {
    this.#part = new Int32Array(articles);
    this.#start = new Int32Array(articles);
    this.#end = new Int32Array(articles);
  }

  /** Articles whose line has been added. */
  get count(): number {
    return this.#count;
  }

  /** Adds the next articles' lines, one per line of `text`; false when they are more than the articles. */
  addPart(text: string): boolean {
    const p = this.#parts.length;
    this.#parts.push(text);
    for (let at = 0; ; ) {
      if (this.#count >= this.articles) return false;
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? text.length : newline;
      this.#part[this.#count] = p;
      this.#start[this.#count] = at;
      this.#end[this.#count++] = end;
      if (newline < 0) return true;
      at = newline + 1;
    }
  }

  /** The distinct index terms of an article's title. */
  of(article: number): string[] {
    if (!(article >= 0 && article < this.#count)) return [];
    const line = this.#parts[this.#part[article]!]!.slice(this.#start[article]!, this.#end[article]!);
    return line === '' ? [] : line.split(' ');
  }
}
