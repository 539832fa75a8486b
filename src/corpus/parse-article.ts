import { createHash } from 'node:crypto';
import { decodeSeed } from './decode.js';
import { matchFurniture } from './furniture.js';
import { detectArticleLanguage, languageName } from './language.js';
import { splitSentences, trimSpan } from './sentences.js';
import type { Article, PassageKind, Span } from './types.js';

/** Paragraphs longer than this are cut into passages at sentence boundaries (between words within a sentence). */
export const MAX_PASSAGE_CHARS = 600;

/** A passage before it gets its ids in a corpus. */
export interface ParsedPassage {
  paragraph: number;
  kind: PassageKind;
  start: number;
  end: number;
  sentences: Span[];
}

export type ParsedSeed =
  | { ok: true; article: Article; passages: ParsedPassage[]; fingerprint: string }
  | { ok: false; reason: string };

interface Line extends Span {
  /** Text of the line, without its line ending. */
  text: string;
}

const HEADER = /^ (date|source|url|title) ?(.*)$/u;
const HEADER_DATE = /^(\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)(?=\s|$)/u;
/** Enumerators that comment lists put before each comment (`1.`, `2)`). */
const COMMENT_ENUMERATOR = /^\s*\d{1,4}[.)]\s+/u;

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const end = nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
    lines.push({ start, end, text: text.slice(start, end) });
    start = nl + 1;
  }
  return lines;
}

interface Header {
  date: string | null;
  source: string | null;
  url: string | null;
  title: string | null;
}

/**
 * Reads the header lines (` key value`) at the top of a seed. A ` date` line may carry more text after the date
 * (seen in scraped files): that text is returned as the first body line.
 */
function readHeader(lines: Line[]): { header: Header; body: Line[] } {
  const header: Header = { date: null, source: null, url: null, title: null };
  let i = 0;
  const body: Line[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = HEADER.exec(line.text);
    if (!m) break;
    const key = m[1] as keyof Header;
    const value = m[2] ?? '';
    if (key === 'date') {
      const d = HEADER_DATE.exec(value);
      if (!d) break; // not a header after all: " date" followed by prose
      header.date = d[1]!;
      const restOffset = line.text.length - value.length + d[0].length;
      const rest = trimSpan(line.text, { start: restOffset, end: line.text.length });
      if (rest.end > rest.start) {
        body.push({
          start: line.start + rest.start,
          end: line.start + rest.end,
          text: line.text.slice(rest.start, rest.end),
        });
        i++;
        break;
      }
    } else {
      header[key] = value.trim() || null;
    }
  }
  return { header, body: body.concat(lines.slice(i)) };
}

interface Block {
  kind: PassageKind;
  lines: Line[];
}

/** Groups body lines into paragraphs (blank lines and furniture separate them) and marks reader comments. */
function readBlocks(lines: Line[]): { blocks: Block[]; publisher: string | null } {
  const blocks: Block[] = [];
  let publisher: string | null = null;
  let kind: PassageKind = 'article';
  let current: Line[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push({ kind, lines: current });
    current = [];
  };
  for (const line of lines) {
    if (line.text.trim() === '') {
      flush();
      continue;
    }
    const furniture = matchFurniture(line.text);
    if (furniture) {
      flush();
      if (furniture.effect === 'comments') kind = 'comment';
      if (furniture.effect === 'publisher' && furniture.publisher && !publisher) publisher = furniture.publisher;
      continue;
    }
    current.push(line);
  }
  flush();
  return { blocks, publisher };
}

const graphemes = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/**
 * Where a piece of at most `max` characters starting at `start` should end: after the last word that fits, or, with
 * no white space to cut at, at the last whole character (an emoji and its modifiers stay together).
 */
function wordCut(text: string, start: number, end: number, max: number): number {
  if (end - start <= max) return end;
  const window = text.slice(start, start + max + 1);
  const space = window.search(/\s\S*$/u);
  if (space > 0) return start + space;
  let cut = 0;
  for (const { index } of graphemes.segment(window)) if (index <= max && index > 0) cut = index;
  return start + (cut || max);
}

/** A sentence longer than the limit, as pieces that fit, cut between words (each an exact span of the text). */
function cutSentence(text: string, s: Span): Span[] {
  if (s.end - s.start <= MAX_PASSAGE_CHARS) return [s];
  const pieces: Span[] = [];
  for (let at = s.start; at < s.end; ) {
    const piece = trimSpan(text, { start: at, end: wordCut(text, at, s.end, MAX_PASSAGE_CHARS) });
    if (piece.end > piece.start) pieces.push(piece);
    at = Math.max(piece.end, at + 1);
    while (at < s.end && /\s/u.test(text[at]!)) at++;
  }
  return pieces;
}

/**
 * Cuts a paragraph into passages of at most MAX_PASSAGE_CHARS, at sentence boundaries; a sentence longer than that
 * (scraped text without punctuation) is cut between words, so that no passage costs a question more than its share.
 */
function cutParagraph(text: string, span: Span, sentences: Span[]): { span: Span; sentences: Span[] }[] {
  if (span.end - span.start <= MAX_PASSAGE_CHARS || sentences.length === 0) return [{ span, sentences }];
  const out: { span: Span; sentences: Span[] }[] = [];
  let group: Span[] = [];
  for (const s of sentences.flatMap((sentence) => cutSentence(text, sentence))) {
    const first = group[0];
    if (first && s.end - first.start > MAX_PASSAGE_CHARS) {
      out.push({ span: { start: first.start, end: group[group.length - 1]!.end }, sentences: group });
      group = [];
    }
    group.push(s);
  }
  const first = group[0];
  if (first) out.push({ span: { start: first.start, end: group[group.length - 1]!.end }, sentences: group });
  return out;
}

/** Longest first line taken for a title when the file names none: beyond, it is a paragraph. */
export const MAX_TITLE_CHARS = 200;
const DERIVED_TITLE_CHARS = 120;

/** A title is one short line, not several sentences. */
function looksLikeTitle(line: string): boolean {
  const t = line.trim();
  return t.length <= MAX_TITLE_CHARS && !/[.!?…]\s+\p{Lu}/u.test(t.slice(0, -1));
}

/** The first sentence of a paragraph, cut at a word boundary (with « … ») when it is long. */
function titleFromParagraph(text: string, line: Line): string {
  const sentences = splitSentences(text, line.start, line.end);
  const first = sentences[0] ?? { start: line.start, end: line.end };
  const sentence = text.slice(first.start, first.end).trim();
  if (sentence.length <= DERIVED_TITLE_CHARS) return sentence.replace(/[.:;,]+$/u, '');
  const head = sentence.slice(0, DERIVED_TITLE_CHARS);
  const space = head.lastIndexOf(' ');
  return `${(space > 40 ? head.slice(0, space) : head).replace(/[\s.:;,]+$/u, '')}…`;
}

/** JavaScript's `\s` but the space. */
const NOT_SPACE_WHITE = String.raw`\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;
/**
 * JavaScript's `\s`, matched where replacing it by one space changes the text: a run of two or more, or one that
 * is not a space. `/\s+/g` replaced every single space by a new one, which cost twice the time (an article's
 * text is a two-byte string: its apostrophes), for the same string.
 */
const SPACING = new RegExp(`[ ${NOT_SPACE_WHITE}]{2,}|[${NOT_SPACE_WHITE}]`, 'g');

/** Text compared to tell duplicates apart: case, spacing and line endings do not count. */
export function normalizeForFingerprint(text: string): string {
  return text.toLowerCase().replace(SPACING, ' ').trim();
}

/** Parses one seed file. Pure: the caller reads the bytes. */
export function parseSeed(file: string, bytes: Uint8Array): ParsedSeed {
  const decoded = decodeSeed(bytes);
  if (!decoded.ok) return decoded;
  const text = decoded.text;
  const { header, body } = readHeader(splitLines(text));
  const { blocks, publisher } = readBlocks(body);

  let title = header.title;
  if (!title) {
    const firstArticle = blocks.find((b) => b.kind === 'article');
    const first = firstArticle?.lines[0];
    if (first && looksLikeTitle(first.text)) {
      firstArticle!.lines.shift();
      title = first.text.trim();
    } else if (first) {
      // A long first line is the article's first paragraph, not a title: it stays indexed, and the title shown
      // is its first sentence, cut at a word boundary.
      title = titleFromParagraph(text, first);
    }
  }
  const paragraphs = blocks.filter((b) => b.lines.length > 0);
  if (!title || !paragraphs.some((b) => b.kind === 'article')) {
    return { ok: false, reason: 'aucun paragraphe d’article (titre seul ou fichier sans texte)' };
  }

  const passages: ParsedPassage[] = [];
  const counters: Record<PassageKind, number> = { article: 0, comment: 0 };
  for (const block of paragraphs) {
    let span = trimSpan(text, { start: block.lines[0]!.start, end: block.lines[block.lines.length - 1]!.end });
    if (block.kind === 'comment') {
      const enumerator = COMMENT_ENUMERATOR.exec(text.slice(span.start, span.end));
      if (enumerator) span = { start: span.start + enumerator[0].length, end: span.end };
    }
    if (span.end <= span.start) continue;
    const paragraph = ++counters[block.kind];
    for (const piece of cutParagraph(text, span, splitSentences(text, span.start, span.end))) {
      passages.push({
        paragraph,
        kind: block.kind,
        start: piece.span.start,
        end: piece.span.end,
        sentences: piece.sentences,
      });
    }
  }

  const articleBody = passages
    .filter((p) => p.kind === 'article')
    .map((p) => text.slice(p.start, p.end))
    .join('\n');
  const language = detectArticleLanguage(`${title}\n${articleBody}`);
  if (language !== 'fra' && language !== 'und') {
    return {
      ok: false,
      reason:
        language === 'zxx'
          ? 'article dans une langue non reconnue, pas en français'
          : `article en ${languageName(language)} (${language}), pas en français`,
    };
  }

  const fingerprint = createHash('sha256')
    .update(normalizeForFingerprint(`${title}\n${articleBody}`))
    .digest('hex');
  const article: Article = {
    file,
    title,
    source: header.source ?? publisher,
    date: header.date,
    url: header.url,
    language,
    // Decided with the topic definitions where the corpus is assembled (CorpusBuilder).
    topics: [],
    text,
    hash: createHash('sha256').update(bytes).digest('hex'),
    fingerprint,
  };
  return { ok: true, article, passages, fingerprint };
}
