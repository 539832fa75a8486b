import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Events, type Interaction } from 'discord.js';
import { commandsFor } from '../../commands/index.js';
import { loadConfigOrExit, type BotConfig } from '../config.js';
import { createClient, createRouter, serveShardReloads, trackRawMembers } from '../discord/index.js';
import { createLogger } from '../logger.js';
import { botContext, checkSeedsAfterStart, commandsUpdater, openServing, openStatsOrNull } from './context.js';

/** Gateway close codes after which discord.js does not reconnect. */
const FATAL_CLOSE_CODES = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

/**
 * The shards this process serves (`npm run start:sharded`): one discord.js client holds them all, over one index.
 * `parent` is the IPC channel to the launcher when it runs several such processes (SHARDS_PER_PROCESS), through
 * which a /reindex here reloads the others.
 */
export interface BotSharding {
  shards: readonly number[];
  shardCount: number;
  parent?: Parameters<typeof serveShardReloads>[0];
}

/** A running bot: `ready` resolves once every shard of its client is connected. */
export interface RunningBot {
  ready: Promise<void>;
  stop: () => Promise<void>;
}

/** The shard a guild's events come through (Discord's rule); DMs come through shard 0. */
export function shardOf(guildId: string | null, shardCount: number): number {
  return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) : 0;
}

/**
 * Starts the bot: index first (snapshot or build), then the Discord connection. Resolves once logged in. Without
 * `sharding`, discord.js's default (`npm start`).
 */
export async function startBot(config: BotConfig, sharding: BotSharding | null = null): Promise<RunningBot> {
  const log = createLogger(config.logLevel, 'bot', { userIds: config.logUserIds });
  // A /reindex this process's predecessor never finished (killed mid-way), or a rebuild at start: the other
  // processes are asked to reload below, since this start may serve a snapshot they do not have.
  const { holder, report, interrupted } = await openServing(config, log);
  const client = createClient(config.apiUrl, sharding);
  const stats = openStatsOrNull(config, log);
  // The shards of this process share its holder; other processes, if any, reload through the launcher's IPC.
  const reloadEveryShard = sharding?.parent
    ? serveShardReloads(sharding.parent, sharding.shards, () => holder.reloadFromSnapshot(), log)
    : null;
  const ctx = botContext({
    config,
    holder,
    log,
    stats,
    rawMember: trackRawMembers(client),
    updateCommands: commandsUpdater(client.rest, config, log),
    reloadOthers: reloadEveryShard,
  });
  // Sharded, each shard's interactions log with its id: one router per shard, over the same context otherwise.
  const routers = new Map<number | null, (interaction: Interaction) => Promise<void>>();
  const routerFor = (interaction: Interaction): ((interaction: Interaction) => Promise<void>) => {
    const shard = sharding ? shardOf(interaction.guildId, sharding.shardCount) : null;
    let route = routers.get(shard);
    if (!route) {
      route = createRouter(shard === null ? ctx : { ...ctx, log: log.child({ shard }) }, commandsFor);
      routers.set(shard, route);
    }
    return route;
  };
  client.on(Events.InteractionCreate, (interaction) => void routerFor(interaction)(interaction));
  let isReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  client.once(Events.ClientReady, (c) => {
    log.info({ bot: c.user.tag, guilds: c.guilds.cache.size, shards: sharding?.shards }, 'connected to Discord');
    isReady();
    // A large snapshot served unchecked: its seeds folder is read now. Of several processes, the one with shard 0
    // does it (its reindex reloads the others).
    if (!sharding?.parent || sharding.shards.includes(0)) void checkSeedsAfterStart(ctx, config, report, log);
    // A process that rebuilt at start, or took over from an interrupted reindex, serves a snapshot the others may
    // not have: they reload it (each skips the snapshot it already serves).
    if (reloadEveryShard && (interrupted || !report.fromSnapshot)) {
      void reloadEveryShard().then(({ results }) => {
        const reloaded = results?.filter((r) => r?.reloaded).length ?? null;
        log.info({ reloaded, shards: results?.length ?? null }, 'other shards asked to reload');
      });
    }
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => {
    log.warn({ code: event.code, shard }, 'gateway disconnected');
    // discord.js gives up on these codes (bad token, bad intents…): exit non-zero so a supervisor notices.
    if (FATAL_CLOSE_CODES.has(event.code)) {
      log.fatal({ code: event.code, shard }, 'Discord closed the session for good');
      process.exit(1);
    }
  });
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  await client.login(config.token);
  return {
    ready,
    async stop() {
      await client.destroy();
      stats?.close();
    },
  };
}

/**
 * Forked by `npm run start:sharded` with SHARDS_PER_PROCESS: the launcher names this process's shards in
 * DJINGO_SHARDS (« 2,3 ») and their total in DJINGO_SHARD_COUNT, and talks to it over the fork's IPC channel.
 */
function launcherSharding(env: NodeJS.ProcessEnv): BotSharding | null {
  const ids = (env['DJINGO_SHARDS']?.split(',') ?? []).filter((id) => id.trim() !== '').map(Number);
  const shardCount = Number(env['DJINGO_SHARD_COUNT']);
  if (!process.send || ids.length === 0 || !Number.isInteger(shardCount)) return null;
  if (!ids.every((id) => Number.isInteger(id) && id >= 0 && id < shardCount)) return null;
  return { shards: ids, shardCount, parent: process };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, 'process');
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  const sharding = launcherSharding(process.env);
  let bot: RunningBot | undefined;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    (bot?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  // A launcher that is gone (killed) no longer watches this process: it stops, even while it is still starting.
  if (sharding) process.on('disconnect', () => shutdown('disconnect'));
  try {
    bot = await startBot(config, sharding);
  } catch (err) {
    const e = err as Error & { code?: string };
    const message = e.message.split(config.token).join('[redacted]');
    log.fatal({ err: { name: e.name, code: e.code, message } }, 'could not start');
    process.exit(1);
  }
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // The launcher starts the next process once this one is ready.
  if (sharding) void bot.ready.then(() => process.send?.({ djingo: 'ready' }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
