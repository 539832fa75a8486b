/**
 * A fake Discord (REST API + WebSocket gateway) on 127.0.0.1 for end-to-end tests of a real discord.js client.
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
 *   await client.login(fake.token);
 *   const h = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: '...' }] });
 *   const res = await h.firstResponse();
 *
 * This file is the façade tests use: it wires the store, the request log, the routes, the fault injector and the
 * gateway together, owns the HTTP server and delegates every call. See README.md in this folder.
 */
import type { KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackRoutes } from './callbacks.js';
import { CommandRoutes } from './commands.js';
import { HttpDelivery } from './delivery.js';
import { FaultInjector } from './faults.js';
import { FakeGateway } from './gateway.js';
import { InteractionSender } from './interactions.js';
import { Messages } from './messages.js';
import { guildObject } from './payloads.js';
import { DEFAULT_WAIT_MS, RequestLog, timeoutError } from './records.js';
import { RestHandler } from './rest.js';
import { Router } from './routes.js';
import { shardForGuild } from './snowflake.js';
import { FakeStore } from './store.js';
import type {
  FakeAttachment,
  FakeDiscordOptions,
  FakeGuildState,
  FakeMessage,
  FakeUser,
  FaultSpec,
  GatewayConnectionRecord,
  GatewayEventRecord,
  HttpDeliveryRecord,
  HttpSigningInput,
  InteractionHandle,
  JsonObject,
  MessageBodyRecord,
  RecordedRequest,
  RouteMatcher,
  SendAutocompleteInput,
  SendButtonInput,
  SendCommandInput,
  SendMessageContextMenuInput,
  StoredCommand,
  Violation,
} from './types.js';

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  /** The user who invokes interactions unless another is given. */
  readonly defaultUser: FakeUser;
  readonly guilds: FakeGuildState[];
  readonly shardCount: number;
  readonly maxConcurrency: number;

  /** Every REST request, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Every request the fake rejected the way Discord would (not the injected faults). */
  readonly violations: Violation[];
  /** Every body carrying message data (replies, updates, follow-ups, edits, channel messages). */
  readonly messageBodies: MessageBodyRecord[];
  /** Requests to routes the fake does not know (also in violations). */
  readonly unknownRoutes: RecordedRequest[];
  /** Messages created by callbacks, webhooks and channel routes, and those sent along with interactions. */
  readonly messages: Map<string, FakeMessage>;
  /** Files attached to commands (`sendCommand({ attachments })`), by id; served at their `url`. */
  readonly attachments: ReadonlyMap<string, FakeAttachment>;
  readonly gateway: FakeGateway;

  private server: Server | null = null;
  private readonly store: FakeStore;
  private readonly log = new RequestLog();
  private readonly faults = new FaultInjector();
  private readonly rest: RestHandler;
  private readonly sender: InteractionSender;
  private readonly delivery: HttpDelivery;

  constructor(opts: FakeDiscordOptions = {}) {
    const store = new FakeStore(opts);
    this.store = store;
    this.token = store.token;
    this.applicationId = store.applicationId;
    this.botUser = store.botUser;
    this.defaultUser = store.defaultUser;
    this.guilds = store.guilds;
    this.shardCount = store.shardCount;
    this.maxConcurrency = store.maxConcurrency;
    this.requests = this.log.requests;
    this.violations = this.log.violations;
    this.messageBodies = this.log.messageBodies;
    this.unknownRoutes = this.log.unknownRoutes;
    this.messages = store.messages;
    this.attachments = store.attachments;
    this.gateway = new FakeGateway({
      token: store.token,
      applicationId: store.applicationId,
      botUser: store.botUser,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41250,
      resumeUrl: () => `${store.gatewayUrl}/resume`,
      guildsForShard: (shardId, count) => store.guilds.filter((g) => shardForGuild(g.id, count) === shardId),
      guildCreatePayload: (g) => guildObject(g, store.botUser, true),
    });
    const messages = new Messages(store, this.log);
    const callbacks = new CallbackRoutes(store, this.log, messages);
    const router = new Router({
      store,
      log: this.log,
      messages,
      commands: new CommandRoutes(store, this.log),
      callbacks,
    });
    this.rest = new RestHandler(store, this.log, this.faults, router);
    this.delivery = new HttpDelivery(store, this.log, callbacks);
    this.sender = new InteractionSender(store, this.log, this.gateway, this.delivery);
  }

  /** First-response deadline for interactions sent from now on. */
  get interactionDeadlineMs(): number {
    return this.store.interactionDeadlineMs;
  }
  set interactionDeadlineMs(ms: number) {
    this.store.interactionDeadlineMs = ms;
  }
  get interactionTokenTtlMs(): number {
    return this.store.interactionTokenTtlMs;
  }
  set interactionTokenTtlMs(ms: number) {
    this.store.interactionTokenTtlMs = ms;
  }

  /** Starts listening (REST and gateway on the same port). Use startFakeDiscord() instead. */
  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.rest.handle(req, res);
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
    this.store.port = (server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.store.port;
  }
  /** For discord.js `rest.api` (it appends `/v10`) or the bot's DISCORD_API_URL. */
  get apiUrl(): string {
    return `${this.store.baseUrl}/api`;
  }
  get baseUrl(): string {
    return this.store.baseUrl;
  }
  get gatewayUrl(): string {
    return this.store.gatewayUrl;
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
    this.log.close();
  }

  /** Forgets recorded requests, violations, message bodies and unknown routes (not state). */
  clearLogs(): void {
    this.log.clear();
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

  /** First answered request (past or future) matching the predicate. */
  waitForRequest(
    predicate: (req: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a matching request',
  ): Promise<RecordedRequest> {
    return this.log.waitForRequest(predicate, timeoutMs, what);
  }

  /** Next request answered from now on matching the predicate. */
  nextRequest(
    predicate: (req: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a matching request',
  ): Promise<RecordedRequest> {
    return this.log.nextRequest(predicate, timeoutMs, what);
  }

  private nextGatewayEvent(
    kind: 'identify' | 'resume',
    shardId: number | undefined,
    timeoutMs: number,
  ): Promise<GatewayEventRecord> {
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

  // ---------------------------------------------------------------- fault injection

  /** The next `spec.times` (default 1) requests matching `matcher` get this answer instead of being handled.
   *  `resetConnection: true` destroys the socket instead of answering. */
  failNext(matcher: RouteMatcher, spec: FaultSpec): void {
    this.faults.failNext(matcher, spec);
  }

  /** The next `times` requests matching `matcher` wait `ms` before being handled (the deadline is checked after). */
  delayNext(matcher: RouteMatcher, ms: number, times = 1): void {
    this.faults.delayNext(matcher, ms, times);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  // ---------------------------------------------------------------- gateway controls

  /** Sends op 7 RECONNECT; the client should reconnect to resume_gateway_url and RESUME.
   *  Returns the connections told. */
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
    if (!this.gateway.dispatch(shardId, t, d)) {
      throw new Error(`fake-discord: no gateway session on shard ${shardId}; is the client logged in?`);
    }
  }

  // ---------------------------------------------------------------- state accessors

  /** Registered commands: global, or of a guild. */
  commands(guildId?: string): StoredCommand[] {
    return this.store.commands(guildId);
  }

  guild(guildId?: string): FakeGuildState {
    return this.store.guild(guildId);
  }

  /** The shard a guild's events go to, given the shard count clients identified with. */
  shardOf(guildId: string | null): number {
    return this.sender.shardOf(guildId);
  }

  // ---------------------------------------------------------------- interactions

  /**
   * A slash command (type 2, data.type 1). `attachments` fill its ATTACHMENT options (type 11, no value) in order:
   * `data.resolved.attachments` as Discord sends them, with a `url` this server answers.
   */
  sendCommand(input: SendCommandInput): InteractionHandle {
    return this.sender.sendCommand(input);
  }

  /** An autocomplete request (type 4); `focused` names the option being typed. */
  sendAutocomplete(input: SendAutocompleteInput): InteractionHandle {
    return this.sender.sendAutocomplete(input);
  }

  /** A button click (type 3, component_type 2) on a message (default: a bot message with that button). */
  sendButton(input: SendButtonInput): InteractionHandle {
    return this.sender.sendButton(input);
  }

  /** A message context-menu command (type 2, data.type 3) on `targetMessage`. */
  sendMessageContextMenu(input: SendMessageContextMenuInput): InteractionHandle {
    return this.sender.sendMessageContextMenu(input);
  }

  /** Any interaction payload (must contain id, token and type). */
  sendRawInteraction(
    payload: JsonObject,
    opts: { shardId?: number; deadlineMs?: number; http?: HttpSigningInput } = {},
  ): InteractionHandle {
    return this.sender.sendRawInteraction(payload, opts);
  }

  // ---------------------------------------------------------------- HTTP interactions (outgoing webhooks)

  /**
   * From now on, interactions are POSTed to `url` (the bot's Interactions Endpoint URL) instead of dispatched on the
   * gateway, signed with `keys.privateKey` (Ed25519; give the bot its public key, `publicKeyHex(keys.publicKey)`).
   * Each handle's `httpResponse()` is the endpoint's answer; the callback rules (deadline, one acknowledgement…)
   * are unchanged. Answers Discord would not accept are violations.
   */
  deliverOverHttp(url: string, keys: { privateKey: KeyObject }): void {
    this.delivery.target = { url, privateKey: keys.privateKey };
  }

  /** Back to dispatching interactions on the gateway. */
  deliverOverGateway(): void {
    this.delivery.target = null;
  }

  /** A PING to the endpoint (deliverOverHttp first), as Discord sends when the endpoint URL is saved. */
  sendPing(http: HttpSigningInput = {}): Promise<HttpDeliveryRecord> {
    return this.delivery.ping(http);
  }

  /** Every interaction POSTed to the endpoint and its answer, in order. */
  get deliveries(): readonly HttpDeliveryRecord[] {
    return this.log.deliveries;
  }
}

/** Starts a fake Discord on 127.0.0.1 (random port unless `opts.port`). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(opts);
  await fake.listen(opts.port ?? 0);
  return fake;
}
