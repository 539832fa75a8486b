import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { TopicDefinition } from '../src/corpus/index.js';
import {
  answerQuestion,
  autocompleteQuestion,
  deleteAnswer,
  rerunAnswer,
  showParagraph,
  voteOnAnswer,
  type ChatCommand,
} from '../src/discord/index.js';

/** Longest question accepted by the slash commands. */
const MAX_QUESTION_LENGTH = 200;

/**
 * The factory behind every question command: one per topic (`/djingo`, `/xiaomi`, from the topic definitions)
 * and `/recherche` over every topic. Options: `question` (autocompleted), `cacher`, `mention`. Its answers carry
 * « Paragraphe complet », « Autre passage » and, when hidden, « Publier dans le salon ».
 */
export function questionCommand(name: string, description: string, topic: TopicDefinition | null): ChatCommand {
  const topicName = topic?.name ?? null;
  return {
    kind: 'chat',
    data: {
      name,
      type: ApplicationCommandType.ChatInput,
      description,
      description_localizations: { fr: description },
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'question',
          description: 'Votre question, en français de préférence',
          description_localizations: { fr: 'Votre question, en français de préférence' },
          required: true,
          max_length: MAX_QUESTION_LENGTH,
          autocomplete: true,
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'cacher',
          description: 'Réponse visible par moi seul',
          description_localizations: { fr: 'Réponse visible par moi seul' },
        },
        {
          type: ApplicationCommandOptionType.User,
          name: 'mention',
          description: 'Suggérer la réponse à ce membre (il sera notifié)',
          description_localizations: { fr: 'Suggérer la réponse à ce membre (il sera notifié)' },
        },
      ],
    },
    execute: (interaction, ctx) => answerQuestion(interaction, ctx, topicName),
    autocomplete: (interaction, ctx) => autocompleteQuestion(interaction, ctx, topicName),
    buttons: { para: showParagraph, next: rerunAnswer, pub: rerunAnswer, vote: voteOnAnswer, del: deleteAnswer },
  };
}
