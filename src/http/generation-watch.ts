import { peekSnapshotGeneration } from '../index/index.js';
import type { Log } from '../logger.js';
import type { IndexHolder } from '../serving/index.js';

/** How often a replica looks at the saved snapshot's generation (a few hundred bytes of header). */
export const GENERATION_POLL_MS = 1_000;

export interface GenerationWatch {
  /** One look now: whether the index was swapped. */
  check(): Promise<boolean>;
  /** Stops looking, after the look under way if any. */
  stop(): Promise<void>;
}

/**
 * Keeps a replica's index on the snapshot the replicas share in DATA_DIR: when the saved snapshot's generation
 * changes (a /reindex on another replica), the holder loads it, a slice at a time, while this replica answers from
 * the old index. The generation, not the seeds' fingerprint: a rebuild of the same files is a new snapshot too.
 * Only a change from the generation last seen on disk counts, not a difference from the one served: a reindex here
 * whose snapshot could not be saved serves from memory, and must not be undone by the older file. A look is skipped
 * while this replica rebuilds (it saves its own snapshot at the end).
 */
export function watchSnapshotGeneration(options: {
  holder: IndexHolder;
  dataDir: string;
  log: Log;
  everyMs?: number;
}): GenerationWatch {
  const { holder, dataDir, log } = options;
  let seen = holder.snapshotGeneration;
  let stopped = false;
  let running: Promise<boolean> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const look = async (): Promise<boolean> => {
    if (holder.reindexing) return false;
    const saved = await peekSnapshotGeneration(dataDir);
    if (saved === null || saved === seen) return false;
    const result = await holder.reloadFromSnapshot();
    // A rebuild started meanwhile wins (reloadFromSnapshot leaves it alone): look again next time.
    if (holder.reindexing && !result.reloaded) return false;
    seen = saved;
    if (result.error) log.warn({ err: result.error }, 'shared snapshot not reloaded; the current index keeps serving');
    else if (result.reloaded) log.info({ articles: result.articles }, 'index reloaded from the shared snapshot');
    return result.reloaded;
  };
  const check = (): Promise<boolean> => {
    running ??= look()
      .catch((err: unknown) => {
        log.warn({ err: (err as Error)?.message ?? String(err) }, 'snapshot generation not checked');
        return false;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void check().finally(schedule), options.everyMs ?? GENERATION_POLL_MS);
    timer.unref();
  };
  schedule();
  return {
    check,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
