import {
  GuildMember,
  InteractionContextType,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from './context.js';
import type { RawMember } from './raw-members.js';

/**
 * Registration fields of a moderators' command (/reindex, /ajouter, /stats): hidden from members by default and
 * servers only. Hiding is a convenience a server admin may undo: each command checks moderatorVerdict too.
 */
export const MODERATOR_COMMAND = {
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
};

/** What a server-side permission check needs from an interaction, as Discord sends it (raw or resolved). */
export interface MemberFacts {
  /** Null outside a server (DM). */
  guildId: string | null;
  /** The member's effective permissions in the channel, as Discord computed them (bitfield string or bigint). */
  permissions: string | bigint | null | undefined;
  roles: readonly string[] | null | undefined;
}

export type PermissionVerdict = { allowed: true } | { allowed: false; reason: string };

function toBits(permissions: MemberFacts['permissions']): bigint | null {
  // A bitfield is never negative (discord.js turns "-1" into -1n, all bits set).
  if (typeof permissions === 'bigint') return permissions >= 0n ? permissions : null;
  if (typeof permissions === 'string' && /^\d{1,30}$/.test(permissions)) return BigInt(permissions);
  return null;
}

/**
 * May this member run /reindex? `default_member_permissions` only hides the command (a server admin can change
 * it), so the bot checks again: Manage Server, Administrator, or the moderator role. Anything missing or malformed
 * is a refusal.
 */
export function canReindex(member: MemberFacts, moderatorRoleId: string | null): PermissionVerdict {
  if (!member.guildId) return { allowed: false, reason: 'Cette commande ne fonctionne que sur un serveur.' };
  const bits = toBits(member.permissions);
  const manager = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator;
  if (bits !== null && (bits & manager) !== 0n) return { allowed: true };
  if (moderatorRoleId && Array.isArray(member.roles) && member.roles.includes(moderatorRoleId)) {
    return { allowed: true };
  }
  return {
    allowed: false,
    reason: moderatorRoleId
      ? 'Réservé aux modérateurs : il faut la permission « Gérer le serveur » ou le rôle de modération.'
      : 'Réservé aux modérateurs : il faut la permission « Gérer le serveur ».',
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];

type MemberInteraction = ChatInputCommandInteraction | ButtonInteraction;

/**
 * Role ids of the member as sent in the interaction. Without a cached guild, discord.js hands over the payload's
 * member (`APIInteractionGuildMember`) and its `roles` array. A cached `GuildMember`'s `roles.cache` only lists
 * roles the guild cache knows, so the ids Discord sent with this interaction (its raw packet) are added.
 */
function memberRoleIds(member: MemberInteraction['member'], raw: RawMember | null | undefined): string[] | null {
  if (!member) return null;
  if (!(member instanceof GuildMember)) return strings(member.roles);
  return [...new Set([...strings(raw?.roles), ...member.roles.cache.keys()])];
}

/**
 * What Discord sent with this interaction, not what a cache computes: permissions in this channel (only a plain
 * bitfield string counts; discord.js's resolved bits only when the raw packet was not seen), and role ids.
 */
export function memberFacts(interaction: MemberInteraction, raw: RawMember | null | undefined): MemberFacts {
  const permissions =
    raw === undefined
      ? (interaction.memberPermissions?.bitfield ?? null)
      : typeof raw?.permissions === 'string'
        ? raw.permissions
        : null;
  return { guildId: interaction.guildId, permissions, roles: memberRoleIds(interaction.member, raw) };
}

/** The moderators' rule (canReindex) applied to what Discord sent with this interaction. */
export function moderatorVerdict(interaction: MemberInteraction, ctx: BotContext): PermissionVerdict {
  return canReindex(memberFacts(interaction, ctx.rawMember(interaction.id)), ctx.moderatorRoleId);
}
