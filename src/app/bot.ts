import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Events } from 'discord.js';
import { commandsFor } from '../../commands/index.js';
import { sameTopics, type TopicDefinition } from '../corpus/index.js';
import { loadConfigOrExit, type BotConfig } from '../config.js';
import {
  Cooldown,
  createClient,
  createRouter,
  serveShardReloads,
  trackRawMembers,
  type BotContext,
  type CommandsUpdate,
} from '../discord/index.js';
import { createLogger } from '../logger.js';
import { IndexHolder, takeInterruptedReindex } from '../serving/index.js';
import { openIndex } from '../index/index.js';
import { warmSuggestions, warmSuggestionsInSlices } from '../suggest/index.js';
import { warmFrenchWords } from '../language/index.js';
import { openStats, type StatsStore } from '../stats/index.js';
import { registerCommands } from './register.js';

/** Gateway close codes after which discord.js does not reconnect. */
const FATAL_CLOSE_CODES = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

/** Starts the bot: index first (snapshot or build), then the Discord connection. Resolves once logged in. */
export async function startBot(config: BotConfig): Promise<{ stop: () => Promise<void> }> {
  const log = createLogger(config.logLevel, 'bot', { userIds: config.logUserIds });
  // A /reindex this process's predecessor never finished (killed mid-way): said once, and the other shards are
  // asked to reload below, since this start may serve a snapshot they do not have.
  const interrupted = await takeInterruptedReindex(config.dataDir);
  if (interrupted)
    log.warn({ pid: interrupted.pid, startedAt: interrupted.startedAt }, 'an earlier reindex was interrupted');
  const { index, report } = await openIndex({ seedsDir: config.seedsDir, dataDir: config.dataDir, log });
  const { articles, rejected, fromSnapshot, timings } = report;
  log.info({ articles: articles.length, rejected: rejected.length, fromSnapshot, ms: timings.totalMs }, 'index ready');
  warmSuggestions(index);
  // The French word list (≈0.2 s) is read now rather than on the first question with a word the articles lack.
  warmFrenchWords();
  const holder = new IndexHolder(index, {
    seedsDir: config.seedsDir,
    dataDir: config.dataDir,
    log,
    fingerprint: report.fingerprint,
    generation: report.generation,
    prepare: warmSuggestionsInSlices,
  });
  const client = createClient(config.apiUrl);
  const stats = openStatsOrNull(config, log);
  /** A rebuild changed the topics: the commands are registered again, as `npm run deploy` would. */
  const updateCommands = async (
    before: readonly TopicDefinition[],
    after: readonly TopicDefinition[],
  ): Promise<CommandsUpdate> => {
    const added = after.filter((t) => !before.some((b) => b.name === t.name)).map((t) => t.name);
    const removed = before.filter((t) => !after.some((a) => a.name === t.name)).map((t) => t.name);
    try {
      const saved = await registerCommands(client.rest, config, after);
      log.info({ ...saved, added, removed }, 'commands registered again (topics changed)');
      return { status: 'registered', ...saved, added, removed };
    } catch (err) {
      log.warn({ err }, 'commands not registered again');
      return { status: 'failed', error: (err as Error).message.split(config.token).join('[redacted]'), added, removed };
    }
  };
  // When sharded, the manager relays reload requests between shards over IPC (see shard-reload.ts).
  const reloadEveryShard = serveShardReloads(client, () => holder.reloadFromSnapshot(), log);
  const ctx: BotContext = {
    holder,
    rawMember: trackRawMembers(client),
    moderatorRoleId: config.moderatorRoleId,
    log,
    cooldown: new Cooldown(config.cooldownSeconds),
    stats,
    add: { seedsDir: config.seedsDir, allowPrivateFetch: config.allowPrivateFetch },
    async reindex(options) {
      const before = holder.current.corpus.topics;
      const outcome = await holder.reindex(options);
      if (outcome.status !== 'done') return { outcome, shards: null, commands: null };
      const shards = reloadEveryShard ? await reloadEveryShard() : null;
      const after = holder.current.corpus.topics;
      return { outcome, shards, commands: sameTopics(before, after) ? null : await updateCommands(before, after) };
    },
  };
  const route = createRouter(ctx, commandsFor);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.once(Events.ClientReady, (c) => {
    log.info({ bot: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord');
    // A shard that rebuilt at start, or took over from an interrupted reindex, serves a snapshot the others may
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
    async stop() {
      await client.destroy();
      stats?.close();
    },
  };
}

/** The statistics database, or null when it cannot be opened: /stats then says so, and answering goes on. */
function openStatsOrNull(config: BotConfig, log: ReturnType<typeof createLogger>): StatsStore | null {
  try {
    return openStats({ dataDir: config.dataDir, retentionDays: config.statsRetentionDays, log });
  } catch (err) {
    log.error({ err: (err as Error).message }, 'statistics database not opened; /stats is unavailable');
    return null;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, 'process');
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let bot: { stop: () => Promise<void> };
  try {
    bot = await startBot(config);
  } catch (err) {
    const e = err as Error & { code?: string };
    const message = e.message.split(config.token).join('[redacted]');
    log.fatal({ err: { name: e.name, code: e.code, message } }, 'could not start');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    bot.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
