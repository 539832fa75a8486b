import type { MessageContextMenuCommandInteraction } from 'discord.js';
import { ask } from '../answer/index.js';
import type { BotContext } from './context.js';
import { body, renderAnswer, renderCooldown } from './render/index.js';
import { sendReply } from './safe-reply.js';

/** A message to source is searched through its beginning: a question, not a whole essay. */
const MAX_SOURCED_TEXT = 500;

/** « Chercher la source »: the selected message's text searched through every topic, answered privately. */
export async function sourceMessage(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void> {
  const text = interaction.targetMessage.content.trim();
  if (!text) return sendReply(interaction, body('Ce message ne contient pas de texte à sourcer.'), true);
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) return sendReply(interaction, renderCooldown(wait), true);
  const answer = ask(ctx.holder.current, text.slice(0, MAX_SOURCED_TEXT), { topic: null, limit: 3 });
  const view = { index: 0, userId: interaction.user.id, ephemeral: true, rerunnable: false };
  await sendReply(interaction, renderAnswer(answer, view), true);
}
