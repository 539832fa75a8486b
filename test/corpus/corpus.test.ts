import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-seeds.js';
import { normalizeForFingerprint, parseSeed } from '../../src/corpus/parse-article.js';
import { splitSentences } from '../../src/corpus/sentences.js';
import { SEEDS, tempDir } from '../helpers.js';
import { prng } from '../reliability/helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const FRENCH_PARAGRAPH =
  'Le gouvernement a présenté mardi un projet de loi sur la protection des données personnelles des utilisateurs. ' +
  'Les entreprises devront désormais informer leurs clients de chaque fuite dans un délai de trois jours.';

describe('reading the bundled seeds', () => {
  it('reads all three articles with their headers, titles, publisher and topics', async () => {
    const corpus = await loadCorpus(SEEDS);
    expect(corpus.rejected).toEqual([]);
    const [a0, a1, a2] = corpus.articles;
    expect(a0?.date).toBe('2020-10');
    expect(a0?.title).toBe(
      'Gros échec pour Orange avec Djingo, clap de fin pour son enceinte connectée après 1 an d’existence',
    );
    expect(a1?.title).toBe('Orange annonce la fermeture des services Djingo et met en place les remboursements');
    expect(a1?.source).toBe('Presse-citron');
    expect(a2?.source).toBeNull();
    expect(corpus.articles.map((a) => a.topics)).toEqual([['djingo'], ['djingo'], ['xiaomi']]);
    expect(corpus.articles.every((a) => a.language === 'fra')).toBe(true);
  });

  it('keeps every passage and sentence a verbatim slice of the file', async () => {
    const corpus = await loadCorpus(SEEDS);
    for (const p of corpus.passages) {
      const a = corpus.articles[p.article]!;
      const file = readFileSync(path.join(SEEDS, a.file), 'utf8');
      expect(file).toContain(a.text.slice(p.start, p.end));
      for (const s of p.sentences) {
        expect(s.start).toBeGreaterThanOrEqual(p.start);
        expect(s.end).toBeLessThanOrEqual(p.end);
        expect(a.text.slice(s.start, s.end)).toBe(a.text.slice(s.start, s.end).trim());
      }
    }
  });

  it('drops page furniture and marks the reader comment as a comment', async () => {
    const corpus = await loadCorpus(SEEDS);
    const texts = corpus.passages.map((p) => corpus.articles[p.article]!.text.slice(p.start, p.end));
    for (const furniture of [
      'Passer au contenu',
      'Abonnez-vous',
      'Laisser un commentaire',
      'Votre adresse e-mail',
      '2 commentaires',
      'suivez-nous',
      'Newsletter',
    ]) {
      expect(texts.some((t) => t.includes(furniture))).toBe(false);
    }
    const comments = corpus.passages.filter((p) => p.kind === 'comment');
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(corpus.articles[comment.article]!.text.slice(comment.start, comment.end)).toMatch(
      /^N’aurait il pas été plus intelligent/,
    );
    expect(comment.paragraph).toBe(1);
  });

  it('splits a long paragraph into passages at sentence boundaries, keeping its paragraph number', async () => {
    const corpus = await loadCorpus(SEEDS);
    const longOnes = corpus.passages.filter((p) => p.article === 0 && p.paragraph === 4);
    expect(longOnes.length).toBeGreaterThan(1);
    for (const p of longOnes) expect(p.end - p.start).toBeLessThanOrEqual(600);
  });
});

describe('sentences', () => {
  const sentences = (t: string): string[] => splitSentences(t, 0, t.length).map((s) => t.slice(s.start, s.end));
  it('does not split after titles, abbreviated months or before a closing guillemet', () => {
    expect(sentences('M. Dupont est arrivé le 3 janv. à Paris. Il repart demain.')).toEqual([
      'M. Dupont est arrivé le 3 janv. à Paris.',
      'Il repart demain.',
    ]);
    expect(sentences('Il a dit : « C’est fini. » Puis il est parti.')).toEqual([
      'Il a dit : « C’est fini. »',
      'Puis il est parti.',
    ]);
    expect(sentences('Le prix est de 99,99 € et 3,5 % de remise. Fin.')).toEqual([
      'Le prix est de 99,99 € et 3,5 % de remise.',
      'Fin.',
    ]);
  });
});

describe('one seed file', () => {
  it('takes a title header and other headers', () => {
    const r = parseSeed(
      'a.txt',
      enc(` title Mon titre\n source Le Monde\n date 2021-03-04\n url https://example.org/x\n\n${FRENCH_PARAGRAPH}\n`),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article).toMatchObject({
      title: 'Mon titre',
      source: 'Le Monde',
      date: '2021-03-04',
      url: 'https://example.org/x',
    });
    expect(r.passages).toHaveLength(1);
  });

  it('reads a BOM + CRLF file and quotes it without the BOM or carriage returns', () => {
    const r = parseSeed(
      'crlf.txt',
      enc(
        `\ufeffTitre de l’article\r\n\r\n${FRENCH_PARAGRAPH}\r\n\r\n` +
          `Second paragraphe de l’article, assez long pour compter.\r\n`,
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article.title).toBe('Titre de l’article');
    const texts = r.passages.map((p) => r.article.text.slice(p.start, p.end));
    expect(texts[0]).toBe(FRENCH_PARAGRAPH);
    expect(texts.join('')).not.toContain('\r');
    expect(r.article.text.startsWith('\ufeff')).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array(), /vide/],
    ['blank', enc('   \n\n  '), /vide/],
    ['binary', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), /binaire/],
    [
      'latin-1',
      Uint8Array.from(
        [...'Le caf']
          .map((c) => c.charCodeAt(0))
          .concat([0xe9, 0x20, 0x65, 0x73, 0x74, 0x20, 0x66, 0x72, 0x61, 0xee, 0x63, 0x68, 0x65]),
      ),
      /UTF-8/,
    ],
    [
      'english',
      enc(
        'A title\n\nThe company announced on Tuesday that its new smart speaker would be discontinued next month, ' +
          'and that every customer who bought one would be refunded within thirty days.\n',
      ),
      /anglais/,
    ],
    ['title only', enc('Juste un titre\n'), /aucun paragraphe/],
  ])('rejects a %s file with a reason', (_name, bytes, reason) => {
    const r = parseSeed('x.txt', bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('a seeds folder with bad files', () => {
  it('indexes the good articles and rejects each bad file with a reason, reading nothing outside', async () => {
    const dir = tempDir();
    const seeds = path.join(dir, 'seeds');
    mkdirSync(seeds);
    for (const f of ['000_5d6ddc25be53b1ea.txt', '001_cf704c01d8a71904.txt'])
      copyFileSync(path.join(SEEDS, f), path.join(seeds, f));
    copyFileSync(path.join(SEEDS, '000_5d6ddc25be53b1ea.txt'), path.join(seeds, 'copy.txt'));
    writeFileSync(path.join(seeds, 'empty.txt'), '');
    writeFileSync(path.join(seeds, 'big.txt'), Buffer.alloc(1024 * 1024 + 1, 0x61));
    writeFileSync(path.join(seeds, 'notes.md'), `Titre\n\n${FRENCH_PARAGRAPH}`);
    writeFileSync(path.join(dir, 'outside.txt'), `Secret\n\n${FRENCH_PARAGRAPH}`);
    symlinkSync(path.join(dir, 'outside.txt'), path.join(seeds, 'link.txt'));
    mkdirSync(path.join(seeds, 'sub.txt'));
    const corpus = await loadCorpus(seeds);
    expect(corpus.articles.map((a) => a.file)).toEqual(['000_5d6ddc25be53b1ea.txt', '001_cf704c01d8a71904.txt']);
    const reasons = Object.fromEntries(corpus.rejected.map((r) => [r.file, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'big.txt',
      'copy.txt',
      'empty.txt',
      'link.txt',
      'notes.md',
      'sub.txt',
    ]);
    expect(reasons['copy.txt']).toMatch(/doublon de 000_5d6ddc25be53b1ea\.txt/);
    expect(reasons['big.txt']).toMatch(/trop gros/);
    expect(reasons['link.txt']).toMatch(/hors du dossier/);
    expect(reasons['notes.md']).toMatch(/\.txt/);
    expect(reasons['sub.txt']).toMatch(/sous-dossier/);
  });
});

describe('normalizeForFingerprint', () => {
  it('is lower case with every run of JavaScript white space made one space, trimmed', () => {
    // Every code unit `\s` matches, found by the regex itself rather than listed again here.
    const spaces = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) => /\s/u.test(ch));
    expect(spaces.length).toBeGreaterThan(20);
    const pieces = [...spaces, 'Éé', 'Ça', 'l’Œil', 'MOT', 'x', '«', '»'];
    const rng = prng(4242);
    for (let round = 0; round < 500; round++) {
      let text = '';
      for (let k = Math.floor(rng() * 30); k > 0; k--) text += pieces[Math.floor(rng() * pieces.length)];
      expect(normalizeForFingerprint(text)).toBe(text.toLowerCase().replace(/\s+/gu, ' ').trim());
    }
  });
});
