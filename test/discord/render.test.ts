import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { formatDateFr } from '../../src/wording/index.js';
import { decodeButton, encodeButton, MAX_CUSTOM_ID } from '../../src/discord/custom-ids.js';
import {
  escapeForDiscord,
  LIMITS,
  readAnswer,
  renderAnswer,
  renderParagraph,
  renderReindexReport,
  renderSources,
} from '../../src/discord/render/index.js';
import { bundledIndex, SEED_TOPICS } from '../helpers.js';
import { answer, result } from '../answer-fixtures.js';

const view = { index: 0, userId: '123456789012345678', ephemeral: false, rerunnable: true };

/** Every way a message could ping someone, once Discord renders it. */
function canPing(content: string, allowed: { parse: string[]; users?: string[] }): boolean {
  if (allowed.parse.length > 0) return true;
  return (
    /@everyone|@here|<@&\d+>/u.test(content) ||
    [...content.matchAll(/<@!?(\d+)>/gu)].some((m) => !allowed.users?.includes(m[1]!))
  );
}

describe('answer rendering', () => {
  it('shows the quote as a block quote with matched words in bold, then the attribution in French', () => {
    const msg = renderAnswer(answer([result()]), view);
    expect(msg.content).toContain('> Le **prix** est de 149 euros.');
    expect(msg.content).toContain('— «\u00a0*Titre*\u00a0», Presse-citron, janvier 2021, paragraphe 2');
    expect(msg.content).toContain('2 articles consultés');
    expect(msg.allowedMentions).toEqual({ parse: [] });
    expect(readAnswer(msg.content)?.question).toBe('Quel prix ?');
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

  it('offers two rows of buttons, ids within 100 characters, « Publier » only when private', () => {
    const two = answer([result(), result({ article: 'b.txt', articleHash: '0123456789ab' })]);
    const labels = (msg: ReturnType<typeof renderAnswer>): string[][] =>
      msg.components.map((row) => row.components.map((b) => ('label' in b ? (b.label ?? '') : '')));
    const pub = renderAnswer(two, view);
    expect(labels(pub)).toEqual([
      ['Paragraphe complet', 'Autre passage'],
      ['👍 Utile', '👎 Pas utile', 'Supprimer'],
    ]);
    const priv = renderAnswer(two, { ...view, ephemeral: true });
    // An ephemeral answer can be published, and goes away by itself: no « Supprimer ».
    expect(labels(priv)).toEqual([
      ['Paragraphe complet', 'Autre passage', 'Publier dans le salon'],
      ['👍 Utile', '👎 Pas utile'],
    ]);
    for (const msg of [pub, priv])
      for (const row of msg.components)
        for (const b of row.components)
          if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
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

  it('agrees the counts with 0, 1 and many articles', () => {
    expect(renderAnswer(answer([result()], { articlesSearched: 1 }), view).content).toContain('-# 1 article consulté');
    expect(renderAnswer(answer([result()], { articlesSearched: 2 }), view).content).toContain(
      '-# 2 articles consultés',
    );
    const one = renderAnswer(answer([], { articlesSearched: 1, unmatched: ['Japon'] }), view).content;
    expect(one).toContain('dans le seul article du sujet djingo');
    expect(one).toContain('Ce mot n’apparaît pas dans cet article');
    expect(one).not.toMatch(/les 1 article|aucun d’eux|1 article consultés/u);
    const none = renderAnswer(answer([], { articlesSearched: 0 }), view).content;
    expect(none).toContain('-# aucun article consulté');
    expect(none).not.toContain('0 article');
  });

  it('answers an empty question with the « question vide » message, no count, no buttons', () => {
    const exampleQuestion = 'Combien coûtait l’enceinte Djingo ?';
    const msg = renderAnswer(answer([], { question: '🙂 ?', emptyQuestion: true, exampleQuestion }), view);
    expect(msg.content).toContain(
      'Votre question est vide\u202f: écrivez quelques mots, par exemple «\u00a0Combien coûtait l’enceinte ' +
        'Djingo\u202f?\u00a0».',
    );
    // Without a topics file there is no example: the sentence ends there.
    const bare = renderAnswer(answer([], { question: '🙂 ?', emptyQuestion: true }), view).content;
    expect(bare).toContain('Votre question est vide\u202f: écrivez quelques mots.');
    expect(bare).not.toContain('par exemple');
    expect(msg.content).not.toMatch(/aucun passage|consulté/u);
    expect(msg.components).toEqual([]);
    expect(msg.allowedMentions).toEqual({ parse: [] });
    expect(renderAnswer(answer([], { question: '   ', emptyQuestion: true }), view).content).not.toContain('``');
  });

  it('says when only the beginning of a long question was read', () => {
    const msg = renderAnswer(answer([result()], { question: 'mot '.repeat(200), questionCut: true }), view);
    expect(msg.content).toContain('Question trop longue\u202f: seuls les 500 premiers caractères ont été lus.');
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(readAnswer(msg.content)).not.toBeNull();
  });

  it('says it is not sure before the quote of a hedged answer', () => {
    const msg = renderAnswer(answer([result()], { hedged: true, confidence: 0.3 }), view);
    expect(msg.content).toContain(
      'Je ne suis pas sûr de la réponse… voici le passage le plus proche\u202f:\n> Le **prix**',
    );
    expect(renderAnswer(answer([result()]), view).content).not.toContain('pas sûr');
  });

  it('stays within Discord limits whatever the text (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 3000 });
    fc.assert(
      fc.property(text, text, text, fc.array(fc.nat(3000), { maxLength: 6 }), (quote, title, question, cuts) => {
        const sorted = [...new Set(cuts.map((c) => Math.min(c, quote.length)))].sort((a, b) => a - b);
        const highlights: { start: number; end: number }[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2)
          if (sorted[i]! < sorted[i + 1]!) highlights.push({ start: sorted[i]!, end: sorted[i + 1]! });
        const results = [0, 1, 2].map((i) =>
          result({ quote, title, highlights, article: `${i}.txt`, kind: i === 2 ? 'comment' : 'article' }),
        );
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
    const msg = renderParagraph(
      { title: 'T', source: null, date: null, url: null, paragraph: 1, kind: 'article' },
      'mot '.repeat(2000),
    );
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(msg.content).toContain('paragraphe tronqué');
  });

  it('paginates /sources within the limit', () => {
    const articles = Array.from({ length: 30 }, (_, i) => ({
      file: `${i}.txt`,
      title: `Article ${i} ${'long '.repeat(40)}`,
      date: '2020-10',
      source: 'Source',
      url: null,
      topics: ['djingo'],
      passages: 3,
    }));
    const first = renderSources(articles, null, 0);
    expect(first.content).toContain('page 1/4');
    expect(first.content).toContain('octobre 2020');
    expect(first.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(first.components[0]!.components).toHaveLength(2);
  });

  it('reports a reindex with counts before → after and rejected files', () => {
    const msg = renderReindexReport({
      before: 3,
      after: 4,
      added: ['new.txt'],
      changed: [],
      removed: [],
      rejected: Array.from({ length: 40 }, (_, i) => ({ file: `bad${i}.txt`, reason: 'fichier vide' })),
      durationMs: 1234,
      buildMs: 1000,
      loadMs: 234,
      saveError: null,
    });
    expect(msg.content).toContain('3 → 4 (1 ajouté, 0 modifié, 0 supprimé)');
    expect(msg.content).toContain('1,2\u202fs');
    expect(msg.content).toContain('Fichiers refusés (40)');
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('agrees the reindex report’s labels and « autres » with their counts', () => {
    const files = Array.from({ length: 11 }, (_, i) => `f${i}.txt`);
    const msg = renderReindexReport({
      before: 3,
      after: 14,
      added: files,
      changed: ['c.txt'],
      removed: [],
      rejected: Array.from({ length: 16 }, (_, i) => ({ file: `bad${i}.txt`, reason: 'fichier vide' })),
      durationMs: 12345,
      buildMs: 1000,
      loadMs: 234,
      saveError: null,
    }).content;
    expect(msg).toContain('Ajoutés\u202f:');
    expect(msg).toContain('et 1 autre');
    expect(msg).not.toContain('autre(s)');
    expect(msg).toContain('Modifié\u202f: `c.txt`');
    expect(msg).toContain('- … et 1 autre');
    expect(msg).toContain('12,3\u202fs');
    const one = renderReindexReport({
      before: 0,
      after: 0,
      added: [],
      changed: [],
      removed: [],
      rejected: [{ file: 'x.txt', reason: 'fichier vide' }],
      durationMs: 10,
      buildMs: 5,
      loadMs: 5,
      saveError: null,
    }).content;
    expect(one).toContain('Fichier refusé (1)');
  });

  it('agrees the passages count of /sources', () => {
    const one = renderSources(
      [{ file: 'a.txt', title: 'A', date: null, source: null, url: null, topics: [], passages: 1 }],
      null,
      0,
    );
    expect(one.content).toContain('1 passage');
    expect(one.content).not.toContain('1 passages');
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

describe('reading an answer back (« Autre passage », « Publier »)', () => {
  const asker = '123456789012345678';
  const target = '876543210987654321';

  it('finds the question and who is named in every layout: plain, suggested (`mention`), shared', () => {
    const a = answer([result()]);
    const layouts = [
      [{ ...view }, { question: 'Quel prix ?', suggestTo: null, sharedBy: null }],
      [
        { ...view, suggestTo: target },
        { question: 'Quel prix ?', suggestTo: target, sharedBy: null },
      ],
      [
        { ...view, sharedBy: asker },
        { question: 'Quel prix ?', suggestTo: null, sharedBy: asker },
      ],
    ] as const;
    for (const [v, read] of layouts) expect(readAnswer(renderAnswer(a, v).content)).toEqual(read);
  });

  it('reads back the question as asked, its mention syntax unbroken, with no ping in the message', () => {
    const question = 'Prix @everyone <@876543210987654321> <#1> </x:1> ?';
    const msg = renderAnswer(answer([result()], { question }), { ...view, suggestTo: target });
    expect(canPing(msg.content.replace(`<@${target}>`, ''), { parse: [] })).toBe(false);
    expect(readAnswer(msg.content)?.question).toBe(question);
  });

  it('is null for a message that is not an answer, or a question line out of place', () => {
    expect(readAnswer('Bonjour')).toBeNull();
    expect(readAnswer('> **Question\u202f:** ``x`` · /djingo')).toBeNull();
    expect(readAnswer('Une ligne\n**Question\u202f:** ``x`` · /djingo')).toBeNull();
    expect(readAnswer('Suggestion pour <@1>\u202f:\n**Question\u202f:** ``x`` · /djingo')).toBeNull();
  });

  it('shows a topic that is not a plain name escaped, in the question line and in /sources', () => {
    const topic = '[Nitro gratuit](https://evil.example/p) **ANNONCE** <@&1300000000000000099>';
    const none = renderAnswer(answer([], { topic }), view).content;
    const page = renderSources([], topic, 0).content;
    for (const content of [none, page]) {
      // Escaped, the link's bracket and the asterisks show as typed, and the role mention is broken.
      expect(content).not.toMatch(/(?<!\\)\[[^\]]*\]\(https:/u);
      expect(content).not.toMatch(/(?<!\\)\*\*ANNONCE/u);
      expect(content).not.toContain('<@&');
    }
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
    const isTopic = (name: string): boolean => SEED_TOPICS.some((t) => t.name === name);
    for (const a of actions) expect(decodeButton(encodeButton(a), isTopic)).toEqual(a);
    for (const bad of ['', 'para|xyz|a|1', 'next|notanid|djingo|1', 'src|*|-1', 'boom|1|2', 'para|abcdef|q|1'])
      expect(decodeButton(bad, isTopic)).toBeNull();
  });
});
