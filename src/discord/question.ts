import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { ask, type Answer } from '../answer/index.js';
import { suggest } from '../suggest/index.js';
import type { BotContext, ButtonHandler } from './context.js';
import { RESULTS_PER_QUESTION, type ButtonAction } from './custom-ids.js';
import { body, readAnswer, renderAnswer, renderCooldown } from './render/index.js';
import { sendReply, updateReply } from './safe-reply.js';

/** A question asked through /djingo, /xiaomi (a topic) or /recherche (topic null). */
export async function answerQuestion(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  topic: string | null,
): Promise<void> {
  const question = interaction.options.getString('question', true);
  const target = interaction.options.getUser('mention');
  const wait = ctx.cooldown.wait(interaction.user.id);
  if (wait > 0) return sendReply(interaction, renderCooldown(wait), true);
  const answer = ask(ctx.holder.current, question, { topic, limit: RESULTS_PER_QUESTION });
  // Only an answer starts the cooldown: after a no-answer the member may rephrase at once.
  if (answer.answered) ctx.cooldown.start(interaction.user.id);
  if (!answer.emptyQuestion) recordQuestion(ctx, answer);
  // A no-answer is for the asker only: it neither fills the channel nor pings the member it was meant for.
  const hidden = (interaction.options.getBoolean('cacher') ?? false) || !answer.answered;
  const suggestTo = target && !target.bot && target.id !== interaction.user.id && !hidden ? target.id : null;
  const view = { index: 0, userId: interaction.user.id, ephemeral: hidden, rerunnable: true, suggestTo };
  await sendReply(interaction, renderAnswer(answer, view), hidden);
}

/** Counted for /stats: the question and what became of it, never who asked. */
function recordQuestion(ctx: BotContext, answer: Answer): void {
  const first = answer.results[0];
  const outcome = !answer.answered ? 'unanswered' : answer.hedged ? 'hedged' : 'answered';
  ctx.stats?.recordQuestion({
    question: answer.question,
    topic: answer.topic,
    outcome,
    quoted: first ? { file: first.article, title: first.title } : null,
  });
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
 * the message, where its layout puts it, and asked again; only the person who asked may use them.
 */
export const rerunAnswer: ButtonHandler<'next' | 'pub'> = async (interaction, ctx, action) => {
  if (interaction.user.id !== action.userId) {
    return sendReply(interaction, body('Seule la personne qui a posé la question peut utiliser ce bouton.'), true);
  }
  const layout = readAnswer(interaction.message.content);
  if (!layout) return sendReply(interaction, body('Je ne retrouve pas la question de ce message.'), true);
  if (action.kind === 'pub') return publish(interaction, ctx, action, layout.question);
  const answer = ask(ctx.holder.current, layout.question, { topic: action.topic, limit: RESULTS_PER_QUESTION });
  const index = answer.results.length === 0 ? 0 : action.index % answer.results.length;
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  // The edited answer keeps the line naming whom it was suggested to or who shared it.
  const { suggestTo, sharedBy } = layout;
  const view = { index, userId: action.userId, ephemeral, rerunnable: true, suggestTo, sharedBy };
  return updateReply(interaction, renderAnswer(answer, view));
};

/** Passages already posted, by private message and result index: a passage is posted once however often clicked. */
const published = new Set<string>();
const PUBLISHED_KEPT = 5_000;

/** Posts one passage of a private answer in the channel, on behalf of the asker (named, not pinged). */
async function publish(
  interaction: ButtonInteraction,
  ctx: BotContext,
  { index, userId, topic }: ButtonAction<'pub'>,
  question: string,
): Promise<void> {
  const key = `${interaction.message.id}|${index}`;
  if (published.has(key)) return sendReply(interaction, body('Ce passage a déjà été publié dans le salon.'), true);
  // Each post is a full search and a public message: the member's cooldown applies, apart from their questions'.
  const wait = ctx.cooldown.take(`publish:${userId}`);
  if (wait > 0) return sendReply(interaction, renderCooldown(wait, 'publish'), true);
  published.add(key);
  if (published.size > PUBLISHED_KEPT) published.delete(published.values().next().value!);
  const answer = ask(ctx.holder.current, question, { topic, limit: RESULTS_PER_QUESTION });
  const view = { index, userId, ephemeral: false, rerunnable: true, sharedBy: userId };
  try {
    await sendReply(interaction, renderAnswer(answer, view), false);
  } catch (err) {
    // Not posted after all: the member may try again.
    published.delete(key);
    throw err;
  }
}
