import { ApplicationCommandOptionType, ApplicationCommandType, type ButtonInteraction } from 'discord.js';
import { TOPICS } from '../src/corpus/index.js';
import { send } from '../src/discord/answer-reply.js';
import type { BotContext, ChatCommand } from '../src/discord/context.js';
import { renderSources } from '../src/discord/render/index.js';
import { summarize } from '../src/index/index.js';

function articlesOf(ctx: BotContext, topic: string | null): ReturnType<typeof summarize> {
  const all = summarize(ctx.holder.current.corpus);
  return topic ? all.filter((a) => a.topics.includes(topic)) : all;
}

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
    await send(interaction, renderSources(articlesOf(ctx, topic), topic, 0), false);
  },
};

/** The page buttons of /sources edit the list in place. */
export async function sourcesPage(interaction: ButtonInteraction, ctx: BotContext, topic: string | null, page: number): Promise<void> {
  const message = renderSources(articlesOf(ctx, topic), topic, page);
  await interaction.update({ content: message.content, components: message.components, allowedMentions: message.allowedMentions });
}
