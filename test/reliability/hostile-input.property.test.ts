/**
 * Property-based tests (fast-check, fixed seed) over the analyzer, the search and the Discord rendering, with hostile
 * text: any code unit (lone surrogates included), zero-width and bidirectional marks, emoji, combining marks,
 * 6 000-character strings, markdown and mention injection. Nothing throws, every output stays within Discord's
 * limits, no mention can fire, and quotes stay verbatim.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexTerms, tokenize } from '../../src/language/index.js';
import { ask } from '../../src/answer/index.js';
import type { Answer, AnswerResult } from '../../src/answer/index.js';
import type { ReindexReport } from '../../src/serving/index-holder.js';
import type { ArticleSummary, SearchIndex } from '../../src/index/index.js';
import { analyzeQuestion } from '../../src/language/index.js';
import { suggest } from '../../src/suggest/index.js';
import {
  LIMITS,
  renderAnswer,
  renderParagraph,
  renderReindexReport,
  renderSources,
  type MessageBody,
} from '../../src/discord/render/index.js';
import { bundledIndex } from '../helpers.js';
import { liveMentions, logSummary } from './helpers.js';

const SEED = 20240607;
/** Names a plain object already has (`in` finds them, `obj[k]` returns a function): as words, topics and ids. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true });
const tally: { fault: string; cases: number; outcome: string }[] = [];

const SNIPPETS = [
  '@everyone',
  '@here',
  '@Everyone',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&1300000000000000099>',
  '<#1300000000000000002>',
  '</reindex:123456789012345678>',
  '```',
  '```js\n',
  '`',
  '``',
  '||spoiler||',
  '**',
  '__',
  '~~',
  '> ',
  '>>> ',
  '# ',
  '## ',
  '-# ',
  '- ',
  '* ',
  '1. ',
  '[lien](https://evil.example)',
  '[](javascript:alert(1))',
  '<https://x.y>',
  'https://discord.gg/abc',
  '\\',
  '\\*',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u061c',
  '🤖',
  '👨‍👩‍👧',
  '🇫🇷',
  '\ud800',
  '\udfff',
  '\ud83d',
  'é',
  'e\u0301',
  '\u0301',
  'œ',
  'ß',
  'İ',
  'ﬁ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '\u00a0',
  '\u202f',
  '\u2028',
  'enceinte',
  'Djingo',
  'Orange',
  '149',
  '99,99',
  '4.74%',
  'Xiaomi',
  'Combien',
  'coûtait',
  'quand',
  'remboursement',
  'Deutsch Telekom',
  '?',
  '«',
  '»',
  '’',
  "'",
  '@',
  '<',
  '>',
  '&',
  '#',
  '/',
  ':',
  '%',
  '$',
  '€',
  '|',
  '*',
  '_',
  '~',
  '(',
  ')',
  '[',
  ']',
  '\u0000',
  '\u0007',
  '\u001b[1m',
];

const snippetString = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...SNIPPETS), { maxLength }).map((parts) => parts.join(''));

/** Up to 6 000 characters: repeated snippets, or any code units. */
const long: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(snippetString(8), fc.integer({ min: 1, max: 6000 }))
    .map(([s, n]) => (s || 'x').repeat(Math.ceil(6000 / Math.max(1, s.length))).slice(0, n)),
  fc.string({ unit: 'binary', minLength: 6000, maxLength: 6000 }),
);

/**
 * Anything a user or a seed file could hold. Long strings are one case in ten: discord.js's escapeMarkdown is
 * superlinear in the length of a line (about 170 ms for 6 000 characters, see the report), which bounds how many
 * of them a test can render.
 */
const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: snippetString(40) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  { weight: 1, arbitrary: long },
);
/** Hostile text of a bounded size, for fields rendered many times per message. */
const shortHostile = hostile.map((s) => s.slice(0, 300));

/** Hostile text mixed with words the bundled articles hold, so searches also find answers. */
const hostileQuestion: fc.Arbitrary<string> = fc.oneof(
  hostile,
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'enceinte',
          'Djingo',
          'Combien coûtait',
          'remboursement',
          'Xiaomi',
          'abonnés',
          'Alexa',
          'lancé',
          '149',
          'Deutsch Telekom',
          'what is the constructor',
          ...PROTOTYPE_KEYS,
        ),
        hostile,
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((p) => p.join(' ')),
);
/** Topics: mostly the index's, else one it lacks (prototype keys among them). */
const topic = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(null, 'djingo', 'xiaomi') },
  { weight: 1, arbitrary: fc.constantFrom('licornes', ...PROTOTYPE_KEYS) },
);

/** Discord's limits on a message body, and mention safety. */
function expectDiscordSafe(message: MessageBody, allowedSyntax: string[] = []): void {
  expect(message.content.length).toBeLessThanOrEqual(LIMITS.content);
  expect(message.allowedMentions.parse).toEqual([]);
  expect(message.components.length).toBeLessThanOrEqual(5);
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const b of row.components) {
      const id = (b as { custom_id?: string }).custom_id;
      if (id !== undefined)
        expect(id.length).toBeLessThanOrEqual(LIMITS.customId), expect(id.length).toBeGreaterThan(0);
      expect((b as { label?: string }).label?.length ?? 0).toBeLessThanOrEqual(80);
      // A link button opens only a web page, within the 512 characters Discord accepts.
      const url = (b as { url?: string }).url;
      if (url !== undefined) expect(url).toMatch(/^https?:\/\//u), expect(url.length).toBeLessThanOrEqual(512);
    }
  }
  expect(liveMentions(message.content, [...(message.allowedMentions.users ?? []), ...allowedSyntax])).toEqual([]);
}

let index: SearchIndex;
beforeAll(async () => {
  index = await bundledIndex();
});

describe('analyzer', () => {
  it('tokenize and indexTerms never throw; tokens are exact slices, ordered; terms hold no space', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('index', 'query') as fc.Arbitrary<'index' | 'query'>, (text, mode) => {
        const tokens = tokenize(text, mode);
        let at = 0;
        for (const t of tokens) {
          expect(t.start).toBeGreaterThanOrEqual(at);
          expect(t.end).toBeGreaterThan(t.start);
          expect(text.slice(t.start, t.end)).toBe(t.surface);
          expect(t.terms.length).toBeGreaterThan(0);
          for (const term of t.terms) expect(term).not.toMatch(/\s/u);
          at = t.end;
        }
        for (const term of indexTerms(text)) expect(term).not.toMatch(/\s/u);
      }),
      runs(400),
    );
    tally.push({
      fault: 'analyzer: tokenize/indexTerms on hostile text',
      cases: 400,
      outcome: 'never throws, exact offsets',
    });
  });

  // Fixed bug, kept as a guard: a word made only of combining marks (U+0301 after a space, as in decomposed text whose
  // base letter was separated) becomes the empty index term "" (src/language/analyzer.ts: stemWord folds it to ""),
  // which the index then stores and a question can match. Now: no empty term (the word is dropped).
  it('never produces an empty index term', () => {
    expect(indexTerms('un \u0301 accent orphelin')).not.toContain('');
  });

  it('analyzeQuestion never throws and gives a language, a cue and non-empty words', () => {
    fc.assert(
      fc.property(hostileQuestion, (text) => {
        const q = analyzeQuestion(text);
        expect(['fra', 'eng']).toContain(q.language);
        const cues = [null, 'date', 'day', 'year', 'time', 'duration', 'percent', 'price', 'count', 'quantity']
          .concat(['place', 'person', 'cause', 'manner', 'instance'])
          .map(String);
        expect(cues).toContain(String(q.cue));
        for (const w of q.words) expect(w.terms.length).toBeGreaterThan(0);
      }),
      runs(300),
    );
    tally.push({ fault: 'analyzeQuestion on hostile questions', cases: 300, outcome: 'never throws' });
  });
});

describe('search', () => {
  it('ask never throws; every quote is the article text at its offsets; highlights lie inside the quote', () => {
    let answered = 0;
    fc.assert(
      fc.property(hostileQuestion, topic, fc.integer({ min: 1, max: 12 }), (q, t, limit) => {
        const answer = ask(index, q, { topic: t, limit });
        expect(answer.question).toBe(q);
        expect(answer.answered).toBe(answer.results.length > 0);
        expect(answer.results.length).toBeLessThanOrEqual(limit);
        expect(answer.articlesSearched).toBeLessThanOrEqual(index.corpus.articles.length);
        if (answer.answered) answered++;
        for (const r of answer.results) {
          const article = index.corpus.articles.find((a) => a.file === r.article)!;
          expect(article).toBeDefined();
          expect(r.quote.length).toBeGreaterThan(0);
          expect(article.text.slice(r.quoteStart, r.quoteEnd)).toBe(r.quote);
          expect(r.quote.isWellFormed()).toBe(true);
          let at = 0;
          for (const hl of r.highlights) {
            expect(hl.start).toBeGreaterThanOrEqual(at);
            expect(hl.end).toBeGreaterThan(hl.start);
            expect(hl.end).toBeLessThanOrEqual(r.quote.length);
            at = hl.end;
          }
        }
      }),
      runs(300),
    );
    // The mix of real words must have reached answers, or the quote checks above proved little.
    expect(answered).toBeGreaterThan(30);
    tally.push({
      fault: 'ask on hostile questions × 9 topics (prototype keys among them) × limits',
      cases: 300,
      outcome: `never throws, ${answered} answered, quotes verbatim`,
    });
  });

  // The words a plain object already has (« what is the constructor » once crashed an answer): as question words,
  // as topics and as the word being typed, every one answers or says no answer; an unknown topic searches nothing.
  it('prototype keys as words, topics and typed prefixes: never throw, unknown topics search no article', () => {
    let cases = 0;
    for (const key of PROTOTYPE_KEYS)
      for (const q of [`what is the ${key}`, key, `Combien coûtait l’enceinte ${key} ?`, `${key} Djingo ${key}`])
        for (const t of [null, 'djingo', key]) {
          const answer = ask(index, q, { topic: t });
          if (t === key) expect(answer.articlesSearched).toBe(0);
          expect(answer.alsoAnsweredIn.every((other) => index.topicArticles.has(other))).toBe(true);
          suggest(index, q.slice(0, 12), t);
          analyzeQuestion(q);
          cases++;
        }
    tally.push({
      fault: 'prototype keys (__proto__, constructor…) as words, topics, prefixes',
      cases,
      outcome: 'never throws; such topics search no article',
    });
  });

  it('suggest never throws: at most 25 choices of 1 to 100 characters', () => {
    fc.assert(
      fc.property(hostileQuestion, topic, (typed, t) => {
        const choices = suggest(index, typed, t);
        expect(choices.length).toBeLessThanOrEqual(LIMITS.choices);
        for (const c of choices) {
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(LIMITS.choice);
        }
      }),
      runs(80),
    );
    tally.push({
      fault: 'suggest (autocomplete) on hostile input',
      cases: 80,
      outcome: '≤ 25 choices of 1–100 chars',
    });
  });

  // Fixed bug, kept as a guard: suggest (src/suggest/suggest.ts) cuts the typed text with `.slice(0, 100)`, which can
  // split an emoji (a surrogate pair) in two; the choice then ends with a lone surrogate that Discord cannot display
  // (and may refuse). Now: cut between code points. Input: 99 characters then « 😀 ».
  it('suggest never splits an emoji in two', () => {
    const typed = `enceinte Djingo enceinte Djingo ${'a'.repeat(67)}😀 Djingo`;
    const choices = suggest(index, typed, 'djingo');
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) expect(c.isWellFormed()).toBe(true);
  });
});

/** Seed file names, prototype keys among them. */
const FILE_NAMES = ['x.txt', ...PROTOTYPE_KEYS, ...PROTOTYPE_KEYS.map((k) => `${k}.txt`)];
const fileName = fc.constantFrom(...FILE_NAMES);

/** A hostile but type-correct result, as a tampered seed or a future bug could produce. */
const hostileResult: fc.Arbitrary<AnswerResult> = fc
  .record({
    quote: hostile.filter((s) => s.length > 0),
    title: hostile,
    source: fc.option(shortHostile),
    date: fc.constantFrom(null, '2020', '2020-10', '2020-10-05', '2021-13', 'pas une date'),
    paragraph: fc.integer({ min: 1, max: 999_999 }),
    kind: fc.constantFrom('article', 'comment') as fc.Arbitrary<'article' | 'comment'>,
    articleHash: fc.stringMatching(/^[0-9a-f]{12}$/),
    spans: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    cutBefore: fc.boolean(),
    cutAfter: fc.boolean(),
  })
  .map(({ spans, ...r }) => {
    // Valid highlight spans: sorted, disjoint, inside the quote.
    const points = [...new Set(spans.flat().map((n) => n % (r.quote.length + 1)))].sort((a, b) => a - b);
    const highlights = [];
    for (let i = 0; i + 1 < points.length; i += 2)
      if (points[i + 1]! > points[i]!) highlights.push({ start: points[i]!, end: points[i + 1]! });
    // The file name from a field already drawn: a draw of its own would change every later case of the seed. One
    // result in eight is of another file (then also rendered, as a result from another article).
    const article = r.paragraph % 8 === 0 ? FILE_NAMES[(r.paragraph >> 3) % FILE_NAMES.length]! : 'x.txt';
    // The ` url` header too, from fields already drawn: none, a link, a script, one too long, or hostile text.
    const urls = [null, 'https://exemple.fr/a?x=<@&1>', 'javascript:alert(1)', `https://e.fr/${'a'.repeat(600)}`];
    const url = r.paragraph % 5 < urls.length ? urls[r.paragraph % 5]! : r.title;
    return { ...r, article, url, quoteStart: 0, quoteEnd: r.quote.length, highlights, score: 1, passage: 0 };
  });

const hostileAnswer: fc.Arbitrary<Answer> = fc
  .record({
    question: hostile,
    topic: fc.constantFrom(null, 'djingo', 'xiaomi', ...PROTOTYPE_KEYS),
    results: fc.array(hostileResult, { maxLength: 5 }),
    unmatched: fc.array(shortHostile, { maxLength: 6 }),
    articlesSearched: fc.nat({ max: 100_000 }),
    alsoAnsweredIn: fc.subarray(['djingo', 'xiaomi']),
    hedged: fc.boolean(),
    questionCut: fc.boolean(),
  })
  .map((a) => ({
    ...a,
    // A prototype key among the other topics one time in three, from a field already drawn (see FILE_NAMES).
    alsoAnsweredIn:
      a.articlesSearched % 3 === 0
        ? [...a.alsoAnsweredIn, PROTOTYPE_KEYS[a.articlesSearched % PROTOTYPE_KEYS.length]!]
        : a.alsoAnsweredIn,
    language: 'fra' as const,
    answered: a.results.length > 0,
    hedged: a.hedged && a.results.length > 0,
    confidence: a.results.length > 0 ? 0.5 : 0,
    emptyQuestion: false,
    exampleQuestion: null,
  }));

const snowflake = fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String);
const view = fc.record({
  index: fc.nat({ max: 12 }),
  userId: snowflake,
  ephemeral: fc.boolean(),
  rerunnable: fc.boolean(),
  suggestTo: fc.option(snowflake),
  sharedBy: fc.option(snowflake),
});

/** Markdown escapes and mention breakers undone: what a reader sees of an escaped line. */
function unescapeDiscord(s: string): string {
  return s
    .replace(/(?<!\\)\*\*/g, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\u200b/g, '');
}

describe('Discord rendering', () => {
  it('renderAnswer of real answers to hostile questions: within limits, no live mention, quotes verbatim', () => {
    const texts = index.corpus.articles.map((a) => a.text.replace(/\r\n/g, '\n'));
    // The unescaping below relies on articles free of backslashes and zero-width spaces.
    for (const t of texts) expect(t).not.toMatch(/[\\\u200b]/);
    let quotes = 0;
    fc.assert(
      fc.property(
        hostileQuestion,
        topic.filter((t) => t !== 'licornes'),
        view,
        (q, t, v) => {
          const answer = ask(index, q, { topic: t, limit: 10 });
          const message = renderAnswer(answer, v);
          // A member named by « Réponse partagée par » is written as a mention but not allowed to ping.
          expectDiscordSafe(message, v.sharedBy && !v.suggestTo ? [v.sharedBy] : []);
          if (v.suggestTo) expect(message.allowedMentions.users).toEqual([v.suggestTo]);
          else expect(message.allowedMentions.users).toBeUndefined();
          // Every quote block, unescaped, reads as a passage of an article (with « … » where it was cut).
          const blocks = message.content
            .split('\n\n')
            .map((part) =>
              part
                .split('\n')
                .filter((l) => l.startsWith('> '))
                .map((l) => l.slice(2))
                .join('\n'),
            )
            .filter(Boolean);
          if (answer.answered) expect(blocks.length).toBeGreaterThan(0);
          for (const block of blocks) {
            let seen = unescapeDiscord(block);
            if (seen.startsWith('… ')) seen = seen.slice(2);
            if (seen.endsWith(' …')) seen = seen.slice(0, -2);
            if (seen === '…') continue;
            expect(
              texts.some((t) => t.includes(seen)),
              seen,
            ).toBe(true);
            quotes++;
          }
        },
      ),
      runs(200),
    );
    expect(quotes).toBeGreaterThan(30);
    tally.push({
      fault: 'renderAnswer of real answers (hostile questions, views)',
      cases: 200,
      outcome: `≤ 2000, ids ≤ 100, no live mention, ${quotes} quote blocks verbatim`,
    });
  });

  it('renderAnswer of hostile answers (quotes, titles, sources, questions): within limits, no live mention', () => {
    fc.assert(
      fc.property(hostileAnswer, view, (answer, v) => {
        expectDiscordSafe(renderAnswer(answer, v), v.sharedBy && !v.suggestTo ? [v.sharedBy] : []);
      }),
      runs(80),
    );
    tally.push({
      fault: 'renderAnswer of synthetic hostile answers',
      cases: 80,
      outcome: '≤ 2000, ids ≤ 100, no live mention',
    });
  }, 60_000);

  it('renderParagraph of hostile one-line paragraphs (sources up to 300 chars): within limits, no live mention', () => {
    // Line breaks are left out here: each one costs two characters the budget forgets (known bug below).
    fc.assert(
      fc.property(
        hostileResult,
        hostile.map((s) => s.replace(/\n/g, ' ')),
        (r, text) => {
          expectDiscordSafe(renderParagraph(r, text));
        },
      ),
      runs(150),
    );
    tally.push({
      fault: 'renderParagraph of hostile paragraphs',
      cases: 150,
      outcome: '≤ 2000, no live mention (one-line paragraphs)',
    });
  }, 60_000);

  // Fixed bug, kept as a guard: renderParagraph (src/discord/render/answers.ts) budgets the escaped paragraph with a
  // fixed 60-character margin, but then prefixes every line with "> " (2 characters per line, uncounted).
  // A 3 000-character paragraph hard-wrapped at 60 columns (53 lines, as scraped or e-mailed text often is) gives
  // 2 024 characters, and Discord refuses « Paragraphe complet » (50035); the member gets
  // « Une erreur est survenue ». Now: ≤ 2000.
  it('renderParagraph stays within 2000 characters for a hard-wrapped paragraph', () => {
    const words = (
      'Lors de ce lancement, Orange avait pour objectif de venir concurrencer les géants américains ' +
      'sur le marché français, et proposait son enceinte à 99,99 euros pour les abonnés.'
    ).split(' ');
    const lines: string[] = [];
    let line = '';
    for (let i = 0; lines.join('\n').length < 3000; i++) {
      const w = words[i % words.length]!;
      if (`${line} ${w}`.length > 60) lines.push(line), (line = w);
      else line = line ? `${line} ${w}` : w;
    }
    const message = renderParagraph(
      {
        title: 'Orange annonce la fermeture des services Djingo',
        source: 'Presse-citron',
        date: '2021-01',
        url: null,
        paragraph: 3,
        kind: 'article',
      },
      lines.join('\n'),
    );
    expect(message.content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  // Fixed bug, kept as a guard: the same budget never shortens the source, which a seed's ` source` header sets to any
  // length: with a 2 560-character source the message is over 2 500 characters. Now: ≤ 2000.
  it('renderParagraph stays within 2000 characters whatever the source length', () => {
    const message = renderParagraph(
      { title: 'Titre', source: 'Éditeur '.repeat(320), date: '2021-01', url: null, paragraph: 2, kind: 'article' },
      'Un paragraphe court.',
    );
    expect(message.content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  // Fixed bug, kept as a guard: questionLine (src/discord/render/answers.ts, through shorten() in
  // src/discord/render/escape.ts) cuts a long question with `.slice(0, 149)`, which can split an emoji; the message
  // then carries a lone surrogate.
  // Input: a 100-emoji question (200 UTF-16 units, Discord's max_length). Now: cut between code points.
  it('renderAnswer never splits an emoji of the question in two', () => {
    const answer = ask(index, `${'😀'.repeat(100)}`, { topic: 'djingo' });
    expect(
      renderAnswer(answer, {
        index: 0,
        userId: '1400000000000000001',
        ephemeral: false,
        rerunnable: true,
      }).content.isWellFormed(),
    ).toBe(true);
  });

  it('renderSources of hostile article lists and pages: within limits, no live mention', () => {
    const summary: fc.Arbitrary<ArticleSummary> = fc
      .record({
        file: fc.oneof(shortHostile, fileName),
        title: hostile,
        date: fc.constantFrom(null, '2020', '2020-10', '2020-10-05', 'n’importe quoi'),
        source: fc.option(shortHostile),
        topics: fc.subarray(['djingo', 'xiaomi', ...PROTOTYPE_KEYS]),
        passages: fc.nat({ max: 10_000 }),
      })
      .map((a) => ({ ...a, url: a.passages % 3 === 0 ? null : a.passages % 3 === 1 ? 'javascript:x' : a.title }));
    fc.assert(
      fc.property(
        fc.array(summary, { maxLength: 40 }),
        fc.constantFrom(null, 'djingo', 'xiaomi', ...PROTOTYPE_KEYS),
        fc.integer({ min: -5, max: 1_000_000 }),
        (articles, t, page) => {
          expectDiscordSafe(renderSources(articles, t, page));
        },
      ),
      runs(100),
    );
    tally.push({
      fault: 'renderSources (hostile titles, sources, pages)',
      cases: 100,
      outcome: '≤ 2000, ids ≤ 100, no live mention',
    });
  }, 60_000);

  it('renderReindexReport of hostile reports (reasons, errors, many files): within limits, no live mention', () => {
    // File names here avoid mention syntax: see the known bug below for those.
    const file = fc.string({
      unit: fc.constantFrom(...'abcdéè_-. 0123456789`*|~🤖'.split('')),
      minLength: 1,
      maxLength: 255,
    });
    const report: fc.Arbitrary<ReindexReport> = fc.record({
      before: fc.nat({ max: 100_000 }),
      after: fc.nat({ max: 100_000 }),
      added: fc.array(file, { maxLength: 30 }),
      changed: fc.array(file, { maxLength: 30 }),
      removed: fc.array(file, { maxLength: 30 }),
      rejected: fc.array(fc.record({ file, reason: shortHostile }), { maxLength: 40 }),
      durationMs: fc.nat({ max: 10_000_000 }),
      buildMs: fc.nat({ max: 10_000_000 }),
      loadMs: fc.nat({ max: 10_000_000 }),
      saveError: fc.option(hostile),
    });
    fc.assert(
      fc.property(report, fc.option(hostile.map((s) => s.replace(/[@<]/g, ''))), (r, shards) => {
        expectDiscordSafe(renderReindexReport(r, shards));
      }),
      runs(150),
    );
    tally.push({
      fault: 'renderReindexReport (hostile reasons, errors, 100+ files)',
      cases: 150,
      outcome: '≤ 2000, no live mention',
    });
  }, 60_000);

  // Fixed bug, kept as a guard (low severity): renderReindexReport (src/discord/render/reports.ts, fileList and the
  // rejected list) puts file names in code spans without breaking mention syntax, so a seed named
  // `@everyone <@&…>.txt` appears as raw mention syntax. It cannot ping (allowed_mentions parse [], and the report is
  // ephemeral) nor render (inside code), but it breaks the rule every other user text follows.
  // Now: breakMentions on file names too.
  it('renderReindexReport breaks mention syntax in file names', () => {
    const names = ['@everyone.txt', '<@&1300000000000000099>.txt'];
    const message = renderReindexReport({
      before: 1,
      after: 2,
      added: names,
      changed: [],
      removed: [],
      rejected: names.map((file) => ({ file, reason: 'fichier vide' })),
      durationMs: 10,
      buildMs: 5,
      loadMs: 5,
      saveError: null,
    });
    expect(liveMentions(message.content)).toEqual([]);
  });

  it('prints the summary', () => {
    logSummary(tally);
    expect(tally.length).toBeGreaterThan(5);
  });
});
