import { describe, expect, it } from 'vitest';
import { fold, isFrenchStopWord, termsOfWord } from '../../src/language/index.js';
import type { SearchIndex } from '../../src/index/index.js';
import { minePhrasesNow, suggest } from '../../src/suggest/index.js';
import { bundledIndex } from '../helpers.js';

interface Reference {
  text: string;
  count: number;
  topics: string[];
}

/** Phrase mining written the plain way (regular expressions on each candidate span): the oracle. */
function referencePhrases(index: SearchIndex): Reference[] {
  const byKey = new Map<string, Reference>();
  const seen = new Map<number, number>();
  for (const p of index.corpus.passages) {
    if (p.kind === 'comment') continue;
    const n = seen.get(p.article) ?? 0;
    if (n >= 8) continue;
    seen.set(p.article, n + 1);
    const article = index.corpus.articles[p.article]!;
    for (const s of p.sentences) {
      const text = article.text.slice(s.start, s.end);
      const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*/gu)];
      for (let i = 0; i < words.length; i++) {
        for (let k = 1; k <= 3 && i + k <= words.length; k++) {
          const first = words[i]!;
          const last = words[i + k - 1]!;
          const span = text.slice(first.index, last.index + last[0].length);
          if (k > 1 && !/^[^\s,;:.!?()«»"]+(?: [^\s,;:.!?()«»"]+)*$/u.test(span)) break;
          const edge = (w: string): boolean =>
            /\p{N}/u.test(w) ||
            (w.length > 2 && !isFrenchStopWord(w.toLowerCase()) && termsOfWord(w, 'query').length > 0);
          if (!edge(first[0]) || !edge(last[0]) || span.length > 60) continue;
          if (k === 1 && (first[0].length < 4 || /\p{N}/u.test(first[0]))) continue;
          const key = fold(span.toLowerCase());
          let phrase = byKey.get(key);
          if (!phrase) byKey.set(key, (phrase = { text: span, count: 0, topics: [] }));
          phrase.count++;
          for (const t of article.topics) if (!phrase.topics.includes(t)) phrase.topics.push(t);
        }
      }
    }
  }
  const pieces = (p: Reference): number => p.text.split(' ').length;
  // Stable sort: equal ranks stay in the order the phrases were first met.
  return [...byKey.values()].sort((a, b) => b.count * (1 + pieces(a)) - a.count * (1 + pieces(b)));
}

const plain = (phrases: readonly Reference[]): Reference[] =>
  phrases.map(({ text, count, topics }) => ({ text, count, topics }));

describe('autocomplete phrases', () => {
  it('are the phrases the plain mining finds, in the same order', async () => {
    const index = await bundledIndex();
    const expected = referencePhrases(index);
    expect(expected.length).toBeGreaterThan(100);
    expect(plain(minePhrasesNow(index))).toEqual(expected);
  });

  it('keep only the best ranked when there are more than the limit: the first of the full ranking', async () => {
    const index = await bundledIndex();
    const all = minePhrasesNow(index);
    for (const limit of [1, 25, 200])
      expect(plain(minePhrasesNow(index, { articles: 1000, phrases: limit }))).toEqual(plain(all.slice(0, limit)));
  });

  it('mine an even sample of the articles when there are more than the limit', async () => {
    const index = await bundledIndex();
    const articles = index.corpus.articles.length;
    expect(articles).toBeGreaterThan(1);
    // One article at most: only every `articles`-th one, the first, is mined.
    const firstOnly = minePhrasesNow(index, { articles: 1, phrases: 100_000 });
    const first = index.corpus.articles[0]!.text;
    expect(firstOnly.length).toBeGreaterThan(0);
    for (const p of firstOnly) expect(first).toContain(p.text);
    expect(minePhrasesNow(index).some((p) => !first.includes(p.text))).toBe(true);
  });

  it('complete the word being typed', async () => {
    const index = await bundledIndex();
    const choices = suggest(index, 'Combien coûtait l’ence', 'djingo');
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.every((c) => c.startsWith('Combien coûtait l’'))).toBe(true);
  });
});
