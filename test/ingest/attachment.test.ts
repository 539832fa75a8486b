/** prepareFromAttachment on what discord.js gives for an ATTACHMENT option, served by the fake Discord's CDN. */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type Attachment, Client, Events, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEED_BYTES } from '../../src/corpus/index.js';
import { prepareFromAttachment } from '../../src/ingest/index.js';
import { type FakeAttachmentInput, type FakeDiscord, startFakeDiscord } from '../fake-discord/index.js';
import { SOURCE_FILE } from '../fixtures/ingest/build-article-page.js';

const SOURCE = readFileSync(SOURCE_FILE, 'utf8');
let fake: FakeDiscord;
let client: Client;

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiUrl },
    allowedMentions: { parse: [] },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
});
afterAll(async () => {
  await client.destroy();
  await fake.close();
});

/** Sends `/ajouter fichier:<file>` and returns the attachment as the command handler sees it. */
function attach(file: FakeAttachmentInput): Promise<Attachment> {
  const seen = new Promise<Attachment>((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return reject(new Error('not a command'));
      resolve(i.options.getAttachment('fichier', true));
      i.deferReply().catch(reject);
    });
  });
  fake.sendCommand({ name: 'ajouter', options: [{ name: 'fichier', type: 11 }], attachments: [file] });
  return seen;
}

const allowLoopback = { allowPrivate: ['127.0.0.1'], existingFingerprints: new Set<string>() };
const downloads = (a: Attachment): number =>
  fake.requests.filter((r) => r.path.startsWith(`/attachments/${a.id}/`)).length;

describe('prepareFromAttachment', () => {
  it('downloads the .txt file and prepares it as written', async () => {
    const a = await attach({ filename: 'disney.txt', data: SOURCE });
    const prepared = await prepareFromAttachment(a, allowLoopback);
    expect(prepared).toMatchObject({
      ok: true,
      fileName: 'coronavirus-disney-reporte-son-lancement.txt',
      text: SOURCE,
      paragraphs: 6,
    });
    expect(downloads(a)).toBe(1);
  });

  it('keeps the address rule: the fake CDN is on loopback, refused unless allowed', async () => {
    const a = await attach({ filename: 'disney.txt', data: SOURCE });
    const refused = await prepareFromAttachment(a, { ...allowLoopback, allowPrivate: false });
    expect(refused).toMatchObject({ ok: false, reason: 'private-address' });
    expect(downloads(a)).toBe(0);
  });

  it('refuses another extension or an announced size over the limit without downloading', async () => {
    const pdf = await attach({ filename: 'article.pdf', data: '%PDF-1.4' });
    expect(await prepareFromAttachment(pdf, allowLoopback)).toMatchObject({ ok: false, reason: 'not-text' });
    const big = await attach({ filename: 'gros.txt', data: Buffer.alloc(MAX_SEED_BYTES + 1, 0x61) });
    expect(await prepareFromAttachment(big, allowLoopback)).toMatchObject({ ok: false, reason: 'too-large' });
    expect(downloads(pdf) + downloads(big)).toBe(0);
  });

  it('refuses a file larger than announced once past the limit, a Latin-1 file, a file served as HTML', async () => {
    const big = await attach({ filename: 'gros.txt', data: Buffer.alloc(MAX_SEED_BYTES + 1, 0x61) });
    const lying = { name: big.name, url: big.url, size: 100 };
    expect(await prepareFromAttachment(lying, allowLoopback)).toMatchObject({ ok: false, reason: 'too-large' });
    const latin1 = await attach({ filename: 'latin1.txt', data: Buffer.from(SOURCE, 'latin1') });
    expect(await prepareFromAttachment(latin1, allowLoopback)).toMatchObject({ ok: false, reason: 'not-utf8' });
    const html = await attach({ filename: 'page.txt', data: '<p>x</p>', contentType: 'text/html' });
    expect(await prepareFromAttachment(html, allowLoopback)).toMatchObject({ ok: false, reason: 'not-text' });
  });
});
