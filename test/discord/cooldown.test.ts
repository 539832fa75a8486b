import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, Cooldown, type BotContext } from '../../src/discord/index.js';
import type { SearchIndex } from '../../src/index/index.js';
import { bundledIndex } from '../helpers.js';

describe('Cooldown', () => {
  it('wait() says how long is left without starting anything; start() starts it', () => {
    let now = 10_000;
    const cd = new Cooldown(3, () => now);
    expect(cd.wait('a')).toBe(0);
    expect(cd.wait('a')).toBe(0);
    cd.start('a');
    expect(cd.wait('a')).toBe(3_000);
    expect(cd.wait('b')).toBe(0);
    now += 1_250;
    expect(cd.wait('a')).toBe(1_750);
    now += 1_750;
    expect(cd.wait('a')).toBe(0);
  });

  it('start() again restarts it from now; take() is wait() then start() when free', () => {
    let now = 0;
    const cd = new Cooldown(2, () => now);
    cd.start('a');
    now += 1_500;
    cd.start('a');
    expect(cd.wait('a')).toBe(2_000);
    expect(cd.take('a')).toBe(2_000);
    // A refused take() does not push the end further.
    now += 1_000;
    expect(cd.wait('a')).toBe(1_000);
    now += 1_000;
    expect(cd.take('a')).toBe(0);
    expect(cd.wait('a')).toBe(2_000);
  });

  it('keeps each key apart (questions and « Publier » of one member)', () => {
    const now = 0;
    const cd = new Cooldown(5, () => now);
    cd.start('123');
    expect(cd.wait('publish:123')).toBe(0);
    expect(cd.take('publish:123')).toBe(0);
    expect(cd.wait('123')).toBe(5_000);
  });

  it('does nothing when set to 0 seconds', () => {
    const cd = new Cooldown(0, () => 0);
    cd.start('a');
    expect(cd.wait('a')).toBe(0);
    expect(cd.take('a')).toBe(0);
    expect(cd.take('a')).toBe(0);
  });

  it('keeps running cooldowns when it sweeps ended ones (past 10,000 keys)', () => {
    let now = 0;
    const cd = new Cooldown(1, () => now);
    cd.start('early');
    now = 500;
    for (let i = 0; i < 9_999; i++) cd.start(`old${i}`);
    now = 1_200;
    // 'early' has ended, the others run until 1 500; the 10 001st key sweeps: running ones are kept.
    cd.start('last');
    expect(cd.wait('old0')).toBe(300);
    expect(cd.wait('old9998')).toBe(300);
    expect(cd.wait('last')).toBe(1_000);
    expect(cd.wait('early')).toBe(0);
  });
});

describe('a question and the cooldown', () => {
  let index: SearchIndex;
  beforeAll(async () => {
    index = await bundledIndex();
  });

  const ASKER = '123456789012345678';
  /** Just what answerQuestion reads of a slash command, and the replies it sends. */
  function slash(question: string, options: { cacher?: boolean; mention?: string } = {}) {
    const replies: { content: string; flags: number; components: unknown[]; allowedMentions: unknown }[] = [];
    const interaction = {
      user: { id: ASKER },
      options: {
        getString: () => question,
        getBoolean: (name: string) => (name === 'cacher' ? (options.cacher ?? null) : null),
        getUser: () => (options.mention ? { id: options.mention, bot: false } : null),
      },
      reply: async (message: (typeof replies)[number]) => void replies.push(message),
    };
    return { interaction: interaction as unknown as ChatInputCommandInteraction, replies };
  }
  const contextWith = (cooldown: Cooldown): BotContext =>
    ({ holder: { current: index }, cooldown, stats: null }) as unknown as BotContext;
  const ephemeral = (flags: number): boolean => (flags & MessageFlags.Ephemeral) !== 0;

  it('a question without an answer is private, pings nobody, and the member may rephrase at once', async () => {
    const cd = new Cooldown(30, () => 0);
    const ctx = contextWith(cd);
    const { interaction, replies } = slash('Quelle est la capitale du Japon ?', { mention: '876543210987654321' });
    await answerQuestion(interaction, ctx, 'djingo');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toContain('Je n’ai trouvé aucun passage');
    expect(replies[0]!.content).toContain('```text\nQuelle est la capitale du Japon ?\n```');
    expect(ephemeral(replies[0]!.flags)).toBe(true);
    expect(replies[0]!.allowedMentions).toEqual({ parse: [] });
    expect(replies[0]!.content).not.toContain('<@876543210987654321>');
    expect(cd.wait(ASKER)).toBe(0);

    // Rephrased at once: answered, public, and now the cooldown runs.
    const again = slash('Combien coûtait l’enceinte Djingo ?');
    await answerQuestion(again.interaction, ctx, 'djingo');
    expect(again.replies[0]!.content).toContain('> ');
    expect(ephemeral(again.replies[0]!.flags)).toBe(false);
    expect(cd.wait(ASKER)).toBe(30_000);

    // Within it, the next question is refused, privately, and does not restart it.
    const third = slash('Quand Djingo a-t-il été lancé ?');
    await answerQuestion(third.interaction, ctx, 'djingo');
    expect(ephemeral(third.replies[0]!.flags)).toBe(true);
    expect(third.replies[0]!.content).not.toContain('Question');
    expect(cd.wait(ASKER)).toBe(30_000);
  });

  it('an empty question is private and starts no cooldown either', async () => {
    const cd = new Cooldown(30, () => 0);
    const { interaction, replies } = slash('🙂 ?');
    await answerQuestion(interaction, contextWith(cd), null);
    expect(replies[0]!.content).toContain('Votre question est vide');
    expect(ephemeral(replies[0]!.flags)).toBe(true);
    expect(cd.wait(ASKER)).toBe(0);
  });

  it('an answer asked with « cacher » is private and still starts the cooldown', async () => {
    const cd = new Cooldown(30, () => 0);
    const { interaction, replies } = slash('Combien coûtait l’enceinte Djingo ?', { cacher: true });
    await answerQuestion(interaction, contextWith(cd), 'djingo');
    expect(ephemeral(replies[0]!.flags)).toBe(true);
    expect(replies[0]!.content).toContain('> ');
    expect(cd.wait(ASKER)).toBe(30_000);
  });
});
