import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';

/** Its e2e tests copy the seeds as the others do. */
export { seedsCopy } from '../helpers.js';

/** The real bot, started the way `npm start` does (tsx on src/app/bot.ts), with its output captured. */
export interface BotProcess {
  proc: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for log and secret checks. */
  output(): string;
  /** Parsed JSON log lines. */
  logs(): Record<string, unknown>[];
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runScript(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'app', script)], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...env },
    });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.on('exit', (code) => resolve({ code, output }));
  });
}

/** The test runner's environment minus anything Discord-related, so a developer's .env or shell never leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(DISCORD_|MODERATOR_|SEEDS_DIR|DATA_DIR|COOLDOWN_|LOG_LEVEL|SHARD)/.test(k)) delete env[k];
  return env;
}

/** `script`: `bot.ts` (`npm start`) or `sharded.ts` (`npm run start:sharded`). */
export function startBotProcess(env: Record<string, string>, script = 'bot.ts'): BotProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'app', script)], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
  });
  let output = '';
  let exited = false;
  const waiters: {
    predicate: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  const parsed: Record<string, unknown>[] = [];
  let partial = '';
  const onData = (d: Buffer): void => {
    const text = d.toString();
    output += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const obj = JSON.parse(line) as Record<string, unknown>;
        parsed.push(obj);
        for (const w of [...waiters])
          if (w.predicate(obj)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(obj);
          }
      } catch {
        // not a log line
      }
    }
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exit = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  return {
    proc,
    output: () => output,
    logs: () => parsed,
    alive: () => !exited,
    waitForLog(predicate, timeoutMs = 15_000) {
      const found = parsed.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${output.slice(-3000)}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (!exited) proc.kill(signal);
      const timeout = new Promise<null>((r) =>
        setTimeout(() => {
          proc.kill('SIGKILL');
          r(null);
        }, 5_000),
      );
      return Promise.race([exit, timeout]);
    },
  };
}

/** The processes started under `pid` (children, their children…), from /proc (Linux); `pid` itself excluded. */
export function descendants(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) =>
        readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      return []; // exited meanwhile
    }
  };
  return children(pid).flatMap((c) => [c, ...descendants(c)]);
}

/** The command line of a process (its arguments joined by spaces), or null once it has exited. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/** The bot processes under `pid`: descendants running an entry point of src/app (not tsx's esbuild service). */
export function botProcessesUnder(pid: number): number[] {
  return descendants(pid).filter((p) => /src\/app\/\w+\.ts/u.test(commandLine(p) ?? ''));
}
