import { MAX_TITLE_CHARS } from '../corpus/index.js';

/** What a seed file says (README « Seed format »). */
export interface SeedFields {
  /** Empty or null: no ` title` line (the parser then takes the first sentence). */
  title: string | null;
  source: string | null;
  /** Kept only when it is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (see normalizeDate). */
  date: string | null;
  url: string | null;
  paragraphs: readonly string[];
}

const DATE = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/u;
const ISO_START = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])/u;

/**
 * A published time as the seed's ` date` wants it. An ISO date or date-time keeps the publisher's own day
 * (`2020-04-07T23:30:00-05:00` → `2020-04-07`); another form Date.parse reads (`Tue, 07 Apr 2020 10:00:00 GMT`) gives
 * its UTC day. Null when unreadable or not a plausible publication year.
 */
export function normalizeDate(value: string): string | null {
  const iso = ISO_START.exec(value);
  let date: string | null = null;
  if (iso) {
    date = [iso[1], iso[2], iso[3]].filter((p) => p !== undefined).join('-');
    // No 31 February: the day must survive a round trip through Date (which would roll it over to March).
    if (
      iso[3] &&
      new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]))).getUTCDate() !== Number(iso[3])
    )
      return null;
  } else {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) date = new Date(ms).toISOString().slice(0, 10);
  }
  if (!date || !DATE.test(date)) return null;
  const year = Number(date.slice(0, 4));
  return year >= 1900 && year <= 2100 ? date : null;
}

/** One line: control characters (C0, C1, line and paragraph separators) and runs of white space become one space. */
function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/gu, ' ')
    .trim();
}

/** A title that fits the parser's limit, cut at a word with « … » when longer. */
function fitTitle(title: string): string {
  if (title.length <= MAX_TITLE_CHARS) return title;
  const head = title.slice(0, MAX_TITLE_CHARS - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > MAX_TITLE_CHARS / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/**
 * The text of a seed file: the header lines that have a value (` title`, ` source`, ` date`, ` url`), a blank line,
 * then the paragraphs, one line each, separated by blank lines. Empty paragraphs are dropped.
 */
export function seedText(fields: SeedFields): string {
  const header: string[] = [];
  const title = fields.title ? fitTitle(oneLine(fields.title)) : '';
  if (title) header.push(` title ${title}`);
  const source = fields.source ? oneLine(fields.source) : '';
  if (source) header.push(` source ${source}`);
  const date = fields.date ? oneLine(fields.date) : '';
  if (DATE.test(date)) header.push(` date ${date}`);
  const url = fields.url ? oneLine(fields.url).replace(/\s/gu, '%20') : '';
  if (url) header.push(` url ${url}`);
  const paragraphs = fields.paragraphs.map(oneLine).filter((p) => p.length > 0);
  return `${header.length > 0 ? `${header.join('\n')}\n\n` : ''}${paragraphs.join('\n\n')}\n`;
}

/** Longest slug before `.txt`. */
export const MAX_SLUG_CHARS = 80;
/** Letters NFKD does not take apart. */
const FOLDED: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

/**
 * A seed file name from a title: accents folded, lower case, `[a-z0-9-]` only, at most MAX_SLUG_CHARS cut at a
 * hyphen, then `.txt`; `article.txt` when nothing is left. Safe by construction: no separator, no dot, no `..`.
 */
export function safeSeedFileName(title: string): string {
  const ascii = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œæßøđðłþı]/gu, (c) => FOLDED[c] ?? '');
  let slug = ascii.replace(/[^a-z0-9]+/gu, '-').replace(/^-+|-+$/gu, '');
  if (slug.length > MAX_SLUG_CHARS) {
    const cut = slug.lastIndexOf('-', MAX_SLUG_CHARS);
    slug = (cut > 0 ? slug.slice(0, cut) : slug.slice(0, MAX_SLUG_CHARS)).replace(/-+$/u, '');
  }
  if (!slug) return 'article.txt';
  return `${slug}.txt`;
}
