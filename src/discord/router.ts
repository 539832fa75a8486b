import { performance } from 'node:perf_hooks';
import { DiscordAPIError, MessageFlags, type ButtonInteraction, type Interaction } from 'discord.js';
import type { TopicDefinition } from '../corpus/index.js';
import type { BotCommand, BotContext, ButtonHandlers } from './context.js';
import { decodeButton, type ButtonAction, type ButtonKind } from './custom-ids.js';

/** Discord error codes that mean the interaction is gone or answered: nothing more can be sent for it. */
const GONE = new Set([10062, 40060, 10015]);

function describe(interaction: Interaction, known: Routes): { type: string; name: string } {
  if (interaction.isChatInputCommand()) return { type: 'command', name: interaction.commandName };
  if (interaction.isAutocomplete()) return { type: 'autocomplete', name: interaction.commandName };
  if (interaction.isMessageContextMenuCommand()) return { type: 'context-menu', name: interaction.commandName };
  // A custom id is whatever the client sent: only a kind the bot knows is logged.
  if (interaction.isButton()) {
    return { type: 'button', name: decodeButton(interaction.customId, known.isTopic)?.kind ?? 'unknown' };
  }
  return { type: String(interaction.type), name: '?' };
}

interface Routes {
  byName: Map<string, BotCommand>;
  /** Which command's handlers serve each custom-id prefix. */
  byPrefix: Map<ButtonKind, ButtonHandlers>;
  /** Topics of the commands: a button naming another topic is not the bot's. */
  isTopic: (name: string) => boolean;
}

/**
 * Each prefix belongs to the commands that declared it; several may share one (every question command shows
 * « Paragraphe complet »), but only with the same handler, or a button would depend on the order of commands.
 */
function routes(commands: readonly BotCommand[], topics: readonly TopicDefinition[]): Routes {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byPrefix = new Map<ButtonKind, ButtonHandlers>();
  for (const command of commands) {
    const buttons = command.buttons ?? {};
    for (const kind of Object.keys(buttons) as ButtonKind[]) {
      const owner = byPrefix.get(kind);
      if (owner && owner[kind] !== buttons[kind]) {
        throw new Error(`button prefix "${kind}" has two different handlers (command ${command.data.name})`);
      }
      byPrefix.set(kind, buttons);
    }
  }
  const names = new Set(topics.map((t) => t.name));
  return { byName, byPrefix, isTopic: (name) => names.has(name) };
}

/**
 * The one `interactionCreate` handler: finds the command or button, runs it, and logs one line with command,
 * latency and outcome. Never throws: Discord errors are logged, and the user is told when something failed. The
 * commands depend on the topics of the index being served (a /reindex may change them), so they are looked up
 * for the index of the moment, and worked out once per topic list.
 */
export function createRouter(
  ctx: BotContext,
  commandsFor: (topics: readonly TopicDefinition[]) => readonly BotCommand[],
): (interaction: Interaction) => Promise<void> {
  const cache = new WeakMap<readonly TopicDefinition[], Routes>();
  const current = (): Routes => {
    const topics = ctx.holder.current.corpus.topics;
    let known = cache.get(topics);
    if (!known) cache.set(topics, (known = routes(commandsFor(topics), topics)));
    return known;
  };
  // Built once now: a button prefix with two handlers is a coding error, to be found at start, not at a click.
  current();
  return async (interaction) => {
    const started = performance.now();
    let known: Routes;
    try {
      known = current();
    } catch (err) {
      ctx.log.error({ err }, 'commands could not be routed');
      return;
    }
    const { type, name } = describe(interaction, known);
    let outcome = 'ok';
    try {
      outcome = await dispatch(interaction, ctx, known);
    } catch (err) {
      outcome = err instanceof DiscordAPIError && GONE.has(Number(err.code)) ? `discord-${err.code}` : 'error';
      const level = outcome === 'error' ? 'error' : 'warn';
      ctx.log[level]({ err, command: name, type }, 'interaction failed');
      if (outcome === 'error') await tellFailure(interaction, ctx);
    } finally {
      const latencyMs = Math.round(performance.now() - started);
      const { user, guildId: guild } = interaction;
      ctx.log.info({ type, command: name, user: user.id, guild, latencyMs, outcome }, 'interaction');
    }
  };
}

async function dispatch(
  interaction: Interaction,
  ctx: BotContext,
  { byName, byPrefix, isTopic }: Routes,
): Promise<string> {
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
    const action = decodeButton(interaction.customId, isTopic);
    const buttons = action && byPrefix.get(action.kind);
    if (!action || !buttons || !(await press(buttons, interaction, ctx, action))) return unknown(interaction);
    return 'ok';
  }
  return 'ignored';
}

/** Runs the handler declared for the button's prefix; false when there is none. */
async function press<K extends ButtonKind>(
  buttons: ButtonHandlers,
  interaction: ButtonInteraction,
  ctx: BotContext,
  action: ButtonAction<K>,
): Promise<boolean> {
  const handler = buttons[action.kind];
  if (!handler) return false;
  await handler(interaction, ctx, action);
  return true;
}

async function unknown(interaction: Interaction): Promise<string> {
  if (interaction.isRepliable()) {
    await interaction.reply({
      content: 'Cette commande ou ce bouton n’est plus pris en charge.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  }
  return 'unknown';
}

async function tellFailure(interaction: Interaction, ctx: BotContext): Promise<void> {
  if (!interaction.isRepliable()) return;
  const message = {
    content: '❌ Une erreur est survenue. Réessayez dans un instant.',
    flags: MessageFlags.Ephemeral as const,
    allowedMentions: { parse: [] as [] },
  };
  try {
    if (interaction.deferred || interaction.replied) await interaction.followUp(message);
    else await interaction.reply(message);
  } catch (err) {
    ctx.log.warn({ err }, 'could not tell the user about the failure');
  }
}
