/**
 * Answer buttons against the real bot process and the fake Discord: forged custom ids (links, markdown, mentions,
 * unknown topics, huge numbers, stray separators) are refused privately and never reach a message raw;
 * « Publier dans le salon » clicked 15 times at once posts at most once; « Autre passage » works on every layout
 * of an answer (plain, suggested with `mention`, shared with « Publier »).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage, InteractionHandle } from '../fake-discord/index.js';
import { cb, expectTokenNowhere, member, reply, startHarness, type CallbackBody, type Harness } from './e2e-helpers.js';
import { logSummary } from './helpers.js';

const TOKEN = 'reliability-buttons-token.ABC.456456';
const QUESTION = 'Combien coûtait l’enceinte Djingo ?';
const EPHEMERAL = 64;
const UNSUPPORTED = 'Cette commande ou ce bouton n’est plus pris en charge.';
let h: Harness;

beforeAll(async () => {
  // A long cooldown: a second « Publier » within it must be refused whatever the timing.
  h = await startHarness({ token: TOKEN, env: { COOLDOWN_SECONDS: '30' } });
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

type Rows = { components: { custom_id?: string }[] }[];
/** The custom ids of a message's buttons, in order. */
const ids = (components: Rows | unknown[] | undefined): string[] =>
  ((components ?? []) as Rows).flatMap((row) => row.components.map((c) => c.custom_id ?? ''));

/** A question asked by `asker` (hidden or with a `mention`), its first answer and the stored message. */
async function ask(
  asker: { id: string; username: string },
  extra: { name: string; type: number; value: string | boolean; user?: { id: string; username: string } }[] = [],
): Promise<{ body: CallbackBody; message: FakeMessage; handle: InteractionHandle }> {
  const handle = h.fake.sendCommand({
    name: 'djingo',
    options: [{ name: 'question', type: 3, value: QUESTION }, ...extra],
    user: asker,
  });
  const body = await reply(handle);
  const message = handle.originalMessage();
  expect(message).toBeDefined();
  return { body, message: message!, handle };
}

const press = (customId: string, message: FakeMessage, user: { id: string; username: string }): InteractionHandle =>
  h.fake.sendButton({ customId, message: { id: message.id }, user });

describe('forged button ids', () => {
  it('are refused privately: no link, markdown or mention from the id reaches a message', async () => {
    const asker = member();
    const { body } = await ask(asker, [{ name: 'cacher', type: 5, value: true }]);
    // The forged button sits on a real private answer of the one who clicks it, as a modified client would send.
    const content = body.data!.content!;
    const own = asker.id;
    const forged = [
      `pub|${own}|[Nitro gratuit ici](https://evil.example/p)|0`,
      `pub|${own}|@everyone|0`,
      `pub|${own}|**ANNONCE**|0`,
      `pub|${own}|djingo|0|[lien](https://evil.example)`,
      `pub|${own}|djingo|999999`,
      `pub|${own}|constructor|0`,
      `next|${own}|[connectez-vous](https://evil.example/login)|1`,
      `next|${own}|<@&1300000000000000099>|1`,
      `next|${own}|__proto__|1`,
      `next|${own}|licornes|1`,
      `next|${own}|djingo|999999`,
      `next|${own}|djingo|99999999999999999999`,
      `next|${own}|djingo|01`,
      `next|${own}|djingo|1|`,
      `next|<@${own}>|djingo|1`,
      `src|**ANNONCE** : [connectez-vous](https://evil.example/login)|0`,
      'src|<@&1300000000000000099>|0',
      'src|__proto__|0',
      'src|toString|0',
      'src|djingo|999999999999',
      'src|djingo|-1',
      'src|djingo|0|x',
      'para|abcdef|a|99999999999',
      'para|abcdef|[x](https://evil.example)|1',
      'para|abcdef|a|1|@everyone',
      'para|@everyone|a|1',
      'pub',
      '',
      '[Nitro gratuit ici](https://evil.example/p)|0',
    ];
    for (const customId of forged) {
      const handle = h.fake.sendButton({
        customId,
        message: { content, components: body.data!.components, flags: EPHEMERAL },
        user: asker,
      });
      const answer = await reply(handle);
      expect(answer.type, customId).toBe(4);
      expect((answer.data!.flags ?? 0) & EPHEMERAL, customId).toBe(EPHEMERAL);
      expect(answer.data!.content, customId).toBe(UNSUPPORTED);
    }
    logSummary([
      {
        fault: 'forged button ids (links, markdown, mentions, unknown topics, huge numbers, stray separators)',
        cases: forged.length,
        outcome: 'refused privately; nothing of the id reaches a message',
      },
    ]);
  });
});

describe('« Publier dans le salon »', () => {
  it('clicked 15 times at once posts at most once; every other click gets a private French message', async () => {
    const asker = member();
    const { body, message } = await ask(asker, [{ name: 'cacher', type: 5, value: true }]);
    const pub = ids(body.data?.components).find((id) => id.startsWith('pub|'));
    expect(pub).toBeDefined();
    const handles = Array.from({ length: 15 }, () => press(pub!, message, asker));
    const answers = await Promise.all(handles.map((handle) => reply(handle)));
    const posts = answers.filter((a) => ((a.data!.flags ?? 0) & EPHEMERAL) === 0);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.data!.content).toContain(`Réponse partagée par <@${asker.id}>`);
    for (const refused of answers.filter((a) => a !== posts[0])) {
      expect(refused.data!.content).toMatch(/^⏳ Doucement\u202f! |déjà été publié/u);
    }
    // Another passage of the same answer, published within the member's cooldown: refused, saying how long to wait.
    const next = ids(body.data?.components).find((id) => id.startsWith('next|'));
    const moved = await reply(press(next!, message, asker));
    expect(moved.type).toBe(7);
    const pubNext = ids(moved.data?.components).find((id) => id.startsWith('pub|'));
    expect(pubNext).toMatch(/\|1$/u);
    const waited = await reply(press(pubNext!, message, asker));
    expect((waited.data!.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(waited.data!.content).toMatch(/^⏳ Doucement\u202f! Vous pourrez publier à nouveau dans \d+\u202fs\.$/u);
    logSummary([
      {
        fault: '« Publier dans le salon » clicked 15 times at once, then on another passage',
        cases: 16,
        outcome: '1 public post; 14 private refusals; another passage within the cooldown refused privately',
      },
    ]);
  });
});

describe('« Autre passage »', () => {
  /** Presses « Autre passage » on `message` and expects the answer edited in place, with another passage. */
  async function nextPassage(message: FakeMessage, asker: { id: string; username: string }): Promise<CallbackBody> {
    const next = ids(message.components).find((id) => id.startsWith('next|'));
    expect(next).toBeDefined();
    const moved = await reply(press(next!, message, asker));
    expect(moved.type, moved.data?.content).toBe(7);
    expect(moved.data!.content).not.toBe(message.content);
    expect(moved.data!.content).toContain(`\`\`${QUESTION}\`\``);
    return moved;
  }

  it('works on an answer made with `mention`, which keeps its suggestion line', async () => {
    const asker = member();
    const target = member();
    const { message } = await ask(asker, [{ name: 'mention', type: 6, value: target.id, user: target }]);
    expect(message.content).toMatch(new RegExp(`^Suggestion pour <@${target.id}>`, 'u'));
    const moved = await nextPassage(message, asker);
    expect(moved.data!.content).toMatch(new RegExp(`^Suggestion pour <@${target.id}>`, 'u'));
  });

  it('works on a shared (« Publier ») answer, which keeps naming who shared it', async () => {
    const asker = member();
    const { body, message } = await ask(asker, [{ name: 'cacher', type: 5, value: true }]);
    const pub = ids(body.data?.components).find((id) => id.startsWith('pub|'));
    const shared = press(pub!, message, asker);
    const posted = await reply(shared);
    expect((posted.data!.flags ?? 0) & EPHEMERAL).toBe(0);
    const sharedMessage = shared.originalMessage();
    expect(sharedMessage).toBeDefined();
    const moved = await nextPassage(sharedMessage!, asker);
    expect(moved.data!.content).toMatch(new RegExp(`^Réponse partagée par <@${asker.id}>`, 'u'));
    logSummary([
      {
        fault: '« Autre passage » on a suggested (`mention`) and on a shared answer',
        cases: 2,
        outcome: 'the next passage shown in place, layout kept',
      },
    ]);
  });
});

describe('after the buttons', () => {
  it('the bot sent only valid messages, pinged no one beyond a suggestion, and never showed its token', () => {
    expect(h.bot.alive()).toBe(true);
    expect(h.fake.violations.filter((v) => v.kind !== 'unknown-interaction')).toEqual([]);
    for (const m of h.fake.messageBodies) {
      if (m.content === undefined) continue;
      expect(m.hasAllowedMentions, JSON.stringify(m)).toBe(true);
      // The one allowed ping: the member an answer is suggested to (`mention`), named in allowed_mentions.users.
      const users = (m.allowedMentions as { users?: string[] } | null)?.users ?? [];
      if (users.length === 1 && m.content.startsWith(`Suggestion pour <@${users[0]}>`)) continue;
      expect(m.pings, JSON.stringify(m)).toBe(false);
    }
    expectTokenNowhere(h);
    const callbacks = h.fake.requests.filter((r) => /\/callback$/u.test(r.path)).map(cb);
    // No masked link of a forged id, escaped or not, reached any message.
    for (const c of callbacks) expect(c.data?.content ?? '').not.toContain('evil.example');
    // Nor any log line: a button is logged by a kind the bot knows, not by what the client sent.
    expect(h.bot.output()).not.toContain('evil.example');
    expect(h.bot.output()).not.toContain('ANNONCE');
  });
});
