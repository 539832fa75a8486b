import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { evaluate, parseEvalFile } from '../../src/eval/index.js';
import { buildSearchIndex } from '../../src/index/index.js';
import { bundledIndex, ROOT, SEED_TOPICS, SHARED } from '../helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('answers from the bundled articles', () => {
  it('finds every answerable sample question at rank 1 and refuses both no-answer ones', async () => {
    const index = await bundledIndex();
    const questions = parseEvalFile(readFileSync(path.join(SHARED, 'eval', 'questions.sample.jsonl'), 'utf8'));
    const result = evaluate(index, questions);
    expect(result.misses).toEqual([]);
    expect(result.hitAt1).toBe(1);
    expect(result.noAnswerAccuracy).toBe(1);
  });

  it('does well on the developers’ own questions, written apart from the sample', async () => {
    const index = await bundledIndex();
    const result = evaluate(
      index,
      parseEvalFile(readFileSync(path.join(ROOT, 'test', 'fixtures', 'dev-questions.jsonl'), 'utf8')),
    );
    expect(result.hitAt1).toBeGreaterThanOrEqual(0.8);
    expect(result.hitAt3).toBeGreaterThanOrEqual(0.95);
    // Two of its four no-answer questions (a football cup, a Samsung speaker) are still answered: see the issue note.
    expect(result.noAnswerAccuracy).toBeGreaterThanOrEqual(0.5);
  });

  it('quotes verbatim, highlights inside the quote, and attributes correctly', async () => {
    const index = await bundledIndex();
    const questions = [
      'Combien coûtait l’enceinte ?',
      'remboursement',
      'Xiaomi Orange abonnés',
      'When did the Djingo speaker launch?',
      'assistant vocal Google Alexa Livebox',
    ];
    for (const q of questions) {
      const answer = ask(index, q, { limit: 5 });
      for (const r of answer.results) {
        const article = index.corpus.articles.find((a) => a.file === r.article)!;
        expect(article.text.slice(r.quoteStart, r.quoteEnd)).toBe(r.quote);
        expect(r.title).toBe(article.title);
        for (const h of r.highlights) {
          expect(h.start).toBeGreaterThanOrEqual(0);
          expect(h.end).toBeLessThanOrEqual(r.quote.length);
        }
      }
    }
  });

  it('presents a reader’s comment as a comment, never as the article', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'fonctions via Google assistant et Alexa en lien avec les Livebox', { topic: 'djingo' });
    const comment = answer.results.find((r) => r.quote.includes('Livebox'));
    expect(comment?.kind).toBe('comment');
  });

  it('ranks a comment below article text for the same words', () => {
    const sentence = 'La batterie du casque Zorblax tient quarante heures selon le fabricant.';
    const text =
      `Le casque Zorblax arrive\n\n${sentence}\n\n` +
      `Un autre paragraphe sur les écouteurs et leur prix de lancement en France.\n\n1 commentaire\n\n${sentence}\n`;
    const index = buildSearchIndex([{ file: 'z.txt', bytes: enc(text) }], SEED_TOPICS);
    const answer = ask(index, 'batterie du casque Zorblax', { limit: 2 });
    expect(answer.results.map((r) => r.kind)).toEqual(['article', 'comment']);
  });

  it('says when the articles do not answer, with the words that matched nothing', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'Quelle est la capitale du Japon ?');
    expect(answer.answered).toBe(false);
    expect(answer.results).toEqual([]);
    expect(answer.unmatched).toEqual(['capitale', 'Japon']);
  });

  it('does not answer through a topic that cannot, and names the one that can', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'Combien coûtait l’enceinte Djingo ?', { topic: 'xiaomi' });
    expect(answer.answered).toBe(false);
    expect(answer.alsoAnsweredIn).toEqual(['djingo']);
    expect(ask(index, 'Combien coûtait l’enceinte Djingo ?', { topic: 'djingo' }).answered).toBe(true);
  });

  it('corrects typos in words the articles never use, not in words they do', async () => {
    const index = await bundledIndex();
    expect(ask(index, 'Deutsh Telekom').results[0]?.quote).toContain('Deutsch Telekom');
    expect(ask(index, 'remboursment enceinte').answered).toBe(true);
  });

  it('lists results best first, whatever their article (the next passage of an article often answers)', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'enceinte Djingo prix', { topic: 'djingo', limit: 3 });
    expect(answer.results.length).toBe(3);
    const scores = answer.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('cuts a very long quote at word boundaries around the matched words, never rewriting it', () => {
    const filler = Array.from({ length: 120 }, (_, i) => `mot${i}`).join(' ');
    const text = `Titre\n\n${filler} le fabricant Zorblax annonce un prix de 149 euros ${filler}\n`;
    const index = buildSearchIndex([{ file: 'long.txt', bytes: enc(text) }], SEED_TOPICS);
    const r = ask(index, 'prix Zorblax').results[0]!;
    expect(r.quote.length).toBeLessThanOrEqual(420);
    expect(r.cutBefore && r.cutAfter).toBe(true);
    expect(text).toContain(r.quote);
    expect(r.quote).toMatch(/^\S/);
    expect(text[r.quoteStart - 1]).toMatch(/\s/);
    expect(text[r.quoteEnd]).toMatch(/\s/);
    expect(r.highlights.map((h) => r.quote.slice(h.start, h.end))).toEqual(['Zorblax', 'prix']);
  });

  it('never throws on empty, stop-word-only or odd questions', async () => {
    const index = await bundledIndex();
    for (const q of ['', '   ', 'le la les', '?!', '@everyone', '\u200b\u202e', 'x'.repeat(6000), '🙂'.repeat(50)]) {
      const answer = ask(index, q);
      expect(answer.answered).toBe(false);
    }
  });
});
