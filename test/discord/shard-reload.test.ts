import { EventEmitter } from 'node:events';
import type { Client, ShardingManager } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  relayShardReloads,
  serveShardReloads,
  shardReloadLine,
  type ShardReload,
  type ShardReloads,
} from '../../src/discord/index.js';

type Reload = () => Promise<Omit<ShardReload, 'shard'>>;
const log = { info: vi.fn(), warn: vi.fn() };
/** IPC serializes messages and delivers them later, never within the sender's call. */
const deliver = (to: EventEmitter, message: unknown): void => {
  void Promise.resolve().then(() => to.emit('message', structuredClone(message)));
};

/**
 * Shards as the ShardingManager sees them (`Shard`: `send`, `message` events) wired to shard processes as
 * `ShardClientUtil` sees them (worker mode: messages arrive on `parentPort`).
 */
function cluster(reloads: Reload[], managerReachable = true): ((() => Promise<ShardReloads>) | null)[] {
  const manager = Object.assign(new EventEmitter(), { shards: new Map<number, EventEmitter>() });
  relayShardReloads(manager as unknown as ShardingManager, log);
  return reloads.map((reload, id) => {
    const port = new EventEmitter();
    const shard = Object.assign(new EventEmitter(), {
      id,
      send: async (message: unknown) => (deliver(port, message), shard),
    });
    manager.shards.set(id, shard);
    manager.emit('shardCreate', shard);
    const util = {
      ids: [id],
      mode: 'worker',
      parentPort: port,
      send: async (message: unknown) => {
        if (!managerReachable) throw new Error('channel closed');
        deliver(shard, message);
      },
    };
    return serveShardReloads({ shard: util } as unknown as Client, reload, log);
  });
}

const done =
  (reloaded: boolean): Reload =>
  async () => ({ reloaded, articles: 4, error: null });

afterEach(() => {
  vi.useRealTimers();
});

describe('reload every shard after a reindex (IPC through the manager)', () => {
  it('is not offered without sharding', () => {
    expect(serveShardReloads({ shard: null } as unknown as Client, done(false), log)).toBeNull();
  });

  it('asks every shard, the asking one too, and reports each by shard id', async () => {
    const [first] = cluster([done(false), done(true)]);
    const reloads = await first!();
    expect(reloads).toEqual({
      self: 0,
      results: [
        { shard: 0, reloaded: false, articles: 4, error: null },
        { shard: 1, reloaded: true, articles: 4, error: null },
      ],
    });
    expect(shardReloadLine(reloads)).toBe(
      'Shards\u202f: shard 0\u202f: 4 articles (réindexé ici) · shard 1\u202f: 4 articles (index rechargé)',
    );
  });

  it('reports a shard that does not answer in time, and still answers for the others', async () => {
    vi.useFakeTimers();
    const [, second] = cluster([() => new Promise(() => {}), done(true)]);
    const pending = second!();
    await vi.advanceTimersByTimeAsync(60_000);
    const reloads = await pending;
    expect(shardReloadLine(reloads)).toBe(
      'Shards\u202f: shard 0\u202f: pas de réponse · shard 1\u202f: 4 articles (réindexé ici)',
    );
  });

  it('says the other shards keep their index when the manager cannot be reached', async () => {
    const [first] = cluster([done(false), done(true)], false);
    const reloads = await first!();
    expect(reloads).toEqual({ self: 0, results: null });
    expect(shardReloadLine(reloads)).toMatch(/n’ont pas pu être joints/);
  });
});
