import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakePermissions,
  guildIdForShard,
  startFakeDiscord,
  type FakeDiscord,
  type RecordedRequest,
} from '../fake-discord/index.js';
import { runScript, seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';

const TOKEN = 'sharded-secret-token.abc.123';
const GUILD_A = guildIdForShard(0, 2);
const GUILD_B = guildIdForShard(1, 2);
let fake: FakeDiscord;
let bot: BotProcess;
let dirs: { seedsDir: string; dataDir: string };
let n = 0;
const user = (): { id: string; username: string } => ({
  id: `15000000000000${String(++n).padStart(5, '0')}`,
  username: `m${n}`,
});
const content = (r: RecordedRequest): string => (r.body as { data?: { content?: string } }).data?.content ?? '';

beforeAll(async () => {
  fake = await startFakeDiscord({
    token: TOKEN,
    shardCount: 2,
    guilds: [
      { id: GUILD_A, name: 'Serveur A' },
      { id: GUILD_B, name: 'Serveur B' },
    ],
  });
  dirs = seedsCopy();
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dirs.dataDir,
    COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'info',
    SHARD_COUNT: '2',
    SHARD_SPAWN_DELAY_MS: '200',
  };
  expect((await runScript('deploy.ts', env)).code).toBe(0);
  bot = startBotProcess(env, 'sharded.ts');
  await bot.waitForLog((l) => l['msg'] === 'all shards ready', 60_000);
}, 90_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('two shards against a fake Discord', () => {
  it('builds the snapshot once, before the shards, which load it', () => {
    const ready = bot.logs().filter((l) => l['msg'] === 'index ready');
    expect(ready).toHaveLength(2);
    for (const l of ready) expect(l['fromSnapshot']).toBe(true);
    expect(fake.identifyCount(0)).toBeGreaterThanOrEqual(1);
    expect(fake.identifyCount(1)).toBeGreaterThanOrEqual(1);
  });

  it('answers questions on both shards', async () => {
    for (const guildId of [GUILD_A, GUILD_B]) {
      const handle = fake.sendCommand({
        name: 'djingo',
        guildId,
        user: user(),
        options: [{ name: 'question', type: 3, value: 'Combien coûtait l’enceinte ?' }],
      });
      expect(handle.shardId).toBe(guildId === GUILD_A ? 0 : 1);
      const first = await handle.firstResponse(5_000);
      expect(first.status).toBe(204);
      expect(handle.firstResponseLatencyMs).toBeLessThan(3_000);
      expect(content(first)).toMatch(/149/);
    }
  });

  it('reindexes once on one shard and every shard then answers from the new index', async () => {
    writeFileSync(
      path.join(dirs.seedsDir, '003_zorblax.txt'),
      ' source Le Journal du Test\n date 2024-05\n\nLe casque Zorblax arrive\n\n' +
        'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, ' +
        'avec quarante heures d’autonomie.\n',
    );
    const handle = fake.sendCommand({
      name: 'reindex',
      guildId: GUILD_A,
      user: user(),
      permissions: FakePermissions.MANAGE_GUILD,
    });
    expect(((await handle.firstResponse(5_000)).body as { type: number }).type).toBe(5);
    const report = (await handle.waitFor((r) => r.method === 'PATCH', 20_000)).body as { content: string };
    expect(report.content).toContain('3 → 4');
    expect(report.content).toMatch(/shard 0\u202f: 4 articles \(réindexé ici\)/u);
    expect(report.content).toMatch(/shard 1\u202f: 4 articles \(index rechargé\)/u);
    const onB = fake.sendCommand({
      name: 'recherche',
      guildId: GUILD_B,
      user: user(),
      options: [{ name: 'question', type: 3, value: 'Combien coûte le casque Zorblax ?' }],
    });
    expect(onB.shardId).toBe(1);
    expect(content(await onB.firstResponse(5_000))).toContain('79 euros');
  });

  it('after a seed edited in place (touch -r) and a /reindex, both shards quote the new text', async () => {
    const file = path.join(dirs.seedsDir, '003_zorblax.txt');
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('79 euros', '59 euros'));
    utimesSync(file, before.atime, before.mtime);
    const handle = fake.sendCommand({
      name: 'reindex',
      guildId: GUILD_A,
      user: user(),
      permissions: FakePermissions.MANAGE_GUILD,
    });
    const report = (await handle.waitFor((r) => r.method === 'PATCH', 20_000)).body as { content: string };
    expect(report.content).toMatch(/shard 1\u202f: 4 articles \(index rechargé\)/u);
    for (const guildId of [GUILD_A, GUILD_B]) {
      const ask = fake.sendCommand({
        name: 'recherche',
        guildId,
        user: user(),
        options: [{ name: 'question', type: 3, value: 'Combien coûte le casque Zorblax ?' }],
      });
      const text = content(await ask.firstResponse(5_000));
      expect(text).toContain('59 euros');
      expect(text).not.toContain('79 euros');
    }
  });
});
