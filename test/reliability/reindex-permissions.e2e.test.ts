/**
 * /reindex end to end (the bot process against the fake Discord): who may run it (a matrix of members, roles,
 * permissions, DMs and missing or malformed `member` objects), a data folder that refuses writes, and a seeds
 * folder that vanished — the bot keeps answering throughout, and never logs its token.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/index/index.js';
import { FakePermissions, type SendCommandInput } from '../fake-discord/index.js';
import { tempDir } from '../helpers.js';
import {
  expectCleanTraffic,
  expectTokenNowhere,
  member,
  question,
  reply,
  startHarness,
  type Harness,
} from './e2e-helpers.js';
import { logSummary, remount, tryMountTmpfs, unmount } from './helpers.js';

const TOKEN = 'reliability-reindex-token.XYZ.987654';
const MOD_ROLE = '1300000000000000099';
const OTHER_ROLE = '1300000000000000098';
let h: Harness;
let dataParent: string;
let mounted = false;
let heal: () => void;

beforeAll(async () => {
  // The data folder refuses writes from the start: a 4 KiB tmpfs (ENOSPC: the bundled seeds' snapshot takes about
  // 8 KiB) when this machine lets us mount one, otherwise a path under a regular file (ENOTDIR).
  dataParent = tempDir('djingo-e2e-data-');
  let dataDir = path.join(dataParent, 'full');
  mounted = tryMountTmpfs(dataDir, 4);
  if (mounted) {
    heal = () => remount(dataDir, 'size=16m');
  } else {
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(path.join(dataParent, 'blocker'), 'not a folder');
    dataDir = path.join(dataParent, 'blocker', 'data');
    heal = () => {
      rmSync(path.join(dataParent, 'blocker'));
      mkdirSync(path.join(dataParent, 'blocker'));
    };
  }
  // Raw member ids in the logs (LOG_USER_IDS): the checks below find each member's reindex lines by id.
  h = await startHarness({ token: TOKEN, dataDir, env: { MODERATOR_ROLE_ID: MOD_ROLE, LOG_USER_IDS: 'true' } });
}, 60_000);

afterAll(async () => {
  await h?.dispose();
  if (mounted) unmount(path.join(dataParent, 'full'));
  rmSync(dataParent, { recursive: true, force: true });
});

type Expect = 'allowed' | 'refused' | 'dropped';
interface Case {
  name: string;
  input: Omit<SendCommandInput, 'name'>;
  expect: Expect;
  /** What the refusal must say. */
  says?: RegExp;
}

const user = (): { id: string; username: string; discriminator: string; global_name: null; avatar: null } => {
  const m = member('16');
  return { ...m, discriminator: '0', global_name: null, avatar: null };
};
const rawMember = (fields: Record<string, unknown>): Record<string, unknown> => ({
  user: user(),
  nick: null,
  avatar: null,
  joined_at: '2024-01-01T00:00:00.000Z',
  premium_since: null,
  deaf: false,
  mute: false,
  pending: false,
  flags: 0,
  ...fields,
});
const MODS = /Réservé aux modérateurs/;

const MATRIX: Case[] = [
  { name: 'member', input: { permissions: FakePermissions.MEMBER }, expect: 'refused', says: MODS },
  {
    name: 'member with no permission at all',
    input: { permissions: FakePermissions.NONE },
    expect: 'refused',
    says: MODS,
  },
  {
    name: 'member with another role',
    input: { permissions: FakePermissions.MEMBER, roles: [OTHER_ROLE] },
    expect: 'refused',
    says: MODS,
  },
  {
    name: 'member with Manage Messages only',
    input: { permissions: FakePermissions.MANAGE_MESSAGES },
    expect: 'refused',
    says: MODS,
  },
  {
    name: 'member with MODERATOR_ROLE_ID',
    input: { permissions: FakePermissions.MEMBER, roles: [OTHER_ROLE, MOD_ROLE] },
    expect: 'allowed',
  },
  {
    name: 'MODERATOR_ROLE_ID and no permission bit',
    input: { permissions: FakePermissions.NONE, roles: [MOD_ROLE] },
    expect: 'allowed',
  },
  { name: 'Manage Server only', input: { permissions: FakePermissions.MANAGE_GUILD }, expect: 'allowed' },
  {
    name: 'member with Manage Server',
    input: { permissions: FakePermissions.MEMBER_WITH_MANAGE_GUILD },
    expect: 'allowed',
  },
  { name: 'Administrator', input: { permissions: FakePermissions.ADMINISTRATOR }, expect: 'allowed' },
  { name: 'in a DM', input: { dm: true }, expect: 'refused', says: /que sur un serveur/ },
  {
    name: 'in a DM with a forged administrator member',
    input: { dm: true, member: rawMember({ roles: [MOD_ROLE], permissions: FakePermissions.ADMINISTRATOR }) },
    expect: 'refused',
    says: /que sur un serveur/,
  },
  {
    name: 'guild interaction, member missing (user given)',
    input: { member: null, extra: { user: user() } },
    expect: 'refused',
    says: MODS,
  },
  { name: 'member without permissions nor roles', input: { member: rawMember({}) }, expect: 'refused', says: MODS },
  {
    name: 'member without permissions, with the moderator role',
    input: { member: rawMember({ roles: [MOD_ROLE] }) },
    expect: 'allowed',
  },
  {
    name: 'member with roles not an array',
    input: { member: rawMember({ roles: MOD_ROLE, permissions: FakePermissions.MEMBER }) },
    expect: 'refused',
    says: MODS,
  },
  {
    name: 'member with permissions "0"',
    input: { member: rawMember({ roles: [], permissions: '0' }) },
    expect: 'refused',
    says: MODS,
  },
  // What discord.js cannot even turn into an interaction never reaches the bot's code: no answer, no reindex.
  { name: 'guild interaction, member and user missing', input: { member: null }, expect: 'dropped' },
  {
    name: 'member with permissions not a number',
    input: { member: rawMember({ roles: [MOD_ROLE], permissions: 'administrator' }) },
    expect: 'dropped',
  },
  // discord.js turns the string "-1" into the bigint -1n (BitField.resolve accepts any numeric string), which has
  // every bit set, and resolves the flag name "Administrator" to 8n: canReindex (src/discord/permissions.ts) reads
  // the permissions as Discord sent them, and anything but a non-negative decimal string is a refusal.
  {
    name: 'member with negative permissions "-1"',
    input: { member: rawMember({ roles: [], permissions: '-1' }) },
    expect: 'refused',
    says: MODS,
  },
  {
    name: 'member with permissions "Administrator" (a flag name, not a bitfield)',
    input: { member: rawMember({ roles: [], permissions: 'Administrator' }) },
    expect: 'refused',
    says: MODS,
  },
  { name: 'member is a string', input: { member: 'admin' }, expect: 'dropped' },
];

/** Waits until no reindex runs (started = done + failed in the bot's log), so a case never meets a busy one. */
async function idle(): Promise<void> {
  const count = (msg: string): number => h.bot.logs().filter((l) => l['msg'] === msg).length;
  const deadline = Date.now() + 10_000;
  while (count('reindex started') > count('reindex done') + count('reindex failed') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
}

/** Reindexes started for this user, from the bot's own log lines. */
function reindexesBy(userId: string): number {
  return h.bot.logs().filter((l) => l['msg'] === 'reindex started' && l['user'] === userId).length;
}

describe('/reindex permission matrix', () => {
  it('the bot starts although the data folder refuses writes, logs it, and answers', async () => {
    const warn = await h.bot.waitForLog((l) => l['msg'] === 'snapshot not saved; serving from memory', 1_000);
    expect(String(warn['err'])).toMatch(mounted ? /ENOSPC/ : /ENOTDIR|EEXIST/);
    const body = await reply(h.fake.sendCommand(question('djingo', 'Combien coûtait l’enceinte Djingo ?')));
    expect(body.data!.content).toMatch(/149/);
  });

  for (const c of MATRIX) {
    it(c.name, async () => {
      await idle();
      const who = member('16');
      const input: SendCommandInput = { name: 'reindex', user: who, ...c.input };
      // discord.js takes the interaction's user from `user` (DMs, or given in `extra`), else from `member.user`.
      const userId = c.input.dm
        ? who.id
        : ((c.input.extra?.['user'] as { id?: string } | undefined)?.id ??
          (c.input.member as { user?: { id?: string } } | undefined)?.user?.id ??
          who.id);
      const handle = h.fake.sendCommand(input);
      if (c.expect === 'dropped') {
        // discord.js could not build the interaction: its error surfaces as an unhandled rejection the bot logs,
        // nothing answers (the bot answers others in well under 100 ms), the bot stays up and did not reindex.
        const rejections = (): number => h.bot.logs().filter((l) => l['msg'] === 'unhandled rejection').length;
        const before = rejections();
        await expect(handle.firstResponse(1_500)).rejects.toThrow(/timed out/);
        expect(rejections()).toBeGreaterThan(before);
        expect(h.bot.alive()).toBe(true);
        expect(reindexesBy(userId)).toBe(0);
        return;
      }
      const body = await reply(handle);
      expect(body.data!.flags! & 64).toBe(64);
      if (c.expect === 'refused') {
        expect(body.type).toBe(4);
        expect(body.data!.content).toMatch(/^⛔ /);
        expect(body.data!.content).toMatch(c.says!);
        await h.bot.waitForLog((l) => l['msg'] === 'reindex refused' && l['user'] === userId, 2_000);
        expect(reindexesBy(userId)).toBe(0);
        return;
      }
      expect(body.type).toBe(5);
      const patch = await handle.waitFor((r) => r.method === 'PATCH', 10_000);
      const content = (patch.body as { content: string }).content;
      expect(content).toMatch(/^✅ Réindexation terminée/);
      // The data folder still refuses writes: the report says the snapshot was not saved.
      expect(content).toContain('L’instantané n’a pas pu être enregistré');
      expect(content).toMatch(mounted ? /ENOSPC/ : /ENOTDIR|EEXIST/);
      await h.bot.waitForLog((l) => l['msg'] === 'reindex done' && l['user'] === userId, 2_000);
    });
  }

  it('after the matrix the bot is alive and answers; dropped payloads were logged, not fatal', async () => {
    expect(h.bot.alive()).toBe(true);
    expect(h.bot.logs().some((l) => l['msg'] === 'unhandled rejection')).toBe(true);
    const body = await reply(h.fake.sendCommand(question('recherche', 'Deutsch Telekom')));
    expect(body.data!.content).toMatch(/Telekom/);
    const counts = { allowed: 0, refused: 0, dropped: 0 };
    for (const c of MATRIX) counts[c.expect]++;
    const outcome =
      `${counts.allowed} allowed, ${counts.refused} refused (ephemeral, says why), ` +
      `${counts.dropped} dropped by discord.js (no reply, no reindex)`;
    logSummary([{ fault: '/reindex permission matrix', cases: MATRIX.length, outcome }]);
  });
});

describe('/reindex when the disk or the seeds folder fail', () => {
  it('once the data folder takes writes again, the next /reindex saves the snapshot', async () => {
    await idle();
    heal();
    const handle = h.fake.sendCommand({
      name: 'reindex',
      user: member('16'),
      permissions: FakePermissions.ADMINISTRATOR,
    });
    expect((await reply(handle)).type).toBe(5);
    const content = ((await handle.waitFor((r) => r.method === 'PATCH', 10_000)).body as { content: string }).content;
    expect(content).toMatch(/^✅/);
    expect(content).not.toContain('L’instantané n’a pas pu être enregistré');
    const saved = await readSnapshot(h.dataDir);
    expect(saved.ok).toBe(true);
  });

  it('seeds folder renamed away: the report says it failed, and the next question is still answered', async () => {
    await idle();
    renameSync(h.seedsDir, `${h.seedsDir}.away`);
    try {
      const handle = h.fake.sendCommand({
        name: 'reindex',
        user: member('16'),
        permissions: FakePermissions.MEMBER,
        roles: [MOD_ROLE],
      });
      expect((await reply(handle)).type).toBe(5);
      const content = ((await handle.waitFor((r) => r.method === 'PATCH', 10_000)).body as { content: string }).content;
      expect(content).toBe(
        '❌ Réindexation impossible (dossier des articles introuvable). L’index actuel continue de répondre.',
      );
      const body = await reply(h.fake.sendCommand(question('djingo', 'Combien coûtait l’enceinte Djingo ?')));
      expect(body.data!.content).toMatch(/149/);
      const sources = await reply(h.fake.sendCommand({ name: 'sources', user: member() }));
      expect(sources.data!.content).toContain('Articles indexés\u202f: 3');
    } finally {
      renameSync(`${h.seedsDir}.away`, h.seedsDir);
    }
    expect(existsSync(h.seedsDir)).toBe(true);
  });

  it('sent only valid messages that ping no one, and never the token (output, logs, requests)', () => {
    expectCleanTraffic(h);
    expectTokenNowhere(h);
    // The malformed-payload crashes were logged with their stack: the token is not in them either.
    expect(h.bot.logs().filter((l) => l['level'] === 50 || l['level'] === 60).length).toBeGreaterThan(0);
  });
});
