import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus, MAX_SEED_BYTES, parseSeed, readSeedFiles } from '../../src/corpus/index.js';
import { checkNewSeed, corpusFingerprints, prepareFromText, safeSeedFileName } from '../../src/ingest/index.js';
import { SOURCE_FILE } from '../fixtures/ingest/build-article-page.js';
import { SEEDS, SHARED } from '../helpers.js';

const SOURCE = readFileSync(SOURCE_FILE, 'utf8');
const TITLE = 'Coronavirus : Disney+ reporte son lancement';
const NONE = new Set<string>();

const ENGLISH = [
  ' title Streaming prices keep rising',
  '',
  'Netflix raised the price of its standard plan again this week, the third increase in as many years, and the ' +
    'company said that subscribers in most markets would see the new price on their next bill.',
  '',
  'Analysts expect other streaming services to follow, as the cost of producing original series keeps growing ' +
    'and the number of new subscribers slows down in the largest markets of North America and Europe.',
  '',
].join('\n');

function refusal(result: ReturnType<typeof checkNewSeed>) {
  if (result.ok) throw new Error('accepted');
  expect(result.message).toMatch(/\u202f:/u);
  return result.reason;
}

describe('checkNewSeed', () => {
  it('accepts a French article, naming its title and paragraph count', () => {
    expect(checkNewSeed(SOURCE, 'a.txt', NONE)).toEqual({ ok: true, title: TITLE, paragraphs: 6 });
    expect(checkNewSeed(Buffer.from(SOURCE), 'a.txt', NONE).ok).toBe(true);
  });

  it('refuses a file larger than the indexer reads', () => {
    const big = `${SOURCE}\n\n${'Un paragraphe de plus pour grossir le fichier. '.repeat(MAX_SEED_BYTES / 40)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_SEED_BYTES);
    expect(refusal(checkNewSeed(big, 'a.txt', NONE))).toBe('too-large');
  });

  it('refuses what is not UTF-8 text (Latin-1, binary)', () => {
    expect(refusal(checkNewSeed(Buffer.from(SOURCE, 'latin1'), 'a.txt', NONE))).toBe('not-utf8');
    const binary = Buffer.concat([Buffer.from(SOURCE), Buffer.from([0, 1, 2, 0])]);
    expect(refusal(checkNewSeed(binary, 'a.txt', NONE))).toBe('not-utf8');
  });

  it('refuses an article that is not in French', () => {
    const result = checkNewSeed(ENGLISH, 'a.txt', NONE);
    expect(refusal(result)).toBe('not-french');
    expect(!result.ok && result.message).toContain('anglais');
  });

  it('refuses a file with no article paragraph', () => {
    expect(refusal(checkNewSeed(' title Un titre seul\n', 'a.txt', NONE))).toBe('no-article');
    expect(refusal(checkNewSeed('', 'a.txt', NONE))).toBe('no-article');
    expect(refusal(checkNewSeed(' \n\n  \n', 'a.txt', NONE))).toBe('no-article');
  });

  it('refuses an article already indexed, whatever its case, spacing and file name', () => {
    const corpus = buildCorpus([{ file: 'deja.txt', bytes: Buffer.from(SOURCE) }]);
    const fingerprints = corpusFingerprints(corpus);
    const cut = SOURCE.indexOf('\n\n');
    const body = SOURCE.slice(cut).replace(/ /gu, '  ').replace(/\n/gu, '\r\n').toUpperCase();
    const respaced = `${SOURCE.slice(0, cut).replace('reporte', 'REPORTE')}${body}`;
    const result = checkNewSeed(respaced, 'autre.txt', fingerprints);
    expect(refusal(result)).toBe('duplicate');
    expect(!result.ok && result.message).toContain('«\u00a0');
    // The same title over other paragraphs is another article.
    expect(checkNewSeed(SOURCE.replace('7 avril', '8 avril'), 'autre.txt', fingerprints).ok).toBe(true);
  });
});

describe('corpusFingerprints', () => {
  it('gives every indexed article the fingerprint parseSeed gives its file (comments left out)', async () => {
    const devDir = path.join(SHARED, 'eval', 'dev', 'articles');
    const reads = [...(await readSeedFiles(SEEDS)), ...(await readSeedFiles(devDir))];
    const corpus = buildCorpus(reads);
    expect(corpus.articles.length).toBeGreaterThanOrEqual(20);
    expect(corpus.passages.some((p) => p.kind === 'comment')).toBe(true);
    const fingerprints = corpusFingerprints(corpus);
    expect(fingerprints.size).toBe(corpus.articles.length);
    for (const read of reads) {
      if ('reason' in read) continue;
      const parsed = parseSeed(read.file, read.bytes);
      if (parsed.ok) expect(fingerprints.has(parsed.fingerprint)).toBe(true);
    }
  });
});

describe('prepareFromText (an attached file)', () => {
  it('keeps the text as written and names the file after its title', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SOURCE)]);
    const prepared = prepareFromText(withBom, 'Mon Fichier.TXT', { existingFingerprints: NONE });
    expect(prepared).toEqual({
      ok: true,
      fileName: safeSeedFileName(TITLE),
      text: SOURCE,
      title: TITLE,
      paragraphs: 6,
      url: null,
    });
  });

  it('names a file without a title line after its first line', () => {
    const prepared = prepareFromText(Buffer.from(SOURCE.replace(/^ title .*\n/u, '')), 'a.txt', {
      existingFingerprints: NONE,
    });
    const name = 'c-est-finalement-aujourd-hui-7-avril-que-disney-se-lance-sur-le-marche-francais.txt';
    expect(prepared.ok && prepared.fileName).toBe(name);
  });

  it('refuses another extension, and passes the checks on', () => {
    const options = { existingFingerprints: NONE };
    expect(prepareFromText(Buffer.from(SOURCE), 'article.pdf', options)).toMatchObject({
      ok: false,
      reason: 'not-text',
    });
    expect(prepareFromText(Buffer.from(ENGLISH), 'a.txt', options)).toMatchObject({ ok: false, reason: 'not-french' });
    const existingFingerprints = corpusFingerprints(buildCorpus([{ file: 'x.txt', bytes: Buffer.from(SOURCE) }]));
    expect(prepareFromText(Buffer.from(SOURCE), 'a.txt', { existingFingerprints })).toMatchObject({
      ok: false,
      reason: 'duplicate',
    });
  });
});
