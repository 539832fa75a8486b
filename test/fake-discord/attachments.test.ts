/**
 * ATTACHMENT options (type 11) against the real discord.js Client: the payload carries the option and
 * `data.resolved.attachments` as Discord sends them, and the attachment's URL serves its bytes, like Discord's CDN.
 */
import { once } from 'node:events';
import { type Attachment, Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, FakePermissions, startFakeDiscord } from './index.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function setup(): Promise<{ fake: FakeDiscord; client: Client }> {
  const f = await startFakeDiscord();
  fake = f;
  const c = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: f.apiUrl },
    allowedMentions: { parse: [] },
  });
  client = c;
  const ready = once(c, Events.ClientReady);
  await c.login(f.token);
  await ready;
  return { fake: f, client: c };
}

/** The attachments discord.js reads from the next command, by option name; the command is answered. */
function nextAttachments(c: Client, names: string[]): Promise<(Attachment | null)[]> {
  return new Promise((resolve, reject) => {
    c.once(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return reject(new Error('not a command'));
      const found = names.map((n) => i.options.getAttachment(n));
      i.reply({ content: 'Reçu.' }).then(() => resolve(found), reject);
    });
  });
}

const TEXT = ' title Un titre\n\nÉté comme hiver, le paragraphe reste en UTF-8 : « guillemets » compris.\n';

describe('fake Discord attachments', () => {
  it('gives discord.js the attachment of an ATTACHMENT option, and serves its bytes at its URL', async () => {
    const { fake, client } = await setup();
    const seen = nextAttachments(client, ['fichier']);
    const h = fake.sendCommand({
      name: 'ajouter',
      options: [{ name: 'fichier', type: 11 }],
      attachments: [{ filename: 'mon article.txt', data: TEXT }],
      permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD,
    });
    const [a] = await seen;
    expect(a).toMatchObject({
      name: 'mon article.txt',
      size: Buffer.byteLength(TEXT),
      contentType: 'text/plain; charset=utf-8',
      ephemeral: true,
    });
    const data = h.payload.data as { options: unknown; resolved: { attachments: Record<string, { url: string }> } };
    expect(data.options).toEqual([{ name: 'fichier', type: 11, value: a!.id }]);
    expect(Object.keys(data.resolved.attachments)).toEqual([a!.id]);
    expect(a!.url).toBe(data.resolved.attachments[a!.id]!.url);
    expect(a!.url.startsWith(`${fake.baseUrl}/attachments/${a!.id}/mon%20article.txt?ex=`)).toBe(true);

    const res = await fetch(a!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(TEXT);
    const served = fake.requests.find((r) => r.path === `/attachments/${a!.id}/mon article.txt`);
    expect(served).toMatchObject({ method: 'GET', status: 200, authorization: 'absent' });
    expect((await h.firstResponse()).status).toBe(204);
    expect(fake.violations).toEqual([]);
  });

  it('fills several ATTACHMENT options in order, byte for byte, and leaves a valued one alone', async () => {
    const { fake, client } = await setup();
    const bytes = Buffer.from([0, 255, 1, 254, 0x80]);
    const seen = nextAttachments(client, ['a', 'b', 'absent']);
    fake.sendCommand({
      name: 'ajouter',
      options: [
        { name: 'a', type: 11 },
        { name: 'b', type: 11 },
        { name: 'absent', type: 11, value: '1234567890123456789' },
      ],
      attachments: [
        { filename: 'premier.bin', data: bytes },
        { filename: 'second.txt', data: 'deux', contentType: 'text/plain' },
      ],
    });
    const [a, b, absent] = await seen;
    expect([a?.name, a?.contentType, b?.name, b?.contentType]).toEqual([
      'premier.bin',
      'application/octet-stream',
      'second.txt',
      'text/plain',
    ]);
    expect(absent).toBeNull();
    expect(Buffer.from(await (await fetch(a!.url)).arrayBuffer())).toEqual(bytes);
    expect(fake.attachments.get(b!.id)?.data.toString()).toBe('deux');
  });

  it('answers 404 for an unknown attachment, and refuses attachments that no option takes', async () => {
    const { fake } = await setup();
    const res = await fetch(`${fake.baseUrl}/attachments/1/rien.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('This content is no longer available.');
    expect(() => fake.sendCommand({ name: 'ajouter', attachments: [{ filename: 'a.txt', data: 'x' }] })).toThrow(
      /ATTACHMENT options/u,
    );
    expect(() =>
      fake.sendCommand({
        name: 'ajouter',
        options: [{ name: 'fichier', type: 11 }],
        attachments: [
          { filename: 'a.txt', data: 'x' },
          { filename: 'b.txt', data: 'y' },
        ],
      }),
    ).toThrow(/left without an option/u);
    expect(fake.attachments.size).toBe(0);
  });
});
