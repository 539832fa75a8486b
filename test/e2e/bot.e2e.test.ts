import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePermissions, startFakeDiscord, type FakeDiscord, type InteractionHandle } from '../fake-discord/index.js';
import { runScript, seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';
import { firstReply, members } from './members.js';

const TOKEN = 'e2e-secret-token.abcdef.123456';
const MOD_ROLE = '1300000000000000099';
let fake: FakeDiscord;
let bot: BotProcess;
let dirs: { seedsDir: string; dataDir: string };
let env: Record<string, string>;

/** A fresh member for each test, so the per-user cooldown never gets in the way. */
const member = members('14000000000000', 'membre');

interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    components?: { components: { custom_id?: string; label?: string; disabled?: boolean }[] }[];
    allowed_mentions?: { parse?: string[]; users?: string[] };
    choices?: { name: string; value: string }[];
  };
}
const question = (
  name: string,
  q: string,
  extra: { name: string; type: number; value?: string | boolean; user?: { id: string; username: string } }[] = [],
) => ({ name, options: [{ name: 'question', type: 3, value: q }, ...extra], user: member() });

const reply = (handle: InteractionHandle): Promise<CallbackBody> => firstReply<CallbackBody>(handle);

function buttonIds(body: CallbackBody): string[] {
  return (body.data?.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id ?? ''));
}

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  dirs = seedsCopy();
  env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guilds[0]!.id,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dirs.dataDir,
    MODERATOR_ROLE_ID: MOD_ROLE,
    COOLDOWN_SECONDS: '2',
    LOG_LEVEL: 'info',
  };
  const deploy = await runScript('deploy.ts', env);
  expect(deploy.code, deploy.output).toBe(0);
  bot = startBotProcess(env);
  await fake.ready(undefined, 20_000);
  await bot.waitForLog((l) => l['msg'] === 'connected to Discord', 20_000);
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('the bot against a fake Discord', () => {
  it('registers every command on the guild with French descriptions', () => {
    const names = fake
      .commands(fake.guilds[0]!.id)
      .map((c) => c.name)
      .sort();
    expect(names).toEqual([
      'Chercher la source',
      'aide',
      'ajouter',
      'djingo',
      'recherche',
      'reindex',
      'sources',
      'stats',
      'sujets',
      'xiaomi',
    ]);
    for (const c of fake.commands(fake.guilds[0]!.id)) {
      if (c.type === 1)
        expect((c as { description_localizations?: { fr?: string } }).description_localizations?.fr).toBeTruthy();
    }
    for (const name of ['ajouter', 'reindex', 'stats']) {
      const moderatorOnly = fake.commands(fake.guilds[0]!.id).find((c) => c.name === name) as {
        default_member_permissions?: string;
      };
      expect(moderatorOnly.default_member_permissions).toBe('32');
    }
  });

  it('answers /djingo with an attributed, highlighted quote and buttons, pinging nobody', async () => {
    const body = await reply(
      fake.sendCommand(question('djingo', 'Combien coûtait l’enceinte Djingo ? @everyone <@&1300000000000000099>')),
    );
    expect(body.type).toBe(4);
    const content = body.data!.content!;
    expect(content).toMatch(/149/);
    expect(content).toMatch(/\*\*[^*]+\*\*/);
    expect(content).toMatch(/paragraphe \d+/);
    expect(content).not.toMatch(/(?<!\u200b)@everyone/);
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
    expect(buttonIds(body).length).toBeGreaterThanOrEqual(2);
  });

  it('answers /xiaomi from the Xiaomi article', async () => {
    const body = await reply(fake.sendCommand(question('xiaomi', 'Quelle part des abonnés représente Xiaomi ?')));
    expect(body.data!.content).toMatch(/4\.74/);
    expect(body.data!.content).toContain('Clin d’oeil');
  });

  it('says when the topic does not answer and points to the one that does', async () => {
    const body = await reply(fake.sendCommand(question('xiaomi', 'Combien coûtait l’enceinte Djingo ?')));
    expect(body.data!.content).toContain('aucun passage');
    expect(body.data!.content).toContain('/djingo');
  });

  it('suggests questions in autocomplete: at most 25 choices of at most 100 characters', async () => {
    const handle = fake.sendAutocomplete({
      name: 'djingo',
      options: [{ name: 'question', type: 3, value: 'rembours' }],
      focused: 'question',
      user: member(),
    });
    const body = await reply(handle);
    expect(body.type).toBe(8);
    const choices = body.data!.choices!;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    expect(choices.some((c) => /rembours/i.test(c.name))).toBe(true);
  });

  it('handles the answer buttons: whole paragraph, next passage (asker only), publish a private answer', async () => {
    const asker = member();
    const handle = fake.sendCommand({
      name: 'djingo',
      options: [
        { name: 'question', type: 3, value: 'Combien coûtait l’enceinte Djingo ?' },
        { name: 'cacher', type: 5, value: true },
      ],
      user: asker,
    });
    const body = await reply(handle);
    expect(body.data!.flags! & 64).toBe(64);
    const message = {
      content: body.data!.content!,
      components: body.data!.components,
      flags: 64,
      author: { id: fake.applicationId, username: 'bot', bot: true },
    };
    const [para, next, pub] = buttonIds(body);
    expect(pub).toMatch(/^pub\|/);

    const paragraph = await reply(fake.sendButton({ customId: para!, message, user: member() }));
    expect(paragraph.type).toBe(4);
    expect(paragraph.data!.flags! & 64).toBe(64);
    expect(paragraph.data!.content).toMatch(/^> /);

    const stranger = await reply(fake.sendButton({ customId: next!, message, user: member() }));
    expect(stranger.data!.content).toContain('Seule la personne');
    expect(stranger.data!.flags! & 64).toBe(64);

    const moved = await reply(fake.sendButton({ customId: next!, message, user: asker }));
    expect(moved.type).toBe(7);
    expect(moved.data!.content).not.toBe(body.data!.content);

    const published = await reply(fake.sendButton({ customId: pub!, message, user: asker }));
    expect(published.type).toBe(4);
    expect((published.data!.flags ?? 0) & 64).toBe(0);
    expect(published.data!.content).toContain(`Réponse partagée par <@${asker.id}>`);
    expect(published.data!.allowed_mentions).toEqual({ parse: [] });
  });

  it('suggests an answer to a member with `mention`, pinging only that member', async () => {
    const target = member();
    const body = await reply(
      fake.sendCommand(
        question('recherche', 'Deutsch Telekom', [{ name: 'mention', type: 6, value: target.id, user: target }]),
      ),
    );
    expect(body.data!.content).toContain(`<@${target.id}>`);
    expect(body.data!.allowed_mentions).toEqual({ parse: [], users: [target.id] });
  });

  it('finds the source of a message with « Chercher la source », privately', async () => {
    const handle = fake.sendMessageContextMenu({
      name: 'Chercher la source',
      targetMessage: {
        content: 'Orange a vendu seulement un millier d’enceintes en trois mois',
        author: { id: '1499999999999999999', username: 'quelquun' },
      },
      user: member(),
    });
    const body = await reply(handle);
    expect(body.data!.flags! & 64).toBe(64);
    expect(body.data!.content).toContain('millier');
  });

  it('lists the sources', async () => {
    const body = await reply(fake.sendCommand({ name: 'sources', user: member() }));
    expect(body.data!.content).toContain('Articles indexés\u202f: 3');
    expect(body.data!.content).toContain('Presse-citron');
  });

  it('refuses /reindex to a member, ephemerally, saying why', async () => {
    const body = await reply(
      fake.sendCommand({ name: 'reindex', user: member(), permissions: FakePermissions.MEMBER }),
    );
    expect(body.type).toBe(4);
    expect(body.data!.flags! & 64).toBe(64);
    expect(body.data!.content).toContain('Réservé aux modérateurs');
  });

  it('reindexes for a moderator: a new article is then answered', async () => {
    writeFileSync(
      path.join(dirs.seedsDir, '003_zorblax.txt'),
      ' source Le Journal du Test\n date 2024-05\n title Le casque Zorblax arrive en France\n\n' +
        'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, ' +
        'avec quarante heures d’autonomie.\n',
    );
    const handle = fake.sendCommand({
      name: 'reindex',
      user: member(),
      permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD,
    });
    const first = await reply(handle);
    expect(first.type).toBe(5);
    const report = await handle.waitFor((r) => r.method === 'PATCH', 10_000);
    const content = (report.body as { content: string }).content;
    expect(content).toContain('3 → 4');
    expect(content).toContain('003_zorblax.txt');
    const body = await reply(fake.sendCommand(question('recherche', 'Combien coûte le casque Zorblax ?')));
    expect(body.data!.content).toContain('79 euros');
    expect(body.data!.content).toContain('Le Journal du Test');
  });

  it('lets a member with the moderator role reindex', async () => {
    const handle = fake.sendCommand({
      name: 'reindex',
      user: member(),
      permissions: FakePermissions.MEMBER,
      roles: [MOD_ROLE],
    });
    expect((await reply(handle)).type).toBe(5);
    await handle.waitFor((r) => r.method === 'PATCH', 10_000);
  });

  it('makes a member wait between two questions', async () => {
    const user = member();
    await reply(fake.sendCommand({ ...question('djingo', 'remboursement'), user }));
    const second = await reply(fake.sendCommand({ ...question('djingo', 'remboursement'), user }));
    expect(second.data!.content).toContain('Doucement');
    expect(second.data!.flags! & 64).toBe(64);
  });

  it('answers a burst of 40 concurrent questions from different members within 3 s each', async () => {
    const questions = [
      'Combien coûtait l’enceinte ?',
      'Quand Djingo a-t-il été lancé ?',
      'Où déposer l’enceinte ?',
      'remboursement délai',
    ];
    const handles = Array.from({ length: 40 }, (_, i) =>
      fake.sendCommand(question('djingo', questions[i % questions.length]!)),
    );
    const bodies = await Promise.all(handles.map(reply));
    for (const b of bodies) expect(b.data!.content).toMatch(/paragraphe/);
  });

  it('survives Discord errors: 500 and 429 are retried, an expired interaction is logged', async () => {
    fake.failNext(/\/interactions\/\d+\/[^/]+\/callback/, {
      status: 500,
      body: { message: '500: Internal Server Error', code: 0 },
    });
    const afterServerError = fake.sendCommand(question('djingo', 'Alexa'));
    await afterServerError.waitFor((r) => r.status === 204, 8_000);
    fake.failNext(/\/interactions\/\d+\/[^/]+\/callback/, { status: 429, retryAfter: 0.2 });
    const afterRateLimit = fake.sendCommand(question('djingo', 'Alexa'));
    await afterRateLimit.waitFor((r) => r.status === 204, 8_000);
    const expired = fake.sendCommand({ ...question('djingo', 'Alexa'), deadlineMs: 0 });
    await expired.firstResponse(5_000);
    await bot.waitForLog(
      (l) =>
        l['msg'] === 'interaction' &&
        typeof l['outcome'] === 'string' &&
        (l['outcome'] as string).startsWith('discord-'),
      5_000,
    );
    expect(bot.alive()).toBe(true);
    expect(await reply(fake.sendCommand(question('djingo', 'Alexa')))).toMatchObject({ type: 4 });
  });

  it('logs one line per interaction and never the token', () => {
    const lines = bot.logs().filter((l) => l['msg'] === 'interaction');
    expect(lines.length).toBeGreaterThan(40);
    for (const l of lines)
      expect(l).toEqual(
        expect.objectContaining({
          command: expect.any(String),
          latencyMs: expect.any(Number),
          outcome: expect.any(String),
        }),
      );
    expect(bot.output()).not.toContain(TOKEN);
  });

  it('sent only valid messages, each with allowed_mentions', () => {
    expect(fake.violations.filter((v) => !v.message.includes('Unknown interaction'))).toEqual([]);
    for (const m of fake.messageBodies) {
      if (m.content === undefined) continue;
      expect(m.hasAllowedMentions, JSON.stringify(m)).toBe(true);
      // The one allowed ping: the member an answer is suggested to (`mention`), named in allowed_mentions.users.
      const allowedUsers = (m.allowedMentions as { users?: string[] } | null)?.users ?? [];
      if (allowedUsers.length === 1 && m.content?.startsWith(`Suggestion pour <@${allowedUsers[0]}>`)) continue;
      expect(m.pings, JSON.stringify(m)).toBe(false);
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(bot.alive()).toBe(true);
    expect(await bot.stop('SIGTERM')).toBe(0);
  });
});

describe('start-up configuration', () => {
  it('exits 1 with one clear message when the configuration is invalid, without a stack trace', async () => {
    const { code, output } = await runScript('bot.ts', {
      DISCORD_TOKEN: 'x',
      DISCORD_CLIENT_ID: 'not-an-id',
      DISCORD_API_URL: 'nope',
    });
    expect(code).toBe(1);
    expect(output).toContain('DISCORD_CLIENT_ID');
    expect(output).toContain('DISCORD_API_URL');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
