import type { Interaction } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { commandsFor } from '../../commands/index.js';
import type { TopicDefinition } from '../../src/corpus/index.js';
import { createRouter, type BotCommand, type BotContext, type ButtonHandlers } from '../../src/discord/index.js';
import { SEED_TOPICS } from '../helpers.js';

/** Just what the router reads of the context: the log, and the topics of the index served (`holder.current`). */
function contextWith(topics: readonly TopicDefinition[]): BotContext {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { log, holder: { current: { corpus: { topics } } } } as unknown as BotContext;
}
/** What a /reindex that changed the topics does to the index served, as far as the router sees. */
function serveTopics(context: BotContext, topics: readonly TopicDefinition[]): void {
  (context.holder as unknown as { current: unknown }).current = { corpus: { topics } };
}
const ctx = contextWith(SEED_TOPICS);

/** Just what the router reads of a button interaction. */
function pressed(customId: string): { interaction: Interaction; replies: { content?: string }[] } {
  const replies: { content?: string }[] = [];
  const interaction = {
    customId,
    type: 3,
    user: { id: '123456789012345678' },
    guildId: null,
    deferred: false,
    replied: false,
    isAutocomplete: () => false,
    isChatInputCommand: () => false,
    isMessageContextMenuCommand: () => false,
    isButton: () => true,
    isRepliable: () => true,
    reply: async (message: { content?: string }) => void replies.push(message),
  };
  return { interaction: interaction as unknown as Interaction, replies };
}

const command = (name: string, buttons?: ButtonHandlers): BotCommand => ({
  kind: 'chat',
  data: { name, description: name },
  execute: async () => {},
  ...(buttons ? { buttons } : {}),
});

describe('buttons are routed by prefix to the command that declared them', () => {
  it('calls the handler of the prefix with the decoded id', async () => {
    const src = vi.fn(async () => {});
    const para = vi.fn(async () => {});
    const route = createRouter(ctx, () => [command('question', { para }), command('sources', { src })]);
    await route(pressed('src|djingo|2').interaction);
    expect(src).toHaveBeenCalledOnce();
    expect(src.mock.calls[0]).toContainEqual({ kind: 'src', topic: 'djingo', page: 2 });
    expect(para).not.toHaveBeenCalled();
  });

  it('lets commands share a prefix with the same handler, and refuses two handlers for one prefix', async () => {
    const para = vi.fn(async () => {});
    const shared = createRouter(ctx, () => [command('a', { para }), command('b', { para })]);
    await shared(pressed('para|abcdef|a|1').interaction);
    expect(para).toHaveBeenCalledOnce();
    const other = async (): Promise<void> => {};
    // Found when the router is made, for the topics served then (a coding error, not a click's).
    expect(() => createRouter(ctx, () => [command('a', { para }), command('b', { para: other })])).toThrow(/para/);
  });

  it('routes the bot’s own commands for the bundled topics without a clash', async () => {
    const route = createRouter(ctx, commandsFor);
    const { interaction, replies } = pressed('nope');
    await route(interaction);
    expect(replies.map((r) => r.content)).toEqual(['Cette commande ou ce bouton n’est plus pris en charge.']);
  });

  it('follows the topics of the index served: a topic added by a reindex routes, a removed one no more', async () => {
    const src = vi.fn(async () => {});
    const changing = contextWith(SEED_TOPICS);
    const seen: string[][] = [];
    const route = createRouter(changing, (topics) => {
      seen.push(topics.map((t) => t.name));
      return [command('sources', { src })];
    });
    const licornes = { name: 'licornes', label: 'Licornes', description: 'Les licornes', match: ['licorne'] };
    const { interaction: before, replies: refused } = pressed('src|licornes|0');
    await route(before);
    expect(src).not.toHaveBeenCalled();
    expect(refused.map((r) => r.content)).toEqual(['Cette commande ou ce bouton n’est plus pris en charge.']);
    serveTopics(changing, [licornes]);
    await route(pressed('src|licornes|0').interaction);
    expect(src.mock.calls[0]).toContainEqual({ kind: 'src', topic: 'licornes', page: 0 });
    const { interaction: gone, replies } = pressed('src|djingo|0');
    await route(gone);
    expect(replies.map((r) => r.content)).toEqual(['Cette commande ou ce bouton n’est plus pris en charge.']);
    // Worked out once per topic list, not once per interaction.
    expect(seen).toEqual([['djingo', 'xiaomi'], ['licornes']]);
  });

  it('says a button is no longer supported when no command declared its prefix, or its id is malformed', async () => {
    const route = createRouter(ctx, () => [command('sources', { src: async () => {} })]);
    for (const id of ['para|abcdef|a|1', 'src|djingo|x', 'nope']) {
      const { interaction, replies } = pressed(id);
      await route(interaction);
      expect(replies.map((r) => r.content)).toEqual(['Cette commande ou ce bouton n’est plus pris en charge.']);
    }
  });
});
