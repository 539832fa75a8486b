import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { watchSnapshotGeneration } from '../../src/http/index.js';
import { openIndex } from '../../src/index/index.js';
import { IndexHolder } from '../../src/serving/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';

/** Two replicas' holders over one seeds folder and one data folder, as `npm run start:http` twice would have. */
async function twoReplicas(): Promise<{ a: IndexHolder; b: IndexHolder; seedsDir: string; dataDir: string }> {
  const dir = tempDir();
  const seedsDir = path.join(dir, 'seeds');
  mkdirSync(seedsDir);
  for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));
  const dataDir = path.join(dir, 'data');
  const holder = async (): Promise<IndexHolder> => {
    const { index, report } = await openIndex({ seedsDir, dataDir, log: silentLog });
    return new IndexHolder(index, { seedsDir, dataDir, log: silentLog, generation: report.generation });
  };
  return { a: await holder(), b: await holder(), seedsDir, dataDir };
}

const ZORBLAX = 'Le casque Zorblax arrive\n\nLe fabricant Zorblax lance en France un casque audio vendu 79 euros.\n';

describe('a replica following the shared snapshot', () => {
  it('loads the snapshot another replica’s /reindex saved, once', async () => {
    const { a, b, seedsDir, dataDir } = await twoReplicas();
    expect(b.snapshotGeneration).toBe(a.snapshotGeneration);
    const watch = watchSnapshotGeneration({ holder: b, dataDir, log: silentLog, everyMs: 60_000 });
    try {
      expect(await watch.check()).toBe(false);
      writeFileSync(path.join(seedsDir, '003_zorblax.txt'), ZORBLAX);
      expect((await a.reindex()).status).toBe('done');
      expect(await watch.check()).toBe(true);
      expect(b.snapshotGeneration).toBe(a.snapshotGeneration);
      expect(b.current.corpus.articles).toHaveLength(4);
      expect(ask(b.current, 'Combien coûte le casque Zorblax ?').results[0]?.quote).toContain('79 euros');
      expect(await watch.check()).toBe(false);
    } finally {
      await watch.stop();
    }
  });

  it('does not reload the snapshot of its own /reindex', async () => {
    const { a, seedsDir, dataDir } = await twoReplicas();
    const watch = watchSnapshotGeneration({ holder: a, dataDir, log: silentLog, everyMs: 60_000 });
    try {
      writeFileSync(path.join(seedsDir, '003_zorblax.txt'), ZORBLAX);
      expect((await a.reindex()).status).toBe('done');
      const served = a.current;
      expect(await watch.check()).toBe(false);
      expect(a.current).toBe(served);
    } finally {
      await watch.stop();
    }
  });

  it('keeps serving when the snapshot file is gone or damaged', async () => {
    const { b, dataDir } = await twoReplicas();
    const served = b.current;
    const watch = watchSnapshotGeneration({ holder: b, dataDir, log: silentLog, everyMs: 60_000 });
    try {
      for (const f of readdirSync(dataDir)) if (f.endsWith('.bin')) writeFileSync(path.join(dataDir, f), 'abîmé');
      expect(await watch.check()).toBe(false);
      expect(b.current).toBe(served);
    } finally {
      await watch.stop();
    }
  });
});
