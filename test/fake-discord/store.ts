/**
 * What the fake Discord knows: its identity, guilds, users, DM channels, messages, registered commands and the
 * interactions it sent. Every other module reads and writes this one store, so it imports none of them.
 */
import { channelObject, DEFAULT_GUILD_ID, DEFAULT_USER_ID, resolveGuild } from './payloads.js';
import { SnowflakeGenerator } from './snowflake.js';
import type {
  FakeAttachment,
  FakeDiscordOptions,
  FakeGuild,
  FakeGuildState,
  FakeMessage,
  FakeUser,
  HttpDeliveryRecord,
  JsonObject,
  RecordedRequest,
  StoredCommand,
} from './types.js';

/** Message flags the fake acts on. */
export const LOADING_FLAG = 1 << 7;
export const EPHEMERAL_FLAG = 1 << 6;

/** An interaction the fake dispatched, and what the bot has answered so far. */
export interface InteractionState {
  id: string;
  token: string;
  type: number;
  payload: JsonObject;
  sentAt: number;
  shardId: number;
  deadlineMs: number;
  guildId: string | null;
  channelId: string;
  user: FakeUser;
  commandName: string | null;
  /** data.type of application commands (1 slash, 2 user, 3 message). */
  commandType: number | null;
  acknowledged: boolean;
  ackType: number | null;
  originalMessageId: string | null;
  componentMessageId: string | null;
  /** A deferred reply whose placeholder has not been edited yet. */
  loading: boolean;
  messageIds: Set<string>;
  followUpIds: string[];
  requests: RecordedRequest[];
  firstCallback: RecordedRequest | null;
  /** Delivered over HTTP: the bot's answer to the POST, once it comes. */
  http?: Promise<HttpDeliveryRecord>;
}

/** The fields of an InteractionState known before it is dispatched; newInteractionState fills the rest. */
export type InteractionSeed = Omit<
  InteractionState,
  | 'sentAt'
  | 'acknowledged'
  | 'ackType'
  | 'originalMessageId'
  | 'loading'
  | 'messageIds'
  | 'followUpIds'
  | 'requests'
  | 'firstCallback'
>;

export function newInteractionState(s: InteractionSeed): InteractionState {
  return {
    ...s,
    sentAt: 0,
    acknowledged: false,
    ackType: null,
    originalMessageId: null,
    loading: false,
    messageIds: new Set(s.componentMessageId ? [s.componentMessageId] : []),
    followUpIds: [],
    requests: [],
    firstCallback: null,
  };
}

/** An interaction callback: the request that counts as the interaction's first response. */
export function isCallbackPath(path: string): boolean {
  return /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path);
}

export class FakeStore {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  /** The user who invokes interactions unless another is given. */
  readonly defaultUser: FakeUser;
  readonly guilds: FakeGuildState[];
  readonly shardCount: number;
  readonly maxConcurrency: number;
  /** Read when an interaction is sent, so tests may change them between interactions. */
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;
  /** Set once the server listens; the addresses below derive from it. */
  port = 0;

  readonly ids = new SnowflakeGenerator();
  /** Messages created by callbacks, webhooks and channel routes, and those sent along with interactions. */
  readonly messages = new Map<string, FakeMessage>();
  readonly users = new Map<string, FakeUser>();
  /** DM channel id per user id. */
  readonly dmChannels = new Map<string, string>();
  readonly globalCommands: StoredCommand[] = [];
  readonly guildCommands = new Map<string, StoredCommand[]>();
  /** Stable data.id for commands sent without being registered, per `type:name`. */
  readonly commandIds = new Map<string, string>();
  readonly interactions = new Map<string, InteractionState>();
  readonly byToken = new Map<string, InteractionState>();
  /** Files attached to interactions, by id, served at /attachments/:id/:filename. */
  readonly attachments = new Map<string, FakeAttachment>();

  constructor(opts: FakeDiscordOptions) {
    this.token = opts.token ?? 'fake-token';
    this.applicationId = opts.applicationId ?? '100000000000000001';
    this.botUser = {
      id: this.applicationId,
      username: opts.botUsername ?? 'FakeBot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
    this.defaultUser = {
      id: DEFAULT_USER_ID,
      username: 'testeur',
      discriminator: '0',
      global_name: 'Testeur',
      avatar: null,
    };
    this.users.set(this.defaultUser.id, this.defaultUser);
    this.users.set(this.botUser.id, this.botUser);
    const given = opts.guilds ?? [];
    const guilds: FakeGuild[] = given.length > 0 ? given : [{ id: DEFAULT_GUILD_ID, name: 'Serveur de test' }];
    this.guilds = guilds.map(resolveGuild);
    this.shardCount = opts.shardCount ?? 1;
    this.maxConcurrency = opts.maxConcurrency ?? 1;
    this.interactionDeadlineMs = opts.interactionDeadlineMs ?? 3000;
    this.interactionTokenTtlMs = opts.interactionTokenTtlMs ?? 15 * 60 * 1000;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** An arrow function: it is handed to payload builders as a callback. */
  readonly lookupUser = (id: string): FakeUser =>
    this.users.get(id) ?? { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };

  guild(guildId?: string): FakeGuildState {
    const id = guildId ?? this.guilds[0]?.id;
    const g = this.guilds.find((x) => x.id === id);
    if (!g) throw new Error(`fake-discord: unknown guild ${String(guildId)}`);
    return g;
  }

  findChannel(id: string): JsonObject | undefined {
    for (const g of this.guilds) {
      const i = g.channels.findIndex((c) => c.id === id);
      const c = g.channels[i];
      if (c) return channelObject(g, c, i);
    }
    for (const [userId, channelId] of this.dmChannels) {
      if (channelId === id) {
        return { id, type: 1, last_message_id: null, flags: 0, recipients: [this.lookupUser(userId)] };
      }
    }
    return undefined;
  }

  guildIdOfChannel(channelId: string): string | null {
    return this.guilds.find((g) => g.channels.some((c) => c.id === channelId))?.id ?? null;
  }

  dmChannelFor(user: FakeUser): string {
    let id = this.dmChannels.get(user.id);
    if (!id) {
      id = this.ids.next();
      this.dmChannels.set(user.id, id);
    }
    return id;
  }

  /** Non-ephemeral messages of a channel, newest first, as GET /channels/:id/messages returns them. */
  channelMessages(channelId: string, limit: number): FakeMessage[] {
    return [...this.messages.values()]
      .filter((msg) => msg.channel_id === channelId && (msg.flags & EPHEMERAL_FLAG) === 0)
      .sort((x, y) => (BigInt(y.id) > BigInt(x.id) ? 1 : -1))
      .slice(0, Math.max(1, Math.min(100, Number.isFinite(limit) ? limit : 50)));
  }

  /** Registered commands: global, or of a guild (copies). */
  commands(guildId?: string): StoredCommand[] {
    return guildId ? [...(this.guildCommands.get(guildId) ?? [])] : [...this.globalCommands];
  }

  /** The live list of global (null) or guild commands, created on first use. */
  commandList(guildId: string | null): StoredCommand[] {
    if (!guildId) return this.globalCommands;
    let list = this.guildCommands.get(guildId);
    if (!list) {
      list = [];
      this.guildCommands.set(guildId, list);
    }
    return list;
  }

  /** A command registered in that guild (global commands are not searched: the caller adds guild_id on a hit). */
  findGuildCommand(name: string, type: number, guildId: string | undefined): StoredCommand | undefined {
    return guildId ? this.guildCommands.get(guildId)?.find((c) => c.name === name && c.type === type) : undefined;
  }

  /** data.id of a command: the registered one's, else a stable id per name and type. */
  commandId(name: string, type: number, guildId: string | undefined): string {
    const found =
      this.findGuildCommand(name, type, guildId) ?? this.globalCommands.find((c) => c.name === name && c.type === type);
    if (found) return found.id;
    const key = `${type}:${name}`;
    let id = this.commandIds.get(key);
    if (!id) {
      id = this.ids.next();
      this.commandIds.set(key, id);
    }
    return id;
  }
}
