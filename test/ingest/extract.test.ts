import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeed } from '../../src/corpus/index.js';
import { extractArticle, seedText } from '../../src/ingest/index.js';
import {
  articlePage,
  FURNITURE_TEXTS,
  PAGE_FILE,
  readSourceArticle,
  SOURCE_FILE,
} from '../fixtures/ingest/build-article-page.js';

const FIXTURES = path.dirname(PAGE_FILE);
const source = readSourceArticle(readFileSync(SOURCE_FILE, 'utf8'));
const page = readFileSync(PAGE_FILE, 'utf8');
const URL = source.url;

/** A page with only `body` between a plain head and the end. */
const pageWith = (body: string, head = '<title>Page</title>'): string =>
  `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('the article page fixture', () => {
  it('is what build-article-page.ts writes from the dev article', () => {
    expect(page).toBe(articlePage(source));
    expect(source.paragraphs.length).toBeGreaterThanOrEqual(5);
  });

  it('carries every piece of furniture the extraction must drop', () => {
    for (const text of FURNITURE_TEXTS) expect(page).toContain(text);
    expect(page).toMatch(/<iframe/u);
    expect(page.match(/class="comment"/gu)).toHaveLength(3);
  });
});

describe('extractArticle', () => {
  const article = extractArticle(page, URL);

  it('keeps the title, the site name and the publication day', () => {
    expect(article).not.toBeNull();
    expect(article!.title).toBe(source.title);
    expect(article!.siteName).toBe(source.source);
    expect(article!.publishedTime).toBe(`${source.date}-07`);
  });

  it('keeps every paragraph of the article verbatim, and nothing else', () => {
    expect(article!.paragraphs).toEqual(source.paragraphs);
  });

  it('makes a seed the corpus parser reads as a French article with every paragraph', () => {
    const text = seedText({
      title: article!.title,
      source: article!.siteName,
      date: article!.publishedTime,
      url: URL,
      paragraphs: article!.paragraphs,
    });
    for (const p of source.paragraphs) expect(text).toContain(p);
    for (const furniture of FURNITURE_TEXTS) expect(text).not.toContain(furniture);
    expect(text).not.toMatch(/Publicité|Newsletter|commentaire|Répondre|cookies/iu);
    const parsed = parseSeed('page.txt', Buffer.from(text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.article).toMatchObject({
      title: source.title,
      source: source.source,
      date: `${source.date}-07`,
      url: URL,
      language: 'fra',
    });
    expect(parsed.passages.every((p) => p.kind === 'article')).toBe(true);
    expect(new Set(parsed.passages.map((p) => p.paragraph)).size).toBe(source.paragraphs.length);
  });

  it('keeps the article when the comments sit inside its <article> element (WordPress themes)', () => {
    const comments = /<section id="comments"[\s\S]*?<\/section>/u.exec(page)![0];
    const inside = page.replace(comments, '').replace('</article>', `${comments}</article>`);
    expect(extractArticle(inside, URL)?.paragraphs).toEqual(source.paragraphs);
  });

  it('finds no article on a home page of headlines', () => {
    const home = readFileSync(path.join(FIXTURES, 'not-an-article.html'), 'utf8');
    expect(home.match(/<h2/gu)!.length).toBeGreaterThanOrEqual(10);
    expect(extractArticle(home, 'https://www.mediaspecs.fr/')).toBeNull();
  });

  it('finds no article on a login page, an empty page or a page of one paragraph', () => {
    const login = pageWith(
      '<main><h1>Connexion</h1><form><label>Adresse e-mail <input name="email"></label>' +
        '<label>Mot de passe <input type="password"></label><button>Se connecter</button></form>' +
        '<p>Pas encore de compte ? <a href="/inscription">Créez-en un</a>.</p></main>',
    );
    expect(extractArticle(login, 'https://example.org/login')).toBeNull();
    expect(extractArticle('', 'https://example.org/')).toBeNull();
    const one = `<p>${source.paragraphs.join(' ')}</p>`;
    expect(extractArticle(pageWith(`<article><h1>Titre</h1>${one}</article>`), URL)).toBeNull();
  });

  it('cuts blocks at nested blocks and line breaks, keeps no-break spaces, drops link lists', () => {
    const [p1, p2, p3] = source.paragraphs;
    const html = pageWith(
      `<article><h1>Un titre</h1><p>${p1}</p>` +
        `<blockquote>Il a dit<p>«\u00a0${p2}\u00a0»</p></blockquote>` +
        `<p>Première ligne<br>seconde ligne, ${p3}</p>` +
        '<ul><li><a href="/a">Lire aussi un autre article</a></li></ul></article>',
      '<title>Un titre</title>',
    );
    expect(extractArticle(html, URL)?.paragraphs).toEqual([
      p1,
      'Il a dit',
      `«\u00a0${p2}\u00a0»`,
      `Première ligne seconde ligne, ${p3}`,
    ]);
  });

  it('takes the date from <time> in the article when the metadata has none', () => {
    const body = `<article><h1>Un titre</h1><time datetime="2021-03-10T08:00:00+01:00">10 mars</time>${source.paragraphs
      .map((p) => `<p>${p}</p>`)
      .join('')}</article>`;
    const a = extractArticle(pageWith(body), URL);
    expect(a?.publishedTime).toBe('2021-03-10');
    expect(a?.siteName).toBeNull();
  });
});
