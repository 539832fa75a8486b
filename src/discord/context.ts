import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { IndexHolder, RebuildProgress, ReindexOutcome } from '../serving/index.js';
import type { StatsStore } from '../stats/index.js';
import type { Cooldown } from './cooldown.js';
import type { ButtonAction, ButtonKind } from './custom-ids.js';
import type { RawMember } from './raw-members.js';
import type { ShardReloads } from './shard-reload.js';

/**
 * What became of the commands when a rebuild changed the topics: registered again (one bulk overwrite, where
 * `npm run deploy` puts them), or not (the report says to deploy by hand).
 */
export type CommandsUpdate = { added: string[]; removed: string[] } & (
  | { status: 'registered'; scope: 'guild' | 'global'; count: number }
  | { status: 'failed'; error: string }
);

/** What `/ajouter` needs: where seeds go and which private addresses it may fetch (tests). */
export interface AddSettings {
  seedsDir: string;
  allowPrivateFetch: boolean | readonly string[];
}

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
  /** Questions, outcomes and votes for /stats; null when the database could not be opened (the bot goes on). */
  stats: StatsStore | null;
  add: AddSettings;
  /**
   * Rebuilds the index (on every shard when sharded) and says what happened on each, and to the commands when the
   * topics changed.
   */
  reindex(options?: {
    onProgress?: (p: RebuildProgress) => void;
  }): Promise<{ outcome: ReindexOutcome; shards: ShardReloads | null; commands: CommandsUpdate | null }>;
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
