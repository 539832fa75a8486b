import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayShardReloads, serveShardReloads, shardReloadLine, type ShardReloads } from '../../src/discord/index.js';
import type { IpcEnd, ProcessReload, ShardProcess } from '../../src/discord/shard-reload.js';

type Reload = () => Promise<ProcessReload>;
const log = { info: vi.fn(), warn: vi.fn() };
/** IPC serializes messages and delivers them later, never within the sender's call. */
const deliver = (to: EventEmitter, message: unknown): void => {
  void Promise.resolve().then(() => to.emit('message', structuredClone(message)));
};

/**
 * Bot processes as the launcher sees them (a stand-in per process: `send`, `message` events) wired to the processes'
 * own ends of their IPC channels, as a forked child's `process` is. `reloads` holds one reload per process.
 */
function cluster(
  reloads: Reload[],
  shardsPerProcess = 1,
  launcherReachable = true,
): ((() => Promise<ShardReloads>) | null)[] {
  const ends = reloads.map((_, i) => {
    const shards = Array.from({ length: shardsPerProcess }, (_, j) => i * shardsPerProcess + j);
    const child = new EventEmitter();
    const slot = Object.assign(new EventEmitter(), {
      shards,
      send: (message: unknown, callback: (error: Error | null) => void) => {
        deliver(child, message);
        callback(null);
        return true;
      },
    });
    Object.assign(child, {
      send: (message: unknown, callback: (error: Error | null) => void) => {
        if (!launcherReachable) throw new Error('channel closed');
        deliver(slot, message);
        callback(null);
        return true;
      },
    });
    return { shards, slot: slot as ShardProcess, child: child as EventEmitter & IpcEnd };
  });
  relayShardReloads(
    ends.map((e) => e.slot),
    reloads.length * shardsPerProcess,
    log,
  );
  return ends.map(({ child, shards }, i) => serveShardReloads(child, shards, reloads[i]!, log));
}

const done =
  (reloaded: boolean): Reload =>
  async () => ({ reloaded, articles: 4, error: null });

afterEach(() => {
  vi.useRealTimers();
});

describe('reload every bot process after a reindex (IPC through the launcher)', () => {
  it('is not offered without a channel to a launcher', () => {
    expect(serveShardReloads(null, [0], done(false), log)).toBeNull();
    const noChannel = Object.assign(new EventEmitter(), { send: undefined });
    expect(serveShardReloads(noChannel, [0, 1], done(false), log)).toBeNull();
  });

  it('asks every process, the asking one too, and reports each by shard id', async () => {
    const [first] = cluster([done(false), done(true)]);
    const reloads = await first!();
    expect(reloads).toEqual({
      self: 0,
      results: [
        { shard: 0, shards: [0], reloaded: false, articles: 4, error: null },
        { shard: 1, shards: [1], reloaded: true, articles: 4, error: null },
      ],
      processes: [[0], [1]],
    });
    expect(shardReloadLine(reloads)).toBe(
      'Shards\u202f: shard 0\u202f: 4 articles (réindexé ici) · shard 1\u202f: 4 articles (index rechargé)',
    );
  });

  it('gives each shard of a process that process’s answer: its shards share one index', async () => {
    const [, second] = cluster([done(true), done(false)], 2);
    const reloads = await second!();
    expect(reloads.self).toBe(2);
    expect(reloads.processes).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(reloads.results?.map((r) => [r?.shard, r?.shards, r?.reloaded])).toEqual([
      [0, [0, 1], true],
      [1, [0, 1], true],
      [2, [2, 3], false],
      [3, [2, 3], false],
    ]);
  });

  it('reports the shards of a process that does not answer in time, and still answers for the others', async () => {
    vi.useFakeTimers();
    const [, second] = cluster([() => new Promise(() => {}), done(true)]);
    const pending = second!();
    await vi.advanceTimersByTimeAsync(60_000);
    const reloads = await pending;
    expect(shardReloadLine(reloads)).toBe(
      'Shards\u202f: shard 0\u202f: pas de réponse · shard 1\u202f: 4 articles (réindexé ici)',
    );
  });

  it('says the other processes keep their index when the launcher cannot be reached', async () => {
    const [first] = cluster([done(false), done(true)], 1, false);
    const reloads = await first!();
    expect(reloads).toEqual({ self: 0, results: null });
    expect(shardReloadLine(reloads)).toMatch(/n’ont pas pu être joints/);
  });
});
