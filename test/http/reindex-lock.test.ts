import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireReindexLock, REINDEX_LOCK_FILE, type ReindexLockInfo } from '../../src/serving/index.js';
import { ROOT, tempDir } from '../helpers.js';

/** A pid no process has: above Linux's pid_max (4194304 at most). */
const DEAD_PID = 2 ** 22 + 12_345;

const lockFile = (dataDir: string): string => path.join(dataDir, REINDEX_LOCK_FILE);
const writeLock = (dataDir: string, info: Partial<ReindexLockInfo>): void =>
  writeFileSync(
    lockFile(dataDir),
    JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: 'x', ...info }),
  );

describe('the cross-process reindex lock', () => {
  it('is taken once, refused while held, and free again once released', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = await acquireReindexLock(dataDir);
    expect(first.status).toBe('acquired');
    const held = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as ReindexLockInfo;
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    const second = await acquireReindexLock(dataDir);
    expect(second).toEqual({ status: 'busy', holder: held });
    if (first.status === 'acquired') await first.release();
    const third = await acquireReindexLock(dataDir);
    expect(third.status).toBe('acquired');
    if (third.status === 'acquired') await third.release();
  });

  it('gives it to exactly one of many taking it at once', async () => {
    const dataDir = tempDir();
    const attempts = await Promise.all(Array.from({ length: 12 }, () => acquireReindexLock(dataDir)));
    expect(attempts.filter((a) => a.status === 'acquired')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'busy')).toHaveLength(11);
  });

  it('gives it to exactly one of several processes taking it at once, each holding what it got', async () => {
    const dataDir = tempDir();
    const done = path.join(dataDir, 'done');
    const lockModule = pathToFileURL(path.join(ROOT, 'src', 'serving', 'index.ts')).href;
    // Each process says what it got, then holds it until every one has answered.
    const script = `
      import { existsSync } from 'node:fs';
      const { acquireReindexLock } = await import(${JSON.stringify(lockModule)});
      const attempt = await acquireReindexLock(${JSON.stringify(dataDir)});
      console.log(attempt.status);
      while (!existsSync(${JSON.stringify(done)})) await new Promise((r) => setTimeout(r, 20));
      if (attempt.status === 'acquired') await attempt.release();
    `;
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT }),
    );
    const answers = children.map(
      (child) =>
        new Promise<string>((resolve) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('\n')) resolve(out.trim());
          });
          child.on('exit', () => resolve(out.trim()));
        }),
    );
    const statuses = await Promise.all(answers);
    writeFileSync(done, '');
    await Promise.all(children.map((child) => new Promise((resolve) => child.on('exit', resolve))));
    expect(statuses.sort()).toEqual(['acquired', 'busy', 'busy', 'busy']);
    expect(existsSync(lockFile(dataDir))).toBe(false);
  }, 30_000);

  it('takes over the lock of a process that is gone, on this machine', async () => {
    const dataDir = tempDir();
    writeLock(dataDir, { pid: DEAD_PID });
    const attempt = await acquireReindexLock(dataDir);
    expect(attempt.status).toBe('acquired');
    expect(JSON.parse(readFileSync(lockFile(dataDir), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock naming this pid that this process does not hold (a container restarted in place)', async () => {
    const dataDir = tempDir();
    writeLock(dataDir, { pid: process.pid, token: 'a-predecessor' });
    expect((await acquireReindexLock(dataDir)).status).toBe('acquired');
  });

  it('leaves a live process’s lock alone, and another machine’s until it is older than the deadline', async () => {
    const dataDir = tempDir();
    // The parent of the test runner: alive.
    writeLock(dataDir, { pid: process.ppid });
    expect((await acquireReindexLock(dataDir)).status).toBe('busy');
    const old = new Date(Date.now() - 60_000).toISOString();
    writeLock(dataDir, { pid: DEAD_PID, host: 'une-autre-machine', startedAt: old });
    expect((await acquireReindexLock(dataDir)).status).toBe('busy');
    expect((await acquireReindexLock(dataDir, { staleMs: 30_000 })).status).toBe('acquired');
  });

  it('treats a lock it cannot read as being written, unless it has been so for a while', async () => {
    const dataDir = tempDir();
    writeFileSync(lockFile(dataDir), '');
    expect(await acquireReindexLock(dataDir)).toEqual({ status: 'busy', holder: null });
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockFile(dataDir), past, past);
    expect((await acquireReindexLock(dataDir)).status).toBe('acquired');
  });

  it('does not remove a lock taken over from it as stale', async () => {
    const dataDir = tempDir();
    const mine = await acquireReindexLock(dataDir);
    expect(mine.status).toBe('acquired');
    writeLock(dataDir, { pid: process.ppid, token: 'someone-else' });
    if (mine.status === 'acquired') await mine.release();
    expect(JSON.parse(readFileSync(lockFile(dataDir), 'utf8')).token).toBe('someone-else');
  });

  it('says when the data folder refuses the lock file', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const attempt = await acquireReindexLock(path.join(file, 'data'));
    expect(attempt).toMatchObject({ status: 'unavailable' });
  });
});
