/**
 * A large snapshot is served at start without waiting for the seeds folder's scan (the threshold lowered here so
 * that the bundled seeds count as large), then the folder is checked: changed, it is reindexed as /reindex does;
 * unchanged, nothing more happens; unreadable, it is logged and the saved index goes on serving.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkSeedsAfterStart } from '../../src/app/context.js';
import { openIndex, seedsChangedSince } from '../../src/index/index.js';
import type { ReindexOutcome } from '../../src/serving/index.js';
import { seedsCopy, silentLog } from '../helpers.js';

const NEW_SEED = 'Le casque Zorblax arrive\n\nLe fabricant Zorblax lance un casque audio vendu 79 euros en France.\n';

/** A log that keeps each line's message. */
function capturingLog() {
  const messages: string[] = [];
  const line = (a: unknown, b?: unknown): void => void messages.push(String(typeof a === 'string' ? a : b));
  return { log: { info: line, warn: line, error: line }, messages };
}

const done: ReindexOutcome = {
  status: 'done',
  report: {
    before: 3,
    after: 3,
    added: [],
    changed: [],
    removed: [],
    rejected: [],
    durationMs: 1,
    buildMs: 1,
    loadMs: 0,
    saveError: null,
  },
};

describe('seeds checked after start', () => {
  it('serves a large snapshot unchecked, and tells a changed folder from an unchanged one', async () => {
    const dirs = seedsCopy();
    const first = await openIndex({ ...dirs, log: silentLog });
    expect(first.report.seedsChecked).toBe(true);
    writeFileSync(path.join(dirs.seedsDir, '003_new.txt'), NEW_SEED);
    // Small snapshots are checked before they serve: the new seed is built at once.
    const small = await openIndex({ ...dirs, log: silentLog, checkSeedsLater: true });
    expect(small.report.fromSnapshot).toBe(false);
    expect(small.report.seedsChecked).toBe(true);
    rmSync(path.join(dirs.seedsDir, '003_new.txt'));
    const later = { ...dirs, log: silentLog, checkSeedsLater: true, largeSnapshotBytes: 0 };
    // The snapshot now holds the new seed, which is gone from the folder: served as saved, unchecked.
    const served = await openIndex(later);
    expect(served.report.fromSnapshot).toBe(true);
    expect(served.report.seedsChecked).toBe(false);
    expect(served.report.articles.map((a) => a.file)).toContain('003_new.txt');
    expect(await seedsChangedSince(dirs, served.report.fingerprint)).toBe(true);
    writeFileSync(path.join(dirs.seedsDir, '003_new.txt'), NEW_SEED);
    expect(await seedsChangedSince(dirs, served.report.fingerprint)).toBe(false);
  });

  it('reindexes a changed folder once serving, and only then', async () => {
    const dirs = seedsCopy();
    const { report } = await openIndex({ ...dirs, log: silentLog });
    const unchecked = { seedsChecked: false, fingerprint: report.fingerprint, generation: report.generation };
    const reindex = vi.fn(async () => ({ outcome: done, shards: null, commands: null }));
    const ctx = { reindex, holder: { snapshotGeneration: report.generation } };
    const { log, messages } = capturingLog();
    expect(await checkSeedsAfterStart(ctx, dirs, unchecked, log)).toBe('unchanged');
    expect(reindex).not.toHaveBeenCalled();
    expect(await checkSeedsAfterStart(ctx, dirs, { ...unchecked, seedsChecked: true }, log)).toBe('checked');
    writeFileSync(path.join(dirs.seedsDir, '003_new.txt'), NEW_SEED);
    // Another index swapped in since the start (a /reindex, another replica's): it stands for the later folder.
    const swapped = { reindex, holder: { snapshotGeneration: 'a later one' } };
    expect(await checkSeedsAfterStart(swapped, dirs, unchecked, log)).toBe('superseded');
    expect(reindex).not.toHaveBeenCalled();
    expect(await checkSeedsAfterStart(ctx, dirs, unchecked, log)).toBe('done');
    expect(reindex).toHaveBeenCalledTimes(1);
    expect(messages).toContain('seeds changed since the snapshot: reindexing while the saved index serves');
    // A reindex that throws is said as such, not as a folder that could not be read.
    const failing = { reindex: vi.fn(async () => Promise.reject(new Error('EACCES'))), holder: ctx.holder };
    expect(await checkSeedsAfterStart(failing, dirs, unchecked, log)).toBe('failed');
    expect(messages).toContain('start-up reindex failed; the saved index serves');
  });

  it('logs a folder it cannot read, and throws nothing', async () => {
    const dirs = seedsCopy();
    const { report } = await openIndex({ ...dirs, log: silentLog });
    rmSync(dirs.seedsDir, { recursive: true });
    const reindex = vi.fn(async () => ({ outcome: done, shards: null, commands: null }));
    const { log, messages } = capturingLog();
    const status = await checkSeedsAfterStart(
      { reindex, holder: { snapshotGeneration: report.generation } },
      dirs,
      { seedsChecked: false, fingerprint: report.fingerprint, generation: report.generation },
      log,
    );
    expect(status).toBe('unreadable');
    expect(reindex).not.toHaveBeenCalled();
    expect(messages).toContain('seeds folder not checked after start; the saved index serves');
  });
});
