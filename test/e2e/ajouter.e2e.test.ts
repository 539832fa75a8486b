import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakePermissions,
  startFakeDiscord,
  type FakeDiscord,
  type InteractionHandle,
  type RecordedRequest,
} from '../fake-discord/index.js';
import { ROOT } from '../helpers.js';
import { runScript, seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';
import { members } from './members.js';

/**
 * `/ajouter` through the real bot process: a page served on 127.0.0.1 (a real article page with its navigation, ads
 * and comments, built from a dev article) and an attached `.txt`, each then answered; and every refusal: a member,
 * a page that is not an article, too large, too slow, a redirect to an address not allowed, a duplicate.
 */
const TOKEN = 'e2e-ajouter-token.abcdef.123456';
const PAGE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'ingest', 'article-page.html'));
const LISTING = readFileSync(path.join(ROOT, 'test', 'fixtures', 'ingest', 'not-an-article.html'));
let fake: FakeDiscord;
let bot: BotProcess;
let site: Server;
let base: string;
let dirs: { seedsDir: string; dataDir: string };
const moderatorUser = members('16000000000000', 'modo');
const moderator = () => ({ user: moderatorUser(), permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD });

interface Body {
  type: number;
  data?: { content?: string; flags?: number };
}

/** The final report of a deferred /ajouter (the last edit that is not a progress line). */
async function report(handle: InteractionHandle, timeoutMs = 20_000): Promise<string> {
  const first = await handle.firstResponse(5_000);
  expect(handle.firstResponseLatencyMs).toBeLessThan(3_000);
  const body = first.body as Body;
  if (body.type === 4) return body.data!.content!;
  expect(body.type).toBe(5);
  expect(body.data!.flags! & 64).toBe(64);
  const done = await handle.waitFor((r: RecordedRequest) => {
    const content = (r.body as { content?: string } | undefined)?.content;
    return r.method === 'PATCH' && typeof content === 'string' && !content.startsWith('⏳');
  }, timeoutMs);
  return (done.body as { content: string }).content;
}

const addUrl = (url: string, who = moderator()) =>
  fake.sendCommand({ name: 'ajouter', options: [{ name: 'url', type: 3, value: url }], ...who });

async function answer(q: string): Promise<string> {
  const handle = fake.sendCommand({ name: 'recherche', options: [{ name: 'question', type: 3, value: q }] });
  const first = await handle.firstResponse(5_000);
  return (first.body as Body).data!.content!;
}

beforeAll(async () => {
  site = createServer((req, res) => {
    const port = (site.address() as AddressInfo).port;
    switch (req.url) {
      case '/article':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
        return;
      case '/liste':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LISTING);
        return;
      case '/gros':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          `<html><body>${'<p>Un paragraphe de remplissage assez long pour peser. </p>'.repeat(60_000)}</body></html>`,
        );
        return;
      case '/lent':
        // Headers at once, then nothing: only the bot's whole-transfer timeout ends it.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.write('<html><body><p>');
        return;
      case '/redirige':
        res.writeHead(302, { location: `http://127.0.0.2:${port}/article` }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  fake = await startFakeDiscord({ token: TOKEN });
  dirs = seedsCopy();
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guilds[0]!.id,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dirs.dataDir,
    COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'info',
    // The test's page server and the fake's attachments are on 127.0.0.1, and only there.
    ALLOW_PRIVATE_FETCH: '127.0.0.1',
  };
  const deploy = await runScript('deploy.ts', env);
  expect(deploy.code, deploy.output).toBe(0);
  bot = startBotProcess(env);
  await bot.waitForLog((l) => l['msg'] === 'connected to Discord', 30_000);
}, 90_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
});

describe('/ajouter, end to end', () => {
  it('is registered for moderators only and refused to a member', async () => {
    const command = fake.commands(fake.guilds[0]!.id).find((c) => c.name === 'ajouter') as {
      default_member_permissions?: string;
    };
    expect(command.default_member_permissions).toBe('32');
    const refused = await report(
      addUrl(`${base}/article`, {
        user: { id: '16999999999999999', username: 'membre' },
        permissions: FakePermissions.MEMBER,
      }),
    );
    expect(refused).toContain('⛔');
    expect(readdirSync(dirs.seedsDir).filter((f) => f.endsWith('.txt'))).toHaveLength(3);
  });

  it('adds the article of a web page, without its furniture, and answers from it', async () => {
    const text = await report(addUrl(`${base}/article`));
    expect(text).toContain('📥 Article ajouté');
    expect(text).toContain('Disney+');
    expect(text).toContain('3 → 4');
    const added = readdirSync(dirs.seedsDir).filter((f) => /disney/u.test(f));
    expect(added).toHaveLength(1);
    const seed = readFileSync(path.join(dirs.seedsDir, added[0]!), 'utf8');
    expect(seed).toMatch(/^ title .*Disney\+/mu);
    expect(seed).toMatch(/^ url http:\/\/127\.0\.0\.1:\d+\/article$/mu);
    expect(seed).toMatch(/^ date 2020-04/mu);
    for (const furniture of ['Newsletter', 'cookies', 'Publicité', 'Commentaires'])
      expect(seed).not.toContain(furniture);
    const reply = await answer('Combien de films propose Disney+ à son lancement ?');
    expect(reply).toMatch(/plus de 500 (\*\*)?films/u);
  });

  it('refuses the same article twice', async () => {
    const text = await report(addUrl(`${base}/article`));
    expect(text).toContain('❌');
    expect(text).toMatch(/déjà/u);
  });

  it('adds an attached .txt and answers from it', async () => {
    const seed =
      ' title La trottinette Vroomix arrive chez les revendeurs\n source Le Journal du Test\n date 2024-09\n\n' +
      'La start-up lyonnaise Vroomix commercialise sa première trottinette électrique pliante, vendue 649 euros. ' +
      'Elle promet soixante kilomètres d’autonomie et une recharge complète en trois heures.\n\n' +
      'Les premières livraisons sont prévues pour le mois d’octobre dans une centaine de magasins en France.\n';
    const handle = fake.sendCommand({
      name: 'ajouter',
      options: [{ name: 'fichier', type: 11 }],
      attachments: [{ filename: 'vroomix.txt', contentType: 'text/plain; charset=utf-8', data: seed }],
      ...moderator(),
    });
    const text = await report(handle);
    expect(text).toContain('📥 Article ajouté');
    expect(text).toContain('Vroomix');
    expect(await answer('Combien coûte la trottinette Vroomix ?')).toContain('649 euros');
  });

  it('refuses a page that is not an article, a page too large, a redirect to an address not allowed', async () => {
    const before = readdirSync(dirs.seedsDir).length;
    expect(await report(addUrl(`${base}/liste`))).toContain('❌');
    expect(await report(addUrl(`${base}/gros`))).toMatch(/❌.*(Mio|trop)/su);
    expect(await report(addUrl(`${base}/redirige`))).toMatch(/❌.*(privée|locale|autorisée)/su);
    expect(await report(addUrl('ftp://example.org/article.html'))).toContain('❌');
    expect(readdirSync(dirs.seedsDir).length).toBe(before);
  });

  it('gives up on a page too slow to arrive', async () => {
    const text = await report(addUrl(`${base}/lent`), 25_000);
    expect(text).toMatch(/❌.*(délai|temps|secondes|\bs\b)/su);
  }, 30_000);

  it('sent only valid messages', () => {
    expect(fake.violations.filter((v) => !v.message.includes('Unknown interaction'))).toEqual([]);
    expect(bot.output()).not.toContain(TOKEN);
  });
});
