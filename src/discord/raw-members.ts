import { Events, type Client } from 'discord.js';

/** The interaction's `member` fields a permission check reads, exactly as Discord sent them (not validated). */
export interface RawMember {
  permissions: unknown;
  roles: unknown;
}

/** Only the few interactions in flight need their raw member. */
const KEPT = 500;

type RawPacket = { t?: string; d?: { id?: string; member?: { permissions?: unknown; roles?: unknown } } };

/**
 * Raw INTERACTION_CREATE packets (the client's public `raw` event) arrive just before discord.js builds the
 * interaction: keep the member's permissions and roles as sent, since discord.js resolves permissions it should
 * not accept and a cached member's `roles.cache` drops role ids the guild cache does not know.
 */
export function trackRawMembers(client: Client): (interactionId: string) => RawMember | null | undefined {
  const seen = new Map<string, RawMember | null>();
  client.on(Events.Raw, (packet: RawPacket) => {
    if (packet.t !== 'INTERACTION_CREATE' || !packet.d?.id) return;
    const member = packet.d.member;
    seen.set(packet.d.id, member ? { permissions: member.permissions ?? null, roles: member.roles } : null);
    if (seen.size > KEPT) seen.delete(seen.keys().next().value!);
  });
  return (interactionId) => seen.get(interactionId);
}
