import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, listSeeds, parseSeed } from '../../src/corpus/index.js';
import { corpusFingerprints, prepareFromUrl, writeNewSeed } from '../../src/ingest/index.js';
import { PAGE_FILE, readSourceArticle, SOURCE_FILE } from '../fixtures/ingest/build-article-page.js';
import { tempDir } from '../helpers.js';

const source = readSourceArticle(readFileSync(SOURCE_FILE, 'utf8'));
const PAGES: Record<string, string> = {
  '/article': readFileSync(PAGE_FILE, 'utf8'),
  '/accueil': readFileSync(path.join(path.dirname(PAGE_FILE), 'not-an-article.html'), 'utf8'),
  '/english': `<!DOCTYPE html><html lang="en"><head><title>Streaming prices keep rising</title></head><body><article>
    <h1>Streaming prices keep rising</h1>
    <p>Netflix raised the price of its standard plan again this week, the third increase in as many years, and the
    company said that subscribers in most markets would see the new price on their next bill in the coming months.</p>
    <p>Analysts expect other streaming services to follow, as the cost of producing original series keeps growing
    and the number of new subscribers slows down in the largest markets of North America and Europe this year.</p>
    </article></body></html>`,
  // No og:site_name: the source is the host.
  '/sans-site': readFileSync(PAGE_FILE, 'utf8').replace(/<meta property="og:site_name"[^>]*>/u, ''),
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const page = PAGES[req.url ?? ''];
    if (req.url === '/ancienne') res.writeHead(301, { location: '/article' }).end();
    else if (page === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = { allowPrivate: ['127.0.0.1'], existingFingerprints: new Set<string>() };

describe('prepareFromUrl', () => {
  it('turns an article page into a seed with its final address, site, date and every paragraph', async () => {
    const prepared = await prepareFromUrl(`${base}/ancienne`, options);
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared).toMatchObject({
      fileName: 'coronavirus-disney-reporte-son-lancement.txt',
      title: source.title,
      paragraphs: source.paragraphs.length,
      url: `${base}/article`,
    });
    expect(prepared.text).toBe(
      ` title ${source.title}\n source ${source.source}\n date ${source.date}-07\n url ${base}/article\n\n` +
        `${source.paragraphs.join('\n\n')}\n`,
    );
  });

  it('writes a seed the folder listing and the parser take, and refuses the same page once indexed', async () => {
    const dir = tempDir();
    const prepared = await prepareFromUrl(`${base}/article`, options);
    if (!prepared.ok) throw new Error(prepared.message);
    const { file } = await writeNewSeed(dir, prepared.fileName, prepared.text);
    const bytes = readFileSync(path.join(dir, file));
    expect(await listSeeds(dir)).toMatchObject([{ file }]);
    const corpus = buildCorpus([{ file, bytes }]);
    expect(corpus.rejected).toEqual([]);
    expect(parseSeed(file, bytes).ok).toBe(true);
    const again = await prepareFromUrl(`${base}/article`, {
      ...options,
      existingFingerprints: corpusFingerprints(corpus),
    });
    expect(again).toMatchObject({ ok: false, reason: 'duplicate' });
  });

  it('names the host when the page names no site', async () => {
    const prepared = await prepareFromUrl(`${base}/sans-site`, options);
    expect(prepared.ok && prepared.text.split('\n')[1]).toBe(' source 127.0.0.1');
  });

  it('refuses a home page, an English article, and passes fetch refusals on', async () => {
    const home = await prepareFromUrl(`${base}/accueil`, options);
    expect(home).toMatchObject({ ok: false, reason: 'no-article' });
    expect(!home.ok && home.message).toMatch(/^Aucun article trouvé sur cette page\u202f:/u);
    expect(await prepareFromUrl(`${base}/english`, options)).toMatchObject({ ok: false, reason: 'not-french' });
    expect(await prepareFromUrl(`${base}/absente`, options)).toMatchObject({ ok: false, reason: 'http-status' });
    expect(await prepareFromUrl(`${base}/article`, { ...options, allowPrivate: false })).toMatchObject({
      ok: false,
      reason: 'private-address',
    });
  });
});
