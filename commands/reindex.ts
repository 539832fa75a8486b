import {
  ApplicationCommandType,
  GuildMember,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
} from 'discord.js';
import {
  body,
  canReindex,
  renderReindexReport,
  sendReply,
  shardReloadLine,
  type ChatCommand,
  type MemberFacts,
  type MessageBody,
  type RawMember,
} from '../src/discord/index.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];

/**
 * Role ids of the member as sent in the interaction. Without a cached guild, discord.js hands over the payload's
 * member (`APIInteractionGuildMember`) and its `roles` array. A cached `GuildMember`'s `roles.cache` only lists
 * roles the guild cache knows, so the ids Discord sent with this interaction (its raw packet) are added.
 */
function memberRoleIds(
  member: ChatInputCommandInteraction['member'],
  raw: RawMember | null | undefined,
): string[] | null {
  if (!member) return null;
  if (!(member instanceof GuildMember)) return strings(member.roles);
  return [...new Set([...strings(raw?.roles), ...member.roles.cache.keys()])];
}

/**
 * What Discord sent with this interaction, not what a cache computes: permissions in this channel (only a plain
 * bitfield string counts; discord.js's resolved bits only when the raw packet was not seen), and role ids.
 */
function memberFacts(interaction: ChatInputCommandInteraction, raw: RawMember | null | undefined): MemberFacts {
  const permissions =
    raw === undefined
      ? (interaction.memberPermissions?.bitfield ?? null)
      : typeof raw?.permissions === 'string'
        ? raw.permissions
        : null;
  return { guildId: interaction.guildId, permissions, roles: memberRoleIds(interaction.member, raw) };
}

const BUSY = '⏳ Une réindexation est déjà en cours : attendez son rapport.';

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
    const verdict = canReindex(memberFacts(interaction, ctx.rawMember(interaction.id)), ctx.moderatorRoleId);
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
    const { outcome, shards } = await ctx.reindex();
    let message: MessageBody;
    if (outcome.status === 'done') {
      const { before, after, durationMs } = outcome.report;
      ctx.log.info({ ...who, before, after, ms: durationMs }, 'reindex done');
      message = renderReindexReport(outcome.report, shards && shardReloadLine(shards));
    } else if (outcome.status === 'busy') {
      message = body(BUSY);
    } else {
      ctx.log.warn({ ...who, error: outcome.error }, 'reindex failed');
      message = body(`❌ Réindexation impossible (${outcome.error}). L’index actuel continue de répondre.`);
    }
    await interaction.editReply({ content: message.content, allowedMentions: message.allowedMentions });
  },
};
