import { generateKeyPairSync } from 'node:crypto';
import { MessageFlags, type Interaction } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  interactionEndpoint,
  MAX_BODY_BYTES,
  publicKeyFromHex,
  startInteractionServer,
  type InteractionEndpoint,
  type InteractionServer,
} from '../../src/http/index.js';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_USER_ID,
  FakePermissions,
  publicKeyHex,
  startFakeDiscord,
  type FakeDiscord,
} from '../fake-discord/index.js';

const keys = generateKeyPairSync('ed25519');
const log = pino({ level: 'silent' });
let fake: FakeDiscord;
let server: InteractionServer;
let endpoint: InteractionEndpoint;
let client: ReturnType<typeof createHttpClient>;
/** What the endpoint routes to: each test sets its own handler. */
let route: (interaction: Interaction) => Promise<void>;
let routed: Interaction[];
let url: string;

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = createHttpClient(fake.apiUrl, fake.token);
  endpoint = interactionEndpoint({
    client,
    route: async (interaction) => {
      routed.push(interaction);
      await route(interaction);
    },
    log,
  });
  server = await startInteractionServer({
    key: publicKeyFromHex(publicKeyHex(keys.publicKey)),
    port: 0,
    host: '127.0.0.1',
    log,
    handle: (payload) => endpoint.handle(payload),
  });
  url = `http://127.0.0.1:${server.port}`;
  fake.deliverOverHttp(`${url}/interactions`, keys);
});

beforeEach(() => {
  routed = [];
  route = async () => {};
  fake.clearLogs();
});

afterAll(async () => {
  await server?.close();
  await client?.destroy();
  await fake?.close();
});

const ask = (value: string, extra: Parameters<FakeDiscord['sendCommand']>[0] = { name: 'djingo' }) =>
  fake.sendCommand({ ...extra, options: [{ name: 'question', type: 3, value }] });

describe('the HTTP interactions endpoint', () => {
  it('answers a PING with {"type":1} in the response body, and a forged one 401', async () => {
    const pong = await fake.sendPing();
    expect(pong).toMatchObject({ status: 200, body: { type: 1 } });
    const forged = await fake.sendPing({ signature: 'other-key' });
    expect(forged.status).toBe(401);
    expect(forged.body).toBeNull();
    expect(fake.violations).toEqual([]);
    expect(routed).toEqual([]);
  });

  it('routes a command as discord.js’s own interaction, and answers 202 once the callback is sent', async () => {
    route = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: `Vu : ${interaction.options.getString('question')}` });
    };
    const h = ask('Combien coûtait l’enceinte ?', { name: 'djingo', permissions: FakePermissions.MANAGE_GUILD });
    const first = await h.firstResponse();
    expect(first.status).toBe(204);
    expect(first.body).toMatchObject({ type: 4, data: { content: 'Vu : Combien coûtait l’enceinte ?' } });
    const answer = await h.httpResponse();
    expect(answer).toMatchObject({ status: 202, body: null, forged: false });
    expect(answer.answeredAt).toBeGreaterThanOrEqual(first.answeredAt);
    const interaction = routed[0];
    expect(interaction?.isChatInputCommand() && interaction.commandName).toBe('djingo');
    expect(interaction?.memberPermissions?.has('ManageGuild')).toBe(true);
    expect(interaction?.guildId).toBe(fake.guild().id);
    expect(fake.violations).toEqual([]);
  });

  it('answers 202 at the deferral while the handler goes on, then lets it edit its reply', async () => {
    let finish!: () => void;
    const later = new Promise<void>((resolve) => (finish = resolve));
    let done = false;
    route = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await later;
      await interaction.editReply({ content: 'Rapport' });
      done = true;
    };
    const h = fake.sendCommand({ name: 'reindex' });
    expect((await h.httpResponse()).status).toBe(202);
    expect(done).toBe(false);
    finish();
    const edit = await h.waitFor((r) => r.method === 'PATCH');
    expect(edit.body).toMatchObject({ content: 'Rapport' });
    expect(fake.violations).toEqual([]);
  });

  it('keeps the member as Discord sent it while the interaction is handled, and forgets it after', async () => {
    let seen: unknown;
    route = async (interaction) => {
      seen = endpoint.rawMember(interaction.id);
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'ok' });
    };
    const h = fake.sendCommand({ name: 'stats', roles: ['1300000000000000777'], permissions: '32' });
    await h.httpResponse();
    expect(seen).toEqual({ permissions: '32', roles: ['1300000000000000777'] });
    await h.firstResponse();
    expect(endpoint.rawMember(h.id)).toBeUndefined();
  });

  it('builds autocomplete, button and message-menu interactions as the gateway does', async () => {
    route = async (interaction) => {
      if (interaction.isAutocomplete())
        await interaction.respond([{ name: interaction.options.getFocused(), value: 'v' }]);
      else if (interaction.isButton()) {
        const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
        await interaction.reply({ content: `${interaction.customId} ${ephemeral}`, flags: MessageFlags.Ephemeral });
      } else if (interaction.isMessageContextMenuCommand()) {
        await interaction.reply({ content: `« ${interaction.targetMessage.content} »` });
      }
    };
    const auto = fake.sendAutocomplete({
      name: 'djingo',
      options: [{ name: 'question', type: 3, value: 'Combien' }],
      focused: 'question',
    });
    expect((await auto.firstResponse()).body).toMatchObject({ type: 8, data: { choices: [{ name: 'Combien' }] } });
    const button = fake.sendButton({ customId: 'para:1', message: { content: 'Une réponse', flags: 64 } });
    expect((await button.firstResponse()).body).toMatchObject({ data: { content: 'para:1 true' } });
    const menu = fake.sendMessageContextMenu({ name: 'Chercher la source', targetMessage: { content: 'Le prix' } });
    expect((await menu.firstResponse()).body).toMatchObject({ data: { content: '« Le prix »' } });
    for (const h of [auto, button, menu]) expect((await h.httpResponse()).status).toBe(202);
    expect(fake.violations).toEqual([]);
  });

  it('refuses forged requests with 401 before anything is done with them', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = [
      ask('q', { name: 'djingo', http: { signature: 'other-key' } }),
      ask('q', { name: 'djingo', http: { signature: 'tampered' } }),
      ask('q', { name: 'djingo', http: { signature: 'malformed' } }),
      ask('q', { name: 'djingo', http: { signature: 'missing' } }),
      ask('q', { name: 'djingo', http: { timestamp: now - 600 } }),
      ask('q', { name: 'djingo', http: { timestamp: now + 600 } }),
    ];
    for (const h of forged) expect(await h.httpResponse()).toMatchObject({ status: 401, body: null, forged: true });
    expect(routed).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('answers 500 when the handler sends no callback, which Discord would count as a failure', async () => {
    const h = ask('rien');
    expect((await h.httpResponse()).status).toBe(500);
    expect(fake.violations.map((v) => v.kind)).toEqual(['http-delivery-failed']);
  });

  it('answers 400 for interactions it does not serve and for payloads discord.js cannot build', async () => {
    const guildId = fake.guild().id;
    const select = fake.sendRawInteraction({
      id: '1300000000000009001',
      application_id: fake.applicationId,
      type: 3,
      token: 'select-token',
      version: 1,
      guild_id: guildId,
      channel_id: DEFAULT_CHANNEL_ID,
      member: { user: { id: DEFAULT_USER_ID, username: 'testeur' }, roles: [], permissions: '0' },
      app_permissions: '0',
      locale: 'fr',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      data: { custom_id: 'menu', component_type: 3, values: ['a'] },
    });
    expect((await select.httpResponse()).status).toBe(400);
    const noMember = fake.sendCommand({ name: 'djingo', member: null });
    expect((await noMember.httpResponse()).status).toBe(400);
    expect(routed).toEqual([]);
  });

  it('serves only POST /interactions (and GET /healthz), and refuses bodies over 1 MiB', async () => {
    expect((await fetch(`${url}/interactions`)).status).toBe(405);
    expect((await fetch(`${url}/ailleurs`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const big = await fetch(`${url}/interactions`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(big.status).toBe(413);
    const unsigned = await fetch(`${url}/interactions`, { method: 'POST', body: '{"type":1}' });
    expect(unsigned.status).toBe(401);
  });
});
