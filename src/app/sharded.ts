import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BotConfig, ConfigError, loadConfigOrExit, readShardingConfig, type ShardingConfig } from '../config.js';
import { relayShardReloads } from '../discord/index.js';
import { createLogger } from '../logger.js';
import type { RunningBot } from './bot.js';

type Log = ReturnType<typeof createLogger>;

const BOT_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bot.ts');
/** A child that has not exited this long after SIGTERM is killed. */
const STOP_TIMEOUT_MS = 10_000;
/** Respawns of a process that keeps dying before it is ready wait twice as long each time, up to this. */
const MAX_RESPAWN_WAIT_MS = 60_000;

/** Shard count Discord recommends for this bot, asked through the configured API (so a REST proxy works too). */
async function recommendedShards(apiUrl: string, token: string): Promise<number> {
  const response = await fetch(`${apiUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${token}` } });
  if (!response.ok) throw new Error(`GET /gateway/bot: HTTP ${response.status}`);
  const { shards } = (await response.json()) as { shards?: unknown };
  return typeof shards === 'number' && shards >= 1 ? shards : 1;
}

function shardingOrExit(): ShardingConfig {
  try {
    return readShardingConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nVoir .env.example.\n`);
    process.exit(1);
  }
}

/** Shard ids 0 … total − 1 in runs of `size` consecutive ids: one run per process. */
export function shardGroups(total: number, size: number): number[][] {
  const ids = Array.from({ length: total }, (_, i) => i);
  const groups: number[][] = [];
  for (let i = 0; i < total; i += size) groups.push(ids.slice(i, i + size));
  return groups;
}

/**
 * `npm run start:sharded`. By default every shard runs in this one process: one discord.js client holding all the
 * shard ids, one index. With SHARDS_PER_PROCESS=k, ceil(total / k) bot processes of k consecutive shards each,
 * started one after the other (the first builds the snapshot if needed, the next ones load it), respawned when
 * they die, and relaying /reindex reloads to each other through this launcher.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const sharding = shardingOrExit();
  const log = createLogger(config.logLevel, 'shards');
  try {
    const total =
      sharding.shardCount === 'auto' ? await recommendedShards(config.apiUrl, config.token) : sharding.shardCount;
    const groups = shardGroups(total, Math.min(sharding.shardsPerProcess ?? total, total));
    if (groups.length === 1) await inThisProcess(config, total, log);
    else await inProcesses(groups, total, sharding.spawnDelayMs, log);
  } catch (err) {
    const e = err as Error & { code?: string };
    const message = e.message.split(config.token).join('[redacted]');
    log.fatal({ err: { name: e.name, code: e.code, message } }, 'could not start');
    process.exit(1);
  }
}

/** Every shard in one client, here: no reload relay, the one holder serves them all. */
async function inThisProcess(config: BotConfig, total: number, log: Log): Promise<void> {
  let bot: RunningBot | null = null;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping shards');
    if (!bot) process.exit(0);
    bot.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  log.info({ shards: total, processes: 1 }, 'starting every shard in this process');
  const shards = Array.from({ length: total }, (_, i) => i);
  // Loaded here, not at the top: a launcher of several processes needs none of the bot's modules.
  const { startBot } = await import('./bot.js');
  bot = await startBot(config, { shards, shardCount: total });
  await bot.ready;
  log.info({ shards: total, processes: 1 }, 'all shards ready');
}

/**
 * One bot process as the reload relay sees it: a stable stand-in for whichever child currently serves these
 * shards, so a respawned child keeps its place (its messages are re-emitted here).
 */
class ShardSlot extends EventEmitter {
  child: ChildProcess | null = null;
  /** Deaths in a row before reaching ready: the next respawn waits longer. */
  failures = 0;

  constructor(readonly shards: readonly number[]) {
    super();
  }

  send(message: unknown, callback: (error: Error | null) => void): boolean {
    const child = this.child;
    if (!child?.connected) {
      callback(new Error(`no process serves shards ${this.shards.join(', ')}`));
      return false;
    }
    return child.send(message as object, callback);
  }
}

const isReadyMessage = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { djingo?: unknown }).djingo === 'ready';

async function inProcesses(groups: number[][], total: number, delayMs: number, log: Log): Promise<void> {
  const slots = groups.map((shards) => new ShardSlot(shards));
  relayShardReloads(slots, total, log);
  let started = false;
  let stopping = false;

  /** Forks the bot for one slot; resolves when it says it is ready, rejects if it exits first. */
  const start = (slot: ShardSlot): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = fork(BOT_ENTRY, [], {
        // Like `npm start`: the TypeScript entry point through tsx.
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, DJINGO_SHARDS: slot.shards.join(','), DJINGO_SHARD_COUNT: String(total) },
      });
      slot.child = child;
      let ready = false;
      log.info({ shards: slot.shards, pid: child.pid }, 'shard process started');
      child.on('message', (message: unknown) => {
        if (isReadyMessage(message) && !ready) {
          ready = true;
          slot.failures = 0;
          resolve();
        }
        slot.emit('message', message);
      });
      child.on('error', (err) => log.error({ err, shards: slot.shards }, 'shard process error'));
      child.once('exit', (code, signal) => {
        if (slot.child === child) slot.child = null;
        if (!ready) {
          slot.failures += 1;
          reject(new Error(`the process of shards ${slot.shards.join(', ')} exited before it was ready (${code})`));
        }
        if (stopping || !(started || ready)) return;
        const waitMs = Math.min(MAX_RESPAWN_WAIT_MS, Math.max(1000, delayMs) * 2 ** Math.max(0, slot.failures - 1));
        log.warn({ shards: slot.shards, code, signal, waitMs }, 'shard process exited; respawning');
        setTimeout(() => {
          if (stopping) return;
          start(slot).then(
            () => log.info({ shards: slot.shards }, 'shard process respawned'),
            // Its exit schedules the next try.
            () => {},
          );
        }, waitMs);
      });
    });

  const stopAll = async (signal: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping shard processes');
    await Promise.all(slots.map((slot) => stopChild(slot.child)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));

  log.info({ shards: total, processes: slots.length }, 'starting shard processes');
  for (const [i, slot] of slots.entries()) {
    if (stopping) return;
    try {
      await start(slot);
    } catch (err) {
      log.fatal({ err: (err as Error).message, shards: slot.shards }, 'could not start');
      await stopAll('startup failure', 1);
      return;
    }
    // Discord allows one IDENTIFY per 5 s per bucket: the next process's shards wait.
    if (i < slots.length - 1 && delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
  started = true;
  log.info({ shards: total, processes: slots.length }, 'all shards ready');
}

/** SIGTERM, then SIGKILL if it has not exited in time. */
async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_TIMEOUT_MS)));
  if ((await Promise.race([exited, late])) === 'late') child.kill('SIGKILL');
  clearTimeout(timer);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`Démarrage impossible : ${(err as Error).message}\n`);
    process.exit(1);
  });
}
