import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { IndexHolder } from '../../src/serving/index-holder.js';
import { openIndex, readSnapshot, type SearchIndex } from '../../src/index/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';

async function holderOnCopy(): Promise<{ holder: IndexHolder; seedsDir: string; dataDir: string }> {
  const dir = tempDir();
  const seedsDir = path.join(dir, 'seeds');
  mkdirSync(seedsDir);
  for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));
  const dataDir = path.join(dir, 'data');
  const { index, report } = await openIndex({ seedsDir, dataDir, log: silentLog });
  return {
    holder: new IndexHolder(index, {
      seedsDir,
      dataDir,
      log: silentLog,
      fingerprint: report.fingerprint,
      generation: report.generation,
    }),
    seedsDir,
    dataDir,
  };
}

const ZORBLAX =
  'Le casque Zorblax arrive\n\n' +
  'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, avec quarante heures d’autonomie.\n';

describe('reindexing beside the serving index', () => {
  it('swaps in the new index at once, reports the changes and saves the snapshot', async () => {
    const { holder, seedsDir, dataDir } = await holderOnCopy();
    const before = holder.current;
    writeFileSync(path.join(seedsDir, '003_zorblax.txt'), ZORBLAX);
    writeFileSync(
      path.join(seedsDir, '000_5d6ddc25be53b1ea.txt'),
      ' date 2020-10\n\nTitre changé\n\nUn nouveau texte sur l’enceinte Djingo d’Orange, vendue 149 euros.\n',
    );
    const pending = holder.reindex();
    expect(holder.reindexing).toBe(true);
    expect(await holder.reindex()).toEqual({ status: 'busy' });
    // Until the rebuild completes, questions are answered from the old index.
    expect(holder.current).toBe(before);
    const outcome = await pending;
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.report).toMatchObject({
      before: 3,
      after: 4,
      added: ['003_zorblax.txt'],
      changed: ['000_5d6ddc25be53b1ea.txt'],
      removed: [],
      saveError: null,
    });
    expect(ask(holder.current, 'Combien coûte le casque Zorblax ?').results[0]?.quote).toContain('79 euros');
    const saved = await readSnapshot(dataDir);
    expect(saved.ok && saved.index.corpus.articles.length).toBe(4);
  });

  it('readies the new index before it serves, while the old one still answers', async () => {
    const { holder, seedsDir, dataDir } = await holderOnCopy();
    const before = holder.current;
    writeFileSync(path.join(seedsDir, '003_zorblax.txt'), ZORBLAX);
    const prepared: SearchIndex[] = [];
    const prepping = new IndexHolder(before, {
      seedsDir,
      dataDir,
      log: silentLog,
      prepare: async (index) => {
        expect(prepping.current).toBe(before);
        prepared.push(index);
      },
    });
    expect((await prepping.reindex()).status).toBe('done');
    expect(prepared).toHaveLength(1);
    expect(prepping.current).toBe(prepared[0]);
    expect(holder.current).toBe(before);
  });

  it('keeps the old index when the seeds folder is gone or holds nothing readable', async () => {
    const { holder, seedsDir } = await holderOnCopy();
    const before = holder.current;
    renameSync(seedsDir, `${seedsDir}-away`);
    const missing = await holder.reindex();
    expect(missing).toEqual({ status: 'failed', error: 'dossier des articles introuvable' });
    mkdirSync(seedsDir);
    writeFileSync(path.join(seedsDir, 'empty.txt'), '');
    const empty = await holder.reindex();
    expect(empty.status).toBe('failed');
    expect(holder.current).toBe(before);
    expect(ask(holder.current, 'Combien coûtait l’enceinte Djingo ?').answered).toBe(true);
  });

  it('other processes (shards) pick up a new snapshot, once', async () => {
    const a = await holderOnCopy();
    const { index, report } = await openIndex({ seedsDir: a.seedsDir, dataDir: a.dataDir, log: silentLog });
    const other = new IndexHolder(index, {
      seedsDir: a.seedsDir,
      dataDir: a.dataDir,
      fingerprint: report.fingerprint,
      generation: report.generation,
    });
    expect((await other.reloadFromSnapshot()).reloaded).toBe(false);
    writeFileSync(path.join(a.seedsDir, '003_zorblax.txt'), ZORBLAX);
    expect((await a.holder.reindex()).status).toBe('done');
    expect(await other.reloadFromSnapshot()).toMatchObject({ reloaded: true, articles: 4 });
    expect((await other.reloadFromSnapshot()).reloaded).toBe(false);
  });

  it('a shard readies the snapshot it reloads before serving it, and concurrent reloads share one load', async () => {
    const a = await holderOnCopy();
    const { index, report } = await openIndex({ seedsDir: a.seedsDir, dataDir: a.dataDir, log: silentLog });
    const prepared: SearchIndex[] = [];
    const other = new IndexHolder(index, {
      seedsDir: a.seedsDir,
      dataDir: a.dataDir,
      fingerprint: report.fingerprint,
      generation: report.generation,
      prepare: async (next) => {
        expect(other.current).toBe(index);
        prepared.push(next);
      },
    });
    writeFileSync(path.join(a.seedsDir, '003_zorblax.txt'), ZORBLAX);
    expect((await a.holder.reindex()).status).toBe('done');
    const [first, second] = await Promise.all([other.reloadFromSnapshot(), other.reloadFromSnapshot()]);
    expect(first).toMatchObject({ reloaded: true, articles: 4 });
    expect(second).toBe(first);
    expect(prepared).toHaveLength(1);
    expect(other.current).toBe(prepared[0]);
  });

  it('a new index that cannot be readied still serves, with a warning', async () => {
    const { holder, seedsDir, dataDir } = await holderOnCopy();
    writeFileSync(path.join(seedsDir, '003_zorblax.txt'), ZORBLAX);
    const warnings: object[] = [];
    const failing = new IndexHolder(holder.current, {
      seedsDir,
      dataDir,
      log: { info: () => {}, warn: (o) => warnings.push(o) },
      prepare: () => Promise.reject(new Error('no phrases today')),
    });
    expect((await failing.reindex()).status).toBe('done');
    expect(failing.current).not.toBe(holder.current);
    expect(ask(failing.current, 'Combien coûte le casque Zorblax ?').results[0]?.quote).toContain('79 euros');
    expect(warnings).toEqual([{ err: 'no phrases today' }]);
  });
});
