import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { TOPICS } from '../src/corpus/index.js';
import {
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

/** `/sources [sujet]`: the indexed articles, paginated with buttons. */
export const sources: ChatCommand = {
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
        choices: TOPICS.map((t) => ({ name: t.label, value: t.name })),
      },
    ],
  },
  async execute(interaction, ctx) {
    const topic = interaction.options.getString('sujet');
    await sendReply(interaction, renderSources(articlesOf(ctx, topic), topic, 0), false);
  },
  buttons: { src: sourcesPage },
};
