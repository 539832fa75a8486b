/**
 * What a log line may hold about Discord traffic: a failed REST request is logged by its code, status, method and
 * route template (never its URL, which holds the interaction token, nor its body, which holds the reply, the question
 * and user ids in button ids), and member and server ids are pseudonymous unless LOG_USER_IDS is set.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { logSummary } from './helpers.js';

const TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmludGVyYWN0aW9uLXRva2Vu';
const USER = '150000000000000042';
const GUILD = '130000000000000001';
const QUESTION = 'Combien coûtait l’enceinte Djingo ?';
const API = 'https://discord.com/api/v10';
const CALLBACK = `${API}/interactions/1300000000000000777/${TOKEN}/callback?with_response=false`;
const WEBHOOK = `${API}/webhooks/100000000000000001/${TOKEN}/messages/%40original`;
const BODY = {
  files: undefined,
  body: {
    type: 4,
    data: {
      content: `**Question\u202f:** \`\`${QUESTION}\`\``,
      components: [{ type: 1, components: [{ type: 2, custom_id: `pub|${USER}|djingo|0` }] }],
    },
  },
};

/** A logger as the bot makes it, writing its lines here. */
function capture(options: { userIds?: boolean } = {}): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger('info', 'bot', { ...options, destination: { write: (line: string) => lines.push(line) } });
  return { log, lines };
}

describe('Discord REST errors in logs', () => {
  const failures: [string, Error, Record<string, unknown>][] = [
    [
      '10062 on a callback',
      new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', CALLBACK, BODY),
      { type: 'DiscordAPIError', code: 10062, status: 404, method: 'POST', route: '/interactions/:id/:token/callback' },
    ],
    [
      '50035 on an edit',
      new DiscordAPIError({ code: 50035, message: 'Invalid Form Body' }, 50035, 400, 'PATCH', WEBHOOK, BODY),
      {
        type: 'DiscordAPIError',
        code: 50035,
        status: 400,
        method: 'PATCH',
        route: '/webhooks/:id/:token/messages/%40original',
      },
    ],
    [
      '500 after the retries',
      new HTTPError(500, 'Internal Server Error', 'POST', CALLBACK, BODY),
      { type: 'HTTPError', status: 500, method: 'POST', route: '/interactions/:id/:token/callback' },
    ],
    [
      '429 rejected',
      new RateLimitError({
        timeToReset: 4000,
        limit: 1,
        method: 'POST',
        hash: 'h',
        url: CALLBACK,
        route: '/interactions/:id/:token/callback',
        majorParameter: '1300000000000000777',
        global: false,
        retryAfter: 4000,
        sublimitTimeout: 0,
        scope: 'user',
      }),
      { type: 'RateLimitError', status: 429, method: 'POST', route: '/interactions/:id/:token/callback' },
    ],
  ];

  it.each(failures)('%s: only code, status, method and route template', (_name, err, expected) => {
    const { log, lines } = capture();
    log.warn({ err, command: 'djingo', type: 'command' }, 'interaction failed');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).not.toContain(TOKEN);
    expect(line).not.toContain('Combien');
    expect(line).not.toContain(USER);
    expect(line).not.toContain('requestBody');
    expect((JSON.parse(line) as { err: unknown }).err).toEqual(expected);
  });

  it('a REST error given as the cause of another keeps its URL and body out too', () => {
    const { log, lines } = capture();
    const cause = new HTTPError(500, 'Internal Server Error', 'POST', CALLBACK, BODY);
    log.error({ err: new Error('could not answer', { cause }) }, 'interaction failed');
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).not.toContain('Combien');
    expect(lines[0]).toContain('could not answer');
  });

  it('other errors keep their message and stack', () => {
    const { log, lines } = capture();
    log.error({ err: new TypeError('boom') }, 'unhandled rejection');
    const { err } = JSON.parse(lines[0]!) as { err: { type: string; message: string; stack: string } };
    expect(err.type).toBe('TypeError');
    expect(err.message).toBe('boom');
    expect(err.stack).toContain('TypeError: boom');
  });
});

describe('member and server ids in logs', () => {
  it('are a keyed pseudonym by default: the same member gets the same one, nobody gets the raw id', () => {
    const { log, lines } = capture();
    log.info({ type: 'command', command: 'djingo', user: USER, guild: GUILD, outcome: 'ok' }, 'interaction');
    log.info({ type: 'button', command: 'pub', user: USER, guild: null, outcome: 'ok' }, 'interaction');
    log.info({ type: 'command', command: 'djingo', user: '150000000000000043', guild: GUILD }, 'interaction');
    const parsed = lines.map((l) => JSON.parse(l) as { user: string; guild: string | null });
    for (const l of lines) expect(l).not.toMatch(/1[35]00000000000000\d{2}/u);
    expect(parsed[0]!.user).toMatch(/^[0-9a-f]{12}$/u);
    expect(parsed[0]!.guild).toMatch(/^[0-9a-f]{12}$/u);
    expect(parsed[1]!.user).toBe(parsed[0]!.user);
    expect(parsed[1]!.guild).toBeNull();
    expect(parsed[2]!.user).not.toBe(parsed[0]!.user);
    // Another process (another key) gives other pseudonyms: they cannot be matched against a list of ids.
    const other = capture();
    other.log.info({ user: USER }, 'interaction');
    expect((JSON.parse(other.lines[0]!) as { user: string }).user).not.toBe(parsed[0]!.user);
  });

  it('are logged as they are with LOG_USER_IDS', () => {
    const { log, lines } = capture({ userIds: true });
    log.info({ user: USER, guild: GUILD }, 'interaction');
    expect(JSON.parse(lines[0]!)).toMatchObject({ user: USER, guild: GUILD });
    logSummary([
      {
        fault: 'Discord REST errors logged (10062, 50035, 500, 429, as a cause) and interaction lines',
        cases: 7,
        outcome: 'code, status, method, route template only: no token, question or raw user id unless LOG_USER_IDS',
      },
    ]);
  });
});
