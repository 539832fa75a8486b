import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { Cooldown, canReindex } from '../../src/discord/index.js';

const GUILD = '111111111111111111';
const MOD_ROLE = '555555555555555555';

describe('/reindex permission check (server side)', () => {
  const cases: [string, Parameters<typeof canReindex>[0], string | null, boolean][] = [
    [
      'a plain member',
      {
        guildId: GUILD,
        permissions: (PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel).toString(),
        roles: [],
      },
      MOD_ROLE,
      false,
    ],
    ['a member with the moderator role', { guildId: GUILD, permissions: '0', roles: [MOD_ROLE] }, MOD_ROLE, true],
    [
      'a member with the role when no role is configured',
      { guildId: GUILD, permissions: '0', roles: [MOD_ROLE] },
      null,
      false,
    ],
    [
      'Manage Server',
      { guildId: GUILD, permissions: PermissionFlagsBits.ManageGuild.toString(), roles: [] },
      null,
      true,
    ],
    [
      'Administrator',
      { guildId: GUILD, permissions: PermissionFlagsBits.Administrator.toString(), roles: [] },
      null,
      true,
    ],
    ['a DM', { guildId: null, permissions: PermissionFlagsBits.Administrator.toString(), roles: [] }, null, false],
    ['a missing member', { guildId: GUILD, permissions: null, roles: null }, MOD_ROLE, false],
    [
      'malformed permissions',
      { guildId: GUILD, permissions: 'lots', roles: 'nope' as unknown as string[] },
      MOD_ROLE,
      false,
    ],
    [
      'a bigint with Manage Server',
      { guildId: GUILD, permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages, roles: [] },
      null,
      true,
    ],
  ];
  it.each(cases)('%s', (_name, member, role, allowed) => {
    const verdict = canReindex(member, role);
    expect(verdict.allowed).toBe(allowed);
    if (!verdict.allowed) expect(verdict.reason).toMatch(/serveur|modérateurs/);
  });
});

describe('cooldown', () => {
  it('makes a user wait, per user, on an injected clock', () => {
    let now = 1_000;
    const cd = new Cooldown(3, () => now);
    expect(cd.take('a')).toBe(0);
    expect(cd.take('b')).toBe(0);
    now += 1_000;
    expect(cd.take('a')).toBe(2_000);
    now += 2_000;
    expect(cd.take('a')).toBe(0);
    expect(new Cooldown(0, () => now).take('a')).toBe(0);
  });
});

describe('configuration', () => {
  const base = { DISCORD_TOKEN: 'secret-token-value', DISCORD_CLIENT_ID: '123456789012345678' };
  it('reads a valid environment with defaults', () => {
    const c = readConfig(base);
    expect(c.apiUrl).toBe('https://discord.com/api');
    expect(c.guildId).toBeNull();
    expect(c.cooldownSeconds).toBe(3);
    expect(c.logUserIds).toBe(false);
  });

  it('logs raw member ids only when LOG_USER_IDS says so, and refuses anything but a yes or a no', () => {
    for (const [value, expected] of [
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
      ['', false],
    ] as const)
      expect(readConfig({ ...base, LOG_USER_IDS: value }).logUserIds, value).toBe(expected);
    expect(() => readConfig({ ...base, LOG_USER_IDS: 'peut-être' })).toThrow(/LOG_USER_IDS doit valoir true ou false/);
  });

  it('names every problem at once, never echoing the token', () => {
    try {
      readConfig({
        DISCORD_TOKEN: 'has space secret',
        DISCORD_CLIENT_ID: 'abc',
        DISCORD_GUILD_ID: '12',
        DISCORD_API_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
        COOLDOWN_SECONDS: '-1',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      for (const k of [
        'DISCORD_TOKEN',
        'DISCORD_CLIENT_ID',
        'DISCORD_GUILD_ID',
        'DISCORD_API_URL',
        'LOG_LEVEL',
        'COOLDOWN_SECONDS',
      ])
        expect(msg).toContain(k);
      expect(msg).not.toContain('secret');
    }
  });

  it('requires the token', () => {
    expect(() => readConfig({ DISCORD_CLIENT_ID: '123456789012345678' })).toThrow(/DISCORD_TOKEN/);
  });
});
