import { ApplicationCommandType } from 'discord.js';
import { renderHelp, sendReply, topicCounts, type ChatCommand } from '../src/discord/index.js';

/** `/aide`: what the bot does, each command with an example, the topics with their article counts (ephemeral). */
export const aide: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'aide',
    type: ApplicationCommandType.ChatInput,
    description: 'Ce que fait le bot, ses commandes avec un exemple, et les sujets',
    description_localizations: { fr: 'Ce que fait le bot, ses commandes avec un exemple, et les sujets' },
  },
  async execute(interaction, ctx) {
    const index = ctx.holder.current;
    await sendReply(interaction, renderHelp(topicCounts(index), index.corpus.articles.length), true);
  },
};
