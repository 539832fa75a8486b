import { describe, expect, it } from 'vitest';
import { readSeedFiles } from '../../src/corpus/index.js';
import { buildFromReads, parseSnapshot, serializeSnapshot } from '../../src/index/index.js';
import { storedArticle, TextStore } from '../../src/index/text-store.js';
import { SEED_TOPICS, SEEDS, plainCorpus } from '../helpers.js';
import { prng } from '../reliability/helpers.js';

const TEXTS = ['Première', 'Deuxième — « é »', '', 'x'.repeat(40), 'Cinquième 😀 émoji', '', 'fin'];

describe('TextStore', () => {
  it('gives back each text, across blocks, a text larger than a block in a block of its own', () => {
    const store = new TextStore(16);
    for (const [i, t] of TEXTS.entries()) expect(store.add(t)).toBe(i);
    expect(store.count).toBe(TEXTS.length);
    // Twice each, in another order: decoded again or from the few kept, the same text.
    for (const i of [6, 0, 3, 1, 5, 2, 4, 0, 6]) expect(store.text(i)).toBe(TEXTS[i]);
    for (const [i, t] of TEXTS.entries()) expect(store.byteLength(i)).toBe(Buffer.byteLength(t));
    const blocks = store.blocks;
    expect(blocks.length).toBeGreaterThan(2);
    expect(Buffer.concat(blocks).toString('utf8')).toBe(TEXTS.join(''));
    expect(Math.max(...blocks.map((b) => b.length))).toBe(40);
    expect(() => store.text(TEXTS.length)).toThrow(RangeError);
  });

  it('counts a text’s UTF-16 units from its bytes, and declines a text with surrogate pairs', () => {
    const store = new TextStore(16);
    const texts = [...TEXTS, 'Prix : 12 € — « ok »', 'Ⅻ 中文 ǅ'];
    for (const t of texts) store.add(t);
    texts.forEach((t, i) => {
      expect(store.unitsWithoutPairs(i)).toBe(/[\u{10000}-\u{10FFFF}]/u.test(t) ? null : t.length);
    });
    expect(store.unitsWithoutPairs(4)).toBeNull();
    expect(() => store.unitsWithoutPairs(texts.length)).toThrow(RangeError);
  });

  it('counts units alike at every alignment, four bytes at a time or one', () => {
    const rng = prng(11);
    const pieces = ['a', 'é', '€', '中', 'ǅ', ' ', 'Zz', '«', '😀', '\u{1F1EB}'];
    const texts = Array.from({ length: 400 }, () => {
      const n = Math.floor(rng() * 40);
      // One text in four may hold a character outside the BMP.
      const astral = rng() < 0.25;
      return Array.from({ length: n }, () => pieces[Math.floor(rng() * (astral ? 10 : 8))]!).join('');
    });
    // Blocks of odd sizes: texts start at every offset modulo 4 of the memory.
    const store = new TextStore(37);
    for (const t of texts) store.add(t);
    texts.forEach((t, i) => {
      expect(store.unitsWithoutPairs(i)).toBe(/[\u{10000}-\u{10FFFF}]/u.test(t) ? null : t.length);
    });
  });

  it('takes blocks of whole texts as they are, and refuses lengths that do not add up', () => {
    const store = new TextStore();
    store.addBlock(Buffer.from('abcdé'), [2, 0, 4]);
    store.addBlock(Buffer.alloc(0), [0]);
    expect([0, 1, 2, 3].map((i) => store.text(i))).toEqual(['ab', '', 'cdé', '']);
    expect(() => store.addBlock(Buffer.from('abc'), [1, 1])).toThrow(/add up/);
  });

  it('makes articles that compare, spread and serialize as ones holding their text', () => {
    const store = new TextStore();
    const meta = { file: 'a.txt', title: 'T', source: null, date: null, url: null, language: 'fra', topics: [] };
    const plain = { ...meta, text: 'Le texte.', hash: 'h', fingerprint: 'f' };
    const { text, ...rest } = plain;
    const stored = storedArticle(rest, store, store.add(text));
    expect(stored).toEqual(plain);
    expect(plain).toEqual(stored);
    expect({ ...stored }).toStrictEqual(plain);
    expect(JSON.parse(JSON.stringify(stored))).toEqual(plain);
    expect(Object.keys(stored).sort()).toEqual(Object.keys(plain).sort());
    expect(() => {
      (stored as { text: string }).text = 'autre';
    }).toThrow(TypeError);
  });

  it('round-trips a snapshot whose texts fill many parts', async () => {
    const built = buildFromReads(await readSeedFiles(SEEDS), SEED_TOPICS);
    // The same corpus with its texts in blocks of 512 bytes: each article in a part of its own.
    const texts = new TextStore(512);
    const articles = built.corpus.articles.map(({ text, ...meta }) => storedArticle(meta, texts, texts.add(text)));
    expect(texts.blocks.length).toBe(built.corpus.articles.length);
    const small = { ...built, texts, corpus: { ...built.corpus, articles } };
    const loaded = parseSnapshot(serializeSnapshot(small, 'f'.repeat(64), new Date(0)));
    const direct = parseSnapshot(serializeSnapshot(built, 'f'.repeat(64), new Date(0)));
    if (!loaded.ok || !direct.ok) throw new Error('snapshot did not load');
    expect(plainCorpus(loaded.index.corpus)).toEqual(plainCorpus(direct.index.corpus));
    expect(loaded.index.corpus.articles.map((a) => a.text)).toEqual(built.corpus.articles.map((a) => a.text));
  });
});
