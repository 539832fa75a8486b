import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeedFiles } from '../../src/corpus/index.js';
import { buildSearchIndex } from '../../src/index/index.js';
import { TitleTerms, titleTermsLine } from '../../src/index/title-terms.js';
import { tokenize } from '../../src/language/index.js';
import { sliceWhole } from '../../src/lib/index.js';
import { SEED_TOPICS, SEEDS, SHARED } from '../helpers.js';

/** What a question read of a title before the build kept its terms: the title analyzed there and then. */
const analyzed = (title: string): string[] => [
  ...new Set(tokenize(sliceWhole(title, 300)).flatMap((t) => [...t.terms])),
];

describe('title terms', () => {
  it('are kept by the snapshot as the titles analyze, for every bundled and dev article', async () => {
    const reads = [
      ...(await readSeedFiles(SEEDS)),
      ...(await readSeedFiles(path.join(SHARED, 'eval', 'dev', 'articles'))),
    ];
    const index = buildSearchIndex(reads, SEED_TOPICS);
    const { articles } = index.corpus;
    expect(articles.length).toBeGreaterThan(20);
    expect(index.titleTerms.count).toBe(articles.length);
    for (const [i, a] of articles.entries()) expect(index.titleTerms.of(i), a.file).toEqual(analyzed(a.title));
    expect(articles.some((_, i) => index.titleTerms.of(i).length > 3)).toBe(true);
  });

  it('are the distinct terms of the title, accents and long titles included', () => {
    expect(titleTermsLine('')).toBe('');
    expect(titleTermsLine('« … » !')).toBe('');
    const line = titleTermsLine('Sécurité : la sécurité des enceintes Djingo');
    expect(line.split(' ')).toEqual(analyzed('Sécurité : la sécurité des enceintes Djingo'));
    expect(new Set(line.split(' ')).size).toBe(line.split(' ').length);
    const long = `${'mot '.repeat(80)}fin`;
    expect(analyzed('fin')).toHaveLength(1);
    expect(titleTermsLine(long).split(' ')).not.toContain(analyzed('fin')[0]);
  });

  it('are found by article across parts, empty lines included', () => {
    const titles = new TitleTerms(4);
    expect(titles.addPart('a b\n')).toBe(true);
    expect(titles.count).toBe(2);
    expect(titles.addPart('c\nd e')).toBe(true);
    expect([0, 1, 2, 3].map((k) => titles.of(k))).toEqual([['a', 'b'], [], ['c'], ['d', 'e']]);
    expect(titles.of(4)).toEqual([]);
    expect(titles.of(-1)).toEqual([]);
    expect(titles.addPart('f')).toBe(false);
  });
});
