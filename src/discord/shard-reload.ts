import { randomUUID } from 'node:crypto';
import type { Client, Shard, ShardingManager } from 'discord.js';
import type { Log } from '../logger.js';

/**
 * After a /reindex on one shard, every shard swaps to the saved snapshot. Shards are separate processes, and the
 * supported channel between them is the IPC discord.js documents: `ShardClientUtil#send` (shard → manager, emitted
 * as `Shard#message`), `Shard#send` (manager → shard, received on the shard's `process` or worker `parentPort`).
 * broadcastEval would need the reload reachable from the client, so instead the manager relays a request:
 *
 *   asking shard ──reload-all──▶ manager ──reload──▶ every shard (the asking one too) ──reloaded──▶ manager
 *   asking shard ◀──reload-results── manager (one result per shard, null when it did not answer in time)
 *
 * Messages carry a `djingo` tag, so discord.js's own IPC messages (`_eval`, `_ready`…) pass by untouched.
 */

/** What one shard did on a reload request. */
export interface ShardReload {
  shard: number;
  reloaded: boolean;
  articles: number;
  error: string | null;
}

/** Every shard's answer, by shard id (null: no answer); `results` is null when the manager could not be reached. */
export interface ShardReloads {
  self: number;
  results: (ShardReload | null)[] | null;
}

type ReloadMessage =
  | { djingo: 'reload-all'; request: string }
  | { djingo: 'reload'; request: string }
  | { djingo: 'reloaded'; request: string; result: ShardReload }
  | { djingo: 'reload-results'; request: string; results: (ShardReload | null)[] };

/** A shard that has not reloaded within this counts as « pas de réponse ». */
const SHARD_TIMEOUT_MS = 60_000;
/** The asking shard waits a little longer than the manager waits for the slowest shard. */
const RELAY_TIMEOUT_MS = SHARD_TIMEOUT_MS + 10_000;

function isReloadMessage<T extends ReloadMessage['djingo']>(
  message: unknown,
  tag: T,
): message is Extract<ReloadMessage, { djingo: T }> {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { djingo?: unknown; request?: unknown };
  return m.djingo === tag && typeof m.request === 'string';
}

/**
 * In a shard process: answers the manager's reload requests with `reload`, and returns how to ask every shard to
 * reload (null when not sharded).
 */
export function serveShardReloads(
  client: Client,
  reload: () => Promise<Omit<ShardReload, 'shard'>>,
  log: Log,
): (() => Promise<ShardReloads>) | null {
  const util = client.shard;
  if (!util) return null;
  const self = util.ids[0] ?? 0;
  // Messages from the manager reach the process (or the worker's parent port), beside discord.js's own listener.
  const port = util.mode === 'worker' ? util.parentPort : process;
  if (!port) return null;
  port.on('message', (message: unknown) => {
    if (!isReloadMessage(message, 'reload')) return;
    reload()
      .then((r) => util.send({ djingo: 'reloaded', request: message.request, result: { shard: self, ...r } }))
      .catch((err: unknown) => log.warn({ err }, 'could not reload or answer the manager'));
  });
  return () =>
    new Promise<ShardReloads>((resolve) => {
      const request = `${self}:${randomUUID()}`;
      const done = (results: (ShardReload | null)[] | null): void => {
        clearTimeout(timer);
        port.off('message', onMessage);
        resolve({ self, results });
      };
      const onMessage = (message: unknown): void => {
        if (isReloadMessage(message, 'reload-results') && message.request === request) done(message.results);
      };
      const timer = setTimeout(() => {
        log.warn({ request }, 'the shard manager did not relay the reload in time');
        done(null);
      }, RELAY_TIMEOUT_MS);
      port.on('message', onMessage);
      util.send({ djingo: 'reload-all', request }).catch((err: unknown) => {
        log.warn({ err }, 'could not reach the other shards after reindex');
        done(null);
      });
    });
}

/** In the manager: relays every shard's « reload all » request to each shard and sends the answers back. */
export function relayShardReloads(manager: ShardingManager, log: Log): void {
  // A respawned shard keeps its Shard object, so one listener per shard is enough.
  manager.on('shardCreate', (from) => {
    from.on('message', (message: unknown) => {
      if (!isReloadMessage(message, 'reload-all')) return;
      const shards = [...manager.shards.values()].sort((a, b) => a.id - b.id);
      Promise.all(shards.map((shard) => askToReload(shard, message.request, log)))
        .then((results) => from.send({ djingo: 'reload-results', request: message.request, results }))
        .catch((err: unknown) => log.warn({ err, shard: from.id }, 'could not send the reload results back'));
    });
  });
}

function askToReload(shard: Shard, request: string, log: Log): Promise<ShardReload | null> {
  return new Promise((resolve) => {
    const done = (result: ShardReload | null): void => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      resolve(result);
    };
    const onMessage = (message: unknown): void => {
      if (isReloadMessage(message, 'reloaded') && message.request === request) done(message.result);
    };
    const timer = setTimeout(() => {
      log.warn({ shard: shard.id }, 'shard did not reload in time');
      done(null);
    }, SHARD_TIMEOUT_MS);
    shard.on('message', onMessage);
    shard.send({ djingo: 'reload', request }).catch((err: unknown) => {
      log.warn({ err, shard: shard.id }, 'could not ask the shard to reload');
      done(null);
    });
  });
}
