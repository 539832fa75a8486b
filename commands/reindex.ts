import { ApplicationCommandType, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { RebuildProgress } from '../src/serving/index.js';
import {
  body,
  MODERATOR_COMMAND,
  moderatorVerdict,
  commandsUpdateLine,
  renderRebuildProgress,
  renderReindexReport,
  reportProgress,
  sendReply,
  shardReloadLine,
  type BotContext,
  type ChatCommand,
  type MessageBody,
} from '../src/discord/index.js';

const BUSY = '⏳ Une réindexation est déjà en cours : attendez son rapport.';

/**
 * Runs the rebuild while the deferred reply shows its progress (after about 2 s, at most once a second); the
 * progress edits are over before the caller's final report.
 */
export async function reindexWithProgress(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
): Promise<Awaited<ReturnType<BotContext['reindex']>>> {
  const progress = reportProgress<RebuildProgress>({
    edit: (content) => interaction.editReply({ content, allowedMentions: { parse: [] } }),
    render: renderRebuildProgress,
    log: ctx.log,
  });
  try {
    return await ctx.reindex({ onProgress: (p) => progress.update(p) });
  } finally {
    await progress.stop();
  }
}

/** The report of a rebuild (/reindex, /ajouter): what changed, on each shard, and to the commands; or why not. */
export function reindexReport(
  { outcome, shards, commands }: Awaited<ReturnType<BotContext['reindex']>>,
  ctx: BotContext,
  who: { user: string; guild: string | null },
): MessageBody {
  if (outcome.status === 'busy') return body(BUSY);
  if (outcome.status !== 'done') {
    ctx.log.warn({ ...who, error: outcome.error }, 'reindex failed');
    return body(`❌ Réindexation impossible (${outcome.error}). L’index actuel continue de répondre.`);
  }
  const { before, after, durationMs } = outcome.report;
  ctx.log.info({ ...who, before, after, ms: durationMs }, 'reindex done');
  return renderReindexReport(
    outcome.report,
    shards && shardReloadLine(shards),
    commands && commandsUpdateLine(commands),
  );
}

/** `/reindex`: moderators re-read the seeds folder; the bot keeps answering from the old index meanwhile. */
export const reindex: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'reindex',
    type: ApplicationCommandType.ChatInput,
    description: 'Relire le dossier des articles et reconstruire l’index (modérateurs)',
    description_localizations: { fr: 'Relire le dossier des articles et reconstruire l’index (modérateurs)' },
    ...MODERATOR_COMMAND,
  },
  async execute(interaction, ctx) {
    const verdict = moderatorVerdict(interaction, ctx);
    const who = { user: interaction.user.id, guild: interaction.guildId };
    if (!verdict.allowed) {
      ctx.log.info({ ...who, allowed: false }, 'reindex refused');
      return sendReply(interaction, body(`⛔ ${verdict.reason}`), true);
    }
    if (ctx.holder.reindexing) {
      ctx.log.info(who, 'reindex already running');
      return sendReply(interaction, body(BUSY), true);
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    ctx.log.info(who, 'reindex started');
    const message = reindexReport(await reindexWithProgress(interaction, ctx), ctx, who);
    await interaction.editReply({ content: message.content, allowedMentions: message.allowedMentions });
  },
};
