import type { Interaction } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type BotCommand, type BotContext, type ButtonHandlers } from '../../src/discord/index.js';

const ctx = { log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } } as unknown as BotContext;

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
    const route = createRouter(ctx, [command('question', { para }), command('sources', { src })]);
    await route(pressed('src|djingo|2').interaction);
    expect(src).toHaveBeenCalledOnce();
    expect(src.mock.calls[0]).toContainEqual({ kind: 'src', topic: 'djingo', page: 2 });
    expect(para).not.toHaveBeenCalled();
  });

  it('lets commands share a prefix with the same handler, and refuses two handlers for one prefix', () => {
    const para = async (): Promise<void> => {};
    expect(() => createRouter(ctx, [command('a', { para }), command('b', { para })])).not.toThrow();
    const other = async (): Promise<void> => {};
    expect(() => createRouter(ctx, [command('a', { para }), command('b', { para: other })])).toThrow(/para/);
  });

  it('says a button is no longer supported when no command declared its prefix, or its id is malformed', async () => {
    const route = createRouter(ctx, [command('sources', { src: async () => {} })]);
    for (const id of ['para|abcdef|a|1', 'src|djingo|x', 'nope']) {
      const { interaction, replies } = pressed(id);
      await route(interaction);
      expect(replies.map((r) => r.content)).toEqual(['Cette commande ou ce bouton n’est plus pris en charge.']);
    }
  });
});
