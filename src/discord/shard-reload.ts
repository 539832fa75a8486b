import { randomUUID } from 'node:crypto';
import type { Log } from '../logger.js';

/**
 * After a /reindex in one bot process, every other bot process swaps to the saved snapshot. The shards of one
 * process share its one index, so this is needed only when `npm run start:sharded` runs several processes
 * (SHARDS_PER_PROCESS): the launcher forks them with an IPC channel (`child_process.fork`) and relays a request:
 *
 *   asking process ──reload-all──▶ launcher ──reload──▶ every process (the asking one too) ──reloaded──▶ launcher
 *   asking process ◀──reload-results── launcher (one result per shard, null when its process did not answer)
 *
 * Messages carry a `djingo` tag, so other messages on the channel (the launcher's `ready`) pass by untouched.
 */

/** What the process serving one shard did on a reload request. */
export interface ShardReload {
  shard: number;
  /** Every shard of that process: they share its index, so they share this answer. */
  shards: readonly number[];
  reloaded: boolean;
  articles: number;
  error: string | null;
}

/**
 * Every shard's answer, by shard id (null: its process did not answer); `results` is null when the launcher could
 * not be reached. `self` is the asking process's first shard; `processes` lists each process's shard ids.
 */
export interface ShardReloads {
  self: number;
  results: (ShardReload | null)[] | null;
  processes?: readonly (readonly number[])[];
}

/** What a process's reload did, before the relay says which shards it serves. */
export type ProcessReload = Omit<ShardReload, 'shard' | 'shards'>;

/**
 * One end of a Node IPC channel: a forked child's `process`, or the launcher's stand-in for one child process.
 * `send` is missing when the process has no channel.
 */
export interface IpcEnd {
  send?: ((message: unknown, callback: (error: Error | null) => void) => boolean) | undefined;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A bot process as the launcher sees it: its shard ids and its IPC channel. */
export interface ShardProcess extends IpcEnd {
  readonly shards: readonly number[];
}

type ReloadMessage =
  | { djingo: 'reload-all'; request: string }
  | { djingo: 'reload'; request: string }
  | { djingo: 'reloaded'; request: string; result: ProcessReload }
  | { djingo: 'reload-results'; request: string; results: (ShardReload | null)[]; processes: number[][] };

/** A process that has not reloaded within this counts as « pas de réponse ». */
const PROCESS_TIMEOUT_MS = 60_000;
/** The asking process waits a little longer than the launcher waits for the slowest process. */
const RELAY_TIMEOUT_MS = PROCESS_TIMEOUT_MS + 10_000;

function isReloadMessage<T extends ReloadMessage['djingo']>(
  message: unknown,
  tag: T,
): message is Extract<ReloadMessage, { djingo: T }> {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { djingo?: unknown; request?: unknown };
  return m.djingo === tag && typeof m.request === 'string';
}

/** Sends on an IPC channel; rejects when the channel is missing or closed. */
export function sendOver(end: IpcEnd, message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!end.send) {
      reject(new Error('no IPC channel'));
      return;
    }
    try {
      end.send(message, (err) => (err ? reject(err) : resolve()));
    } catch (err) {
      reject(err as Error);
    }
  });
}

/**
 * In a bot process forked by the launcher: answers the launcher's reload requests with `reload`, and returns how
 * to ask every process to reload (null without a channel to a launcher).
 */
export function serveShardReloads(
  parent: IpcEnd | null,
  shards: readonly number[],
  reload: () => Promise<ProcessReload>,
  log: Log,
): (() => Promise<ShardReloads>) | null {
  if (!parent?.send) return null;
  const self = shards[0] ?? 0;
  parent.on('message', (message: unknown) => {
    if (!isReloadMessage(message, 'reload')) return;
    reload()
      .then((result) => sendOver(parent, { djingo: 'reloaded', request: message.request, result }))
      .catch((err: unknown) => log.warn({ err }, 'could not reload or answer the launcher'));
  });
  return () =>
    new Promise<ShardReloads>((resolve) => {
      const request = `${self}:${randomUUID()}`;
      const done = (results: (ShardReload | null)[] | null, processes?: number[][]): void => {
        clearTimeout(timer);
        parent.off('message', onMessage);
        resolve(processes ? { self, results, processes } : { self, results });
      };
      const onMessage = (message: unknown): void => {
        if (isReloadMessage(message, 'reload-results') && message.request === request)
          done(message.results, message.processes);
      };
      const timer = setTimeout(() => {
        log.warn({ request }, 'the launcher did not relay the reload in time');
        done(null);
      }, RELAY_TIMEOUT_MS);
      parent.on('message', onMessage);
      sendOver(parent, { djingo: 'reload-all', request }).catch((err: unknown) => {
        log.warn({ err }, 'could not reach the other processes after reindex');
        done(null);
      });
    });
}

/**
 * In the launcher: relays every process's « reload all » request to each process and sends the answers back, one
 * per shard. `processes` are stable stand-ins (a respawned child keeps its slot), so one listener each is enough.
 */
export function relayShardReloads(processes: readonly ShardProcess[], shardCount: number, log: Log): void {
  const layout = processes.map((p) => [...p.shards]);
  for (const from of processes) {
    from.on('message', (message: unknown) => {
      if (!isReloadMessage(message, 'reload-all')) return;
      Promise.all(processes.map((p) => askToReload(p, message.request, log)))
        .then((answers) => {
          const results: (ShardReload | null)[] = Array.from({ length: shardCount }, () => null);
          answers.forEach((answer, i) => {
            const { shards } = processes[i]!;
            if (answer) for (const shard of shards) results[shard] = { shard, shards: [...shards], ...answer };
          });
          return sendOver(from, { djingo: 'reload-results', request: message.request, results, processes: layout });
        })
        .catch((err: unknown) => log.warn({ err, shards: from.shards }, 'could not send the reload results back'));
    });
  }
}

function askToReload(target: ShardProcess, request: string, log: Log): Promise<ProcessReload | null> {
  return new Promise((resolve) => {
    const done = (result: ProcessReload | null): void => {
      clearTimeout(timer);
      target.off('message', onMessage);
      resolve(result);
    };
    const onMessage = (message: unknown): void => {
      if (isReloadMessage(message, 'reloaded') && message.request === request) done(message.result);
    };
    const timer = setTimeout(() => {
      log.warn({ shards: target.shards }, 'shard process did not reload in time');
      done(null);
    }, PROCESS_TIMEOUT_MS);
    target.on('message', onMessage);
    sendOver(target, { djingo: 'reload', request }).catch((err: unknown) => {
      log.warn({ err, shards: target.shards }, 'could not ask the shard process to reload');
      done(null);
    });
  });
}
