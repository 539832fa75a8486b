import { cpSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { openIndex } from '../../src/index/index.js';
import { IndexHolder, REINDEX_MARK_FILE, takeInterruptedReindex } from '../../src/serving/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';

const FILE = '001_cf704c01d8a71904.txt';
const QUESTION = 'Combien coûtait le Speaker Djingo pour les abonnés ?';

/** Two shards on one seeds folder and one data folder: each opens the index as the bot does at start. */
async function twoShards(): Promise<{ a: IndexHolder; b: IndexHolder; seedsDir: string; dataDir: string }> {
  const dir = tempDir('djingo-shards-');
  const seedsDir = path.join(dir, 'seeds');
  const dataDir = path.join(dir, 'data');
  cpSync(SEEDS, seedsDir, { recursive: true });
  const holder = async (): Promise<IndexHolder> => {
    const { index, report } = await openIndex({ seedsDir, dataDir, log: silentLog });
    const { fingerprint, generation } = report;
    return new IndexHolder(index, { seedsDir, dataDir, log: silentLog, fingerprint, generation });
  };
  const a = await holder();
  const b = await holder();
  return { a, b, seedsDir, dataDir };
}

const quotes = (holder: IndexHolder): string[] => ask(holder.current, QUESTION).results.map((r) => r.quote);

describe('shard reloads follow the saved snapshot’s generation', () => {
  it('after a /reindex of a seed edited in place (touch -r), the other shard quotes the new text', async () => {
    const { a, b, seedsDir } = await twoShards();
    expect(a.snapshotGeneration).toBe(b.snapshotGeneration);
    const file = path.join(seedsDir, FILE);
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('99,99 euros', '77,77 euros'));
    utimesSync(file, before.atime, before.mtime);
    expect((await a.reindex()).status).toBe('done');
    expect(quotes(a).some((q) => q.includes('77,77 euros'))).toBe(true);
    const reload = await b.reloadFromSnapshot();
    expect(reload).toMatchObject({ reloaded: true, error: null });
    expect(b.snapshotGeneration).toBe(a.snapshotGeneration);
    expect(quotes(b).some((q) => q.includes('77,77 euros'))).toBe(true);
    // Asked again, the shard sees its own snapshot and does not load it twice.
    expect((await b.reloadFromSnapshot()).reloaded).toBe(false);
  });

  it('reloads a rebuild of the same seeds too: a new snapshot is a new generation', async () => {
    const { a, b } = await twoShards();
    expect((await a.reindex()).status).toBe('done');
    expect(a.snapshotGeneration).not.toBe(b.snapshotGeneration);
    expect((await b.reloadFromSnapshot()).reloaded).toBe(true);
  });
});

describe('an interrupted /reindex', () => {
  it('is noted while it runs and the note is gone once it ends', async () => {
    const { a, seedsDir, dataDir } = await twoShards();
    const mark = path.join(dataDir, REINDEX_MARK_FILE);
    const seen: { exists: boolean; taken: unknown }[] = [];
    // The holder readies the new index before the swap: the reindex is still running then.
    const holder = new IndexHolder(a.current, {
      seedsDir,
      dataDir,
      log: silentLog,
      prepare: async () => {
        // The note of a process still running (this one) is not taken for an interrupted reindex.
        seen.push({ exists: existsSync(mark), taken: await takeInterruptedReindex(dataDir) });
      },
    });
    expect((await holder.reindex()).status).toBe('done');
    expect(seen).toEqual([{ exists: true, taken: null }]);
    expect(existsSync(mark)).toBe(false);
  });

  it('left by a killed process is reported once, then forgotten; a damaged note is dropped', async () => {
    const dataDir = path.join(tempDir('djingo-mark-'), 'data');
    mkdirSync(dataDir, { recursive: true });
    const mark = path.join(dataDir, REINDEX_MARK_FILE);
    // No process has pid 2^22 + 1 on Linux (pid_max is at most 2^22).
    writeFileSync(mark, JSON.stringify({ pid: 4_194_305, startedAt: '2026-12-01T22:00:00.000Z' }));
    expect(await takeInterruptedReindex(dataDir)).toEqual({ pid: 4_194_305, startedAt: '2026-12-01T22:00:00.000Z' });
    expect(await takeInterruptedReindex(dataDir)).toBeNull();
    writeFileSync(mark, '{ not json');
    expect(await takeInterruptedReindex(dataDir)).toBeNull();
    expect(existsSync(mark)).toBe(false);
  });
});
