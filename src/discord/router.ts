import { performance } from 'node:perf_hooks';
import { DiscordAPIError, MessageFlags, type ButtonInteraction, type Interaction } from 'discord.js';
import { rerunAnswer, showParagraph } from './answer-reply.js';
import type { BotCommand, BotContext } from './context.js';
import { decodeButton } from './custom-ids.js';

export interface RouterOptions {
  commands: readonly BotCommand[];
  /** Page buttons of /sources (defined with the command). */
  sourcesPage(interaction: ButtonInteraction, ctx: BotContext, topic: string | null, page: number): Promise<void>;
}

/** Discord error codes that mean the interaction is gone or answered: nothing more can be sent for it. */
const GONE = new Set([10062, 40060, 10015]);

function describe(interaction: Interaction): { type: string; name: string } {
  if (interaction.isChatInputCommand()) return { type: 'command', name: interaction.commandName };
  if (interaction.isAutocomplete()) return { type: 'autocomplete', name: interaction.commandName };
  if (interaction.isMessageContextMenuCommand()) return { type: 'context-menu', name: interaction.commandName };
  if (interaction.isButton()) return { type: 'button', name: interaction.customId.split('|')[0] ?? '?' };
  return { type: String(interaction.type), name: '?' };
}

/**
 * The one `interactionCreate` handler: finds the command or button, runs it, and logs one line with command,
 * latency and outcome. Never throws: Discord errors are logged, and the user is told when something failed.
 */
export function createRouter(ctx: BotContext, options: RouterOptions): (interaction: Interaction) => Promise<void> {
  const byName = new Map(options.commands.map((c) => [c.data.name, c]));
  return async (interaction) => {
    const started = performance.now();
    const { type, name } = describe(interaction);
    let outcome = 'ok';
    try {
      outcome = await dispatch(interaction, ctx, byName, options);
    } catch (err) {
      outcome = err instanceof DiscordAPIError && GONE.has(Number(err.code)) ? `discord-${err.code}` : 'error';
      const level = outcome === 'error' ? 'error' : 'warn';
      ctx.log[level]({ err, command: name, type }, 'interaction failed');
      if (outcome === 'error') await tellFailure(interaction, ctx);
    } finally {
      ctx.log.info({ type, command: name, user: interaction.user.id, guild: interaction.guildId, latencyMs: Math.round(performance.now() - started), outcome }, 'interaction');
    }
  };
}

async function dispatch(interaction: Interaction, ctx: BotContext, byName: Map<string, BotCommand>, options: RouterOptions): Promise<string> {
  if (interaction.isAutocomplete()) {
    const command = byName.get(interaction.commandName);
    if (command?.kind !== 'chat' || !command.autocomplete) {
      await interaction.respond([]);
      return 'unknown-command';
    }
    await command.autocomplete(interaction, ctx);
    return 'ok';
  }
  if (interaction.isChatInputCommand()) {
    const command = byName.get(interaction.commandName);
    if (command?.kind !== 'chat') return unknown(interaction);
    await command.execute(interaction, ctx);
    return 'ok';
  }
  if (interaction.isMessageContextMenuCommand()) {
    const command = byName.get(interaction.commandName);
    if (command?.kind !== 'message') return unknown(interaction);
    await command.execute(interaction, ctx);
    return 'ok';
  }
  if (interaction.isButton()) {
    const action = decodeButton(interaction.customId);
    if (!action) return unknown(interaction);
    switch (action.kind) {
      case 'para':
        await showParagraph(interaction, ctx, action.article, action.comment, action.paragraph);
        break;
      case 'next':
      case 'pub':
        await rerunAnswer(interaction, ctx, action);
        break;
      case 'src':
        await options.sourcesPage(interaction, ctx, action.topic, action.page);
        break;
    }
    return 'ok';
  }
  return 'ignored';
}

async function unknown(interaction: Interaction): Promise<string> {
  if (interaction.isRepliable()) {
    await interaction.reply({ content: 'Cette commande ou ce bouton n’est plus pris en charge.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  }
  return 'unknown';
}

async function tellFailure(interaction: Interaction, ctx: BotContext): Promise<void> {
  if (!interaction.isRepliable()) return;
  const message = { content: '❌ Une erreur est survenue. Réessayez dans un instant.', flags: MessageFlags.Ephemeral as const, allowedMentions: { parse: [] as [] } };
  try {
    if (interaction.deferred || interaction.replied) await interaction.followUp(message);
    else await interaction.reply(message);
  } catch (err) {
    ctx.log.warn({ err }, 'could not tell the user about the failure');
  }
}
