import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSeeds, parseSeed } from '../../src/corpus/index.js';
import {
  MAX_NAME_TRIES,
  MAX_SLUG_CHARS,
  normalizeDate,
  safeSeedFileName,
  SeedWriteError,
  seedText,
  writeNewSeed,
} from '../../src/ingest/index.js';
import { tempDir } from '../helpers.js';

const PARAGRAPHS = [
  'Le premier paragraphe de l’article, assez long pour être du texte : il parle de la fibre optique en France.',
  'Le second paragraphe continue\tavec une tabulation et\nun retour à la ligne au milieu.',
];

describe('seedText', () => {
  it('writes the header lines that have a value, a blank line, then the paragraphs', () => {
    const text = seedText({
      title: 'Un titre',
      source: 'Mediaspecs',
      date: '2020-04-07',
      url: 'https://example.org/a',
      paragraphs: PARAGRAPHS,
    });
    expect(text).toBe(
      ' title Un titre\n source Mediaspecs\n date 2020-04-07\n url https://example.org/a\n\n' +
        `${PARAGRAPHS[0]}\n\nLe second paragraphe continue avec une tabulation et un retour à la ligne au milieu.\n`,
    );
    const parsed = parseSeed('a.txt', Buffer.from(text));
    expect(parsed.ok && parsed.article).toMatchObject({
      title: 'Un titre',
      source: 'Mediaspecs',
      date: '2020-04-07',
      url: 'https://example.org/a',
    });
  });

  it('keeps header values on one line, without control characters, and drops a malformed date', () => {
    const text = seedText({
      title: 'Un\ntitre\u0000 sur\r\ndeux\u2028lignes',
      source: ' Site\u0085 ',
      date: 'le 7 avril',
      url: 'https://example.org/a b',
      paragraphs: ['', '  ', ...PARAGRAPHS],
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      ' title Un titre sur deux lignes',
      ' source Site',
      ' url https://example.org/a%20b',
      '',
    ]);
    expect([...text].filter((c) => c !== '\n' && /[\p{Cc}\u2028]/u.test(c))).toEqual([]);
    expect(text).not.toContain(' date');
  });

  it('omits the title line when there is none, and cuts a very long title at a word', () => {
    expect(seedText({ title: '', source: null, date: null, url: null, paragraphs: PARAGRAPHS })).toMatch(
      /^Le premier/u,
    );
    const long = seedText({ title: 'mot '.repeat(100), source: null, date: null, url: null, paragraphs: PARAGRAPHS });
    const title = long.split('\n')[0]!;
    expect(title.length).toBeLessThanOrEqual(' title '.length + 200);
    expect(title).toMatch(/ mot…$/u);
  });
});

describe('normalizeDate', () => {
  it.each([
    ['2020-04-07T09:30:00+02:00', '2020-04-07'],
    ['2020-04-07T23:30:00-05:00', '2020-04-07'],
    ['2020-04-07', '2020-04-07'],
    ['2020-04', '2020-04'],
    ['2020', '2020'],
    ['Tue, 07 Apr 2020 10:00:00 GMT', '2020-04-07'],
    ['2020-13-01', null],
    ['2020-02-31', null],
    ['7 avril 2020', null],
    ['1492-10-12', null],
    ['', null],
  ])('%s → %s', (value, expected) => {
    expect(normalizeDate(value)).toBe(expected);
  });
});

describe('safeSeedFileName', () => {
  it.each([
    ['Coronavirus : Disney+ reporte son lancement', 'coronavirus-disney-reporte-son-lancement.txt'],
    ['Élection à Noël : ça coûte 6,99 € !', 'election-a-noel-ca-coute-6-99.txt'],
    ['Œuvres, cœur et Straße', 'oeuvres-coeur-et-strasse.txt'],
    ['../../etc/passwd', 'etc-passwd.txt'],
    ['a/b\\c', 'a-b-c.txt'],
    ['..', 'article.txt'],
    ['.cache', 'cache.txt'],
    ['...', 'article.txt'],
    ['🎉🎉', 'article.txt'],
    ['Fête 🎉 du cinéma', 'fete-du-cinema.txt'],
    ['', 'article.txt'],
    ['ＦＵＬＬ ｗｉｄｔｈ', 'full-width.txt'],
    ['nul\u0000byte', 'nul-byte.txt'],
  ])('%j → %s', (title, expected) => {
    expect(safeSeedFileName(title)).toBe(expected);
  });

  it('cuts a long title at a hyphen, within the limit', () => {
    const title =
      'Un très long titre qui raconte toute l’histoire de la fibre optique en France depuis les années 2000';
    const name = safeSeedFileName(title);
    const slug = name.slice(0, -4);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_CHARS);
    expect(`${safeSeedFileName(title.replace(/’/gu, ' ')).slice(0, -4)}-`).toContain(`${slug}-`);
    expect(slug).not.toMatch(/-$/u);
    expect(safeSeedFileName('x'.repeat(500))).toBe(`${'x'.repeat(MAX_SLUG_CHARS)}.txt`);
  });

  it('only ever gives [a-z0-9-] names ending in .txt', () => {
    const titles = ['\u202e\u0000', '  -- ', 'CON', 'aux.txt', 'x'.repeat(81), '\ud83d', 'İstanbul', 'ǅemal'];
    for (const title of titles) expect(safeSeedFileName(title)).toMatch(/^[a-z0-9][a-z0-9-]{0,79}\.txt$/u);
  });
});

describe('writeNewSeed', () => {
  const TEXT = ' title Un titre\n\nUn paragraphe.\n';

  it('writes the file, and never overwrites one: the next free number is used', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'un-titre.txt'), 'ancien');
    expect(await writeNewSeed(dir, 'un-titre.txt', TEXT)).toEqual({ file: 'un-titre-2.txt' });
    expect(await writeNewSeed(dir, 'un-titre.txt', 'troisième')).toEqual({ file: 'un-titre-3.txt' });
    expect(readFileSync(path.join(dir, 'un-titre.txt'), 'utf8')).toBe('ancien');
    expect(readFileSync(path.join(dir, 'un-titre-2.txt'), 'utf8')).toBe(TEXT);
    expect(readdirSync(dir).sort()).toEqual(['un-titre-2.txt', 'un-titre-3.txt', 'un-titre.txt']);
    const listed = await listSeeds(dir);
    expect(listed.map((s) => s.file)).toEqual(['un-titre-2.txt', 'un-titre-3.txt', 'un-titre.txt']);
  });

  it('does not follow a link or a folder in the way (not even a dangling link)', async () => {
    const dir = tempDir();
    const outside = tempDir();
    symlinkSync(path.join(outside, 'cible.txt'), path.join(dir, 'lien.txt'));
    mkdirSync(path.join(dir, 'dossier.txt'));
    expect(await writeNewSeed(dir, 'lien.txt', TEXT)).toEqual({ file: 'lien-2.txt' });
    expect(await writeNewSeed(dir, 'dossier.txt', TEXT)).toEqual({ file: 'dossier-2.txt' });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a name that is not a plain seed name, and writes nothing', async () => {
    const dir = tempDir();
    const parent = path.dirname(dir);
    const before = readdirSync(parent).length;
    for (const name of ['../evade.txt', 'sous/dossier.txt', '.cache.txt', 'article', 'a.txt/', '', '/tmp/a.txt']) {
      await expect(writeNewSeed(dir, name, TEXT)).rejects.toBeInstanceOf(SeedWriteError);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(parent).length).toBe(before);
  });

  it('writes into the real folder when the seeds folder is a link to it', async () => {
    const real = tempDir();
    const link = path.join(tempDir(), 'seeds');
    symlinkSync(real, link);
    await writeNewSeed(link, 'un-titre.txt', TEXT);
    expect(readdirSync(real)).toEqual(['un-titre.txt']);
  });

  it('gives up after the numbered names, and leaves no temporary file', async () => {
    const dir = tempDir();
    for (let n = 1; n <= MAX_NAME_TRIES; n++) writeFileSync(path.join(dir, n === 1 ? 'a.txt' : `a-${n}.txt`), '');
    await expect(writeNewSeed(dir, 'a.txt', TEXT)).rejects.toThrow(/already exist/u);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(MAX_NAME_TRIES);
  });

  it('fails on a missing folder without creating it', async () => {
    const missing = path.join(tempDir(), 'absent');
    await expect(writeNewSeed(missing, 'a.txt', TEXT)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(path.dirname(missing))).toEqual([]);
  });
});
