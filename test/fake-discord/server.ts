/**
 * A fake Discord (REST API + WebSocket gateway) on 127.0.0.1 for end-to-end tests of a real discord.js client.
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
 *   await client.login(fake.token);
 *   const h = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: '...' }] });
 *   const res = await h.firstResponse();
 *
 * It enforces what Discord enforces and discord.js does not (3 s deadline, single acknowledgement, body limits)
 * and records every request, every violation and every message body (allowed_mentions) for assertions.
 * See README.md in this folder.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGateway } from './gateway.js';
import { matchRoute, parseBody, readRaw, sendJson, type ParsedBody } from './http.js';
import {
  applyEdit,
  applyExtra,
  bitfield,
  buildOptions,
  channelObject,
  computeMentions,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  DEFAULT_OWNER_ID,
  FakePermissions,
  guildObject,
  hasFocused,
  interactionToken,
  isoNow,
  makeUser,
  memberObject,
  messageFromBody,
  messageFromInput,
  resolveGuild,
  resolvedObject,
  type ResolvedCollector,
} from './payloads.js';
import { shardForGuild, SnowflakeGenerator } from './snowflake.js';
import type {
  AuthorizationStatus,
  CommonInteractionInput,
  FakeDiscordOptions,
  FakeGuildState,
  FakeMessage,
  FakeUser,
  FaultSpec,
  GatewayConnectionRecord,
  GatewayEventRecord,
  InteractionHandle,
  JsonObject,
  MessageBodyKind,
  MessageBodyRecord,
  RecordedRequest,
  RouteMatcher,
  SendAutocompleteInput,
  SendButtonInput,
  SendCommandInput,
  SendMessageContextMenuInput,
  StoredCommand,
  Violation,
  ViolationKind,
} from './types.js';
import {
  isObject,
  toErrorTree,
  validateAutocomplete,
  validateCommand,
  validateCommandList,
  validateMessage,
  validateModal,
  type FieldError,
} from './validation.js';

interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface InteractionState {
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
}

interface FaultRule {
  matcher: RouteMatcher;
  spec: FaultSpec;
  remaining: number;
}

interface DelayRule {
  matcher: RouteMatcher;
  ms: number;
  remaining: number;
}

const LOADING_FLAG = 1 << 7;
const EPHEMERAL_FLAG = 1 << 6;
const DEFAULT_WAIT_MS = 5000;

/** Allowed callback types per interaction type. */
const CALLBACK_TYPES: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function isCallbackPath(path: string): boolean {
  return /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path);
}

function timeoutError(what: string, ms: number): Error {
  return new Error(`fake-discord: timed out after ${ms} ms waiting for ${what}`);
}

class Handle implements InteractionHandle {
  constructor(
    private readonly fake: FakeDiscord,
    private readonly state: InteractionState,
  ) {}

  get id(): string {
    return this.state.id;
  }
  get token(): string {
    return this.state.token;
  }
  get type(): number {
    return this.state.type;
  }
  get payload(): JsonObject {
    return this.state.payload;
  }
  get sentAt(): number {
    return this.state.sentAt;
  }
  get shardId(): number {
    return this.state.shardId;
  }
  get acknowledged(): boolean {
    return this.state.acknowledged;
  }
  get firstResponseLatencyMs(): number | undefined {
    const first = this.state.firstCallback;
    return first ? first.receivedAt - this.state.sentAt : undefined;
  }

  firstResponse(timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.waitFor((r) => isCallbackPath(r.path) && !r.injected, timeoutMs, `the first response to interaction ${this.state.id}`);
  }

  responses(): RecordedRequest[] {
    return [...this.state.requests];
  }

  waitFor(predicate: (req: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS, what?: string): Promise<RecordedRequest> {
    const id = this.state.id;
    const past = this.state.requests.find(predicate);
    if (past) return Promise.resolve(past);
    return this.fake.nextRequest(
      (r) => r.interactionId === id && predicate(r),
      timeoutMs,
      what ?? `a matching request of interaction ${id}`,
    );
  }

  originalMessage(): FakeMessage | undefined {
    const id = this.state.originalMessageId;
    return id ? this.fake.messages.get(id) : undefined;
  }

  followUps(): FakeMessage[] {
    return this.state.followUpIds.map((id) => this.fake.messages.get(id)).filter((m): m is FakeMessage => m !== undefined);
  }
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  /** The user who invokes interactions unless another is given. */
  readonly defaultUser: FakeUser;
  readonly guilds: FakeGuildState[];
  readonly shardCount: number;
  readonly maxConcurrency: number;
  /** First-response deadline for interactions sent from now on (mutable). */
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;

  /** Every REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  /** Every request the fake rejected the way Discord would (not the injected faults). */
  readonly violations: Violation[] = [];
  /** Every body carrying message data (replies, updates, follow-ups, edits, channel messages). */
  readonly messageBodies: MessageBodyRecord[] = [];
  /** Requests to routes the fake does not know (also in violations). */
  readonly unknownRoutes: RecordedRequest[] = [];
  /** Messages created by callbacks, webhooks and channel routes, and those sent along with interactions. */
  readonly messages = new Map<string, FakeMessage>();
  readonly gateway: FakeGateway;

  private server: Server | null = null;
  private listenPort = 0;
  private readonly ids = new SnowflakeGenerator();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();
  private readonly globalCommands: StoredCommand[] = [];
  private readonly guildCommands = new Map<string, StoredCommand[]>();
  private readonly faults: FaultRule[] = [];
  private readonly delays: DelayRule[] = [];
  private readonly events = new EventEmitter();
  private readonly users = new Map<string, FakeUser>();
  private readonly dmChannels = new Map<string, string>();
  private readonly commandIds = new Map<string, string>();
  private requestSeq = 0;

  constructor(opts: FakeDiscordOptions = {}) {
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
    this.defaultUser = { id: DEFAULT_USER_ID, username: 'testeur', discriminator: '0', global_name: 'Testeur', avatar: null };
    this.users.set(this.defaultUser.id, this.defaultUser);
    this.users.set(this.botUser.id, this.botUser);
    this.guilds = (opts.guilds && opts.guilds.length > 0 ? opts.guilds : [{ id: DEFAULT_GUILD_ID, name: 'Serveur de test' }]).map(resolveGuild);
    this.shardCount = opts.shardCount ?? 1;
    this.maxConcurrency = opts.maxConcurrency ?? 1;
    this.interactionDeadlineMs = opts.interactionDeadlineMs ?? 3000;
    this.interactionTokenTtlMs = opts.interactionTokenTtlMs ?? 15 * 60 * 1000;
    this.events.setMaxListeners(0);
    this.gateway = new FakeGateway({
      token: this.token,
      applicationId: this.applicationId,
      botUser: this.botUser,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41250,
      resumeUrl: () => `ws://127.0.0.1:${this.listenPort}/resume`,
      guildsForShard: (shardId, count) => this.guilds.filter((g) => shardForGuild(g.id, count) === shardId),
      guildCreatePayload: (g) => guildObject(g, this.botUser, true),
    });
  }

  /** Starts listening (REST and gateway on the same port). Use startFakeDiscord() instead. */
  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.onRequest(req, res);
    });
    server.on('upgrade', (req, socket, head: Buffer) => this.gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listenPort = (server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.listenPort;
  }
  /** For discord.js `rest.api` (it appends `/v10`) or the bot's DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.listenPort}/api`;
  }
  get baseUrl(): string {
    return `http://127.0.0.1:${this.listenPort}`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.listenPort}`;
  }
  get identifies(): readonly GatewayEventRecord[] {
    return this.gateway.identifies;
  }
  get resumes(): readonly GatewayEventRecord[] {
    return this.gateway.resumes;
  }
  get connections(): readonly GatewayConnectionRecord[] {
    return this.gateway.connections;
  }

  identifyCount(shardId?: number): number {
    return this.gateway.identifies.filter((r) => shardId === undefined || r.shardId === shardId).length;
  }
  resumeCount(shardId?: number): number {
    return this.gateway.resumes.filter((r) => shardId === undefined || r.shardId === shardId).length;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.events.removeAllListeners();
  }

  /** Forgets recorded requests, violations, message bodies and unknown routes (not state). */
  clearLogs(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.messageBodies.length = 0;
    this.unknownRoutes.length = 0;
  }

  // ---------------------------------------------------------------- waiting

  /** Resolves once a client has identified (on `shardId` if given); at once if it already has. */
  ready(shardId?: number, timeoutMs = 10_000): Promise<GatewayEventRecord> {
    const done = this.gateway.identifies.find((r) => shardId === undefined || r.shardId === shardId);
    if (done) return Promise.resolve(done);
    return this.nextGatewayEvent('identify', shardId, timeoutMs);
  }

  /** The next IDENTIFY (after this call). */
  waitForIdentify(shardId?: number, timeoutMs = 10_000): Promise<GatewayEventRecord> {
    return this.nextGatewayEvent('identify', shardId, timeoutMs);
  }

  /** The next RESUME (after this call). */
  waitForResume(shardId?: number, timeoutMs = 10_000): Promise<GatewayEventRecord> {
    return this.nextGatewayEvent('resume', shardId, timeoutMs);
  }

  private nextGatewayEvent(kind: 'identify' | 'resume', shardId: number | undefined, timeoutMs: number): Promise<GatewayEventRecord> {
    return new Promise((resolve, reject) => {
      const onEvent = (r: GatewayEventRecord): void => {
        if (shardId !== undefined && r.shardId !== shardId) return;
        clearTimeout(timer);
        this.gateway.off(kind, onEvent);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.gateway.off(kind, onEvent);
        reject(timeoutError(`${kind}${shardId === undefined ? '' : ` of shard ${shardId}`}`, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.gateway.on(kind, onEvent);
    });
  }

  /** First answered request (past or future) matching the predicate. */
  waitForRequest(predicate: (req: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS, what = 'a matching request'): Promise<RecordedRequest> {
    const existing = this.requests.find((r) => r.status !== 0 && predicate(r));
    if (existing) return Promise.resolve(existing);
    return this.nextRequest(predicate, timeoutMs, what);
  }

  /** Next request answered from now on matching the predicate. */
  nextRequest(predicate: (req: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS, what = 'a matching request'): Promise<RecordedRequest> {
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest): void => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.events.on('request', onRequest);
    });
  }

  // ---------------------------------------------------------------- fault injection

  /** The next `spec.times` (default 1) requests matching `matcher` get this answer instead of being handled.
   *  `resetConnection: true` destroys the socket instead of answering. */
  failNext(matcher: RouteMatcher, spec: FaultSpec): void {
    this.faults.push({ matcher, spec, remaining: spec.times ?? 1 });
  }

  /** The next `times` requests matching `matcher` wait `ms` before being handled (the deadline is checked after). */
  delayNext(matcher: RouteMatcher, ms: number, times = 1): void {
    this.delays.push({ matcher, ms, remaining: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.delays.length = 0;
  }

  // ---------------------------------------------------------------- gateway controls

  /** Sends op 7 RECONNECT; the client should reconnect to resume_gateway_url and RESUME. Returns the connections told. */
  requestReconnect(shardId?: number): number {
    return this.gateway.requestReconnect(shardId);
  }

  /** Sends op 9 INVALID_SESSION; when not resumable the session is forgotten and the client must IDENTIFY again. */
  invalidateSession(shardId?: number, resumable = false): number {
    return this.gateway.invalidateSession(shardId, resumable);
  }

  /** Terminates the socket without a close frame (the client sees 1006 and resumes). */
  dropConnection(shardId?: number): number {
    return this.gateway.dropConnection(shardId);
  }

  /** Closes the socket with a close code (4004, 4009, 4014, ...). */
  closeConnection(shardId: number | undefined, code: number, reason?: string): number {
    return this.gateway.closeConnection(shardId, code, reason);
  }

  /** Sends any dispatch event to a shard's session. */
  dispatchEvent(t: string, d: unknown, shardId = 0): void {
    if (!this.gateway.dispatch(shardId, t, d)) throw new Error(`fake-discord: no gateway session on shard ${shardId}; is the client logged in?`);
  }

  // ---------------------------------------------------------------- state accessors

  /** Registered commands: global, or of a guild. */
  commands(guildId?: string): StoredCommand[] {
    return guildId ? [...(this.guildCommands.get(guildId) ?? [])] : [...this.globalCommands];
  }

  guild(guildId?: string): FakeGuildState {
    const id = guildId ?? this.guilds[0]?.id;
    const g = this.guilds.find((x) => x.id === id);
    if (!g) throw new Error(`fake-discord: unknown guild ${String(guildId)}`);
    return g;
  }

  /** The shard a guild's events go to, given the shard count clients identified with. */
  shardOf(guildId: string | null): number {
    if (!guildId) return 0;
    const count = this.gateway.shardCountOf(0) ?? this.shardCount;
    return shardForGuild(guildId, count);
  }

  // ---------------------------------------------------------------- interactions

  /** A slash command (type 2, data.type 1). */
  sendCommand(input: SendCommandInput): InteractionHandle {
    const base = this.buildBase(input, 2);
    const resolved: ResolvedCollector = { users: {}, members: {}, channels: {}, roles: {} };
    const data: JsonObject = { id: input.commandId ?? this.commandId(input.name, 1, base.guild?.id), name: input.name, type: 1 };
    const guildCmd = base.guild ? this.findCommand(input.name, 1, base.guild.id) : undefined;
    if (guildCmd && base.guild) data.guild_id = base.guild.id;
    if (input.options && input.options.length > 0) {
      data.options = buildOptions(input.options, this.optionContext(base.guild, resolved, undefined));
    }
    const r = resolvedObject(resolved);
    if (r) data.resolved = r;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 1);
  }

  /** An autocomplete request (type 4); `focused` names the option being typed. */
  sendAutocomplete(input: SendAutocompleteInput): InteractionHandle {
    const base = this.buildBase(input, 4);
    const resolved: ResolvedCollector = { users: {}, members: {}, channels: {}, roles: {} };
    const options = buildOptions(input.options, this.optionContext(base.guild, resolved, input.focused));
    if (!hasFocused(options)) throw new Error(`fake-discord: focused option "${input.focused}" is not among the options`);
    const data: JsonObject = { id: input.commandId ?? this.commandId(input.name, 1, base.guild?.id), name: input.name, type: 1, options };
    if (base.guild && this.findCommand(input.name, 1, base.guild.id)) data.guild_id = base.guild.id;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 1);
  }

  /** A button click (type 3, component_type 2) on a message (default: a bot message with that button). */
  sendButton(input: SendButtonInput): InteractionHandle {
    const base = this.buildBase(input, 3);
    let message: FakeMessage | undefined;
    if (input.message?.id && this.messages.has(input.message.id) && Object.keys(input.message).length === 1) {
      message = this.messages.get(input.message.id);
    }
    if (!message) {
      message = messageFromInput(
        {
          components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: input.customId, label: 'Bouton' }] }],
          ...input.message,
        },
        { ids: this.ids, channelId: base.channelId, guildId: base.guild?.id ?? null, author: this.botUser, botUser: this.botUser },
      );
      if (!input.message?.author) message.application_id = this.applicationId;
      this.messages.set(message.id, message);
    }
    base.payload.message = message;
    base.payload.data = { custom_id: input.customId, component_type: 2 };
    return this.dispatchInteraction(base, input, null, null, message.id);
  }

  /** A message context-menu command (type 2, data.type 3) on `targetMessage`. */
  sendMessageContextMenu(input: SendMessageContextMenuInput): InteractionHandle {
    const base = this.buildBase(input, 2);
    const target = messageFromInput(input.targetMessage, {
      ids: this.ids,
      channelId: base.channelId,
      guildId: base.guild?.id ?? null,
      author: this.defaultUser,
      botUser: this.botUser,
    });
    this.users.set(target.author.id, target.author);
    this.messages.set(target.id, target);
    const data: JsonObject = {
      id: input.commandId ?? this.commandId(input.name, 3, base.guild?.id),
      name: input.name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    };
    if (base.guild && this.findCommand(input.name, 3, base.guild.id)) data.guild_id = base.guild.id;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 3);
  }

  /** Any interaction payload (must contain id, token and type). */
  sendRawInteraction(payload: JsonObject, opts: { shardId?: number; deadlineMs?: number } = {}): InteractionHandle {
    const id = payload.id;
    const token = payload.token;
    const type = payload.type;
    if (typeof id !== 'string' || typeof token !== 'string' || typeof type !== 'number') {
      throw new Error('fake-discord: sendRawInteraction needs string id, string token and numeric type');
    }
    const guildId = typeof payload.guild_id === 'string' ? payload.guild_id : null;
    const channelId = typeof payload.channel_id === 'string' ? payload.channel_id : (this.guilds[0]?.channels[0]?.id ?? '0');
    const data = isObject(payload.data) ? payload.data : {};
    const userSource = isObject(payload.member) && isObject(payload.member.user) ? payload.member.user : payload.user;
    const user = isObject(userSource) && typeof userSource.id === 'string' ? makeUser({ id: userSource.id }, this.defaultUser) : this.defaultUser;
    const state = this.newState({
      id,
      token,
      type,
      payload,
      shardId: opts.shardId ?? this.shardOf(guildId),
      deadlineMs: opts.deadlineMs ?? this.interactionDeadlineMs,
      guildId,
      channelId,
      user,
      commandName: typeof data.name === 'string' ? data.name : null,
      commandType: typeof data.type === 'number' ? data.type : null,
      componentMessageId: isObject(payload.message) && typeof payload.message.id === 'string' ? payload.message.id : null,
    });
    return this.dispatchState(state);
  }

  private optionContext(guild: FakeGuildState | null, resolved: ResolvedCollector, focused: string | undefined) {
    return {
      guild,
      fallbackUser: this.defaultUser,
      resolved,
      focused,
      rememberUser: (u: FakeUser) => {
        this.users.set(u.id, u);
      },
    };
  }

  private findCommand(name: string, type: number, guildId: string | undefined): StoredCommand | undefined {
    const inGuild = guildId ? this.guildCommands.get(guildId)?.find((c) => c.name === name && c.type === type) : undefined;
    return inGuild;
  }

  private commandId(name: string, type: number, guildId: string | undefined): string {
    const found = this.findCommand(name, type, guildId) ?? this.globalCommands.find((c) => c.name === name && c.type === type);
    if (found) return found.id;
    const key = `${type}:${name}`;
    let id = this.commandIds.get(key);
    if (!id) {
      id = this.ids.next();
      this.commandIds.set(key, id);
    }
    return id;
  }

  private dmChannelFor(user: FakeUser): string {
    let id = this.dmChannels.get(user.id);
    if (!id) {
      id = this.ids.next();
      this.dmChannels.set(user.id, id);
    }
    return id;
  }

  private buildBase(input: CommonInteractionInput, type: number): { payload: JsonObject; guild: FakeGuildState | null; channelId: string; user: FakeUser } {
    const id = this.ids.next();
    const token = interactionToken(id);
    const user = makeUser(input.user, this.defaultUser);
    this.users.set(user.id, user);
    const appPermissions = bitfield(input.appPermissions, FakePermissions.MEMBER);
    const locale = input.locale ?? 'fr';
    const common: JsonObject = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      locale,
      app_permissions: appPermissions,
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    if (input.dm) {
      const channelId = input.channelId ?? this.dmChannelFor(user);
      const payload: JsonObject = {
        ...common,
        channel_id: channelId,
        channel: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] },
        user,
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      };
      if (input.member !== undefined && input.member !== null) payload.member = input.member;
      applyExtra(payload, input.extra);
      return { payload, guild: null, channelId, user };
    }
    const guild = this.guild(input.guildId);
    const channel = guild.channels.find((c) => c.id === input.channelId) ??
      (input.channelId ? { id: input.channelId, name: 'salon', type: 0 } : guild.channels[0]);
    if (!channel) throw new Error(`fake-discord: guild ${guild.id} has no channel`);
    const payload: JsonObject = {
      ...common,
      guild_id: guild.id,
      guild: { id: guild.id, locale: guild.locale, features: [] },
      guild_locale: guild.locale,
      channel_id: channel.id,
      channel: { ...channelObject(guild, channel, 0), permissions: appPermissions },
      member: memberObject(user, input.roles ?? [], bitfield(input.permissions, FakePermissions.MEMBER)),
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
    };
    if (input.member === null) delete payload.member;
    else if (input.member !== undefined) payload.member = input.member;
    applyExtra(payload, input.extra);
    return { payload, guild, channelId: channel.id, user };
  }

  private newState(s: Omit<InteractionState, 'sentAt' | 'acknowledged' | 'ackType' | 'originalMessageId' | 'loading' | 'messageIds' | 'followUpIds' | 'requests' | 'firstCallback'>): InteractionState {
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

  private dispatchInteraction(
    base: { payload: JsonObject; guild: FakeGuildState | null; channelId: string; user: FakeUser },
    input: CommonInteractionInput,
    commandName: string | null,
    commandType: number | null,
    componentMessageId: string | null = null,
  ): InteractionHandle {
    const p = base.payload;
    const state = this.newState({
      id: String(p.id),
      token: String(p.token),
      type: Number(p.type),
      payload: p,
      shardId: this.shardOf(base.guild?.id ?? null),
      deadlineMs: input.deadlineMs ?? this.interactionDeadlineMs,
      guildId: base.guild?.id ?? null,
      channelId: base.channelId,
      user: base.user,
      commandName,
      commandType,
      componentMessageId,
    });
    return this.dispatchState(state);
  }

  private dispatchState(state: InteractionState): InteractionHandle {
    if (!this.gateway.hasSession(state.shardId)) {
      throw new Error(`fake-discord: no gateway session on shard ${state.shardId}; is the client logged in?`);
    }
    this.interactions.set(state.id, state);
    this.byToken.set(state.token, state);
    state.sentAt = Date.now();
    this.gateway.dispatch(state.shardId, 'INTERACTION_CREATE', state.payload);
    return new Handle(this, state);
  }

  // ---------------------------------------------------------------- REST

  private authStatus(header: string | undefined): AuthorizationStatus {
    if (header === undefined) return 'absent';
    return header === `Bot ${this.token}` ? 'valid' : 'invalid';
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawPath = url.pathname;
    const api = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(rawPath);
    const rest = api ? (api[2] ?? '/') : rawPath;
    const path = `/${rest.split('/').filter((s) => s.length > 0).map(safeDecode).join('/')}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers[k] = k === 'authorization' ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let parsed: ParsedBody;
    try {
      parsed = parseBody(await readRaw(req), req.headers['content-type']);
    } catch {
      parsed = { body: null, files: [], invalid: true };
    }
    const rec: RecordedRequest = {
      seq: ++this.requestSeq,
      method,
      rawPath,
      path,
      apiVersion: api?.[1] ? Number(api[1]) : null,
      query: Object.fromEntries(url.searchParams),
      headers,
      authorization: this.authStatus(req.headers.authorization),
      body: parsed.body,
      files: parsed.files,
      receivedAt,
      answeredAt: 0,
      status: 0,
      responseBody: undefined,
      injected: false,
      interactionId: this.interactionIdFor(path),
    };
    this.requests.push(rec);
    const state = rec.interactionId ? this.interactions.get(rec.interactionId) : undefined;
    let result: Result;
    try {
      const delay = this.take(this.delays, rec);
      if (delay) await sleep(delay.ms);
      const fault = this.take(this.faults, rec);
      if (fault?.spec.resetConnection) {
        rec.injected = true;
        rec.status = -1;
        rec.answeredAt = Date.now();
        req.socket.destroy();
        state?.requests.push(rec);
        this.events.emit('request', rec);
        return;
      }
      if (fault) {
        rec.injected = true;
        result = this.faultResult(fault.spec, rec);
      } else if (!api) {
        result = this.unknownRoute(rec);
      } else if (parsed.invalid) {
        result = this.violation(rec, 'invalid-json', 400, 50109, 'The request body contains invalid JSON.');
      } else {
        result = this.route(rec);
      }
    } catch (err) {
      result = { status: 500, body: { message: `500: Internal Server Error (fake: ${String(err)})`, code: 0 } };
    }
    rec.status = result.status;
    rec.responseBody = result.body;
    rec.answeredAt = Date.now();
    if (state) {
      state.requests.push(rec);
      if (!rec.injected && !state.firstCallback && isCallbackPath(path)) state.firstCallback = rec;
    }
    sendJson(res, result.status, result.body, result.headers);
    this.events.emit('request', rec);
  }

  private interactionIdFor(path: string): string | null {
    const seg = path.split('/');
    if (seg[1] === 'interactions' && seg[4] === 'callback') return this.interactions.has(seg[2] ?? '') ? (seg[2] ?? null) : null;
    if (seg[1] === 'webhooks' && seg[3]) return this.byToken.get(seg[3])?.id ?? null;
    return null;
  }

  private take<T extends { matcher: RouteMatcher; remaining: number }>(rules: T[], rec: RecordedRequest): T | undefined {
    const i = rules.findIndex((r) => matchRoute(r.matcher, { method: rec.method, path: rec.path, query: rec.query }));
    if (i === -1) return undefined;
    const rule = rules[i];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.splice(i, 1);
    return rule;
  }

  private faultResult(spec: FaultSpec, rec: RecordedRequest): Result {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.status === 429) {
      const retryAfter = spec.retryAfter ?? 0.1;
      const scope = spec.scope ?? (spec.global ? 'global' : 'user');
      const bucket = createHash('sha1').update(`${rec.method} ${rec.path.replace(/\d{17,20}/g, ':id')}`).digest('hex').slice(0, 16);
      Object.assign(headers, {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': String(retryAfter),
        'X-RateLimit-Bucket': bucket,
        'X-RateLimit-Scope': scope,
        ...(spec.global ? { 'X-RateLimit-Global': 'true' } : {}),
        ...spec.headers,
      });
      return {
        status: 429,
        body: spec.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: spec.global === true, code: 0 },
        headers,
      };
    }
    const defaultMessages: Record<number, string> = {
      500: '500: Internal Server Error',
      502: '502: Bad Gateway',
      503: '503: Service Unavailable',
      504: '504: Gateway Timeout',
    };
    return {
      status: spec.status,
      body: spec.body ?? { message: defaultMessages[spec.status] ?? `${spec.status}: Injected fault`, code: 0 },
      headers,
    };
  }

  private violation(rec: RecordedRequest, kind: ViolationKind, status: number, code: number, message: string, errors?: JsonObject): Result {
    const v: Violation = {
      kind,
      requestSeq: rec.seq,
      method: rec.method,
      path: rec.path,
      status,
      code,
      message,
      interactionId: rec.interactionId,
      at: Date.now(),
    };
    if (errors) v.errors = errors;
    this.violations.push(v);
    const body: JsonObject = { message, code };
    if (errors) body.errors = errors;
    return { status, body };
  }

  private formError(rec: RecordedRequest, errors: FieldError[]): Result {
    return this.violation(rec, 'invalid-form-body', 400, 50035, 'Invalid Form Body', toErrorTree(errors));
  }

  private unknownRoute(rec: RecordedRequest): Result {
    this.unknownRoutes.push(rec);
    return this.violation(rec, 'unknown-route', 404, 0, '404: Not Found');
  }

  private methodNotAllowed(rec: RecordedRequest): Result {
    return this.violation(rec, 'method-not-allowed', 405, 0, '405: Method Not Allowed');
  }

  private requireAuth(rec: RecordedRequest): Result | null {
    if (rec.authorization === 'valid') return null;
    return this.violation(rec, 'unauthorized', 401, 0, '401: Unauthorized');
  }

  private route(rec: RecordedRequest): Result {
    const s = rec.path.split('/').slice(1);
    const m = rec.method;
    const [a, b, c, d, e, f] = s;
    const n = s.length;

    if (a === 'gateway' && n === 1) {
      return m === 'GET' ? { status: 200, body: { url: this.gatewayUrl } } : this.methodNotAllowed(rec);
    }
    if (a === 'gateway' && b === 'bot' && n === 2) {
      if (m !== 'GET') return this.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: this.shardCount,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.maxConcurrency },
        },
      };
    }
    if (a === 'users' && b === '@me' && n === 2) {
      if (m !== 'GET') return this.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? { status: 200, body: this.meUser() };
    }
    if (a === 'applications' && b === '@me' && n === 2) {
      if (m !== 'GET') return this.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? { status: 200, body: this.application() };
    }
    if (a === 'applications' && b !== undefined && c === 'commands') {
      const denied = this.requireAuth(rec) ?? this.checkApp(rec, b);
      if (denied) return denied;
      if (n === 3) return this.commandsRoute(rec, null);
      if (n === 4 && d) return this.commandRoute(rec, null, d);
    }
    if (a === 'applications' && b !== undefined && c === 'guilds' && d !== undefined && e === 'commands') {
      const denied = this.requireAuth(rec) ?? this.checkApp(rec, b);
      if (denied) return denied;
      if (!this.guilds.some((x) => x.id === d)) return this.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
      if (n === 5) return this.commandsRoute(rec, d);
      if (n === 6 && f) return this.commandRoute(rec, d, f);
    }
    if (a === 'interactions' && b !== undefined && c !== undefined && d === 'callback' && n === 4) {
      return m === 'POST' ? this.callback(rec, b, c) : this.methodNotAllowed(rec);
    }
    if (a === 'webhooks' && b !== undefined && c !== undefined) {
      if (n === 3) return m === 'POST' ? this.webhookExecute(rec, b, c) : this.methodNotAllowed(rec);
      if (n === 5 && d === 'messages' && e !== undefined) return this.webhookMessage(rec, b, c, e);
    }
    if (a === 'channels' && b !== undefined) {
      const denied = this.requireAuth(rec);
      if (denied) return denied;
      const channel = this.findChannel(b);
      if (!channel) return this.violation(rec, 'unknown-channel', 404, 10003, 'Unknown Channel');
      if (n === 2) return m === 'GET' ? { status: 200, body: channel } : this.methodNotAllowed(rec);
      if (n === 3 && c === 'typing') return m === 'POST' ? { status: 204 } : this.methodNotAllowed(rec);
      if (n === 3 && c === 'messages') {
        if (m === 'POST') return this.channelMessageCreate(rec, b);
        if (m === 'GET') return { status: 200, body: this.channelMessages(b, Number(rec.query.limit ?? 50)) };
        return this.methodNotAllowed(rec);
      }
      if (n === 4 && c === 'messages' && d !== undefined) return this.channelMessage(rec, b, d);
    }
    if (a === 'guilds' && b !== undefined && n === 2) {
      if (m !== 'GET') return this.methodNotAllowed(rec);
      const denied = this.requireAuth(rec);
      if (denied) return denied;
      const guild = this.guilds.find((x) => x.id === b);
      if (!guild) return this.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
      return { status: 200, body: guildObject(guild, this.botUser, false) };
    }
    return this.unknownRoute(rec);
  }

  private meUser(): JsonObject {
    return {
      ...this.botUser,
      bot: true,
      verified: true,
      mfa_enabled: false,
      flags: 0,
      public_flags: 0,
      premium_type: 0,
      banner: null,
      accent_color: null,
      locale: 'en-US',
      email: null,
    };
  }

  private application(): JsonObject {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: { id: DEFAULT_OWNER_ID, username: 'proprietaire', discriminator: '0', global_name: null, avatar: null },
      bot: this.botUser,
      tags: [],
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      integration_types_config: { '0': {} },
      approximate_guild_count: this.guilds.length,
      hook: true,
    };
  }

  private checkApp(rec: RecordedRequest, appId: string): Result | null {
    return appId === this.applicationId ? null : this.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
  }

  // ---------------------------------------------------------------- commands

  private storeCommand(body: JsonObject, guildId: string | null, existing: StoredCommand | undefined): StoredCommand {
    const type = typeof body.type === 'number' ? body.type : 1;
    const cmd: StoredCommand = {
      id: existing?.id ?? this.ids.next(),
      application_id: this.applicationId,
      version: this.ids.next(),
      type,
      name: String(body.name),
      name_localizations: body.name_localizations ?? null,
      description: typeof body.description === 'string' ? body.description : '',
      description_localizations: body.description_localizations ?? null,
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw === true,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
    };
    if (guildId) cmd.guild_id = guildId;
    else cmd.dm_permission = body.dm_permission ?? true;
    if (body.options !== undefined) cmd.options = body.options;
    return cmd;
  }

  private commandList(guildId: string | null): StoredCommand[] {
    if (!guildId) return this.globalCommands;
    let list = this.guildCommands.get(guildId);
    if (!list) {
      list = [];
      this.guildCommands.set(guildId, list);
    }
    return list;
  }

  private commandsRoute(rec: RecordedRequest, guildId: string | null): Result {
    const list = this.commandList(guildId);
    if (rec.method === 'GET') return { status: 200, body: list };
    if (rec.method === 'PUT') {
      const errors = validateCommandList(rec.body);
      if (errors.length > 0) return this.formError(rec, errors);
      const body = rec.body as JsonObject[];
      const next = body.map((cmd) =>
        this.storeCommand(cmd, guildId, list.find((x) => x.name === cmd.name && x.type === (typeof cmd.type === 'number' ? cmd.type : 1))),
      );
      list.splice(0, list.length, ...next);
      return { status: 200, body: list };
    }
    if (rec.method === 'POST') {
      const errors: FieldError[] = [];
      validateCommand(errors, [], rec.body);
      if (errors.length > 0) return this.formError(rec, errors);
      const body = rec.body as JsonObject;
      const type = typeof body.type === 'number' ? body.type : 1;
      const i = list.findIndex((x) => x.name === body.name && x.type === type);
      const cmd = this.storeCommand(body, guildId, i === -1 ? undefined : list[i]);
      if (i === -1) list.push(cmd);
      else list[i] = cmd;
      return { status: i === -1 ? 201 : 200, body: cmd };
    }
    return this.methodNotAllowed(rec);
  }

  private commandRoute(rec: RecordedRequest, guildId: string | null, commandId: string): Result {
    const list = this.commandList(guildId);
    const i = list.findIndex((x) => x.id === commandId);
    const cmd = list[i];
    if (!cmd) return this.violation(rec, 'unknown-route', 404, 10063, 'Unknown application command');
    if (rec.method === 'GET') return { status: 200, body: cmd };
    if (rec.method === 'DELETE') {
      list.splice(i, 1);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      const merged = { ...cmd, ...(isObject(rec.body) ? rec.body : {}) };
      const errors: FieldError[] = [];
      validateCommand(errors, [], merged);
      if (errors.length > 0) return this.formError(rec, errors);
      const next = this.storeCommand(merged, guildId, cmd);
      list[i] = next;
      return { status: 200, body: next };
    }
    return this.methodNotAllowed(rec);
  }

  // ---------------------------------------------------------------- messages

  private lookupUser = (id: string): FakeUser =>
    this.users.get(id) ?? { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };

  private recordMessageBody(rec: RecordedRequest, kind: MessageBodyKind, body: unknown, accepted: boolean): void {
    const obj = isObject(body) ? body : {};
    const content = typeof obj.content === 'string' ? obj.content : undefined;
    const mentions = computeMentions(content ?? '', obj.allowed_mentions);
    const ephemeral = typeof obj.flags === 'number' && (obj.flags & EPHEMERAL_FLAG) !== 0;
    this.messageBodies.push({
      requestSeq: rec.seq,
      kind,
      method: rec.method,
      path: rec.path,
      interactionId: rec.interactionId,
      hasAllowedMentions: 'allowed_mentions' in obj && obj.allowed_mentions !== undefined,
      allowedMentions: obj.allowed_mentions,
      content,
      accepted,
      pings: !ephemeral && (mentions.everyone || mentions.users.length > 0 || mentions.roles.length > 0),
    });
  }

  /** Validates message data; records the body; returns an error result or null. */
  private checkMessage(
    rec: RecordedRequest,
    kind: MessageBodyKind,
    body: unknown,
    create: boolean,
    base: (string | number)[] = [],
  ): Result | null {
    const v = validateMessage(body, { create, hasFiles: rec.files.length > 0, base });
    let result: Result | null = null;
    if (v.errors.length > 0) result = this.formError(rec, v.errors);
    else if (v.empty) result = this.violation(rec, 'empty-message', 400, 50006, 'Cannot send an empty message');
    this.recordMessageBody(rec, kind, body, result === null);
    return result;
  }

  private isEmpty(msg: FakeMessage): boolean {
    return msg.content.trim().length === 0 && msg.embeds.length === 0 && msg.components.length === 0 && msg.attachments.length === 0;
  }

  private findChannel(id: string): JsonObject | undefined {
    for (const g of this.guilds) {
      const i = g.channels.findIndex((c) => c.id === id);
      const c = g.channels[i];
      if (c) return channelObject(g, c, i);
    }
    for (const [userId, channelId] of this.dmChannels) {
      if (channelId === id) return { id, type: 1, last_message_id: null, flags: 0, recipients: [this.lookupUser(userId)] };
    }
    return undefined;
  }

  private guildIdOfChannel(channelId: string): string | null {
    return this.guilds.find((g) => g.channels.some((c) => c.id === channelId))?.id ?? null;
  }

  private channelMessages(channelId: string, limit: number): FakeMessage[] {
    return [...this.messages.values()]
      .filter((msg) => msg.channel_id === channelId && (msg.flags & EPHEMERAL_FLAG) === 0)
      .sort((x, y) => (BigInt(y.id) > BigInt(x.id) ? 1 : -1))
      .slice(0, Math.max(1, Math.min(100, Number.isFinite(limit) ? limit : 50)));
  }

  private channelMessageCreate(rec: RecordedRequest, channelId: string): Result {
    const err = this.checkMessage(rec, 'channel-message', rec.body, true);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    const msg = messageFromBody(body, {
      id: this.ids.next(),
      channelId,
      guildId: this.guildIdOfChannel(channelId),
      author: this.botUser,
      type: isObject(body.message_reference) ? 19 : 0,
      files: rec.files,
      ids: this.ids,
      baseUrl: this.baseUrl,
      lookupUser: this.lookupUser,
    });
    msg.flags &= ~EPHEMERAL_FLAG;
    this.messages.set(msg.id, msg);
    return { status: 200, body: msg };
  }

  private channelMessage(rec: RecordedRequest, channelId: string, messageId: string): Result {
    const msg = this.messages.get(messageId);
    if (!msg || msg.channel_id !== channelId || (msg.flags & EPHEMERAL_FLAG) !== 0) {
      return this.violation(rec, 'unknown-message', 404, 10008, 'Unknown Message');
    }
    if (rec.method === 'GET') return { status: 200, body: msg };
    if (rec.method === 'DELETE') {
      this.messages.delete(messageId);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      if (msg.author.id !== this.botUser.id) {
        return this.violation(rec, 'unauthorized', 403, 50005, 'Cannot edit a message authored by another user');
      }
      return this.editMessage(rec, 'channel-message-edit', msg);
    }
    return this.methodNotAllowed(rec);
  }

  private editMessage(rec: RecordedRequest, kind: MessageBodyKind, msg: FakeMessage, wasLoading = false): Result {
    const err = this.checkMessage(rec, kind, rec.body, false);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    const next: FakeMessage = structuredClone(msg);
    applyEdit(next, body, rec.files, this.ids, this.baseUrl, this.lookupUser);
    if (this.isEmpty(next)) {
      return this.violation(rec, 'empty-message', 400, 50006, 'Cannot send an empty message');
    }
    next.flags &= ~LOADING_FLAG;
    next.edited_timestamp = wasLoading ? null : isoNow();
    this.messages.set(next.id, next);
    return { status: 200, body: next };
  }

  // ---------------------------------------------------------------- interaction callbacks & webhooks

  private responseMessageType(state: InteractionState): number {
    if (state.type === 2) return state.commandType === 1 ? 20 : 23;
    return 0;
  }

  private interactionMessage(state: InteractionState, body: JsonObject, rec: RecordedRequest, extraFlags = 0): FakeMessage {
    return messageFromBody(body, {
      id: this.ids.next(),
      channelId: state.channelId,
      guildId: state.guildId,
      author: this.botUser,
      type: this.responseMessageType(state),
      files: rec.files,
      ids: this.ids,
      baseUrl: this.baseUrl,
      lookupUser: this.lookupUser,
      applicationId: this.applicationId,
      interaction: {
        id: state.id,
        type: state.type,
        name: state.commandName,
        user: state.user,
        owners: state.payload.authorizing_integration_owners ?? {},
      },
      extraFlags,
    });
  }

  private callback(rec: RecordedRequest, id: string, token: string): Result {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) return this.violation(rec, 'unknown-interaction', 404, 10062, 'Unknown interaction');
    if (state.acknowledged) return this.violation(rec, 'already-acknowledged', 400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - state.sentAt > state.deadlineMs) return this.violation(rec, 'unknown-interaction', 404, 10062, 'Unknown interaction');
    const body = rec.body;
    if (!isObject(body) || typeof body.type !== 'number') {
      return this.formError(rec, [{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const type = body.type;
    const allowed = CALLBACK_TYPES[state.type] ?? [];
    if (!allowed.includes(type)) {
      return this.formError(rec, [
        { path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${type} is not valid for interaction type ${state.type}.` },
      ]);
    }
    const data = isObject(body.data) ? body.data : {};
    let message: FakeMessage | undefined;
    switch (type) {
      case 4: {
        const err = this.checkMessage(rec, 'interaction-callback', body.data, true, ['data']);
        if (err) return err;
        message = this.interactionMessage(state, data, rec);
        break;
      }
      case 5: {
        const flags = typeof data.flags === 'number' ? data.flags & EPHEMERAL_FLAG : 0;
        message = this.interactionMessage(state, {}, rec, flags | LOADING_FLAG);
        state.loading = true;
        break;
      }
      case 6: {
        message = state.componentMessageId ? this.messages.get(state.componentMessageId) : undefined;
        break;
      }
      case 7: {
        const err = this.checkMessage(rec, 'interaction-callback', body.data, false, ['data']);
        if (err) return err;
        const current = state.componentMessageId ? this.messages.get(state.componentMessageId) : undefined;
        if (current) {
          const next: FakeMessage = structuredClone(current);
          applyEdit(next, data, rec.files, this.ids, this.baseUrl, this.lookupUser);
          next.edited_timestamp = isoNow();
          message = next;
        }
        break;
      }
      case 8: {
        const errors = validateAutocomplete(body.data);
        if (errors.length > 0) return this.formError(rec, errors);
        break;
      }
      case 9: {
        const errors = validateModal(body.data);
        if (errors.length > 0) return this.formError(rec, errors);
        break;
      }
      default:
        break;
    }
    state.acknowledged = true;
    state.ackType = type;
    if (message) {
      this.messages.set(message.id, message);
      state.messageIds.add(message.id);
      state.originalMessageId = message.id;
    }
    if (rec.query.with_response !== 'true') return { status: 204 };
    const interaction: JsonObject = { id: state.id, type: state.type };
    if (message) {
      interaction.response_message_id = message.id;
      interaction.response_message_loading = (message.flags & LOADING_FLAG) !== 0;
      interaction.response_message_ephemeral = (message.flags & EPHEMERAL_FLAG) !== 0;
    }
    const resource: JsonObject = { type };
    if (message && type !== 6) resource.message = message;
    return { status: 200, body: { interaction, resource } };
  }

  private webhookState(rec: RecordedRequest, appId: string, token: string): InteractionState | Result {
    const state = this.byToken.get(token);
    if (!state || appId !== this.applicationId) return this.violation(rec, 'unknown-webhook', 404, 10015, 'Unknown Webhook');
    if (Date.now() - state.sentAt > this.interactionTokenTtlMs) {
      return this.violation(rec, 'invalid-webhook-token', 401, 50027, 'Invalid Webhook Token');
    }
    if (!state.acknowledged) return this.violation(rec, 'unknown-webhook', 404, 10015, 'Unknown Webhook');
    return state;
  }

  private webhookExecute(rec: RecordedRequest, appId: string, token: string): Result {
    const found = this.webhookState(rec, appId, token);
    if (!('token' in found)) return found;
    const state = found;
    const err = this.checkMessage(rec, 'webhook-followup', rec.body, true);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    let msg: FakeMessage;
    const original = state.originalMessageId ? this.messages.get(state.originalMessageId) : undefined;
    if (state.loading && original) {
      // Discord: the first follow-up after a deferral replaces the "thinking" placeholder.
      const ephemeral = original.flags & EPHEMERAL_FLAG;
      msg = this.interactionMessage(state, body, rec, ephemeral);
      msg.id = original.id;
      msg.flags &= ~LOADING_FLAG;
      state.loading = false;
      this.messages.set(msg.id, msg);
    } else {
      msg = this.interactionMessage(state, body, rec);
      msg.type = 0;
      this.messages.set(msg.id, msg);
      state.messageIds.add(msg.id);
      state.followUpIds.push(msg.id);
    }
    return rec.query.wait === 'true' ? { status: 200, body: msg } : { status: 204 };
  }

  private webhookMessage(rec: RecordedRequest, appId: string, token: string, messageRef: string): Result {
    const found = this.webhookState(rec, appId, token);
    if (!('token' in found)) return found;
    const state = found;
    const messageId = messageRef === '@original' ? state.originalMessageId : messageRef;
    const msg = messageId && state.messageIds.has(messageId) ? this.messages.get(messageId) : undefined;
    if (!msg) return this.violation(rec, 'unknown-message', 404, 10008, 'Unknown Message');
    if (rec.method === 'GET') return { status: 200, body: msg };
    if (rec.method === 'DELETE') {
      this.messages.delete(msg.id);
      state.messageIds.delete(msg.id);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      const wasLoading = (msg.flags & LOADING_FLAG) !== 0;
      const result = this.editMessage(rec, 'webhook-edit', msg, wasLoading);
      if (result.status === 200 && msg.id === state.originalMessageId) state.loading = false;
      return result;
    }
    return this.methodNotAllowed(rec);
  }
}

/** Starts a fake Discord on 127.0.0.1 (random port unless `opts.port`). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(opts);
  await fake.listen(opts.port ?? 0);
  return fake;
}
