import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { ask } from '../answer/index.js';
import { suggest } from '../suggest/index.js';
import type { BotContext, ButtonHandler } from './context.js';
import { body, questionFromMessage, renderAnswer, renderCooldown } from './render/index.js';
import { sendReply, updateReply } from './safe-reply.js';

/** Results fetched per question: the first is shown, « Autre passage » walks through the rest. */
const RESULTS_PER_QUESTION = 10;

/** A question asked through /djingo, /xiaomi (a topic) or /recherche (topic null). */
export async function answerQuestion(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  topic: string | null,
): Promise<void> {
  const question = interaction.options.getString('question', true);
  const hidden = interaction.options.getBoolean('cacher') ?? false;
  const target = interaction.options.getUser('mention');
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) return sendReply(interaction, renderCooldown(wait), true);
  const answer = ask(ctx.holder.current, question, { topic, limit: RESULTS_PER_QUESTION });
  const suggestTo = target && !target.bot && target.id !== interaction.user.id && !hidden ? target.id : null;
  const view = { index: 0, userId: interaction.user.id, ephemeral: hidden, rerunnable: true, suggestTo };
  await sendReply(interaction, renderAnswer(answer, view), hidden);
}

/** Suggestions while the question is typed; a failure answers with none rather than an error. */
export async function autocompleteQuestion(
  interaction: AutocompleteInteraction,
  ctx: BotContext,
  topic: string | null,
): Promise<void> {
  const typed = interaction.options.getFocused();
  let choices: string[] = [];
  try {
    choices = suggest(ctx.holder.current, typed, topic);
  } catch (err) {
    ctx.log.warn({ err }, 'autocomplete failed; answering with no suggestion');
  }
  await interaction.respond(choices.map((c) => ({ name: c, value: c })));
}

/**
 * « Autre passage » (edits the answer) and « Publier dans le salon » (posts it): the question is read back from
 * the message and asked again; only the person who asked may use them.
 */
export const rerunAnswer: ButtonHandler<'next' | 'pub'> = async (interaction, ctx, action) => {
  if (interaction.user.id !== action.userId) {
    return sendReply(interaction, body('Seule la personne qui a posé la question peut utiliser ce bouton.'), true);
  }
  const question = questionFromMessage(interaction.message.content);
  if (!question) return sendReply(interaction, body('Je ne retrouve pas la question de ce message.'), true);
  const answer = ask(ctx.holder.current, question, { topic: action.topic, limit: RESULTS_PER_QUESTION });
  if (action.kind === 'next') {
    const index = answer.results.length === 0 ? 0 : action.index % answer.results.length;
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    const view = { index, userId: action.userId, ephemeral, rerunnable: true };
    return updateReply(interaction, renderAnswer(answer, view));
  }
  // Posted in the channel on behalf of the asker, who is named, not pinged.
  const { index, userId } = action;
  const view = { index, userId, ephemeral: false, rerunnable: true, sharedBy: userId };
  await sendReply(interaction, renderAnswer(answer, view), false);
};
