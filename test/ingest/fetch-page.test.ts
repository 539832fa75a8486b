import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchPage, type FetchedPage, type FetchRefusal, USER_AGENT } from '../../src/ingest/index.js';
import { PAGE_FILE } from '../fixtures/ingest/build-article-page.js';

const PAGE = readFileSync(PAGE_FILE, 'utf8');
const LOOPBACK = ['127.0.0.1'] as const;

interface TestServer {
  url: string;
  port: number;
  requests: IncomingMessage[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** An HTTP server on a loopback address (127.0.0.1 unless said), on a free port. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1') {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, port, requests } satisfies TestServer;
}

const html =
  (body: string | Buffer, type = 'text/html; charset=utf-8') =>
  (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  };

function refused(result: FetchedPage | FetchRefusal): FetchRefusal {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('fetched');
  expect(result.message.length).toBeGreaterThan(10);
  return result;
}

function fetched(result: FetchedPage | FetchRefusal): FetchedPage {
  if (!result.ok) throw new Error(`refused: ${result.reason} ${result.message}`);
  return result;
}

describe('fetchPage: a page on an allowed address', () => {
  it('fetches an HTML page, naming the bot', async () => {
    const s = await serve(html(PAGE));
    const page = fetched(await fetchPage(`${s.url}/article`, { allowPrivate: LOOPBACK }));
    expect(page).toMatchObject({ url: `${s.url}/article`, contentType: 'text/html', body: PAGE });
    expect(Buffer.from(page.bytes).toString('utf8')).toBe(PAGE);
    expect(s.requests[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(s.requests[0]!.headers.accept).toMatch(/^text\/html/u);
  });

  it('accepts application/xhtml+xml; a .txt file with accept: text', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, {
        'content-type': req.url === '/a.txt' ? 'text/plain; charset=utf-8' : 'application/xhtml+xml',
      });
      res.end('contenu');
    });
    expect(fetched(await fetchPage(`${s.url}/x`, { allowPrivate: LOOPBACK })).contentType).toBe(
      'application/xhtml+xml',
    );
    expect(fetched(await fetchPage(`${s.url}/a.txt`, { allowPrivate: LOOPBACK, accept: 'text' })).body).toBe('contenu');
  });

  it('decodes with the header charset, else the <meta charset>, else UTF-8', async () => {
    const text = '<p>Été à Noël : déjà payé</p>';
    const latin1 = Buffer.from(`<html><head><meta charset="windows-1252"></head><body>${text}</body></html>`, 'latin1');
    const s = await serve((req, res) => {
      if (req.url === '/header') res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1' });
      else res.writeHead(200, { 'content-type': 'text/html' });
      res.end(req.url === '/utf8' ? Buffer.from(text) : latin1);
    });
    for (const path of ['/header', '/meta', '/utf8']) {
      expect(fetched(await fetchPage(`${s.url}${path}`, { allowPrivate: LOOPBACK })).body).toContain(text);
    }
  });

  it('decompresses a gzip body', async () => {
    const s = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      res.end(gzipSync(PAGE));
    });
    expect(fetched(await fetchPage(s.url, { allowPrivate: LOOPBACK })).body).toBe(PAGE);
  });

  it('follows redirects to the final address', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/new') res.writeHead(302, { location: `http://127.0.0.1:${s.port}/final?x=1` }).end();
      else html(PAGE)(req, res);
    });
    const page = fetched(await fetchPage(`${s.url}/old`, { allowPrivate: LOOPBACK }));
    expect(page.url).toBe(`${s.url}/final?x=1`);
    expect(s.requests.map((r) => r.url)).toEqual(['/old', '/new', '/final?x=1']);
  });
});

describe('fetchPage: the address rule (ALLOW_PRIVATE_FETCH)', () => {
  it('refuses a loopback address by default, without connecting', async () => {
    const s = await serve(html(PAGE));
    for (const url of [
      s.url,
      `http://[::1]:${s.port}/`,
      `http://[::ffff:127.0.0.1]:${s.port}/`,
      `http://0x7f.1:${s.port}`,
    ]) {
      expect(refused(await fetchPage(url, { allowPrivate: false })).reason).toBe('private-address');
    }
    expect(s.requests).toHaveLength(0);
  });

  it('checks the addresses a name resolves to when connecting', async () => {
    const s = await serve(html(PAGE));
    const url = `http://article.test:${s.port}/`;
    const resolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(refused(await fetchPage(url, { allowPrivate: false, resolveHost })).reason).toBe('private-address');
    expect(s.requests).toHaveLength(0);
    expect(fetched(await fetchPage(url, { allowPrivate: LOOPBACK, resolveHost })).body).toBe(PAGE);
    expect(s.requests[0]!.headers.host).toBe(`article.test:${s.port}`);
  });

  it('connects only to the allowed addresses of a name, and refuses a name with none', async () => {
    const s = await serve(html(PAGE));
    const mixed = async () => [
      { address: '10.0.0.1', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const page = await fetchPage(`http://mixed.test:${s.port}/`, { allowPrivate: LOOPBACK, resolveHost: mixed });
    expect(fetched(page).body).toBe(PAGE);
    expect(s.requests).toHaveLength(1);
    const inside = async () => [{ address: '169.254.169.254', family: 4 }];
    const result = await fetchPage(`http://meta.test:${s.port}/`, { allowPrivate: LOOPBACK, resolveHost: inside });
    expect(refused(result).reason).toBe('private-address');
    expect(result.ok || result.message).toContain('meta.test');
  });

  it('refuses a redirect to another loopback address unless all are allowed', async () => {
    const target = await serve(html(PAGE), '127.0.0.2');
    const s = await serve((_, res) => res.writeHead(302, { location: `${target.url}/page` }).end());
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK })).reason).toBe('private-address');
    expect(target.requests).toHaveLength(0);
    const page = fetched(await fetchPage(s.url, { allowPrivate: true }));
    expect(page.url).toBe(`${target.url}/page`);
    expect(target.requests).toHaveLength(1);
  });

  it('checks a redirect to a name when connecting to it (DNS looked up per hop)', async () => {
    const target = await serve(html(PAGE), '127.0.0.2');
    const s = await serve((_, res) => res.writeHead(307, { location: `http://rebind.test:${target.port}/` }).end());
    const resolveHost = async (name: string) => [
      { address: name === 'rebind.test' ? '127.0.0.2' : '127.0.0.1', family: 4 },
    ];
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK, resolveHost })).reason).toBe('private-address');
    expect(target.requests).toHaveLength(0);
  });
});

describe('fetchPage: refusals', () => {
  it('refuses other schemes and credentials', async () => {
    const s = await serve(html(PAGE));
    const urls = [
      'file:///etc/passwd',
      'ftp://127.0.0.1/article.html',
      'data:text/html,<p>bonjour</p>',
      'javascript:alert(1)',
      `http://user:secret@127.0.0.1:${s.port}/`,
      'pas une adresse',
    ];
    for (const url of urls) expect(refused(await fetchPage(url, { allowPrivate: true })).reason).toBe('scheme');
    expect(s.requests).toHaveLength(0);
  });

  it('refuses a redirect to another scheme', async () => {
    const s = await serve((_, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK })).reason).toBe('scheme');
  });

  it('refuses a body announced larger than the limit', async () => {
    const s = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000' });
      res.end('x'.repeat(5000));
    });
    const result = refused(await fetchPage(s.url, { allowPrivate: LOOPBACK, maxBytes: 4096 }));
    expect(result.reason).toBe('too-large');
    expect(result.message).toContain('4 Kio');
  });

  it('stops reading a body without length once past the limit', async () => {
    let written = 0;
    const s = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => {
        if (res.destroyed || written > 10_000_000) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write('x'.repeat(1024));
        written += 1024;
      }, 1);
    });
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK, maxBytes: 8192 })).reason).toBe('too-large');
    expect(written).toBeLessThan(10_000_000);
  });

  it('gives up on a server that never finishes the page', async () => {
    const s = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>Le début');
    });
    const result = refused(await fetchPage(s.url, { allowPrivate: LOOPBACK, timeoutMs: 200 }));
    expect(result.reason).toBe('timeout');
  });

  it('gives up on a server that never answers', async () => {
    const s = await serve(() => {});
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK, timeoutMs: 200 })).reason).toBe('timeout');
  });

  it('refuses what is not HTML (or not text with accept: text)', async () => {
    const s = await serve((req, res) => {
      res.writeHead(
        200,
        req.url === '/json' ? { 'content-type': 'application/json' } : { 'content-type': 'text/html' },
      );
      res.end(req.url === '/json' ? '{"a":1}' : PAGE);
    });
    expect(refused(await fetchPage(`${s.url}/json`, { allowPrivate: LOOPBACK })).reason).toBe('not-html');
    const text = refused(await fetchPage(`${s.url}/page`, { allowPrivate: LOOPBACK, accept: 'text' }));
    expect(text.reason).toBe('not-text');
  });

  it('refuses an error status', async () => {
    const s = await serve((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<p>Introuvable</p>'));
    const result = refused(await fetchPage(s.url, { allowPrivate: LOOPBACK }));
    expect(result.reason).toBe('http-status');
    expect(result.message).toContain('404');
  });

  it('stops after too many redirects', async () => {
    const s = await serve((req, res) => {
      const n = Number(req.url?.slice(1) || 0);
      res.writeHead(302, { location: `/${n + 1}` }).end();
    });
    expect(refused(await fetchPage(`${s.url}/0`, { allowPrivate: LOOPBACK })).reason).toBe('too-many-redirects');
    expect(s.requests).toHaveLength(6);
    expect(refused(await fetchPage(`${s.url}/0`, { allowPrivate: LOOPBACK, maxRedirects: 1 })).reason).toBe(
      'too-many-redirects',
    );
    expect(s.requests).toHaveLength(8);
  });

  it('reports a refused connection as a network failure', async () => {
    const s = await serve(html(PAGE));
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(refused(await fetchPage(s.url, { allowPrivate: LOOPBACK })).reason).toBe('network');
  });
});
