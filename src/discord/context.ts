import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { IndexHolder, ReindexOutcome } from '../serving/index.js';
import type { Cooldown } from './cooldown.js';
import type { ButtonAction, ButtonKind } from './custom-ids.js';
import type { RawMember } from './raw-members.js';
import type { ShardReloads } from './shard-reload.js';

/** What every handler gets: the index, settings, a logger. Built once at start. */
export interface BotContext {
  holder: IndexHolder;
  moderatorRoleId: string | null;
  log: Logger;
  cooldown: Cooldown;
  /**
   * The member's permissions and roles exactly as Discord sent them with an interaction (discord.js resolves flag
   * names and negative numbers into bits, which a permission check must not accept, and a cached member only lists
   * roles the guild cache knows). Null without a member (DM), undefined when not seen.
   */
  rawMember(interactionId: string): RawMember | null | undefined;
  /** Rebuilds the index (on every shard when sharded) and says what happened on each. */
  reindex(): Promise<{ outcome: ReindexOutcome; shards: ShardReloads | null }>;
}

export type ButtonHandler<K extends ButtonKind> = (
  interaction: ButtonInteraction,
  ctx: BotContext,
  action: ButtonAction<K>,
) => Promise<void>;

/** The buttons a command's messages carry: one handler per custom-id prefix, declared with the command. */
export type ButtonHandlers = { readonly [K in ButtonKind]?: ButtonHandler<K> };

export interface ChatCommand {
  kind: 'chat';
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  buttons?: ButtonHandlers;
}

export interface MessageCommand {
  kind: 'message';
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
  buttons?: ButtonHandlers;
}

export type BotCommand = ChatCommand | MessageCommand;
