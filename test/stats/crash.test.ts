import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStats, STATS_FILE } from '../../src/stats/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATS_MODULE = path.join(ROOT, 'src', 'stats', 'index.ts');

/**
 * A child process (tsx, as `npm start` runs the bot) that opens the store, records N questions named
 * `<PREFIX> <i>`, prints "done", then keeps recording `<PREFIX> extra <i>` until it is killed.
 */
const CHILD = `
const { pathToFileURL } = await import('node:url');
const { openStats } = await import(pathToFileURL(process.env.STATS_MODULE).href);
const store = openStats({
  dataDir: process.env.STATS_DIR,
  retentionDays: 90,
  log: { warn: (obj, msg) => console.error(msg, obj) },
});
const n = Number(process.env.N);
const prefix = process.env.PREFIX;
const ask = (question) => store.recordQuestion({ question, topic: null, outcome: 'unanswered', quoted: null });
for (let i = 0; i < n; i++) ask(prefix + ' ' + i);
process.stdout.write('done\\n');
if (process.env.THEN_EXIT) { store.close(); process.exit(0); }
let extra = 0;
const more = () => { for (let k = 0; k < 20; k++) ask(prefix + ' extra ' + extra++); setImmediate(more); };
more();
`;

function spawnChild(dataDir: string, n: number, prefix: string, thenExit = false): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      STATS_MODULE,
      STATS_DIR: dataDir,
      N: String(n),
      PREFIX: prefix,
      ...(thenExit ? { THEN_EXIT: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves when the child printed "done" (rejects if it exits first, with its stderr). */
function untilDone(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('done\n')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) early: ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempData(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'djingo-stats-crash-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}

/** Questions of `prefix` in the database, by a connection of the test's own, and the integrity check. */
function inspect(dataDir: string, prefix: string): { questions: Set<string>; extra: number; integrity: unknown } {
  const db = new Database(path.join(dataDir, STATS_FILE));
  try {
    const all = db
      .prepare('SELECT question FROM questions WHERE question LIKE ?')
      .pluck()
      .all(`${prefix} %`) as string[];
    return {
      questions: new Set(all.filter((q) => !q.includes(' extra '))),
      extra: all.filter((q) => q.includes(' extra ')).length,
      integrity: db.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe('the statistics database and crashes', () => {
  it('keeps every question recorded before a kill -9 that lands while writing, and stays intact', async () => {
    const dataDir = tempData();
    const n = 300;
    const child = spawnChild(dataDir, n, 'crash');
    children.push(child);
    await untilDone(child);
    const wal = path.join(dataDir, `${STATS_FILE}-wal`);
    expect(existsSync(wal)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    // Opened as the bot opens it after the crash, then read by a connection of the test's own.
    const store = openStats({ dataDir, retentionDays: 90 });
    expect(store.summary().last7.asked).toBeGreaterThanOrEqual(n);
    store.close();
    const seen = inspect(dataDir, 'crash');
    expect(seen.integrity).toBe('ok');
    expect(seen.questions.size).toBe(n);
    for (let i = 0; i < n; i++) expect(seen.questions.has(`crash ${i}`)).toBe(true);
  });

  it('loses nothing when two processes (shards) write to it at once', async () => {
    const dataDir = tempData();
    const n = 2000;
    const runs = ['shard0', 'shard1'].map((prefix) => {
      const child = spawnChild(dataDir, n, prefix, true);
      children.push(child);
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
      return exited(child).then((r) => ({ ...r, err }));
    });
    for (const run of await Promise.all(runs)) expect(run, run.err).toMatchObject({ code: 0, err: '' });
    for (const prefix of ['shard0', 'shard1']) {
      const seen = inspect(dataDir, prefix);
      expect(seen.integrity).toBe('ok');
      expect(seen.questions.size).toBe(n);
      expect(seen.extra).toBe(0);
    }
  });
});
