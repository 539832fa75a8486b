/**
 * A paragraph that is one sentence (scraped text without punctuation) is cut into passages at word boundaries, so no
 * passage outgrows MAX_PASSAGE_CHARS; every passage stays a span of the article, in order, and together they cover it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PASSAGE_CHARS, MAX_SEED_BYTES, parseSeed, type ParsedPassage } from '../../src/corpus/index.js';

const WORDS = ['l’opérateur', 'annonce', 'un', 'réseau', 'de', 'fibre', 'optique', 'pour', 'les', 'clients', 'bretons'];

/** One paragraph of about `bytes` UTF-8 bytes with no sentence boundary (commas only), after a title line. */
function oneSentenceSeed(bytes: number): string {
  const head = ' title Un paragraphe sans point\n\n';
  const parts: string[] = [];
  let length = Buffer.byteLength(head) + 1;
  for (let i = 0; ; i++) {
    const w = `${WORDS[i % WORDS.length]!}${i % 9 === 8 ? ',' : ''}`;
    if (length + Buffer.byteLength(w) + 1 > bytes) break;
    parts.push(w);
    length += Buffer.byteLength(w) + 1;
  }
  return `${head}${parts.join(' ')}\n`;
}

/** Passages in order, within the limit, each a span of the text; between them only white space. */
function expectCutAndCovered(text: string, passages: readonly ParsedPassage[], from: number, to: number): void {
  // Problems are collected and compared once: an expect per passage would cost more than the parse.
  const problems: string[] = [];
  let at = from;
  for (const p of passages) {
    const where = `passage ${p.start}-${p.end}`;
    if (p.end - p.start > MAX_PASSAGE_CHARS) problems.push(`${where}: longer than the limit`);
    if (p.end <= p.start) problems.push(`${where}: empty`);
    if (text.slice(at, p.start).trim() !== '') problems.push(`${where}: text skipped before it`);
    if (/^\s|\s$/u.test(text.slice(p.start, p.end))) problems.push(`${where}: untrimmed`);
    if (p.sentences.some((s) => s.start < p.start || s.end > p.end)) problems.push(`${where}: sentence outside`);
    at = p.end;
  }
  if (text.slice(at, to).trim() !== '') problems.push('text skipped at the end');
  expect(problems).toEqual([]);
}

describe('a passage longer than the limit with no sentence boundary', () => {
  it('a 1 MiB one-sentence paragraph gives passages within the limit, in order, covering it', () => {
    const seed = oneSentenceSeed(MAX_SEED_BYTES - 64);
    expect(Buffer.byteLength(seed)).toBeLessThanOrEqual(MAX_SEED_BYTES);
    const parsed = parseSeed('phrase-unique.txt', Buffer.from(seed));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { text } = parsed.article;
    const body = text.indexOf('\n\n') + 2;
    expect(parsed.passages.length).toBeGreaterThan(seed.length / MAX_PASSAGE_CHARS);
    expect(new Set(parsed.passages.map((p) => p.paragraph))).toEqual(new Set([1]));
    expectCutAndCovered(text, parsed.passages, body, text.length);
    // Cut between words: every passage starts and ends on a whole word.
    const space = (i: number): boolean => /\s/u.test(text[i] ?? ' ');
    expect(parsed.passages.filter((p) => !space(p.start - 1) || !space(p.end))).toEqual([]);
  });

  it('a paragraph with no white space at all is cut between characters, never inside an emoji', () => {
    const seed = ` title Sans espace\n\nLe réseau de fibre arrive. ${'fibre🛰️optique'.repeat(400)}\n`;
    const parsed = parseSeed('sans-espace.txt', Buffer.from(seed));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { text } = parsed.article;
    expectCutAndCovered(text, parsed.passages, text.indexOf('Le réseau'), text.length);
    for (const p of parsed.passages) {
      const piece = text.slice(p.start, p.end);
      expect(piece.isWellFormed()).toBe(true);
      expect(piece.startsWith('\uFE0F')).toBe(false);
    }
  });

  it('keeps ordinary sentences whole around one over-long sentence', () => {
    const long = `Le ${oneSentenceSeed(5000).split('\n\n')[1]!.trim()}`;
    const seed = ` title Mélange\n\nLa société annonce un forfait mobile. ${long}. Le groupe confirme la date.\n`;
    const parsed = parseSeed('melange.txt', Buffer.from(seed));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { text } = parsed.article;
    expectCutAndCovered(text, parsed.passages, text.indexOf('La société'), text.length);
    const quotes = parsed.passages.flatMap((p) => p.sentences.map((s) => text.slice(s.start, s.end)));
    expect(quotes[0]).toBe('La société annonce un forfait mobile.');
    expect(quotes.at(-1)).toMatch(/Le groupe confirme la date\.$/u);
  });
});
