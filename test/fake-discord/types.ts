/**
 * Public types of the fake Discord used by end-to-end tests.
 * Field names of the wire objects (snake_case) follow the Discord API; helper inputs are camelCase.
 */

/** A parsed JSON object. Payloads are kept as loose objects: the fake must also carry malformed data. */
export type JsonObject = Record<string, unknown>;

export interface FakeDiscordOptions {
  /** Expected bot token (default 'fake-token'); IDENTIFY with another token -> close 4004, REST -> 401. */
  token?: string;
  /** Application id, also the bot user id (default '100000000000000001'). */
  applicationId?: string;
  /** Bot user name (default 'FakeBot'). */
  botUsername?: string;
  /** Guilds the bot is in (default: one guild with one text channel). */
  guilds?: FakeGuild[];
  /** `shards` returned by /gateway/bot (default 1). */
  shardCount?: number;
  /** `session_start_limit.max_concurrency` returned by /gateway/bot (default 1).
   *  discord.js waits ~5 s between two IDENTIFYs of the same bucket (shardId % max_concurrency). */
  maxConcurrency?: number;
  /** Time allowed for the first interaction response (default 3000 ms, as Discord). */
  interactionDeadlineMs?: number;
  /** Validity of the interaction token for webhooks (default 15 min, as Discord). */
  interactionTokenTtlMs?: number;
  /** heartbeat_interval sent in HELLO (default 41250). */
  heartbeatIntervalMs?: number;
  /** Port to listen on (default 0: random free port on 127.0.0.1). */
  port?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
}

export interface FakeUserInput {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  name?: string;
  /** Channel type (0 = text, default). */
  type?: number;
}

export interface FakeRole {
  id: string;
  name?: string;
  /** Permission bitfield as a decimal string. */
  permissions?: string;
  position?: number;
}

export interface FakeGuild {
  id: string;
  name?: string;
  ownerId?: string;
  /** preferred_locale (default 'fr'). */
  locale?: string;
  /** Default: one text channel. */
  channels?: FakeChannel[];
  /** Roles besides @everyone (which is always created, with id = guild id). */
  roles?: FakeRole[];
}

/** A guild as the fake holds it, with defaults filled in. */
export interface FakeGuildState {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  channels: Required<FakeChannel>[];
  roles: Required<FakeRole>[];
}

/** Authorization header of a request, compared with `Bot <token>`. */
export type AuthorizationStatus = 'absent' | 'valid' | 'invalid';

export interface RecordedFile {
  /** Multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface RecordedRequest {
  /** Order of arrival, from 1. */
  seq: number;
  method: string;
  /** Path as received, including `/api/v10` and percent-encoding. */
  rawPath: string;
  /** Path after `/api/v{n}`, percent-decoded: `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** API version from the path (10), or null when the path has none. */
  apiVersion: number | null;
  query: Record<string, string>;
  /** Lower-case header names; the Authorization value is replaced by '[redacted]'. */
  headers: Record<string, string>;
  authorization: AuthorizationStatus;
  /** Parsed JSON body; for multipart bodies the parsed `payload_json`; null when there is none. */
  body: unknown;
  files: RecordedFile[];
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** Date.now() when the fake answered (after any injected delay). */
  answeredAt: number;
  /**
   * Status the fake answered; 0 while the request is in flight; -1 when the connection was reset
   * (failNext resetConnection).
   */
  status: number;
  responseBody: unknown;
  /** True when the answer came from failNext() rather than from the fake's logic. */
  injected: boolean;
  /** Interaction this request belongs to (callbacks and webhooks), if known. */
  interactionId: string | null;
  /**
   * `http-response`: not a REST request but the endpoint's answer to an interaction delivered over HTTP, handled as
   * its callback (`rawPath` is then `(http response)`).
   */
  via?: 'http-response';
}

export type ViolationKind =
  | 'unknown-interaction'
  | 'already-acknowledged'
  | 'invalid-form-body'
  | 'empty-message'
  | 'unknown-webhook'
  | 'invalid-webhook-token'
  | 'unknown-message'
  | 'unknown-channel'
  | 'unauthorized'
  | 'unknown-route'
  | 'method-not-allowed'
  | 'invalid-json'
  // Interactions delivered over HTTP (deliverOverHttp): what Discord's endpoint checks would flag.
  | 'bad-signature-accepted'
  | 'http-delivery-failed'
  | 'http-response-late';

export interface Violation {
  kind: ViolationKind;
  /** seq of the offending request. */
  requestSeq: number;
  method: string;
  path: string;
  status: number;
  /** Discord JSON error code (10062, 40060, 50035, ...), 0 when Discord has none. */
  code: number;
  message: string;
  /** The `errors` tree of a 50035 answer. */
  errors?: JsonObject;
  interactionId: string | null;
  at: number;
}

export type MessageBodyKind =
  | 'interaction-callback'
  | 'webhook-followup'
  | 'webhook-edit'
  | 'channel-message'
  | 'channel-message-edit';

/** One request body that carried message data, for allowed_mentions / ping checks. */
export interface MessageBodyRecord {
  requestSeq: number;
  kind: MessageBodyKind;
  method: string;
  path: string;
  interactionId: string | null;
  hasAllowedMentions: boolean;
  allowedMentions: unknown;
  content: string | undefined;
  /** Whether the fake accepted the body. */
  accepted: boolean;
  /** Whether the message would have notified someone (user, role, @everyone/@here) on Discord. */
  pings: boolean;
}

export interface GatewayEventRecord {
  shardId: number;
  shardCount: number;
  sessionId: string;
  at: number;
  /** IDENTIFY: the intents sent; RESUME: null. */
  intents: number | null;
  /** Connection id (see `connections`). */
  connectionId: number;
}

export interface GatewayConnectionRecord {
  id: number;
  /** Request path and query of the upgrade, e.g. `/?v=10&encoding=json` or `/resume?v=10&encoding=json`. */
  url: string;
  openedAt: number;
  closedAt: number | null;
  closeCode: number | null;
  shardId: number | null;
  heartbeats: number;
}

/** What failNext() / delayNext() apply to. A string is `"METHOD /path/:param/*"` or `"/path"` (any method);
 *  `:name` and `*` match one path segment, a trailing `/**` any rest. Paths are those of `RecordedRequest.path`. */
export type RouteMatcher =
  | string
  | RegExp
  | ((req: { method: string; path: string; query: Record<string, string> }) => boolean);

export interface FaultSpec {
  status: number;
  /** JSON body; for 429 the default is Discord's `{message, retry_after, global}`. */
  body?: unknown;
  /** Seconds, for 429 (default 0.1). Sent in the body and in the Retry-After / X-RateLimit-Reset-After headers. */
  retryAfter?: number;
  /** 429: global rate limit (adds X-RateLimit-Global). */
  global?: boolean;
  /** 429: X-RateLimit-Scope (default 'user', or 'global' when global). */
  scope?: 'user' | 'global' | 'shared';
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Destroy the socket instead of answering (status is then ignored and recorded as -1). */
  resetConnection?: boolean;
}

/** A message object as the fake stores and returns it (Discord's Message shape). */
export interface FakeMessage extends JsonObject {
  id: string;
  channel_id: string;
  author: FakeUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: FakeUser[];
  mention_roles: string[];
  attachments: JsonObject[];
  embeds: JsonObject[];
  components: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
}

export interface FakeMessageInput {
  id?: string;
  content?: string;
  author?: FakeUserInput;
  channelId?: string;
  embeds?: JsonObject[];
  components?: unknown[];
  flags?: number;
}

/** A command option as sent in an interaction. For USER (6) / MENTIONABLE (9) options, `user` fills `resolved`. */
export interface FakeOptionInput {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: FakeOptionInput[];
  user?: FakeUserInput;
}

export interface CommonInteractionInput {
  /** The invoking user (default: a fixed test user). */
  user?: FakeUserInput;
  /** member.permissions (default: an ordinary member: view, send, read history, use commands...). */
  permissions?: string | bigint;
  /** member.roles (default []). */
  roles?: string[];
  /** Replaces `member` entirely (any JSON, even malformed); `null` removes the field. */
  member?: unknown;
  guildId?: string;
  channelId?: string;
  /** User locale (default 'fr'). */
  locale?: string;
  /** A DM with the bot: `user`, no `member`, no `guild_id`, context 1. */
  dm?: boolean;
  /** app_permissions (default: everything a text bot needs). */
  appPermissions?: string | bigint;
  /** First-response deadline of this interaction (default: the fake's interactionDeadlineMs). */
  deadlineMs?: number;
  /** Shallow-merged into the payload last (for malformed payloads); a value of `undefined` deletes the key. */
  extra?: JsonObject;
  /** Over HTTP (deliverOverHttp) only: how the request is signed; by default properly, now. */
  http?: HttpSigningInput;
}

/**
 * How an interaction delivered over HTTP is signed: `valid` (default; the key given to deliverOverHttp), `other-key`
 * (signed by a key the bot does not know), `tampered` (a byte added to the body after signing), `malformed` (the
 * signature is not hex) or `missing` (no signature headers).
 */
export type HttpSignature = 'valid' | 'other-key' | 'tampered' | 'malformed' | 'missing';

export interface HttpSigningInput {
  signature?: HttpSignature;
  /** X-Signature-Timestamp in Unix seconds (default now); more than 5 minutes away from now is a replay. */
  timestamp?: number;
}

/** One interaction POSTed to the bot's endpoint, and its answer. */
export interface HttpDeliveryRecord {
  /** In the same sequence as RecordedRequest.seq. */
  seq: number;
  url: string;
  /** 1 for a PING. */
  type: number;
  interactionId: string;
  signature: HttpSignature;
  timestamp: string;
  /** True for a request Discord would never send (bad or missing signature, replayed timestamp): 401 expected. */
  forged: boolean;
  /** Date.now() when the POST started, and when its answer was complete (0 before). */
  sentAt: number;
  answeredAt: number;
  /** 0 while in flight; -1 when no answer came (connection refused or reset, or 10 s without one). */
  status: number;
  /** The answer's body: parsed JSON, text, or null when empty. */
  body: unknown;
  /** Why no answer came, when none did. */
  error: string | null;
}

/** A file the user attaches to an ATTACHMENT (type 11) option. */
export interface FakeAttachmentInput {
  filename: string;
  /** content_type (default: from the extension, `text/plain; charset=utf-8` for `.txt`). */
  contentType?: string;
  /** The bytes (a string is UTF-8). */
  data: Buffer | string;
}

/** An attachment the fake holds and serves at `url`, as Discord's CDN would. */
export interface FakeAttachment {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
  /** `http://127.0.0.1:<port>/attachments/<id>/<filename>?ex=…&is=…&hm=…` */
  url: string;
}

export interface SendCommandInput extends CommonInteractionInput {
  name: string;
  /** ATTACHMENT options (type 11) given without a `value` take these, in order; `value` is set to the new id. */
  attachments?: FakeAttachmentInput[];
  options?: FakeOptionInput[];
  /** data.id (default: the registered command's id, else a stable id per name). */
  commandId?: string;
}

export interface SendAutocompleteInput extends CommonInteractionInput {
  name: string;
  options: FakeOptionInput[];
  /** Name of the option being typed (gets `focused: true`, searched in sub-commands too). */
  focused: string;
  commandId?: string;
}

export interface SendButtonInput extends CommonInteractionInput {
  customId: string;
  /** The message carrying the button (default: a bot message with this button). Stored by the fake. */
  message?: FakeMessageInput;
}

export interface SendMessageContextMenuInput extends CommonInteractionInput {
  name: string;
  targetMessage: FakeMessageInput;
  commandId?: string;
}

export interface StoredCommand extends JsonObject {
  id: string;
  application_id: string;
  name: string;
  type: number;
  version: string;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** Interaction type: 2 command, 3 component, 4 autocomplete. */
  readonly type: number;
  /** The INTERACTION_CREATE payload as sent. */
  readonly payload: JsonObject;
  /** Date.now() when the interaction was dispatched. */
  readonly sentAt: number;
  readonly shardId: number;
  /** The first interaction callback handled by the fake (injected faults excluded), whatever its status. */
  firstResponse(timeoutMs?: number): Promise<RecordedRequest>;
  /** All requests of this interaction so far: callbacks, webhook edits / fetches / follow-ups, injected faults. */
  responses(): RecordedRequest[];
  /** First request (past or future) of this interaction matching the predicate. */
  waitFor(predicate: (req: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** ms between dispatch and arrival of the first handled callback; undefined before it. */
  readonly firstResponseLatencyMs: number | undefined;
  /** Whether the fake considers the interaction acknowledged. */
  readonly acknowledged: boolean;
  /** The @original message (reply, deferred placeholder, or the updated component message). */
  originalMessage(): FakeMessage | undefined;
  /** Messages posted as follow-ups. */
  followUps(): FakeMessage[];
  /** Over HTTP (deliverOverHttp): the endpoint's answer to the POST; rejects for an interaction sent on the gateway. */
  httpResponse(timeoutMs?: number): Promise<HttpDeliveryRecord>;
}
