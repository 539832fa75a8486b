/** Running a measured child process: wall time, peak RSS and CPU time, with a time limit. */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from './corpus.js';
import { round } from './stats.js';

const GNU_TIME = '/usr/bin/time';
const HAS_GNU_TIME = existsSync(GNU_TIME);
const RSS_PROBE = path.join(PROJECT_ROOT, 'bench', 'rss-probe.ts');

let quietWaitMs = 30_000;
/** How long to wait at most, before each measured process, for other processes to leave the CPUs alone. */
export function setQuietWait(ms: number): void {
  quietWaitMs = ms;
}

/** Process groups of the children running now, to stop them if the benchmark itself is interrupted. */
const active = new Set<number>();

/** CPU in use on the machine, in cores, over a short sample (all processes: ours are idle between steps). */
export async function busyCores(sampleMs = 500): Promise<number> {
  const total = (): { busy: number; all: number } => {
    let busy = 0;
    let all = 0;
    for (const c of os.cpus()) {
      const t = c.times;
      busy += t.user + t.nice + t.sys + t.irq;
      all += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return { busy, all };
  };
  const a = total();
  await new Promise((r) => setTimeout(r, sampleMs));
  const b = total();
  return b.all > a.all ? round(((b.busy - a.busy) / (b.all - a.all)) * os.cpus().length, 2) : 0;
}

/** What other processes were doing when measured steps started: the figures are noisy when this is high. */
export const contention: { label: string; busyCores: number; waitedMs: number }[] = [];

/**
 * Waits (up to `maxWaitMs`) until the machine is quiet, i.e. less than `threshold` cores busy with other work,
 * and records what it saw.
 */
export async function waitForQuiet(label: string, maxWaitMs: number, threshold = 0.35): Promise<void> {
  const t0 = performance.now();
  let busy = await busyCores();
  while (busy > threshold && performance.now() - t0 < maxWaitMs) busy = await busyCores(1000);
  contention.push({ label, busyCores: busy, waitedMs: Math.round(performance.now() - t0) });
}

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
  /** Peak resident memory of the child, in MiB (GNU time, or the child's own process.resourceUsage()). */
  peakRssMB: number | null;
  userS: number | null;
  sysS: number | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  /** Node flags before `--import tsx` (e.g. --expose-gc, --cpu-prof). */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /** A file fed to stdin. */
  stdinFile?: string;
  timeoutMs: number;
  /** Keep stdout (default true); large outputs can be dropped and only counted. */
  keepStdout?: boolean;
}

/**
 * Runs `node [flags] --import tsx script args…` from the project root under GNU time (or with a probe that reports
 * process.resourceUsage().maxRSS at exit when GNU time is missing), killing it at the time limit.
 */
export async function runNode(script: string, args: readonly string[], options: ChildOptions): Promise<ChildRun & { stdoutLines: number }> {
  await waitForQuiet(`${script} ${args.slice(0, 1).join(' ')}`, quietWaitMs);
  const probeFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const nodeArgs = [...(options.nodeFlags ?? []), '--import', 'tsx', ...(HAS_GNU_TIME ? [] : ['--import', RSS_PROBE]), script, ...args];
  const [cmd, argv] = HAS_GNU_TIME ? [GNU_TIME, ['-v', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const env = { ...process.env, LOG_LEVEL: 'warn', ...options.env, ...(HAS_GNU_TIME ? {} : { BENCH_RSS_FILE: probeFile }) };
  let stdinFd: number | null = null;
  if (options.stdinFile) stdinFd = openSync(options.stdinFile, 'r');
  return await new Promise((resolve) => {
    const t0 = performance.now();
    // Its own process group, so that a time limit kills node too (not only GNU time).
    const child = spawn(cmd, argv, { cwd: PROJECT_ROOT, env, stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) active.add(child.pid);
    const keep = options.keepStdout !== false;
    let stdout = '';
    let stdoutLines = 0;
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      for (let i = d.indexOf('\n'); i !== -1; i = d.indexOf('\n', i + 1)) stdoutLines++;
      if (keep) stdout += d;
      else stdout = (stdout + d).slice(-4000);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-20000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // GNU time forwards nothing: kill the whole group we started (the child is its own process group leader).
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.message, wallMs: 0, peakRssMB: null, userS: null, sysS: null, stdout, stderr, stdoutLines });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) active.delete(child.pid);
      const wallMs = round(performance.now() - t0);
      if (stdinFd !== null) closeSync(stdinFd);
      let peakRssMB: number | null = null;
      let userS: number | null = null;
      let sysS: number | null = null;
      // GNU time reports a non-zero exit of the command as "Command exited with non-zero status N".
      const exited = /Command exited with non-zero status (\d+)/u.exec(stderr);
      const signalled = /Command terminated by signal (\d+)/u.exec(stderr);
      if (HAS_GNU_TIME) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/u.exec(stderr);
        if (m) peakRssMB = round(Number(m[1]) / 1024);
        const u = /User time \(seconds\): ([\d.]+)/u.exec(stderr);
        const s = /System time \(seconds\): ([\d.]+)/u.exec(stderr);
        if (u) userS = Number(u[1]);
        if (s) sysS = Number(s[1]);
      } else if (existsSync(probeFile)) {
        const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRSS: number; userS: number; sysS: number };
        peakRssMB = round(probe.maxRSS / 1024);
        userS = probe.userS;
        sysS = probe.sysS;
        rmSync(probeFile, { force: true });
      }
      const failed = timedOut || code !== 0 || signal !== null || exited !== null || signalled !== null;
      const error = timedOut
        ? `time limit (${Math.round(options.timeoutMs / 1000)} s)`
        : failed
          ? `exit ${exited?.[1] ?? code ?? ''}${signalled ? ` signal ${signalled[1]}` : signal ? ` ${signal}` : ''}: ${tail(stderr)}`
          : null;
      resolve({ ok: !failed, error, wallMs, peakRssMB, userS, sysS, stdout, stderr, stdoutLines });
    });
  });
}

/** The error message and last lines of a child's stderr (without GNU time's report and stack frames). */
function tail(stderr: string): string {
  const text = stderr.split(/\n\tCommand being timed:/u)[0] ?? stderr;
  const lines = text.trim().split('\n').filter((l) => !/^\s+at /u.test(l) && l.trim() !== '' && !/^Node\.js v/u.test(l));
  const message = lines.find((l) => /Error|error:/u.test(l));
  const last = lines.slice(-3);
  return [...(message && !last.includes(message) ? [message] : []), ...last].join(' | ').slice(0, 600);
}

/** Runs a benchmark step (bench/step.ts) and returns its BENCH_RESULT with the process figures. */
export async function runStep<T extends object>(
  step: string,
  args: readonly string[],
  options: { timeoutMs: number; nodeFlags?: string[] },
): Promise<{ ok: true; result: T; process: ChildRun } | { ok: false; error: string; process: ChildRun }> {
  const run = await runNode('bench/step.ts', [step, ...args], { timeoutMs: options.timeoutMs, nodeFlags: ['--expose-gc', ...(options.nodeFlags ?? [])] });
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  const { stdout: _stdout, ...proc } = run;
  void _stdout;
  const process = { ...proc, stdout: '', stderr: run.ok ? '' : run.stderr.slice(-2000) };
  if (!run.ok || !line) return { ok: false, error: run.error ?? 'no BENCH_RESULT line', process };
  return { ok: true, result: JSON.parse(line.slice('BENCH_RESULT '.length)) as T, process };
}
