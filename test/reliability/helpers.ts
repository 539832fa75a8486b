/**
 * Shared tools of the reliability suite: a seeded PRNG, synthetic French articles, the command line run as a real
 * process, mention detection, and privileged file-system tricks (tmpfs mounts) that fall back when not permitted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';

/** mulberry32: a tiny deterministic PRNG, so every "random" run is the same run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function randomBytes(rng: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rng() * 256);
  return b;
}

const SUBJECTS = [
  'L’opérateur',
  'Le fabricant',
  'La société',
  'Le groupe',
  'La start-up',
  'Le ministère',
  'La région',
  'Le syndicat',
  'La mairie',
  'Le distributeur',
];
const VERBS = [
  'annonce',
  'prépare',
  'confirme',
  'dévoile',
  'reporte',
  'lance',
  'abandonne',
  'présente',
  'finance',
  'teste',
];
const OBJECTS = [
  'un nouveau service de paiement',
  'une enceinte connectée',
  'un forfait mobile',
  'une box internet',
  'un réseau de fibre optique',
  'une application de covoiturage',
  'un programme de recyclage',
  'une offre de télévision',
  'un centre de données',
  'une montre connectée',
];
const PLACES = [
  'en Bretagne',
  'à Lyon',
  'dans les Hauts-de-France',
  'à Marseille',
  'en Occitanie',
  'à Strasbourg',
  'dans toute la France',
  'à Bordeaux',
  'en Normandie',
  'à Lille',
];
const TAILS = [
  'pour les abonnés',
  'avant la fin de l’année',
  'malgré les critiques des associations',
  'après plusieurs mois de retard',
  'avec le soutien de l’État',
  'pour un prix encore inconnu',
  'selon un communiqué publié mardi',
  'afin de rattraper ses concurrents',
  'dès le printemps prochain',
  'sans augmenter ses tarifs',
];

/** A plausible French news article (franc detects French), unique through its number. */
export function frenchArticle(rng: () => number, n: number, paragraphs = 6): string {
  const sentence = (): string =>
    `${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)} ${pick(rng, PLACES)} ${pick(rng, TAILS)}, ` +
    `avec ${Math.floor(rng() * 9000) + 100} clients concernés.`;
  const lines = [
    ` title Dossier numéro ${n} : ${pick(rng, SUBJECTS).toLowerCase()} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)}`,
    ` date 2021-0${1 + (n % 9)}`,
    '',
  ];
  for (let p = 0; p < paragraphs; p++) {
    lines.push(`${Array.from({ length: 4 }, sentence).join(' ')} Référence interne ${n}-${p}.`, '');
  }
  return lines.join('\n');
}

/** The runner's environment minus anything the bot reads, so a developer's settings never leak into a test. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(DISCORD_|MODERATOR_|SEEDS_DIR|DATA_DIR|COOLDOWN_|LOG_LEVEL|SHARD)/.test(k)) delete env[k];
  return env;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `src/app/cli.ts` as `npm run …` runs it (tsx), in its own process. */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  options: { uid?: number; gid?: number } = {},
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'app', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...options,
  });
}

export function collect(proc: ChildProcess, stdin?: Buffer | string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    proc.stdout!.on('data', (d: Buffer) => out.push(d));
    proc.stderr!.on('data', (d: Buffer) => err.push(d));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      // 'exit' can come before the pipes are drained: wait for them to close.
      let open = 2;
      const done = (): void => {
        if (--open === 0)
          resolve({
            code,
            signal,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
      };
      if (proc.stdout!.closed) done();
      else proc.stdout!.once('close', done);
      if (proc.stderr!.closed) done();
      else proc.stderr!.once('close', done);
    });
    proc.stdin!.on('error', () => {}); // EPIPE when the process exits early
    if (stdin !== undefined) proc.stdin!.end(stdin);
    else proc.stdin!.end();
  });
}

export function runCli(args: string[], env: Record<string, string>, stdin?: Buffer | string): Promise<CliRun> {
  return collect(spawnCli(args, env), stdin);
}

/**
 * Mention syntax that would render or ping on Discord: @everyone / @here, <@id>, <@!id>, <@&role>, <#channel>,
 * </command:id>. `allowedUsers` are the users a message may mention on purpose.
 */
export function liveMentions(content: string, allowedUsers: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const m of content.matchAll(/@(?:everyone|here)/giu)) found.push(m[0]);
  for (const m of content.matchAll(/<@!?(\d+)>/gu)) if (!allowedUsers.includes(m[1]!)) found.push(m[0]);
  for (const m of content.matchAll(/<@&\d+>|<#\d+>|<\/[^\s>:]+:\d+>/gu)) found.push(m[0]);
  return found;
}

/**
 * Mounts a tmpfs of `sizeKiB` on `dir` when this process may (root in a container usually may). Returns false when
 * mounting is not permitted; callers then fall back to an unprivileged way of making writes fail.
 */
export function tryMountTmpfs(dir: string, sizeKiB: number, readOnly = false): boolean {
  mkdirSync(dir, { recursive: true });
  // RELIABILITY_NO_MOUNT=1 exercises the unprivileged fallbacks on a machine that could mount.
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || process.env['RELIABILITY_NO_MOUNT']) return false;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k${readOnly ? ',ro' : ''}`, 'tmpfs', dir], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

export function remount(dir: string, options: string): void {
  const r = spawnSync('mount', ['-o', `remount,${options}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`remount ${options} of ${dir} failed: ${r.stderr}`);
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
}

/** Root ignores file permissions: a chmod-based test must know whether the mode will be enforced. */
export const runningAsRoot = process.getuid?.() === 0;

/** Summary lines for the report (fault kind, cases tried, outcome), printed once per file. */
export function logSummary(rows: readonly { fault: string; cases: number; outcome: string }[]): void {
  for (const r of rows) console.info(`[reliability] ${r.fault} | ${r.cases} | ${r.outcome}`);
}
