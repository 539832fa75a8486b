import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer, AnswerResult } from '../../src/answer/index.js';
import { ask } from '../../src/answer/index.js';
import { formatDateFr } from '../../src/wording/index.js';
import { decodeButton, encodeButton, MAX_CUSTOM_ID } from '../../src/discord/custom-ids.js';
import { escapeForDiscord } from '../../src/discord/escape.js';
import { LIMITS, questionFromMessage, renderAnswer, renderParagraph, renderReindexReport, renderSources } from '../../src/discord/render.js';
import { bundledIndex } from '../helpers.js';

const view = { index: 0, userId: '123456789012345678', ephemeral: false, rerunnable: true };

function result(overrides: Partial<AnswerResult> = {}): AnswerResult {
  return {
    article: 'a.txt', articleHash: 'abcdef012345', title: 'Titre', source: 'Presse-citron', date: '2021-01', paragraph: 2, kind: 'article',
    quote: 'Le prix est de 149 euros.', quoteStart: 0, quoteEnd: 25, cutBefore: false, cutAfter: false,
    highlights: [{ start: 3, end: 7 }], score: 1, passage: 0, ...overrides,
  };
}

function answer(results: AnswerResult[], overrides: Partial<Answer> = {}): Answer {
  return { question: 'Quel prix ?', topic: 'djingo', language: 'fra', answered: results.length > 0, hedged: false, confidence: results.length > 0 ? 0.9 : 0, emptyQuestion: false, questionCut: false, results, unmatched: [], articlesSearched: 2, alsoAnsweredIn: [], ...overrides };
}

/** Every way a message could ping someone, once Discord renders it. */
function canPing(content: string, allowed: { parse: string[]; users?: string[] }): boolean {
  if (allowed.parse.length > 0) return true;
  return /@everyone|@here|<@&\d+>/u.test(content) || [...content.matchAll(/<@!?(\d+)>/gu)].some((m) => !allowed.users?.includes(m[1]!));
}

describe('answer rendering', () => {
  it('shows the quote as a block quote with matched words in bold, then the attribution in French', () => {
    const msg = renderAnswer(answer([result()]), view);
    expect(msg.content).toContain('> Le **prix** est de 149 euros.');
    expect(msg.content).toContain('— «\u00a0*Titre*\u00a0», Presse-citron, janvier 2021, paragraphe 2');
    expect(msg.content).toContain('2 articles consultés');
    expect(msg.allowedMentions).toEqual({ parse: [] });
    expect(questionFromMessage(msg.content)).toBe('Quel prix ?');
  });

  it('attributes a comment to a reader, never to the article', () => {
    const msg = renderAnswer(answer([result({ kind: 'comment', paragraph: 1 })]), view);
    expect(msg.content).toContain('Un lecteur, sous l’article «\u00a0*Titre*\u00a0»');
    expect(msg.content).toContain('commentaire 1');
    expect(msg.content).not.toContain('paragraphe 1');
  });

  it('adds « … » outside a quote cut at its ends', () => {
    const msg = renderAnswer(answer([result({ cutBefore: true, cutAfter: true })]), view);
    expect(msg.content).toContain('> … Le **prix** est de 149 euros. …');
  });

  it('escapes markdown and breaks mentions in article text', () => {
    const quote = '**gras** @everyone <@123456789012345678> <@&987654321098765432> ||spoiler|| `code` # titre';
    const msg = renderAnswer(answer([result({ quote, highlights: [] })]), view);
    expect(msg.content).not.toContain('**gras**');
    expect(msg.content).toContain('\\*\\*gras\\*\\*');
    expect(canPing(msg.content, msg.allowedMentions)).toBe(false);
  });

  it('offers the buttons, ids within 100 characters, « Publier » only when private', () => {
    const two = answer([result(), result({ article: 'b.txt', articleHash: '0123456789ab' })]);
    const pub = renderAnswer(two, view);
    const labels = pub.components[0]!.components.map((b) => ('label' in b ? b.label : ''));
    expect(labels).toEqual(['Paragraphe complet', 'Autre passage']);
    const priv = renderAnswer(two, { ...view, ephemeral: true });
    expect(priv.components[0]!.components.map((b) => ('label' in b ? b.label : ''))).toContain('Publier dans le salon');
    for (const b of priv.components[0]!.components) if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
  });

  it('pings only the user the answer is suggested to', () => {
    const msg = renderAnswer(answer([result()]), { ...view, suggestTo: '222222222222222222' });
    expect(msg.content).toContain('<@222222222222222222>');
    expect(msg.allowedMentions).toEqual({ parse: [], users: ['222222222222222222'] });
  });

  it('says which words matched nothing and which topic answers', () => {
    const msg = renderAnswer(answer([], { unmatched: ['Japon', '@everyone'], alsoAnsweredIn: ['xiaomi'] }), view);
    expect(msg.content).toContain('aucun passage');
    expect(msg.content).toContain('«\u00a0Japon\u00a0»');
    expect(msg.content).toContain('/xiaomi');
    expect(canPing(msg.content, msg.allowedMentions)).toBe(false);
    expect(msg.components).toEqual([]);
  });

  it('stays within Discord limits whatever the text (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 3000 });
    fc.assert(
      fc.property(text, text, text, fc.array(fc.nat(3000), { maxLength: 6 }), (quote, title, question, cuts) => {
        const sorted = [...new Set(cuts.map((c) => Math.min(c, quote.length)))].sort((a, b) => a - b);
        const highlights: { start: number; end: number }[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) if (sorted[i]! < sorted[i + 1]!) highlights.push({ start: sorted[i]!, end: sorted[i + 1]! });
        const results = [0, 1, 2].map((i) => result({ quote, title, highlights, article: `${i}.txt`, kind: i === 2 ? 'comment' : 'article' }));
        for (const a of [answer(results, { question }), answer([], { question, unmatched: [question] })]) {
          const msg = renderAnswer(a, { ...view, ephemeral: true });
          expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
          expect(canPing(msg.content, msg.allowedMentions)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('renders real answers within limits and keeps their quotes verbatim in the message', async () => {
    const index = await bundledIndex();
    for (const q of ['Combien coûtait l’enceinte ?', 'Xiaomi Orange', 'remboursement', 'Qui est le PDG ?']) {
      const a = ask(index, q, { limit: 10 });
      const msg = renderAnswer(a, view);
      expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
      const firstWords = a.results[0]!.quote.split(' ').slice(0, 3).join(' ');
      expect(msg.content.replace(/\*\*/g, '')).toContain(firstWords);
    }
  });
});

describe('other messages', () => {
  it('cuts a very long paragraph within the limit and says so', () => {
    const msg = renderParagraph({ title: 'T', source: null, date: null, paragraph: 1, kind: 'article' }, 'mot '.repeat(2000));
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(msg.content).toContain('paragraphe tronqué');
  });

  it('paginates /sources within the limit', () => {
    const articles = Array.from({ length: 30 }, (_, i) => ({ file: `${i}.txt`, title: `Article ${i} ${'long '.repeat(40)}`, date: '2020-10', source: 'Source', topics: ['djingo'], passages: 3 }));
    const first = renderSources(articles, null, 0);
    expect(first.content).toContain('page 1/4');
    expect(first.content).toContain('octobre 2020');
    expect(first.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(first.components[0]!.components).toHaveLength(2);
  });

  it('reports a reindex with counts before → after and rejected files', () => {
    const msg = renderReindexReport({ before: 3, after: 4, added: ['new.txt'], changed: [], removed: [], rejected: Array.from({ length: 40 }, (_, i) => ({ file: `bad${i}.txt`, reason: 'fichier vide' })), durationMs: 1234, buildMs: 1000, loadMs: 234, saveError: null });
    expect(msg.content).toContain('3 → 4 (1 ajouté, 0 modifié, 0 supprimé)');
    expect(msg.content).toContain('1,2\u202fs');
    expect(msg.content).toContain('Fichiers refusés (40)');
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('formats dates in French', () => {
    expect(formatDateFr('2020-10')).toBe('octobre 2020');
    expect(formatDateFr('2021-02-01')).toBe('1er février 2021');
    expect(formatDateFr('2019')).toBe('2019');
    expect(formatDateFr(null)).toBeNull();
  });

  it('escapes without changing what a reader sees', () => {
    expect(escapeForDiscord('Prix : 149 € — « fin »')).toBe('Prix : 149 € — « fin »');
  });
});

describe('button ids', () => {
  it('round-trip and reject forged ids', () => {
    const actions = [
      { kind: 'para', article: 'abcdef012345', comment: true, paragraph: 12 },
      { kind: 'next', userId: '123456789012345678', topic: 'djingo', index: 3 },
      { kind: 'pub', userId: '123456789012345678', topic: null, index: 0 },
      { kind: 'src', topic: 'xiaomi', page: 2 },
    ] as const;
    for (const a of actions) expect(decodeButton(encodeButton(a))).toEqual(a);
    for (const bad of ['', 'para|xyz|a|1', 'next|notanid|djingo|1', 'src|*|-1', 'boom|1|2', 'para|abcdef|q|1']) expect(decodeButton(bad)).toBeNull();
  });
});
