import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Interaction } from 'discord.js';
import { commandsFor } from '../../commands/index.js';
import { ConfigError, loadConfigOrExit, type BotConfig } from '../config.js';
import { createRouter } from '../discord/index.js';
import {
  createHttpClient,
  interactionEndpoint,
  publicKeyFromHex,
  readHttpSettings,
  startInteractionServer,
  watchSnapshotGeneration,
  type HttpSettings,
} from '../http/index.js';
import { createLogger } from '../logger.js';
import { acquireReindexLock, type ReindexOutcome } from '../serving/index.js';
import { botContext, checkSeedsAfterStart, commandsUpdater, openServing, openStatsOrNull } from './context.js';

export interface RunningReplica {
  /** The port `POST /interactions` listens on. */
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts one stateless replica of the bot as a Discord HTTP interactions endpoint: the index from the snapshot in
 * DATA_DIR (or built from the seeds), a discord.js client that never logs in, and `POST /interactions`. Any number
 * of replicas may share DATA_DIR (and SEEDS_DIR) behind a load balancer: each follows the saved snapshot's
 * generation, and a /reindex takes a lock in DATA_DIR, so two at once on two replicas rebuild once. Resolves once
 * listening.
 */
export async function startHttpReplica(config: BotConfig, settings: HttpSettings): Promise<RunningReplica> {
  const log = createLogger(config.logLevel, 'http', { userIds: config.logUserIds });
  const key = publicKeyFromHex(settings.publicKey);
  const { holder, report } = await openServing(config, log);
  const client = createHttpClient(config.apiUrl, config.token);
  const stats = openStatsOrNull(config, log);
  // The router needs the context, whose raw members come from the endpoint: the route is bound once both exist.
  let route: (interaction: Interaction) => Promise<void> = async () => {};
  const endpoint = interactionEndpoint({ client, route: (interaction) => route(interaction), log });
  const ctx = botContext({
    config,
    holder,
    log,
    stats,
    rawMember: endpoint.rawMember,
    updateCommands: commandsUpdater(client.rest, config, log),
    async rebuild(options): Promise<ReindexOutcome> {
      const lock = await acquireReindexLock(config.dataDir);
      if (lock.status === 'busy') {
        log.info({ since: lock.holder?.startedAt ?? null }, 'reindex already running on another replica');
        return { status: 'busy' };
      }
      // A data folder that refuses the lock also refuses the snapshot: the rebuild goes on, serving from memory.
      if (lock.status === 'unavailable') log.warn({ err: lock.error }, 'reindex lock not taken; rebuilding anyway');
      try {
        return await holder.reindex(options);
      } finally {
        if (lock.status === 'acquired') await lock.release();
      }
    },
  });
  route = createRouter(ctx, commandsFor);
  const watch = watchSnapshotGeneration({ holder, dataDir: config.dataDir, log });
  const server = await startInteractionServer({
    key,
    port: settings.port,
    host: settings.host,
    log,
    handle: (payload) => endpoint.handle(payload),
  });
  log.info({ port: server.port, host: settings.host }, 'http interactions endpoint listening');
  // A large snapshot served unchecked: its seeds folder is read now (replicas starting together rebuild once).
  void checkSeedsAfterStart(ctx, config, report, log);
  return {
    port: server.port,
    async stop() {
      await server.close();
      await watch.stop();
      await client.destroy();
      stats?.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  let settings: HttpSettings;
  try {
    settings = readHttpSettings(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nVoir .env.example.\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel, 'process');
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let replica: RunningReplica;
  try {
    replica = await startHttpReplica(config, settings);
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
    replica.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
