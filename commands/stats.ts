import { ApplicationCommandType } from 'discord.js';
import {
  body,
  MODERATOR_COMMAND,
  moderatorVerdict,
  renderStats,
  sendReply,
  type ChatCommand,
} from '../src/discord/index.js';

/**
 * `/stats` (moderators, ephemeral): questions over 7 and 30 days and what became of them, the questions most asked
 * without an answer (which article to add), votes, and the articles quoted most.
 */
export const stats: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'stats',
    type: ApplicationCommandType.ChatInput,
    description: 'Questions posées, sans réponse, avis et articles les plus cités (modérateurs)',
    description_localizations: { fr: 'Questions posées, sans réponse, avis et articles les plus cités (modérateurs)' },
    ...MODERATOR_COMMAND,
  },
  async execute(interaction, ctx) {
    const verdict = moderatorVerdict(interaction, ctx);
    if (!verdict.allowed) return sendReply(interaction, body(`⛔ ${verdict.reason}`), true);
    if (!ctx.stats)
      return sendReply(interaction, body('❌ Les statistiques sont indisponibles (voir les journaux du bot).'), true);
    let summary: ReturnType<NonNullable<typeof ctx.stats>['summary']>;
    try {
      summary = ctx.stats.summary();
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'statistics not read');
      return sendReply(interaction, body('❌ Les statistiques n’ont pas pu être lues. Réessayez plus tard.'), true);
    }
    await sendReply(interaction, renderStats(summary), true);
  },
};
