import { ApplicationCommandType } from 'discord.js';
import { renderTopics, sendReply, topicCounts, type ChatCommand } from '../src/discord/index.js';

/** `/sujets`: the topics with their article counts (ephemeral). */
export const sujets: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'sujets',
    type: ApplicationCommandType.ChatInput,
    description: 'Les sujets et le nombre d’articles de chacun',
    description_localizations: { fr: 'Les sujets et le nombre d’articles de chacun' },
  },
  async execute(interaction, ctx) {
    const index = ctx.holder.current;
    await sendReply(interaction, renderTopics(topicCounts(index), index.corpus.articles.length), true);
  },
};
