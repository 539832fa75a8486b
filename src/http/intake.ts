import {
  ApplicationCommandType,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ComponentType,
  InteractionType,
  MessageContextMenuCommandInteraction,
  type APIInteraction,
  type Client,
} from 'discord.js';
import type { RawMember } from '../discord/index.js';

/**
 * The interactions the router serves (src/discord/router.ts); Discord sends no other kind to this bot, which
 * registers neither select menus, modals nor user commands.
 */
export type ServedInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ButtonInteraction
  | AutocompleteInteraction;

type Structure<T> = new (client: Client<true>, data: APIInteraction) => T;

/**
 * discord.js builds interactions only from its gateway connection (discord.js does not support HTTP interactions:
 * discordjs/discord.js#7231, and the docs bot's `http-interactions-bot` tag), through its private
 * `client.actions.InteractionCreate`. The least invasive way to get the very objects the gateway bot's handlers
 * get is what that action does: the exported structure classes, called with `(client, data)` as the action calls
 * them, the class chosen by the action's own rule. Their typings declare the constructors private, hence this one
 * cast; no private field or method is touched. Without a gateway there is no guild or channel cache: like a gateway
 * interaction from an uncached guild, `member` is the payload's member and `message` a Message built from the
 * payload, and the handlers read nothing else.
 */
function structureFor(data: APIInteraction): Structure<ServedInteraction> | null {
  switch (data.type) {
    case InteractionType.ApplicationCommand:
      if (data.data.type === ApplicationCommandType.ChatInput) return asStructure(ChatInputCommandInteraction);
      if (data.data.type === ApplicationCommandType.Message) return asStructure(MessageContextMenuCommandInteraction);
      return null;
    case InteractionType.MessageComponent:
      return data.data.component_type === ComponentType.Button ? asStructure(ButtonInteraction) : null;
    case InteractionType.ApplicationCommandAutocomplete:
      return asStructure(AutocompleteInteraction);
    default:
      return null;
  }
}

const asStructure = <T>(cls: unknown): Structure<T> => cls as Structure<T>;

/** What a verified payload becomes: the discord.js interaction, or why there is none. */
export type Intake =
  | { ok: true; interaction: ServedInteraction; rawMember: RawMember | null }
  | { ok: false; reason: 'malformed' | 'not-served' };

/**
 * The discord.js interaction for a payload Discord sent over HTTP (signature already checked), with the member's
 * permissions and roles exactly as sent (what `trackRawMembers` keeps from the gateway's raw packets).
 */
export function intakeInteraction(client: Client, payload: unknown): Intake {
  if (!isPayload(payload)) return { ok: false, reason: 'malformed' };
  const Class = structureFor(payload);
  if (!Class) return { ok: false, reason: 'not-served' };
  const member = (payload as { member?: { permissions?: unknown; roles?: unknown } }).member;
  // Entitlements belong to monetized apps (this one sells nothing); discord.js files them in `client.application`,
  // which only a login fills, so a list that is not empty would make the constructor throw.
  const data = { ...payload, entitlements: [] } as APIInteraction;
  try {
    const interaction = new Class(client as Client<true>, data);
    return {
      ok: true,
      interaction,
      rawMember: member ? { permissions: member.permissions ?? null, roles: member.roles } : null,
    };
  } catch {
    // What discord.js's gateway handler would also throw on (a guild interaction with neither member nor user…).
    return { ok: false, reason: 'malformed' };
  }
}

/** The fields every non-PING interaction carries, and that the structures read without checking. */
function isPayload(value: unknown): value is APIInteraction {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.token !== 'string' || typeof v.type !== 'number') return false;
  if (typeof v.data !== 'object' || v.data === null) return false;
  const user = (v.member as { user?: unknown } | undefined)?.user ?? v.user;
  return typeof user === 'object' && user !== null && typeof (user as { id?: unknown }).id === 'string';
}
