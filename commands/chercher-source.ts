import { ApplicationCommandType } from 'discord.js';
import { sourceMessage } from '../src/discord/answer-reply.js';
import type { MessageCommand } from '../src/discord/context.js';

/** Message context menu « Chercher la source »: finds the articles' passages that back a claim in a discussion. */
export const chercherSource: MessageCommand = {
  kind: 'message',
  data: {
    name: 'Chercher la source',
    type: ApplicationCommandType.Message,
    name_localizations: { fr: 'Chercher la source' },
  },
  execute: (interaction, ctx) => sourceMessage(interaction, ctx),
};
