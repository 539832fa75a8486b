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
import { botProcessesUnder, runScript, seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';

const TOKEN = 'sharded-secret-token.abc.123';
const GUILD_A = guildIdForShard(0, 2);
const GUILD_B = guildIdForShard(1, 2);
const ZORBLAX = 'Combien coûte le casque Zorblax ?';
let n = 0;
const user = (): { id: string; username: string } => ({
  id: `15000000000000${String(++n).padStart(5, '0')}`,
  username: `m${n}`,
});
const content = (r: RecordedRequest): string => (r.body as { data?: { content?: string } }).data?.content ?? '';

/** `npm run start:sharded` with two shards against a fake Discord, on a copy of the bundled seeds. */
interface Sharded {
  fake: FakeDiscord;
  bot: BotProcess;
  dirs: { seedsDir: string; dataDir: string };
  env: Record<string, string>;
}

async function startSharded(extra: Record<string, string>): Promise<Sharded> {
  // Two identify buckets, so the two shards of one client need not wait 5 s between their IDENTIFYs.
  const fake = await startFakeDiscord({
    token: TOKEN,
    shardCount: 2,
    maxConcurrency: 2,
    guilds: [
      { id: GUILD_A, name: 'Serveur A' },
      { id: GUILD_B, name: 'Serveur B' },
    ],
  });
  const dirs = seedsCopy();
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
    ...extra,
  };
  expect((await runScript('deploy.ts', env)).code).toBe(0);
  const bot = startBotProcess(env, 'sharded.ts');
  await bot.waitForLog((l) => l['msg'] === 'all shards ready', 60_000);
  return { fake, bot, dirs, env };
}

async function stopSharded(s: Sharded | undefined): Promise<void> {
  await s?.bot.stop();
  await s?.fake.close();
}

function ask(
  s: Sharded,
  guildId: string,
  question: string,
  name = 'recherche',
): ReturnType<FakeDiscord['sendCommand']> {
  return s.fake.sendCommand({
    name,
    guildId,
    user: user(),
    options: [{ name: 'question', type: 3, value: question }],
  });
}

/** A /reindex on GUILD_A (shard 0); resolves with the final report. */
async function reindexOnA(s: Sharded): Promise<string> {
  const handle = s.fake.sendCommand({
    name: 'reindex',
    guildId: GUILD_A,
    user: user(),
    permissions: FakePermissions.MANAGE_GUILD,
  });
  expect(((await handle.firstResponse(5_000)).body as { type: number }).type).toBe(5);
  return ((await handle.waitFor((r) => r.method === 'PATCH', 20_000)).body as { content: string }).content;
}

function addZorblax(s: Sharded): void {
  writeFileSync(
    path.join(s.dirs.seedsDir, '003_zorblax.txt'),
    ' source Le Journal du Test\n date 2024-05\n\nLe casque Zorblax arrive\n\n' +
      'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, ' +
      'avec quarante heures d’autonomie.\n',
  );
}

/** Running, not exited nor a zombie (an orphan waits for its new parent to reap it). */
const isAlive = (pid: number): boolean => {
  try {
    return !/^State:\s+[ZX]/mu.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** Polls `condition` until it holds (the test's own timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

describe('two shards in one process (the default): one client, one index', () => {
  let s: Sharded;
  beforeAll(async () => {
    s = await startSharded({});
  }, 90_000);
  afterAll(() => stopSharded(s));

  it('serves both shards from one bot process that builds its index once', () => {
    // tsx may run its esbuild service as a child: only bot entry points count.
    expect(botProcessesUnder(s.bot.proc.pid!)).toEqual([]);
    expect(s.bot.logs().filter((l) => l['msg'] === 'index ready')).toHaveLength(1);
    expect(s.fake.identifyCount(0)).toBeGreaterThanOrEqual(1);
    expect(s.fake.identifyCount(1)).toBeGreaterThanOrEqual(1);
    const connected = s.bot.logs().find((l) => l['msg'] === 'connected to Discord');
    expect(connected).toMatchObject({ guilds: 2, shards: [0, 1] });
  });

  it('answers questions on both shards, each logged with its shard', async () => {
    for (const [shard, guildId] of [GUILD_A, GUILD_B].entries()) {
      const handle = ask(s, guildId, 'Combien coûtait l’enceinte ?', 'djingo');
      expect(handle.shardId).toBe(shard);
      const first = await handle.firstResponse(5_000);
      expect(first.status).toBe(204);
      expect(handle.firstResponseLatencyMs).toBeLessThan(3_000);
      expect(content(first)).toMatch(/149/);
      const logged = await s.bot.waitForLog((l) => l['msg'] === 'interaction' && l['shard'] === shard);
      expect(logged['command']).toBe('djingo');
    }
  });

  it('a /reindex on shard 0 is answered from the new index on shard 1, with no reload to relay', async () => {
    addZorblax(s);
    const report = await reindexOnA(s);
    expect(report).toContain('3 → 4');
    // One index for both shards: nothing to reload elsewhere, so no line per shard.
    expect(report).not.toMatch(/Shards\u202f:/u);
    const onB = ask(s, GUILD_B, ZORBLAX);
    expect(onB.shardId).toBe(1);
    expect(content(await onB.firstResponse(5_000))).toContain('79 euros');
    expect(s.bot.logs().filter((l) => l['msg'] === 'index ready')).toHaveLength(1);
  });

  it('refuses a SHARDS_PER_PROCESS that is not a positive integer, in French', async () => {
    for (const value of ['0', 'deux', '-1']) {
      const { code, output } = await runScript('sharded.ts', { ...s.env, SHARDS_PER_PROCESS: value });
      expect(code).toBe(1);
      expect(output).toContain('SHARDS_PER_PROCESS doit être un entier positif');
      expect(output).not.toContain(TOKEN);
    }
  });
});

describe('SHARDS_PER_PROCESS=1: one process per shard, reloads relayed by the launcher', () => {
  let s: Sharded;
  beforeAll(async () => {
    s = await startSharded({ SHARDS_PER_PROCESS: '1' });
  }, 90_000);
  afterAll(() => stopSharded(s));

  it('runs two bot processes: the first builds the snapshot, the second loads it', () => {
    expect(botProcessesUnder(s.bot.proc.pid!)).toHaveLength(2);
    const ready = s.bot.logs().filter((l) => l['msg'] === 'index ready');
    expect(ready.map((l) => l['fromSnapshot'])).toEqual([false, true]);
    expect(s.fake.identifyCount(0)).toBeGreaterThanOrEqual(1);
    expect(s.fake.identifyCount(1)).toBeGreaterThanOrEqual(1);
  });

  it('answers questions on both shards', async () => {
    for (const guildId of [GUILD_A, GUILD_B]) {
      const first = await ask(s, guildId, 'Combien coûtait l’enceinte ?', 'djingo').firstResponse(5_000);
      expect(first.status).toBe(204);
      expect(content(first)).toMatch(/149/);
    }
  });

  it('reindexes once in one process and the other then answers from the new index', async () => {
    addZorblax(s);
    const report = await reindexOnA(s);
    expect(report).toContain('3 → 4');
    expect(report).toMatch(/shard 0\u202f: 4 articles \(réindexé ici\)/u);
    expect(report).toMatch(/shard 1\u202f: 4 articles \(index rechargé\)/u);
    const onB = ask(s, GUILD_B, ZORBLAX);
    expect(onB.shardId).toBe(1);
    expect(content(await onB.firstResponse(5_000))).toContain('79 euros');
  });

  it('after a seed edited in place (touch -r) and a /reindex, both processes quote the new text', async () => {
    const file = path.join(s.dirs.seedsDir, '003_zorblax.txt');
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('79 euros', '59 euros'));
    utimesSync(file, before.atime, before.mtime);
    expect(await reindexOnA(s)).toMatch(/shard 1\u202f: 4 articles \(index rechargé\)/u);
    for (const guildId of [GUILD_A, GUILD_B]) {
      const text = content(await ask(s, guildId, ZORBLAX).firstResponse(5_000));
      expect(text).toContain('59 euros');
      expect(text).not.toContain('79 euros');
    }
  });

  it('respawns a dead process, which loads the latest snapshot', async () => {
    const started = s.bot.logs().filter((l) => l['msg'] === 'shard process started');
    const pid = started.findLast((l) => (l['shards'] as number[])[0] === 1)?.['pid'] as number;
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const respawned = (l: Record<string, unknown>): boolean =>
      l['msg'] === 'shard process respawned' && (l['shards'] as number[])[0] === 1;
    await s.bot.waitForLog(respawned, 30_000);
    expect(botProcessesUnder(s.bot.proc.pid!)).toHaveLength(2);
    expect(botProcessesUnder(s.bot.proc.pid!)).not.toContain(pid);
    const text = content(await ask(s, GUILD_B, ZORBLAX).firstResponse(5_000));
    expect(text).toContain('59 euros');
  });

  it('stops every process on SIGTERM', async () => {
    const children = botProcessesUnder(s.bot.proc.pid!);
    expect(children).toHaveLength(2);
    expect(await s.bot.stop('SIGTERM')).toBe(0);
    for (const pid of children) expect(isAlive(pid)).toBe(false);
    expect(s.bot.logs().filter((l) => l['msg'] === 'shutting down')).toHaveLength(2);
  });
});

describe('a launcher killed outright', () => {
  it('leaves no bot process behind: each stops when its IPC channel closes', async () => {
    const s = await startSharded({ SHARDS_PER_PROCESS: '1' });
    try {
      const children = botProcessesUnder(s.bot.proc.pid!);
      expect(children).toHaveLength(2);
      await s.bot.stop('SIGKILL');
      const disconnected = (): number =>
        s.bot.logs().filter((l) => l['msg'] === 'shutting down' && l['signal'] === 'disconnect').length;
      await until(() => disconnected() === 2 && !children.some(isAlive));
    } finally {
      await stopSharded(s);
    }
  }, 90_000);
});
