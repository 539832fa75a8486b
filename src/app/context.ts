import { setImmediate } from 'node:timers/promises';
import type { REST } from 'discord.js';
import type { Logger } from 'pino';
import { prepareCandidates } from '../answer/index.js';
import { sameTopics, type TopicDefinition } from '../corpus/index.js';
import type { BotConfig } from '../config.js';
import { Cooldown, type BotContext, type CommandsUpdate, type ShardReloads } from '../discord/index.js';
import { openIndex, seedsChangedSince, type IndexReport } from '../index/index.js';
import { warmFrenchWords } from '../language/index.js';
import {
  IndexHolder,
  takeInterruptedReindex,
  type RebuildProgress,
  type ReindexMark,
  type ReindexOutcome,
} from '../serving/index.js';
import { openStats, type StatsStore } from '../stats/index.js';
import { warmSuggestionsInSlices } from '../suggest/index.js';
import { registerCommands } from './register.js';

/**
 * What every way of running the bot serves from (gateway, shards, HTTP replicas): the index, opened from the
 * snapshot or built, in its holder; `warmed` settles once the caches a first question would otherwise pay for are
 * made (meanwhile, the caller connects).
 */
export async function openServing(
  config: BotConfig,
  log: Logger,
): Promise<{ holder: IndexHolder; report: IndexReport; interrupted: ReindexMark | null; warmed: Promise<void> }> {
  // A /reindex this process's predecessor never finished (killed mid-way): said once.
  const interrupted = await takeInterruptedReindex(config.dataDir);
  if (interrupted)
    log.warn({ pid: interrupted.pid, startedAt: interrupted.startedAt }, 'an earlier reindex was interrupted');
  // A large snapshot serves at once; its seeds folder is checked once serving (checkSeedsAfterStart).
  const { index, report } = await openIndex({
    seedsDir: config.seedsDir,
    dataDir: config.dataDir,
    log,
    checkSeedsLater: true,
  });
  const { articles, rejected, fromSnapshot, timings } = report;
  log.info({ articles: articles.length, rejected: rejected.length, fromSnapshot, ms: timings.totalMs }, 'index ready');
  // What a first question or autocomplete would otherwise pay for (at 100,000 articles, phrases 1.1 s, the scan's
  // arrays 0.15 s, the French word list 0.2 s) is made while the bot connects, phrases a slice per turn of the
  // loop; a question or autocomplete that comes first makes what it needs itself.
  const warmed = (async () => {
    try {
      // Each on a later turn than the caller's, which connects meanwhile; what every question needs first.
      await setImmediate();
      prepareCandidates(index);
      await warmSuggestionsInSlices(index);
      warmFrenchWords();
    } catch (err) {
      log.error({ err }, 'start-up caches not made; the first questions make them');
    }
  })();
  const holder = new IndexHolder(index, {
    seedsDir: config.seedsDir,
    dataDir: config.dataDir,
    log,
    fingerprint: report.fingerprint,
    generation: report.generation,
    prepare: warmSuggestionsInSlices,
  });
  return { holder, report, interrupted, warmed };
}

/**
 * The seeds folder of an index served unchecked (`report.seedsChecked` false: a large snapshot, served before the
 * folder's scan), read on a thread beside the serving: when it changed since the snapshot, it is reindexed as
 * /reindex does (the saved index answers meanwhile; a reindex already running, here or on another replica, is the
 * one; an index swapped in since the start, by a reindex or a reload, already stands for a later folder). Never
 * throws: a folder that cannot be read, or a reindex that fails, is logged, and the saved index goes on serving.
 */
export async function checkSeedsAfterStart(
  ctx: { reindex: BotContext['reindex']; holder: Pick<IndexHolder, 'snapshotGeneration'> },
  config: Pick<BotConfig, 'seedsDir' | 'dataDir'>,
  report: Pick<IndexReport, 'seedsChecked' | 'fingerprint' | 'generation'>,
  log: Pick<Logger, 'info' | 'warn' | 'error'>,
): Promise<'checked' | 'unchanged' | 'unreadable' | 'superseded' | ReindexOutcome['status']> {
  if (report.seedsChecked) return 'checked';
  let changed: boolean;
  try {
    const { seedsDir, dataDir } = config;
    changed = await seedsChangedSince({ seedsDir, dataDir, log }, report.fingerprint);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'seeds folder not checked after start; the saved index serves');
    return 'unreadable';
  }
  if (!changed) {
    log.info('seeds folder unchanged since the snapshot');
    return 'unchanged';
  }
  if (ctx.holder.snapshotGeneration !== report.generation) {
    log.info('seeds changed since the snapshot, which another index has replaced since the start');
    return 'superseded';
  }
  log.warn('seeds changed since the snapshot: reindexing while the saved index serves');
  try {
    const { outcome } = await ctx.reindex();
    log.info({ status: outcome.status }, 'start-up reindex ended');
    return outcome.status;
  } catch (err) {
    log.error({ err: (err as Error).message }, 'start-up reindex failed; the saved index serves');
    return 'failed';
  }
}

/** The statistics database, or null when it cannot be opened: /stats then says so, and answering goes on. */
export function openStatsOrNull(config: BotConfig, log: Logger): StatsStore | null {
  try {
    return openStats({ dataDir: config.dataDir, retentionDays: config.statsRetentionDays, log });
  } catch (err) {
    log.error({ err: (err as Error).message }, 'statistics database not opened; /stats is unavailable');
    return null;
  }
}

export type CommandsUpdater = (
  before: readonly TopicDefinition[],
  after: readonly TopicDefinition[],
) => Promise<CommandsUpdate>;

/** A rebuild changed the topics: the commands are registered again, as `npm run deploy` would. */
export function commandsUpdater(rest: REST, config: BotConfig, log: Logger): CommandsUpdater {
  return async (before, after) => {
    const added = after.filter((t) => !before.some((b) => b.name === t.name)).map((t) => t.name);
    const removed = before.filter((t) => !after.some((a) => a.name === t.name)).map((t) => t.name);
    try {
      const saved = await registerCommands(rest, config, after);
      log.info({ ...saved, added, removed }, 'commands registered again (topics changed)');
      return { status: 'registered', ...saved, added, removed };
    } catch (err) {
      log.warn({ err }, 'commands not registered again');
      const error = (err as Error).message.split(config.token).join('[redacted]');
      return { status: 'failed', error, added, removed };
    }
  };
}

export interface ContextParts {
  config: BotConfig;
  holder: IndexHolder;
  log: Logger;
  stats: StatsStore | null;
  rawMember: BotContext['rawMember'];
  updateCommands: CommandsUpdater;
  /** The rebuild itself (default: the holder's); HTTP replicas hold a lock in DATA_DIR around it. */
  rebuild?: (options: { onProgress?: (p: RebuildProgress) => void }) => Promise<ReindexOutcome>;
  /** After a rebuild here, the other processes reload and say so (sharded); none by default. */
  reloadOthers?: (() => Promise<ShardReloads>) | null;
}

/** What every handler gets, the same whichever way interactions arrive. */
export function botContext(parts: ContextParts): BotContext {
  const { config, holder, log, updateCommands } = parts;
  const rebuild = parts.rebuild ?? ((options) => holder.reindex(options));
  return {
    holder,
    rawMember: parts.rawMember,
    moderatorRoleId: config.moderatorRoleId,
    log,
    cooldown: new Cooldown(config.cooldownSeconds),
    stats: parts.stats,
    add: { seedsDir: config.seedsDir, allowPrivateFetch: config.allowPrivateFetch },
    async reindex(options = {}) {
      const before = holder.current.corpus.topics;
      const outcome = await rebuild(options);
      if (outcome.status !== 'done') return { outcome, shards: null, commands: null };
      const shards = parts.reloadOthers ? await parts.reloadOthers() : null;
      const after = holder.current.corpus.topics;
      return { outcome, shards, commands: sameTopics(before, after) ? null : await updateCommands(before, after) };
    },
  };
}
