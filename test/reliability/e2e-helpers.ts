/** The real bot process against the fake Discord, as test/e2e/bot.e2e.test.ts starts it, for the reliability suite. */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
  type InteractionHandle,
  type RecordedRequest,
} from '../fake-discord/index.js';
import { runScript, seedsCopy, startBotProcess, type BotProcess } from '../e2e/bot-process.js';

export interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    components?: { components: { custom_id?: string }[] }[];
    allowed_mentions?: { parse?: string[]; users?: string[] };
  };
}

export interface Harness {
  fake: FakeDiscord;
  bot: BotProcess;
  env: Record<string, string>;
  seedsDir: string;
  dataDir: string;
  token: string;
  /** Stops the bot and the fake, and removes the temporary seeds folder. */
  dispose(): Promise<void>;
}

let users = 0;
/** A fresh member each time, so no cooldown ever interferes. */
export function member(prefix = '15'): { id: string; username: string } {
  users++;
  return { id: `${prefix}000000000000${String(users).padStart(5, '0')}`, username: `membre${users}` };
}

export const question = (
  name: string,
  q: string,
): {
  name: string;
  options: { name: string; type: number; value: string }[];
  user: { id: string; username: string };
} => ({ name, options: [{ name: 'question', type: 3, value: q }], user: member() });

export const cb = (r: RecordedRequest): CallbackBody => r.body as CallbackBody;

/** The first handled callback: accepted (2xx) and within Discord's 3-second deadline. */
export async function reply(handle: InteractionHandle, timeoutMs = 5_000): Promise<CallbackBody> {
  const first = await handle.firstResponse(timeoutMs);
  expect(first.status, JSON.stringify(first.responseBody)).toBe(204);
  expect(handle.firstResponseLatencyMs).toBeLessThan(3_000);
  return cb(first);
}

export async function startHarness(options: {
  token: string;
  fake?: FakeDiscordOptions;
  env?: Record<string, string>;
  dataDir?: string;
  /** Extra seed files (name → content) added to the bundled ones before the bot starts. */
  seeds?: Record<string, string>;
}): Promise<Harness> {
  const fake = await startFakeDiscord({ token: options.token, ...options.fake });
  const dirs = seedsCopy();
  for (const [name, content] of Object.entries(options.seeds ?? {}))
    writeFileSync(path.join(dirs.seedsDir, name), content);
  const dataDir = options.dataDir ?? dirs.dataDir;
  const env = {
    DISCORD_TOKEN: options.token,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guilds[0]!.id,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dataDir,
    COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const deploy = await runScript('deploy.ts', env);
  expect(deploy.code, deploy.output).toBe(0);
  expect(deploy.output).not.toContain(options.token);
  const bot = startBotProcess(env);
  await fake.ready(undefined, 20_000);
  await bot.waitForLog((l) => l['msg'] === 'connected to Discord', 20_000);
  const dispose = async (): Promise<void> => {
    await bot.stop();
    await fake.close();
    rmSync(path.dirname(dirs.seedsDir), { recursive: true, force: true });
  };
  return { fake, bot, env, seedsDir: dirs.seedsDir, dataDir, token: options.token, dispose };
}

/** The token must appear nowhere: not in the bot's output, nor in any request body, path or query it sent. */
export function expectTokenNowhere(h: Harness): void {
  expect(h.bot.output()).not.toContain(h.token);
  for (const r of h.fake.requests) {
    expect(JSON.stringify(r.body ?? null)).not.toContain(h.token);
    expect(r.rawPath).not.toContain(h.token);
    expect(JSON.stringify(r.query)).not.toContain(h.token);
  }
}

/** Every message the bot sent was valid for Discord and carried allowed_mentions that ping no one. */
export function expectCleanTraffic(h: Harness): void {
  expect(h.fake.violations.filter((v) => v.kind !== 'unknown-interaction')).toEqual([]);
  for (const m of h.fake.messageBodies) {
    if (m.content === undefined) continue;
    expect(m.hasAllowedMentions, JSON.stringify(m)).toBe(true);
    expect(m.pings, JSON.stringify(m)).toBe(false);
  }
}
