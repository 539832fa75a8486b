import { createHmac, randomBytes } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** Log member and server ids as they are (LOG_USER_IDS); by default they are replaced by a keyed pseudonym. */
  userIds?: boolean;
  /** Where lines go (default stderr); tests pass their own. */
  destination?: DestinationStream;
}

/**
 * JSON logs on stderr, so that stdout carries only what a command prints (answers, JSON). Errors go through
 * `serializeError`, and the `user` and `guild` fields become pseudonyms unless `userIds` is set.
 */
export function createLogger(
  level = process.env['LOG_LEVEL'] ?? 'info',
  name?: string,
  options: LoggerOptions = {},
): Logger {
  const serializers: Record<string, (value: unknown) => unknown> = { err: serializeError };
  if (!options.userIds) serializers['user'] = serializers['guild'] = pseudonymizer();
  return pino(
    {
      level,
      name,
      redact: { paths: ['token', '*.token', 'headers.authorization'], censor: '[redacted]' },
      serializers,
    },
    options.destination ?? pino.destination(2),
  );
}

/** A failed Discord REST request, as @discordjs/rest throws it (DiscordAPIError, HTTPError, RateLimitError). */
interface RestError {
  url: string;
  method?: unknown;
  status?: unknown;
  code?: unknown;
}

const isRestError = (err: unknown): err is Error & RestError =>
  err instanceof Error && typeof (err as { url?: unknown }).url === 'string';

/**
 * A Discord REST error carries the request's URL (with the interaction token, valid 15 minutes) and body (the
 * reply: the question, user ids in button ids). Only what says which call failed and how is kept; other errors are
 * serialized as pino does.
 */
export function serializeError(err: unknown): unknown {
  if (!isRestError(err)) return pino.stdSerializers.err(err as Error);
  // DiscordAPIError's name is `DiscordAPIError[code]`; a 429 has no status of its own.
  const type = err.constructor.name;
  const status = typeof err.status === 'number' ? err.status : type === 'RateLimitError' ? 429 : undefined;
  const code = typeof err.code === 'number' || typeof err.code === 'string' ? err.code : undefined;
  return { type, code, status, method: err.method, route: routeOf(err.url) };
}

/** `…/api/v10/interactions/123/<token>/callback?x` → `/interactions/:id/:token/callback`: no token, no query. */
export function routeOf(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  return path
    .replace(/^.*?\/v\d+(?=\/)/u, '')
    .replace(/^\/(interactions|webhooks)\/[^/]+\/[^/]+/u, '/$1/:id/:token')
    .replace(/\/\d{15,21}(?=\/|$)/gu, '/:id');
}

/**
 * Member or server ids as 12 hex characters of their HMAC under a key made now: the same id gives the same
 * pseudonym for the life of the logger, and without the key a pseudonym cannot be matched against known ids.
 */
function pseudonymizer(key: Buffer = randomBytes(32)): (id: unknown) => unknown {
  return (id) => {
    if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'bigint') return id;
    return createHmac('sha256', key).update(String(id)).digest('hex').slice(0, 12);
  };
}

/** Where log lines go; pino's logger fits, and tests can pass a silent one. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
