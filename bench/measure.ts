/** Running a measured child process: wall time, peak RSS and CPU time, with a time limit. */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../src/config.js';
import { round } from './stats.js';
import type { Machine } from './report.js';

const RSS_PROBE = path.join(PROJECT_ROOT, 'bench', 'rss-probe.mjs');

/** What other processes were doing as each measured process started: figures taken under load are pessimistic. */
export const contention: { label: string; busyCores: number; waitedMs: number }[] = [];

/** Cores busy on the whole machine over a short sample (ours are idle between steps). */
async function busyCores(sampleMs: number): Promise<number> {
  const total = (): { busy: number; all: number } => {
    let busy = 0;
    let all = 0;
    for (const { times: t } of os.cpus()) {
      busy += t.user + t.nice + t.sys + t.irq;
      all += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return { busy, all };
  };
  const a = total();
  await sleep(sampleMs);
  const b = total();
  return b.all > a.all ? round(((b.busy - a.busy) / (b.all - a.all)) * os.cpus().length, 2) : 0;
}

/** Waits, up to `maxWaitMs`, for other processes to leave the CPUs alone (under 0.35 core busy), and records it. */
export async function waitForQuiet(label: string, maxWaitMs: number): Promise<void> {
  const t0 = performance.now();
  let busy = await busyCores(500);
  while (busy > 0.35 && performance.now() - t0 < maxWaitMs) busy = await busyCores(1000);
  contention.push({ label, busyCores: busy, waitedMs: Math.round(performance.now() - t0) });
}

/** Process groups of the running children, killed if the benchmark itself is interrupted. */
const active = new Set<number>();

export function killActiveChildren(): void {
  for (const pid of active) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  active.clear();
}

export interface ChildRun {
  ok: boolean;
  /** Why it failed (exit code, signal, time limit), when it did. */
  error: string | null;
  wallMs: number;
  /** The child's own figures at exit (process.resourceUsage()): peak RSS in MiB, CPU seconds of all its threads. */
  peakRssMB: number | null;
  cpuS: number | null;
  stdout: string;
}

export interface ChildOptions {
  timeoutMs: number;
  quietWaitMs: number;
  /** Node flags before `--import tsx` (e.g. --expose-gc, --cpu-prof). */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /** A file fed to stdin. */
  stdinFile?: string;
}

/** Runs `node [flags] --import tsx script args…` from the project root, killed at the time limit. */
export async function runNode(script: string, args: readonly string[], options: ChildOptions): Promise<ChildRun> {
  await waitForQuiet(`${script} ${args[0] ?? ''}`, options.quietWaitMs);
  const probeFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const argv = [...(options.nodeFlags ?? []), '--import', 'tsx', '--import', RSS_PROBE, script, ...args];
  const env = { ...process.env, LOG_LEVEL: 'warn', ...options.env, BENCH_RSS_FILE: probeFile };
  const stdin = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
  const t0 = performance.now();
  // Its own process group (detached), so that a time limit or an interrupt also stops what it started.
  const child = spawn(process.execPath, argv, {
    cwd: PROJECT_ROOT,
    env,
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid !== undefined) active.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    child.on('error', (err) => {
      stderr += err.message;
      resolve([null, null]);
    });
    child.on('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  if (child.pid !== undefined) active.delete(child.pid);
  if (typeof stdin === 'number') closeSync(stdin);
  const wallMs = round(performance.now() - t0);
  let peakRssMB: number | null = null;
  let cpuS: number | null = null;
  if (existsSync(probeFile)) {
    const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRSS: number; userS: number; sysS: number };
    peakRssMB = round(probe.maxRSS / 1024);
    cpuS = round(probe.userS + probe.sysS, 2);
    rmSync(probeFile, { force: true });
  }
  const ok = !timedOut && code === 0;
  const error = ok
    ? null
    : timedOut
      ? `time limit (${Math.round(options.timeoutMs / 1000)} s)`
      : `exit ${code ?? signal}: ${tail(stderr)}`;
  return { ok, error, wallMs, peakRssMB, cpuS, stdout };
}

/** The error message and last lines of a child's stderr, stack frames left out. */
function tail(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !/^\s+at /u.test(l) && !/^Node\.js v/u.test(l));
  const message = lines.find((l) => /Error|error:/u.test(l));
  const last = lines.slice(-3);
  return [...(message && !last.includes(message) ? [message] : []), ...last].join(' | ').slice(0, 600);
}

/** Runs a step of bench/step.ts and returns its BENCH_RESULT with the process's figures. */
export async function runStep<T extends object>(
  step: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<{ ok: true; result: T; run: ChildRun } | { ok: false; error: string }> {
  const nodeFlags = ['--expose-gc', ...(options.nodeFlags ?? [])];
  const run = await runNode('bench/step.ts', [step, ...args], { ...options, nodeFlags });
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!run.ok || !line) return { ok: false, error: run.error ?? 'no BENCH_RESULT line' };
  return { ok: true, result: JSON.parse(line.slice('BENCH_RESULT '.length)) as T, run };
}

/** The machine a run measures on, for its report. */
export function machineOf(commit: string | null): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit,
  };
}
