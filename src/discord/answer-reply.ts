import { MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { ask } from '../answer/index.js';
import { NNBSP } from '../wording/index.js';
import { suggest } from '../suggest/index.js';
import type { BotContext } from './context.js';
import { body, questionFromMessage, renderAnswer, renderParagraph, type MessageBody } from './render/index.js';

/** Results fetched per question: the first is shown, « Autre passage » walks through the rest. */
const RESULTS_PER_QUESTION = 10;
/** A message to source is searched through its beginning: a question, not a whole essay. */
const MAX_SOURCED_TEXT = 500;

type Repliable = ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/** Every reply goes through here: no mention is ever parsed beyond the users the body allows. */
export async function send(interaction: Repliable, message: MessageBody, ephemeral: boolean): Promise<void> {
  const flags = (ephemeral ? MessageFlags.Ephemeral : 0) | MessageFlags.SuppressEmbeds;
  await interaction.reply({ content: message.content, components: message.components, allowedMentions: message.allowedMentions, flags });
}

function cooldownRefusal(ms: number): MessageBody {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return body(`⏳ Doucement${NNBSP}! Vous pourrez poser une nouvelle question dans ${s}${NNBSP}s.`);
}

/** A question asked through /djingo, /xiaomi (a topic) or /recherche (topic null). */
export async function answerQuestion(interaction: ChatInputCommandInteraction, ctx: BotContext, topic: string | null): Promise<void> {
  const question = interaction.options.getString('question', true);
  const hidden = interaction.options.getBoolean('cacher') ?? false;
  const target = interaction.options.getUser('mention');
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) return send(interaction, cooldownRefusal(wait), true);
  const answer = ask(ctx.holder.current, question, { topic, limit: RESULTS_PER_QUESTION });
  const suggestTo = target && !target.bot && target.id !== interaction.user.id && !hidden ? target.id : null;
  await send(interaction, renderAnswer(answer, { index: 0, userId: interaction.user.id, ephemeral: hidden, rerunnable: true, suggestTo }), hidden);
}

export async function autocompleteQuestion(interaction: AutocompleteInteraction, ctx: BotContext, topic: string | null): Promise<void> {
  const typed = interaction.options.getFocused();
  let choices: string[] = [];
  try {
    choices = suggest(ctx.holder.current, typed, topic);
  } catch (err) {
    ctx.log.warn({ err }, 'autocomplete failed; answering with no suggestion');
  }
  await interaction.respond(choices.map((c) => ({ name: c, value: c })));
}

/** « Chercher la source »: the selected message's text searched through every topic, answered privately. */
export async function sourceMessage(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void> {
  const text = interaction.targetMessage.content.trim();
  if (!text) return send(interaction, body('Ce message ne contient pas de texte à sourcer.'), true);
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) return send(interaction, cooldownRefusal(wait), true);
  const answer = ask(ctx.holder.current, text.slice(0, MAX_SOURCED_TEXT), { topic: null, limit: 3 });
  await send(interaction, renderAnswer(answer, { index: 0, userId: interaction.user.id, ephemeral: true, rerunnable: false }), true);
}

/** « Paragraphe complet »: the whole paragraph the quote comes from, privately. */
export async function showParagraph(interaction: ButtonInteraction, ctx: BotContext, articleHash: string, comment: boolean, paragraph: number): Promise<void> {
  const { corpus } = ctx.holder.current;
  const articleIndex = corpus.articles.findIndex((a) => a.hash.startsWith(articleHash));
  const passages = corpus.passages.filter((p) => p.article === articleIndex && p.paragraph === paragraph && (p.kind === 'comment') === comment);
  const article = corpus.articles[articleIndex];
  if (!article || passages.length === 0) {
    return send(interaction, body('Ce paragraphe n’est plus dans l’index (l’article a été modifié ou retiré).'), true);
  }
  const text = article.text.slice(passages[0]!.start, passages[passages.length - 1]!.end);
  await send(interaction, renderParagraph({ title: article.title, source: article.source, date: article.date, paragraph, kind: comment ? 'comment' : 'article' }, text), true);
}

/** « Autre passage » (edits the answer) and « Publier dans le salon » (posts it): only for the person who asked. */
export async function rerunAnswer(interaction: ButtonInteraction, ctx: BotContext, action: { kind: 'next' | 'pub'; userId: string; topic: string | null; index: number }): Promise<void> {
  if (interaction.user.id !== action.userId) {
    return send(interaction, body('Seule la personne qui a posé la question peut utiliser ce bouton.'), true);
  }
  const question = questionFromMessage(interaction.message.content);
  if (!question) return send(interaction, body('Je ne retrouve pas la question de ce message.'), true);
  const answer = ask(ctx.holder.current, question, { topic: action.topic, limit: RESULTS_PER_QUESTION });
  if (action.kind === 'next') {
    const index = answer.results.length === 0 ? 0 : action.index % answer.results.length;
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    const message = renderAnswer(answer, { index, userId: action.userId, ephemeral, rerunnable: true });
    await interaction.update({ content: message.content, components: message.components, allowedMentions: message.allowedMentions });
    return;
  }
  await send(interaction, renderAnswer(answer, { index: action.index, userId: action.userId, ephemeral: false, rerunnable: true, sharedBy: action.userId }), false);
}
