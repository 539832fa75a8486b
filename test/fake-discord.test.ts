/**
 * The fake Discord in test/fake-discord/ against the REAL discord.js v14 Client (REST + gateway on 127.0.0.1).
 * Each test starts its own fake and client and destroys both afterwards.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Client,
  DiscordAPIError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakePermissions,
  guildIdForShard,
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
  type RecordedRequest,
} from './fake-discord/index.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;
/** Errors thrown by interaction handlers (collected instead of becoming unhandled rejections). */
let handlerErrors: unknown[] = [];

/** discord.js waits ~5 s between two IDENTIFYs of a bucket; tests that re-identify skip that wait. */
const noIdentifyThrottle: ClientOptions['ws'] = {
  buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }),
};

async function setup(
  opts: FakeDiscordOptions = {},
  clientOpts: Partial<ClientOptions> = {},
): Promise<{ fake: FakeDiscord; client: Client }> {
  const f = await startFakeDiscord(opts);
  fake = f;
  const c = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: f.apiUrl },
    allowedMentions: { parse: [] },
    ...clientOpts,
  });
  client = c;
  const ready = once(c, Events.ClientReady);
  await c.login(f.token);
  await ready;
  return { fake: f, client: c };
}

function onInteraction(c: Client, handler: (i: Interaction) => Promise<void>): void {
  c.on(Events.InteractionCreate, (i) => {
    handler(i).catch((err: unknown) => handlerErrors.push(err));
  });
}

function apiCode(err: unknown): number | string | undefined {
  return err instanceof DiscordAPIError ? err.code : undefined;
}

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
  handlerErrors = [];
});

describe('fake Discord with the real discord.js Client', () => {
  it('connects: /gateway/bot, HELLO, IDENTIFY, READY, GUILD_CREATE', async () => {
    const { fake, client } = await setup();
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.has(fake.guild().id)).toBe(true);
    expect(client.guilds.cache.get(fake.guild().id)?.roles.everyone.id).toBe(fake.guild().id);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    const gatewayBot = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayBot?.authorization).toBe('valid');
    expect(gatewayBot?.headers.authorization).toBe('[redacted]');
    expect(gatewayBot?.apiVersion).toBe(10);
    expect(fake.connections[0]?.url).toBe('/?v=10&encoding=json');
    await fake.ready(0);
  });

  it('rejects a wrong token: REST 401 on /gateway/bot, login fails with TokenInvalid', async () => {
    const f = await startFakeDiscord();
    fake = f;
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiUrl } });
    client = c;
    await expect(c.login('wrong-token')).rejects.toMatchObject({ code: DiscordjsErrorCodes.TokenInvalid });
    expect(f.violations.map((v) => v.kind)).toEqual(['unauthorized']);
    expect(f.requests[0]?.authorization).toBe('invalid');
  });

  it('slash command + reply: callback body, options, permissions, allowed_mentions', async () => {
    const { fake, client } = await setup();
    const seen: Record<string, unknown> = {};
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.question = i.options.getString('question');
      seen.court = i.options.getBoolean('court');
      seen.who = i.options.getUser('qui')?.username;
      seen.canManage = i.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
      seen.locale = i.locale;
      seen.inGuild = i.inGuild();
      await i.reply({ content: `Réponse à <@${i.user.id}> : ${String(seen.question)} @everyone` });
    });
    const h = fake.sendCommand({
      name: 'demander',
      options: [
        { name: 'question', type: 3, value: 'Quel est le budget ?' },
        { name: 'court', type: 5, value: true },
        { name: 'qui', type: 6, user: { id: '1300000000000000099', username: 'alice' } },
      ],
    });
    const res = await h.firstResponse();
    expect(res.status).toBe(204);
    expect(res.method).toBe('POST');
    expect(res.path).toBe(`/interactions/${h.id}/${h.token}/callback`);
    expect(res.query).toEqual({ with_response: 'false' });
    expect(res.authorization).toBe('absent');
    expect(res.body).toMatchObject({ type: 4, data: { content: expect.stringContaining('Quel est le budget ?') } });
    expect(seen).toEqual({
      question: 'Quel est le budget ?',
      court: true,
      who: 'alice',
      canManage: false,
      locale: 'fr',
      inGuild: true,
    });
    expect(h.firstResponseLatencyMs).toBeGreaterThanOrEqual(0);
    expect(h.firstResponseLatencyMs).toBeLessThan(3000);
    expect(fake.messageBodies).toHaveLength(1);
    expect(fake.messageBodies[0]).toMatchObject({
      hasAllowedMentions: true,
      allowedMentions: { parse: [] },
      pings: false,
      accepted: true,
    });
    const msg = h.originalMessage();
    expect(msg).toMatchObject({ type: 20, mention_everyone: false, mentions: [], author: { id: fake.applicationId } });
    expect(fake.violations).toEqual([]);
    expect(handlerErrors).toEqual([]);
  });

  it('member permissions can be set or the member replaced (permission checks read member.permissions)', async () => {
    const { fake, client } = await setup();
    const perms: (boolean | null)[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      perms.push(i.memberPermissions ? i.memberPermissions.has(PermissionFlagsBits.ManageGuild) : null);
      await i.reply({ content: 'ok' });
    });
    await fake.sendCommand({ name: 'admin', permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD }).firstResponse();
    await fake
      .sendCommand({ name: 'admin', member: { user: fake.defaultUser, roles: [], joined_at: '2024-01-01T00:00:00Z' } })
      .firstResponse();
    expect(perms).toEqual([true, null]);
  });

  it('a DM interaction has user, no member, no guild_id, context 1', async () => {
    const { fake, client } = await setup();
    const seen: unknown[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.push(i.inGuild(), i.guildId, i.member, i.user.id, i.context);
      await i.reply({ content: 'en privé' });
    });
    const h = fake.sendCommand({ name: 'aide', dm: true });
    expect(h.payload.member).toBeUndefined();
    expect(h.payload.guild_id).toBeUndefined();
    expect((await h.firstResponse()).status).toBe(204);
    expect(seen).toEqual([false, null, null, fake.defaultUser.id, 1]);
  });

  it('deferReply + editReply + fetchReply + followUp: webhook routes with %40original', async () => {
    const { fake, client } = await setup();
    const fetched: string[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'Voici la citation.' });
      fetched.push((await i.fetchReply()).content);
      await i.followUp({ content: 'Source : Le Monde' });
    });
    const h = fake.sendCommand({ name: 'demander' });
    const first = await h.firstResponse();
    expect(first.body).toMatchObject({ type: 5 });
    const followUp = await h.waitFor((r) => r.method === 'POST' && r.path.startsWith('/webhooks/'));
    const statuses = h.responses().map((r) => [r.method, r.path.replace(h.token, ':token'), r.status]);
    expect(statuses).toEqual([
      ['POST', `/interactions/${h.id}/:token/callback`, 204],
      ['PATCH', `/webhooks/${fake.applicationId}/:token/messages/@original`, 200],
      ['GET', `/webhooks/${fake.applicationId}/:token/messages/@original`, 200],
      ['POST', `/webhooks/${fake.applicationId}/:token`, 200],
    ]);
    expect(fetched).toEqual(['Voici la citation.']);
    const edit = h.responses()[1] as RecordedRequest;
    expect(edit.rawPath).toContain('/messages/%40original');
    expect(edit.authorization).toBe('absent');
    expect(followUp.query.wait).toBe('true');
    expect(h.originalMessage()).toMatchObject({ content: 'Voici la citation.', flags: 0 });
    expect(h.followUps().map((m) => m.content)).toEqual(['Source : Le Monde']);
    expect(fake.messageBodies.map((m) => [m.kind, m.allowedMentions])).toEqual([
      ['webhook-edit', { parse: [] }],
      ['webhook-followup', { parse: [] }],
    ]);
    expect(fake.violations).toEqual([]);
    expect(handlerErrors).toEqual([]);
  });

  it('reply with withResponse: 200 {interaction, resource.message} is parsed by discord.js', async () => {
    const { fake, client } = await setup();
    const got: unknown[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'avec réponse', withResponse: true });
      got.push(response.interaction.responseMessageId, response.resource?.message?.content);
    });
    const h = fake.sendCommand({ name: 'demander' });
    const res = await h.firstResponse();
    expect(res.status).toBe(200);
    expect(res.query).toEqual({ with_response: 'true' });
    await expect.poll(() => got.length).toBe(2);
    expect(got).toEqual([h.originalMessage()?.id, 'avec réponse']);
  });

  it('autocomplete: 25 choices accepted, 26 rejected with 50035 and recorded', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      const n = typed === 'trop' ? 26 : 25;
      await i.respond(Array.from({ length: n }, (_, k) => ({ name: `${typed} ${k}`, value: `v${k}` })));
    });
    const ok = fake.sendAutocomplete({
      name: 'demander',
      options: [{ name: 'question', type: 3, value: 'budg' }],
      focused: 'question',
    });
    const okRes = await ok.firstResponse();
    expect(okRes.status).toBe(204);
    expect(okRes.query).toEqual({});
    expect(okRes.body).toMatchObject({ type: 8, data: { choices: expect.any(Array) } });
    expect(fake.violations).toEqual([]);

    const bad = fake.sendAutocomplete({
      name: 'demander',
      options: [{ name: 'question', type: 3, value: 'trop' }],
      focused: 'question',
    });
    const badRes = await bad.firstResponse();
    expect(badRes.status).toBe(400);
    expect(badRes.responseBody).toMatchObject({
      code: 50035,
      errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]).toMatchObject({ kind: 'invalid-form-body', code: 50035, interactionId: bad.id });
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(apiCode(handlerErrors[0])).toBe(50035);
  });

  it('a reply after the deadline gets 10062 and the client sees a DiscordAPIError', async () => {
    const { fake, client } = await setup({ interactionDeadlineMs: 300 });
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await sleep(400);
      await i.reply({ content: 'trop tard' });
    });
    const h = fake.sendCommand({ name: 'lent' });
    const res = await h.firstResponse();
    expect(res.status).toBe(404);
    expect(res.responseBody).toEqual({ code: 10062, message: 'Unknown interaction' });
    expect(h.firstResponseLatencyMs).toBeGreaterThanOrEqual(300);
    expect(h.acknowledged).toBe(false);
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(apiCode(handlerErrors[0])).toBe(10062);
    expect((handlerErrors[0] as DiscordAPIError).status).toBe(404);
    expect(fake.violations.map((v) => [v.kind, v.code])).toEqual([['unknown-interaction', 10062]]);
  });

  it('a second callback gets 40060; discord.js itself refuses a second reply() without a request', async () => {
    const { fake, client } = await setup();
    const local: unknown[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'un' });
      await i.reply({ content: 'deux' }).catch((err: unknown) => local.push(err));
      // What a second process (or a reset state) would do: a raw callback.
      await client.rest.post(Routes.interactionCallback(i.id, i.token), {
        body: { type: 4, data: { content: 'deux' } },
        auth: false,
      });
    });
    const h = fake.sendCommand({ name: 'double' });
    const second = await h.waitFor((r) => r.status === 400);
    expect(second.responseBody).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(apiCode(handlerErrors[0])).toBe(40060);
    expect(local).toHaveLength(1);
    expect(local[0]).toMatchObject({ code: DiscordjsErrorCodes.InteractionAlreadyReplied });
    expect(h.responses()).toHaveLength(2);
    expect(fake.violations.map((v) => v.code)).toEqual([40060]);
  });

  it('webhook edit on a never-acknowledged interaction gets 10015 Unknown Webhook', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await client.rest.patch(Routes.webhookMessage(i.applicationId, i.token), { body: { content: 'x' }, auth: false });
    });
    const h = fake.sendCommand({ name: 'oubli' });
    const res = await h.waitFor(() => true);
    expect(res.status).toBe(404);
    expect(res.responseBody).toEqual({ code: 10015, message: 'Unknown Webhook' });
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(apiCode(handlerErrors[0])).toBe(10015);
  });

  it('message limits: 2001 characters, 11 embeds, 6 buttons in a row are rejected with 50035', async () => {
    const { fake, client } = await setup();
    const bodies: Record<string, unknown>[] = [
      { content: 'x'.repeat(2001) },
      { embeds: Array.from({ length: 11 }, (_, k) => ({ description: `e${k}` })) },
      {
        content: 'boutons',
        components: [
          {
            type: 1,
            components: Array.from({ length: 6 }, (_, k) => ({ type: 2, style: 1, custom_id: `b${k}`, label: 'b' })),
          },
        ],
      },
      { embeds: [{ title: 't'.repeat(257), description: 'd'.repeat(4096) }, { description: 'd'.repeat(2000) }] },
    ];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const n = i.options.getInteger('n') ?? 0;
      await client.rest.post(Routes.interactionCallback(i.id, i.token), {
        body: { type: 4, data: bodies[n] },
        auth: false,
      });
    });
    const errs: unknown[] = [];
    for (let n = 0; n < bodies.length; n += 1) {
      const res = await fake
        .sendCommand({ name: 'limite', options: [{ name: 'n', type: 4, value: n }] })
        .firstResponse();
      expect(res.status).toBe(400);
      errs.push((res.responseBody as { errors: unknown }).errors);
    }
    expect(errs[0]).toMatchObject({ data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(errs[1]).toMatchObject({ data: { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(errs[2]).toMatchObject({
      data: { components: { 0: { components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } },
    });
    expect(errs[3]).toMatchObject({
      data: {
        embeds: { 0: { title: { _errors: [expect.any(Object)] } }, _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] },
      },
    });
    expect(fake.violations.map((v) => v.code)).toEqual([50035, 50035, 50035, 50035]);
    expect(fake.messageBodies.every((m) => !m.accepted && !m.hasAllowedMentions)).toBe(true);
  });

  it('button: update() edits the component message (callback type 7)', async () => {
    const { fake, client } = await setup();
    const seen: string[] = [];
    onInteraction(client, async (i) => {
      if (!i.isButton()) return;
      seen.push(i.customId, i.message.id);
      await i.update({ content: 'Page 2', components: [] });
    });
    const h = fake.sendButton({ customId: 'page:2', message: { content: 'Page 1' } });
    const res = await h.firstResponse();
    expect(res.status).toBe(204);
    expect(res.body).toMatchObject({
      type: 7,
      data: { content: 'Page 2', components: [], allowed_mentions: { parse: [] } },
    });
    const messageId = (h.payload.message as { id: string }).id;
    expect(seen).toEqual(['page:2', messageId]);
    expect(h.originalMessage()).toMatchObject({ id: messageId, content: 'Page 2', components: [] });
    expect(h.originalMessage()?.edited_timestamp).not.toBeNull();
    expect(fake.violations).toEqual([]);
  });

  it('message context menu: targetMessage is resolved; ephemeral reply', async () => {
    const { fake, client } = await setup();
    const seen: unknown[] = [];
    onInteraction(client, async (i) => {
      if (!i.isMessageContextMenuCommand()) return;
      seen.push(i.commandName, i.targetMessage.content, i.targetMessage.author.username, i.targetId);
      await i.reply({ content: `> ${i.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    });
    const h = fake.sendMessageContextMenu({
      name: 'Vérifier la citation',
      targetMessage: {
        content: 'Le ministre a dit « non ».',
        author: { id: '1300000000000000077', username: 'bob' },
      },
    });
    const res = await h.firstResponse();
    expect(res.body).toMatchObject({ type: 4, data: { content: '> Le ministre a dit « non ».', flags: 64 } });
    expect(seen).toEqual([
      'Vérifier la citation',
      'Le ministre a dit « non ».',
      'bob',
      (h.payload.data as { target_id: string }).target_id,
    ]);
    expect(h.originalMessage()).toMatchObject({ type: 23, flags: 64 });
  });

  it('op 7 RECONNECT: the client resumes on resume_gateway_url and still gets interactions', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'toujours là' });
    });
    const shardEvents: string[] = [];
    client.on(Events.ShardReconnecting, (id) => shardEvents.push(`reconnecting ${id}`));
    client.on(Events.ShardResume, (id) => shardEvents.push(`resume ${id}`));
    const resumed = fake.waitForResume(0);
    expect(fake.requestReconnect()).toBe(1);
    await resumed;
    const res = await fake.sendCommand({ name: 'ping' }).firstResponse();
    expect(res.status).toBe(204);
    expect(shardEvents).toEqual(['reconnecting 0', 'resume 0']);
    expect(fake.identifyCount()).toBe(1);
    expect(fake.resumeCount(0)).toBe(1);
    expect(fake.connections).toHaveLength(2);
    expect(fake.connections[0]?.closeCode).toBe(4200);
    expect(fake.connections[1]?.url).toBe('/resume?v=10&encoding=json');
  });

  it('a dropped connection (no close frame) is resumed; events sent meanwhile are replayed', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'rejoué' });
    });
    const resumed = fake.waitForResume(0);
    fake.dropConnection(0);
    const h = fake.sendCommand({ name: 'pendant-la-coupure' }); // buffered, replayed on RESUME
    await resumed;
    expect((await h.firstResponse()).status).toBe(204);
    expect(fake.connections[0]?.closeCode).toBe(1006);
    expect(fake.identifyCount()).toBe(1);
  });

  it('op 9 INVALID_SESSION (not resumable): the client identifies again', async () => {
    const { fake, client } = await setup({}, { ws: noIdentifyThrottle });
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'nouvelle session' });
    });
    const identified = fake.waitForIdentify(0);
    fake.invalidateSession(0, false);
    await identified;
    const res = await fake.sendCommand({ name: 'ping' }).firstResponse();
    expect(res.status).toBe(204);
    expect(fake.identifyCount()).toBe(2);
    expect(fake.resumeCount()).toBe(0);
  });

  it('429 on the callback route: discord.js waits Retry-After and retries', async () => {
    const { fake, client } = await setup();
    const debug: string[] = [];
    client.rest.on('restDebug', (m) => debug.push(m));
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'après la limite' });
    });
    fake.failNext('POST /interactions/:id/:token/callback', { status: 429, retryAfter: 0.1 });
    const h = fake.sendCommand({ name: 'ping' });
    const ok = await h.firstResponse();
    expect(ok.status).toBe(204);
    const [limited, retried] = h.responses();
    expect(limited).toMatchObject({ status: 429, injected: true, responseBody: { retry_after: 0.1, global: false } });
    expect(retried).toBe(ok);
    expect(ok.receivedAt - (limited as RecordedRequest).receivedAt).toBeGreaterThanOrEqual(100);
    expect(debug.some((m) => m.includes('Encountered unexpected 429 rate limit'))).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('500 and 502 on a webhook edit: discord.js retries (up to 3 times) and succeeds', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'fini' });
    });
    fake.failNext('PATCH /webhooks/**', { status: 500 });
    fake.failNext('PATCH /webhooks/**', { status: 502 });
    const h = fake.sendCommand({ name: 'lent' });
    await h.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    expect(h.responses().map((r) => r.status)).toEqual([204, 500, 502, 200]);
    expect(h.originalMessage()?.content).toBe('fini');
  });

  it('a connection reset on a callback is not retried: reply() rejects with a SocketError', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'perdu' });
    });
    fake.failNext('POST /interactions/:id/:token/callback', { status: 0, resetConnection: true });
    const h = fake.sendCommand({ name: 'ping' });
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(handlerErrors[0]).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(h.responses().map((r) => [r.status, r.injected])).toEqual([[-1, true]]);
    expect(h.acknowledged).toBe(false);
  });

  it('delayNext: a callback delayed past the deadline is refused with 10062', async () => {
    const { fake, client } = await setup({ interactionDeadlineMs: 200 });
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'vite' });
    });
    fake.delayNext('POST /interactions/**', 300);
    const res = await fake.sendCommand({ name: 'ping' }).firstResponse();
    expect(res.status).toBe(404);
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(apiCode(handlerErrors[0])).toBe(10062);
  });

  it('command registration: PUT guild commands stores them; interactions carry the registered id', async () => {
    const { fake, client } = await setup();
    const guildId = fake.guild().id;
    const set = await client.application?.commands.set(
      [
        {
          name: 'demander',
          description: 'Poser une question',
          nameLocalizations: { fr: 'demander' },
          options: [{ name: 'question', description: 'La question', type: 3, required: true }],
          defaultMemberPermissions: null,
          contexts: [0],
        },
        { name: 'Vérifier la citation', type: 3 },
      ],
      guildId,
    );
    expect(set?.size).toBe(2);
    const stored = fake.commands(guildId);
    expect(stored.map((c) => [c.name, c.type])).toEqual([
      ['demander', 1],
      ['Vérifier la citation', 3],
    ]);
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${guildId}/commands`);
    expect(put?.authorization).toBe('valid');
    const fetched = await client.application?.commands.fetch({ guildId });
    expect(fetched?.size).toBe(2);

    let commandId: string | undefined;
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      commandId = i.commandId;
      await i.reply({ content: 'ok' });
    });
    await fake.sendCommand({ name: 'demander', options: [{ name: 'question', type: 3, value: '?' }] }).firstResponse();
    expect(commandId).toBe(stored[0]?.id);

    await expect(
      client.application?.commands.set([{ name: 'Majuscule', description: 'x' }], guildId),
    ).rejects.toMatchObject({ code: 50035 });
    expect(fake.violations.at(-1)).toMatchObject({
      kind: 'invalid-form-body',
      errors: { 0: { name: expect.any(Object) } },
    });
  });

  it('bot routes: channel message with Bot token; 401 without; unknown route 404 recorded', async () => {
    const { fake, client } = await setup();
    const channelId = fake.guild().channels[0]?.id ?? '';
    const channel = client.channels.cache.get(channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const sent = await channel.send({ content: 'Bonjour <@1300000000000000003>' });
    expect(sent.content).toBe('Bonjour <@1300000000000000003>');
    expect(fake.messages.get(sent.id)).toMatchObject({ channel_id: channelId, mentions: [] });
    const post = fake.requests.find((r) => r.path === `/channels/${channelId}/messages`);
    expect(post).toMatchObject({ authorization: 'valid', status: 200, body: { allowed_mentions: { parse: [] } } });

    const anon = await fetch(`${fake.apiUrl}/v10/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: 'sans jeton' }),
    });
    expect(anon.status).toBe(401);
    const unknown = await fetch(`${fake.apiUrl}/v10/nulle-part`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: '404: Not Found' });
    expect(fake.unknownRoutes.map((r) => r.path)).toEqual(['/nulle-part']);
    expect(fake.violations.map((v) => v.kind)).toEqual(['unauthorized', 'unknown-route']);

    const me = await client.rest.get(Routes.user('@me'));
    expect(me).toMatchObject({ id: fake.applicationId, bot: true });
    const app = await client.application?.fetch();
    expect(app?.id).toBe(fake.applicationId);
  });

  it('files: multipart/form-data with payload_json is parsed', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'pièce jointe', files: [{ attachment: Buffer.from('bonjour'), name: 'extrait.txt' }] });
    });
    const h = fake.sendCommand({ name: 'fichier' });
    const res = await h.firstResponse();
    expect(res.status).toBe(204);
    expect(res.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(res.body).toMatchObject({ type: 4, data: { content: 'pièce jointe', allowed_mentions: { parse: [] } } });
    expect(res.files).toEqual([
      { field: 'files[0]', filename: 'extrait.txt', contentType: expect.any(String), size: 7 },
    ]);
    expect(h.originalMessage()?.attachments).toHaveLength(1);
  });

  it('shards: two concurrent shard connections, each guild routed to its shard', async () => {
    const g0 = guildIdForShard(0, 2);
    const g1 = guildIdForShard(1, 2);
    const { fake, client } = await setup(
      { shardCount: 2, maxConcurrency: 2, guilds: [{ id: g0 }, { id: g1 }] },
      { shards: 'auto' },
    );
    expect(fake.identifies.map((r) => [r.shardId, r.shardCount]).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(client.guilds.cache.get(g0)?.shardId).toBe(0);
    expect(client.guilds.cache.get(g1)?.shardId).toBe(1);
    const shards: number[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      shards.push(i.guild?.shardId ?? -1);
      await i.reply({ content: 'ok' });
    });
    const h1 = fake.sendCommand({ name: 'ping', guildId: g1 });
    expect(h1.shardId).toBe(1);
    await h1.firstResponse();
    const h0 = fake.sendCommand({ name: 'ping', guildId: g0 });
    expect(h0.shardId).toBe(0);
    await h0.firstResponse();
    expect(shards).toEqual([1, 0]);
  });
});
