import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the bot reads from its environment, validated once at start. */
export interface BotConfig {
  token: string;
  clientId: string;
  guildId: string | null;
  seedsDir: string;
  dataDir: string;
  /** REST base URL, e.g. `https://discord.com/api` (a REST proxy, or the fake Discord in tests). */
  apiUrl: string;
  moderatorRoleId: string | null;
  logLevel: string;
  /** Seconds a member waits between two questions (0: no cooldown). */
  cooldownSeconds: number;
  /** Log member and server ids as they are; by default each is logged as a keyed pseudonym (src/logger.ts). */
  logUserIds: boolean;
  /** Days the statistics database keeps questions and votes (`/stats`). */
  statsRetentionDays: number;
  /**
   * Private and loopback addresses `/ajouter` may fetch: none by default (a server's own network is not the web's),
   * every one (`true`), or only those listed (tests: `127.0.0.1`).
   */
  allowPrivateFetch: boolean | readonly string[];
}

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the articles are, unless SEEDS_DIR says otherwise. */
export const DEFAULT_SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds');
/** Where the index snapshot is kept, unless DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'data');
const DEFAULT_API_URL = 'https://discord.com/api';
const SNOWFLAKE = /^\d{17,20}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

/** ALLOW_PRIVATE_FETCH: true, false, or a comma-separated list of IP addresses. */
function privateFetchSetting(raw: string | undefined, problems: string[]): boolean | readonly string[] {
  const v = raw?.toLowerCase() ?? 'false';
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  const list = v.split(',').map((a) => a.trim());
  if (list.every((a) => isIP(a) !== 0)) return list;
  problems.push('ALLOW_PRIVATE_FETCH doit valoir true, false ou une liste d’adresses IP séparées par des virgules');
  return false;
}

/** Loads `.env` into the environment when present (real environment variables win). */
function loadDotEnv(file = path.join(PROJECT_ROOT, '.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Validates the environment. Throws one ConfigError naming every problem; never echoes the token. */
export function readConfig(env: NodeJS.ProcessEnv, needs: { token: boolean } = { token: true }): BotConfig {
  const problems: string[] = [];
  const get = (k: string): string | undefined => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const token = get('DISCORD_TOKEN');
  if (needs.token && !token) problems.push('DISCORD_TOKEN manque (le jeton du bot, portail développeur Discord → Bot)');
  else if (token && /\s/.test(token)) problems.push('DISCORD_TOKEN contient des espaces');
  const clientId = get('DISCORD_CLIENT_ID');
  if (!clientId) problems.push('DISCORD_CLIENT_ID manque (l’identifiant de l’application)');
  else if (!SNOWFLAKE.test(clientId))
    problems.push('DISCORD_CLIENT_ID doit être un identifiant Discord (17 à 20 chiffres)');
  const guildId = get('DISCORD_GUILD_ID') ?? null;
  if (guildId && !SNOWFLAKE.test(guildId))
    problems.push('DISCORD_GUILD_ID doit être un identifiant Discord (17 à 20 chiffres)');
  const moderatorRoleId = get('MODERATOR_ROLE_ID') ?? null;
  if (moderatorRoleId && !SNOWFLAKE.test(moderatorRoleId))
    problems.push('MODERATOR_ROLE_ID doit être un identifiant de rôle (17 à 20 chiffres)');
  const apiUrl = (get('DISCORD_API_URL') ?? DEFAULT_API_URL).replace(/\/+$/, '');
  try {
    const u = new URL(apiUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
  } catch {
    problems.push('DISCORD_API_URL doit être une URL http(s), par exemple https://discord.com/api');
  }
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL doit être l’un de : ${LOG_LEVELS.join(', ')}`);
  const cooldownRaw = get('COOLDOWN_SECONDS') ?? '3';
  const cooldownSeconds = Number(cooldownRaw);
  if (!Number.isFinite(cooldownSeconds) || cooldownSeconds < 0 || cooldownSeconds > 3600)
    problems.push('COOLDOWN_SECONDS doit être un nombre de 0 à 3600');
  const flag = (name: string): boolean => {
    const raw = get(name)?.toLowerCase() ?? 'false';
    const on = raw === 'true' || raw === '1';
    if (!on && raw !== 'false' && raw !== '0') problems.push(`${name} doit valoir true ou false (1 ou 0)`);
    return on;
  };
  const logUserIds = flag('LOG_USER_IDS');
  const allowPrivateFetch = privateFetchSetting(get('ALLOW_PRIVATE_FETCH'), problems);
  const retentionRaw = get('STATS_RETENTION_DAYS') ?? '90';
  const statsRetentionDays = Number(retentionRaw);
  if (!Number.isInteger(statsRetentionDays) || statsRetentionDays < 1 || statsRetentionDays > 3650)
    problems.push('STATS_RETENTION_DAYS doit être un nombre entier de jours, de 1 à 3650');
  if (problems.length > 0) throw new ConfigError(`Configuration invalide :\n- ${problems.join('\n- ')}`);
  return {
    token: token ?? '',
    clientId: clientId!,
    guildId,
    seedsDir: path.resolve(get('SEEDS_DIR') ?? DEFAULT_SEEDS_DIR),
    dataDir: path.resolve(get('DATA_DIR') ?? DEFAULT_DATA_DIR),
    apiUrl,
    moderatorRoleId,
    logLevel,
    cooldownSeconds,
    logUserIds,
    statsRetentionDays,
    allowPrivateFetch,
  };
}

/** How `npm run start:sharded` splits the shards (SHARD_COUNT, SHARDS_PER_PROCESS, SHARD_SPAWN_DELAY_MS). */
export interface ShardingConfig {
  /** Number of shards, or `auto`: Discord's recommendation (GET /gateway/bot). */
  shardCount: number | 'auto';
  /** Shards each process holds; null: every shard in one process, so one index for all. */
  shardsPerProcess: number | null;
  /** Pause between two processes' starts (Discord's identify rate), when there are several. */
  spawnDelayMs: number;
}

/** Validates the sharding settings. Throws one ConfigError naming every problem. */
export function readShardingConfig(env: NodeJS.ProcessEnv): ShardingConfig {
  const problems: string[] = [];
  const count = env['SHARD_COUNT']?.trim() || 'auto';
  if (count !== 'auto' && !/^[1-9]\d{0,3}$/.test(count))
    problems.push('SHARD_COUNT doit être « auto » ou un entier positif');
  const perProcess = env['SHARDS_PER_PROCESS']?.trim() || null;
  if (perProcess !== null && !/^[1-9]\d{0,3}$/.test(perProcess))
    problems.push('SHARDS_PER_PROCESS doit être un entier positif');
  const delay = Number(env['SHARD_SPAWN_DELAY_MS']?.trim() || 5500);
  if (problems.length > 0) throw new ConfigError(`Configuration invalide :\n- ${problems.join('\n- ')}`);
  return {
    shardCount: count === 'auto' ? 'auto' : Number(count),
    shardsPerProcess: perProcess === null ? null : Number(perProcess),
    spawnDelayMs: Number.isFinite(delay) && delay >= 0 ? delay : 5500,
  };
}

/**
 * For the entry points (bot, shards, deploy): `.env`, then the validated configuration; on a configuration error,
 * the French message on stderr and exit code 1, no stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): BotConfig {
  loadDotEnv();
  try {
    return readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nVoir .env.example.\n`);
    process.exit(1);
  }
}
