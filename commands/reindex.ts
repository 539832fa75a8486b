import { ApplicationCommandType, InteractionContextType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { body, canReindex, renderReindexReport, sendReply, type ChatCommand } from '../src/discord/index.js';

/**
 * Role ids of the member as sent in the interaction. A cached GuildMember only lists roles the guild cache knows,
 * so its raw `_roles` (what Discord sent) is read too.
 */
function memberRoleIds(member: ChatInputCommandInteraction['member']): string[] | null {
  if (!member) return null;
  if (Array.isArray(member.roles)) return member.roles.filter((r): r is string => typeof r === 'string');
  const raw = (member as unknown as { _roles?: unknown })._roles;
  const fromRaw = Array.isArray(raw) ? raw.filter((r): r is string => typeof r === 'string') : [];
  return [...new Set([...fromRaw, ...member.roles.cache.keys()])];
}

/** The payload's permissions string when seen (then only a plain bitfield string counts), else discord.js's bits. */
function rawPermissions(raw: unknown, resolved: bigint | undefined): string | bigint | null {
  if (raw !== undefined) return typeof raw === 'string' ? raw : null;
  return resolved ?? null;
}

/** `/reindex`: moderators re-read the seeds folder; the bot keeps answering from the old index meanwhile. */
export const reindex: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'reindex',
    type: ApplicationCommandType.ChatInput,
    description: 'Relire le dossier des articles et reconstruire l’index (modérateurs)',
    description_localizations: { fr: 'Relire le dossier des articles et reconstruire l’index (modérateurs)' },
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    contexts: [InteractionContextType.Guild],
  },
  async execute(interaction, ctx) {
    // What Discord sent with this interaction, not what a cache computes: permissions in this channel, role ids.
    const verdict = canReindex(
      { guildId: interaction.guildId, permissions: rawPermissions(ctx.rawMemberPermissions(interaction.id), interaction.memberPermissions?.bitfield), roles: memberRoleIds(interaction.member) },
      ctx.moderatorRoleId,
    );
    const who = { user: interaction.user.id, guild: interaction.guildId };
    if (!verdict.allowed) {
      ctx.log.info({ ...who, allowed: false }, 'reindex refused');
      return sendReply(interaction, body(`⛔ ${verdict.reason}`), true);
    }
    if (ctx.holder.reindexing) {
      ctx.log.info(who, 'reindex already running');
      return sendReply(interaction, body('⏳ Une réindexation est déjà en cours : attendez son rapport.'), true);
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    ctx.log.info(who, 'reindex started');
    const { outcome, shards } = await ctx.reindex();
    let message;
    if (outcome.status === 'done') {
      ctx.log.info({ ...who, before: outcome.report.before, after: outcome.report.after, ms: outcome.report.durationMs }, 'reindex done');
      message = renderReindexReport(outcome.report, shards);
    } else if (outcome.status === 'busy') {
      message = body('⏳ Une réindexation est déjà en cours : attendez son rapport.');
    } else {
      ctx.log.warn({ ...who, error: outcome.error }, 'reindex failed');
      message = body(`❌ Réindexation impossible (${outcome.error}). L’index actuel continue de répondre.`);
    }
    await interaction.editReply({ content: message.content, allowedMentions: message.allowedMentions });
  },
};
