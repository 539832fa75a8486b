import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { loadConfigOrExit } from '../config.js';
import { relayShardReloads } from '../discord/index.js';
import { createLogger } from '../logger.js';
import { openIndex } from '../index/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Shard count Discord recommends for this bot, asked through the configured API (so a REST proxy works too). */
async function recommendedShards(apiUrl: string, token: string): Promise<number> {
  const response = await fetch(`${apiUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${token}` } });
  if (!response.ok) throw new Error(`GET /gateway/bot: HTTP ${response.status}`);
  const { shards } = (await response.json()) as { shards?: unknown };
  return typeof shards === 'number' && shards >= 1 ? shards : 1;
}

/**
 * `npm run start:sharded`: one process per shard (discord.js ShardingManager). The index snapshot is built here
 * once, before any shard starts, so every shard loads it instead of rebuilding.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, 'shards');
  const raw = process.env['SHARD_COUNT']?.trim() || 'auto';
  if (raw !== 'auto' && !/^[1-9]\d{0,3}$/.test(raw)) {
    process.stderr.write('Configuration invalide :\n- SHARD_COUNT doit être « auto » ou un entier positif\n');
    process.exit(1);
  }
  const delayRaw = Number(process.env['SHARD_SPAWN_DELAY_MS'] ?? 5500);
  const { report } = await openIndex({ seedsDir: config.seedsDir, dataDir: config.dataDir, log });
  log.info(
    { articles: report.articles.length, fromSnapshot: report.fromSnapshot, saveError: report.saveError },
    'snapshot ready for the shards',
  );
  const totalShards = raw === 'auto' ? await recommendedShards(config.apiUrl, config.token) : Number(raw);
  const manager = new ShardingManager(path.join(here, 'bot.ts'), {
    token: config.token,
    totalShards,
    mode: 'process',
    respawn: true,
    // Shards run the TypeScript entry point through tsx, like `npm start`.
    execArgv: ['--import', 'tsx'],
  });
  // A /reindex on one shard reloads the others: the manager relays the request (src/discord/shard-reload.ts).
  relayShardReloads(manager, log);
  manager.on('shardCreate', (shard) => {
    log.info({ shard: shard.id }, 'shard started');
    shard.on('death', () => log.warn({ shard: shard.id }, 'shard exited; respawning'));
  });
  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping shards');
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await manager.spawn({
    amount: totalShards,
    delay: Number.isFinite(delayRaw) && delayRaw >= 0 ? delayRaw : 5500,
    timeout: 60_000,
  });
  log.info({ shards: totalShards }, 'all shards ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`Démarrage impossible : ${(err as Error).message}\n`);
  process.exit(1);
});
