import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePermissions, startFakeDiscord, type FakeDiscord, type InteractionHandle } from '../fake-discord/index.js';
import { runScript, seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';
import { firstReply, members } from './members.js';

/**
 * Issue 12, as members and moderators use it through the real bot process: links to the articles, /aide and
 * /sujets, « Supprimer », votes, private no-answers that do not start the cooldown, topics as data (a new topic
 * registered after /reindex), and /stats, before and after a restart.
 */
const TOKEN = 'e2e-community-token.abcdef.123456';
const URL = 'https://www.example.fr/tech/casque-zorblax-79-euros';
let fake: FakeDiscord;
let bot: BotProcess;
let dirs: { seedsDir: string; dataDir: string };
let env: Record<string, string>;
const member = members('15000000000000', 'lecteur');

interface Button {
  type: number;
  style: number;
  custom_id?: string;
  url?: string;
  label?: string;
}
interface CallbackBody {
  type: number;
  data?: { content?: string; flags?: number; components?: { components: Button[] }[] };
}
const buttons = (b: CallbackBody): Button[] => (b.data?.components ?? []).flatMap((row) => row.components);
const ask = (name: string, q: string, user = member()) => ({
  name,
  options: [{ name: 'question', type: 3, value: q }],
  user,
});

const reply = (handle: InteractionHandle): Promise<CallbackBody> => firstReply<CallbackBody>(handle);

async function startBot(): Promise<void> {
  bot = startBotProcess(env);
  await bot.waitForLog((l) => l['msg'] === 'connected to Discord', 30_000);
}

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  dirs = seedsCopy();
  writeFileSync(
    path.join(dirs.seedsDir, '010_zorblax.txt'),
    ` title Le casque Zorblax arrive en France\n source Le Journal du Test\n date 2024-05\n url ${URL}\n\n` +
      'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, avec quarante heures ' +
      'd’autonomie et une réduction de bruit active.\n\nLe casque sera disponible dans les boutiques Orange dès ' +
      'le mois prochain, en noir ou en blanc.\n',
  );
  env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guilds[0]!.id,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dirs.dataDir,
    COOLDOWN_SECONDS: '30',
    LOG_LEVEL: 'info',
  };
  const deploy = await runScript('deploy.ts', env);
  expect(deploy.code, deploy.output).toBe(0);
  await startBot();
}, 90_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('community features, end to end', () => {
  it('links an answer to its article with « Lire l’article », and none when the seed has no url', async () => {
    const linked = await reply(fake.sendCommand(ask('recherche', 'Combien coûte le casque Zorblax ?')));
    expect(linked.data!.content).toContain('79 euros');
    const link = buttons(linked).find((b) => b.label === 'Lire l’article');
    expect(link).toMatchObject({ style: 5, url: URL });
    expect(link!.custom_id).toBeUndefined();
    // Embeds suppressed: a link never unfurls a preview.
    expect(linked.data!.flags! & 4).toBe(4);

    const plain = await reply(fake.sendCommand(ask('djingo', 'Combien coûtait l’enceinte Djingo ?')));
    expect(plain.data!.content).toMatch(/€|euros/u);
    expect(buttons(plain).some((b) => b.style === 5)).toBe(false);
  });

  it('/sources shows a linked title without unfurling it', async () => {
    const list = await reply(fake.sendCommand({ name: 'sources', user: member() }));
    expect(list.data!.content).toContain(`](<${URL}>)`);
    expect(list.data!.flags! & 4).toBe(4);
  });

  it('/aide and /sujets show each command with an example, the topics and their counts, privately', async () => {
    const help = await reply(fake.sendCommand({ name: 'aide', user: member() }));
    expect(help.data!.flags! & 64).toBe(64);
    const text = help.data!.content!;
    for (const c of ['/djingo', '/xiaomi', '/recherche', '/sources', '/sujets', '/ajouter', '/reindex', '/stats'])
      expect(text).toContain(c);
    expect(text).toContain('Combien coûtait l’enceinte Djingo\u202f?');
    expect(text).toMatch(/`\/djingo` — Djingo \(2 articles\)/u);
    expect(text).toMatch(/`\/xiaomi` — Xiaomi \(1 article\)/u);
    const topics = await reply(fake.sendCommand({ name: 'sujets', user: member() }));
    expect(topics.data!.flags! & 64).toBe(64);
    expect(topics.data!.content).toContain('4 articles indexés');
  });

  it('lets the asker (or a moderator) delete a public answer, and no one else', async () => {
    const asker = member();
    const handle = fake.sendCommand(ask('djingo', 'Quand Orange a-t-il lancé Djingo ?', asker));
    const answer = await reply(handle);
    expect((answer.data!.flags ?? 0) & 64).toBe(0);
    const del = buttons(answer).find((b) => b.label === 'Supprimer')!;
    expect(del.custom_id).toBe(`del|${asker.id}`);
    const message = { id: handle.originalMessage()!.id };

    const refused = await reply(fake.sendButton({ customId: del.custom_id!, message, user: member() }));
    expect(refused.data!.flags! & 64).toBe(64);
    expect(refused.data!.content).toContain('Seule la personne');
    expect(fake.messages.has(message.id)).toBe(true);

    const press = fake.sendButton({ customId: del.custom_id!, message, user: asker });
    expect((await reply(press)).type).toBe(6);
    await press.waitFor((r) => r.method === 'DELETE', 5_000);
    expect(fake.messages.has(message.id)).toBe(false);

    // A moderator may delete someone else's answer.
    const other = fake.sendCommand(ask('xiaomi', 'Combien d’utilisateurs Xiaomi chez Orange ?'));
    const second = await reply(other);
    const id = { id: other.originalMessage()!.id };
    const delId = buttons(second).find((b) => b.label === 'Supprimer')!.custom_id!;
    const modPress = fake.sendButton({
      customId: delId,
      message: id,
      user: member(),
      permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD,
    });
    expect((await reply(modPress)).type).toBe(6);
    await modPress.waitFor((r) => r.method === 'DELETE', 5_000);
    expect(fake.messages.has(id.id)).toBe(false);
  });

  it('counts one vote per member per answer, acknowledged privately', async () => {
    const handle = fake.sendCommand(ask('djingo', 'Pourquoi Orange arrête l’enceinte Djingo ?'));
    const answer = await reply(handle);
    const up = buttons(answer).find((b) => b.label === '👍 Utile')!.custom_id!;
    const down = buttons(answer).find((b) => b.label === '👎 Pas utile')!.custom_id!;
    const message = { id: handle.originalMessage()!.id };
    const voter = member();
    const first = await reply(fake.sendButton({ customId: up, message, user: voter }));
    expect(first.data!.flags! & 64).toBe(64);
    expect(first.data!.content).toContain('compté');
    const again = await reply(fake.sendButton({ customId: up, message, user: voter }));
    expect(again.data!.content).toContain('qu’une fois');
    await reply(fake.sendButton({ customId: down, message, user: member() }));
  });

  it('answers a no-answer privately, repeating the question, without starting the cooldown', async () => {
    const user = member();
    const none = await reply(fake.sendCommand(ask('recherche', 'Quel est le prix du ticket de métro à Lyon ?', user)));
    expect(none.data!.flags! & 64).toBe(64);
    expect(none.data!.content).toContain('Reformuler');
    expect(none.data!.content).toContain('```text\nQuel est le prix du ticket de métro à Lyon ?\n```');
    // Asked again at once in other words: answered, not « Doucement ».
    const answered = await reply(fake.sendCommand(ask('djingo', 'Combien coûtait l’enceinte Djingo ?', user)));
    expect(answered.data!.content).not.toContain('Doucement');
    expect((answered.data!.flags ?? 0) & 64).toBe(0);
    // An answer does start it, and the cooldown message is private.
    const waited = await reply(fake.sendCommand(ask('djingo', 'Et Djingo parle-t-il ?', user)));
    expect(waited.data!.content).toContain('Doucement');
    expect(waited.data!.flags! & 64).toBe(64);
  });

  it('adds a topic from the topics file at /reindex: its command is registered and answers', async () => {
    const file = path.join(dirs.seedsDir, 'topics.json');
    const topics = JSON.parse(readFileSync(file, 'utf8')) as { topics: object[] };
    topics.topics.push({
      name: 'zorblax',
      label: 'Zorblax',
      description: 'Poser une question sur le casque Zorblax',
      match: ['zorblax'],
      example: 'Combien coûte le casque Zorblax ?',
    });
    writeFileSync(file, JSON.stringify(topics, null, 2));
    const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;
    const before = puts();
    const handle = fake.sendCommand({
      name: 'reindex',
      user: member(),
      permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD,
    });
    expect((await reply(handle)).type).toBe(5);
    const report = await handle.waitFor(
      (r) => r.method === 'PATCH' && !String((r.body as { content?: string }).content).startsWith('⏳'),
      20_000,
    );
    const content = (report.body as { content: string }).content;
    expect(content).toContain('Les sujets ont changé');
    expect(content).toContain('`/zorblax`');
    expect(puts()).toBe(before + 1);
    const names = fake.commands(fake.guilds[0]!.id).map((c) => c.name);
    expect(names).toContain('zorblax');
    expect(names).toEqual(expect.arrayContaining(['djingo', 'xiaomi', 'recherche', 'aide', 'sujets', 'stats']));
    const answer = await reply(fake.sendCommand(ask('zorblax', 'Quelle autonomie pour le casque ?')));
    expect(answer.data!.content).toContain('quarante heures');
    expect(answer.data!.content).toContain('/zorblax');
  });

  it('refuses an invalid topics file at /reindex, in French, and keeps answering', async () => {
    const file = path.join(dirs.seedsDir, 'topics.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "topics": [ { "name": "Pas Valide" } ] }');
    try {
      const handle = fake.sendCommand({
        name: 'reindex',
        user: member(),
        permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD,
      });
      await reply(handle);
      const report = await handle.waitFor(
        (r) => r.method === 'PATCH' && String((r.body as { content?: string }).content).startsWith('❌'),
        20_000,
      );
      expect((report.body as { content: string }).content).toContain('topics.json');
      const still = await reply(fake.sendCommand(ask('zorblax', 'Combien coûte le casque Zorblax ?')));
      expect(still.data!.content).toContain('79 euros');
    } finally {
      writeFileSync(file, good);
    }
  });

  it('shows moderators /stats, refuses it to members, and keeps the figures across a restart', async () => {
    const refused = await reply(
      fake.sendCommand({ name: 'stats', user: member(), permissions: FakePermissions.MEMBER }),
    );
    expect(refused.data!.content).toContain('⛔');
    const mod = { name: 'stats', user: member(), permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD };
    const first = await reply(fake.sendCommand(mod));
    expect(first.data!.flags! & 64).toBe(64);
    const text = first.data!.content!;
    expect(text).toMatch(/7 derniers jours\u202f: \d+ questions/u);
    expect(text).toContain('Quel est le prix du ticket de métro à Lyon');
    expect(text).toMatch(/1 👍 · 1 👎/u);
    expect(text).toContain('Le casque Zorblax arrive en France');
    await bot.stop('SIGKILL');
    await startBot();
    const after = await reply(fake.sendCommand({ ...mod, user: member() }));
    expect(after.data!.content).toBe(text);
  }, 60_000);

  it('sent only valid messages, pinging no one', () => {
    expect(fake.violations.filter((v) => !v.message.includes('Unknown interaction'))).toEqual([]);
    expect(bot.output()).not.toContain(TOKEN);
  });
});
