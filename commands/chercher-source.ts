import { ApplicationCommandType } from 'discord.js';
import { showParagraph, sourceMessage, type MessageCommand } from '../src/discord/index.js';

/** Message context menu « Chercher la source »: finds the articles' passages that back a claim in a discussion. */
export const chercherSource: MessageCommand = {
  kind: 'message',
  data: {
    name: 'Chercher la source',
    type: ApplicationCommandType.Message,
    name_localizations: { fr: 'Chercher la source' },
  },
  execute: (interaction, ctx) => sourceMessage(interaction, ctx),
  // Its answer is not re-run (the message may be long): only « Paragraphe complet ».
  buttons: { para: showParagraph },
};
