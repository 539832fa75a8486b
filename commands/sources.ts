import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { TopicDefinition } from '../src/corpus/index.js';
import {
  body,
  renderSources,
  sendReply,
  updateReply,
  type BotContext,
  type ButtonHandler,
  type ChatCommand,
} from '../src/discord/index.js';
import { summarize } from '../src/index/index.js';

function articlesOf(ctx: BotContext, topic: string | null): ReturnType<typeof summarize> {
  const all = summarize(ctx.holder.current.corpus);
  return topic ? all.filter((a) => a.topics.includes(topic)) : all;
}

/** The page buttons of /sources edit the list in place. */
const sourcesPage: ButtonHandler<'src'> = (interaction, ctx, { topic, page }) =>
  updateReply(interaction, renderSources(articlesOf(ctx, topic), topic, page));

/** `/sources [sujet]`: the indexed articles, paginated with buttons; the topic choices are the index's. */
export const sourcesCommand = (topics: readonly TopicDefinition[]): ChatCommand => ({
  kind: 'chat',
  data: {
    name: 'sources',
    type: ApplicationCommandType.ChatInput,
    description: 'Lister les articles indexés',
    description_localizations: { fr: 'Lister les articles indexés' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'sujet',
        description: 'Seulement les articles de ce sujet',
        description_localizations: { fr: 'Seulement les articles de ce sujet' },
        ...(topics.length > 0 ? { choices: topics.map((t) => ({ name: t.label, value: t.name })) } : {}),
      },
    ],
  },
  async execute(interaction, ctx) {
    const topic = interaction.options.getString('sujet');
    // Choices are a client-side convenience: a forged or outdated value is refused here.
    if (topic !== null && !ctx.holder.current.corpus.topics.some((t) => t.name === topic))
      return sendReply(interaction, body('Ce sujet n’existe pas (ou plus) : voyez /sujets.'), true);
    await sendReply(interaction, renderSources(articlesOf(ctx, topic), topic, 0), false);
  },
  buttons: { src: sourcesPage },
});
