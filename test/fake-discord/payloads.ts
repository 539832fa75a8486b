/** Builders of the Discord objects the fake sends: users, guilds, messages, interactions. */
import { randomBytes } from 'node:crypto';
import type { SnowflakeGenerator } from './snowflake.js';
import type {
  FakeAttachment,
  FakeAttachmentInput,
  FakeGuild,
  FakeGuildState,
  FakeMessage,
  FakeMessageInput,
  FakeOptionInput,
  FakeUser,
  FakeUserInput,
  JsonObject,
  RecordedFile,
} from './types.js';
import { isObject } from './validation.js';

const bit = (n: number): bigint => 1n << BigInt(n);

/** Permission bitfields as decimal strings, for `permissions` / `appPermissions`. */
export const FakePermissions = {
  /**
   * An ordinary member: invite, react, view, send, embed, attach, history, external emojis, nickname,
   * commands, threads.
   */
  MEMBER: (
    bit(0) |
    bit(6) |
    bit(10) |
    bit(11) |
    bit(14) |
    bit(15) |
    bit(16) |
    bit(18) |
    bit(26) |
    bit(31) |
    bit(38)
  ).toString(),
  ADMINISTRATOR: bit(3).toString(),
  MANAGE_GUILD: bit(5).toString(),
  MANAGE_MESSAGES: bit(13).toString(),
  /** An ordinary member who may also manage the server. */
  MEMBER_WITH_MANAGE_GUILD: (
    bit(0) |
    bit(5) |
    bit(6) |
    bit(10) |
    bit(11) |
    bit(14) |
    bit(15) |
    bit(16) |
    bit(18) |
    bit(26) |
    bit(31) |
    bit(38)
  ).toString(),
  NONE: '0',
} as const;

export const DEFAULT_GUILD_ID = '1300000000000000001';
export const DEFAULT_CHANNEL_ID = '1300000000000000002';
export const DEFAULT_USER_ID = '1300000000000000003';
export const DEFAULT_OWNER_ID = '1300000000000000004';

export function isoNow(): string {
  return new Date().toISOString();
}

export function makeUser(input: FakeUserInput | undefined, fallback: FakeUser): FakeUser {
  if (!input) return fallback;
  const id = input.id ?? fallback.id;
  const user: FakeUser = {
    id,
    username: input.username ?? (input.id ? `user${id.slice(-4)}` : fallback.username),
    discriminator: '0',
    global_name: input.globalName === undefined ? (input.id ? null : fallback.global_name) : input.globalName,
    avatar: null,
  };
  if (input.bot !== undefined) user.bot = input.bot;
  return user;
}

export function resolveGuild(g: FakeGuild, index: number): FakeGuildState {
  const channels = (
    g.channels && g.channels.length > 0
      ? g.channels
      : [
          {
            id: index === 0 && g.id === DEFAULT_GUILD_ID ? DEFAULT_CHANNEL_ID : (BigInt(g.id) + 1n).toString(),
            name: 'général',
          },
        ]
  ).map((c, i) => ({ id: c.id, name: c.name ?? `salon-${i + 1}`, type: c.type ?? 0 }));
  const roles = (g.roles ?? []).map((r, i) => ({
    id: r.id,
    name: r.name ?? `role-${i + 1}`,
    permissions: r.permissions ?? '0',
    position: r.position ?? i + 1,
  }));
  return {
    id: g.id,
    name: g.name ?? `Fake Guild ${index + 1}`,
    ownerId: g.ownerId ?? DEFAULT_OWNER_ID,
    locale: g.locale ?? 'fr',
    channels,
    roles,
  };
}

function roleObject(r: { id: string; name: string; permissions: string; position: number }): JsonObject {
  return {
    id: r.id,
    name: r.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function channelObject(
  guild: FakeGuildState,
  c: { id: string; name: string; type: number },
  position: number,
): JsonObject {
  return {
    id: c.id,
    type: c.type,
    guild_id: guild.id,
    name: c.name,
    position,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** The GUILD_CREATE payload (also GET /guilds/{id}, without the gateway-only fields). */
export function guildObject(guild: FakeGuildState, botUser: FakeUser, gateway: boolean): JsonObject {
  const everyone = { id: guild.id, name: '@everyone', permissions: FakePermissions.MEMBER, position: 0 };
  const base: JsonObject = {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [roleObject(everyone), ...guild.roles.map(roleObject)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.locale,
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
  };
  if (!gateway) return base;
  return {
    ...base,
    unavailable: false,
    joined_at: isoNow(),
    large: false,
    member_count: 2,
    members: [],
    voice_states: [],
    channels: guild.channels.map((c, i) => channelObject(guild, c, i)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    lazy: true,
    bot: botUser,
  };
}

/** Users, roles and @everyone/@here a message would notify, given its content and allowed_mentions. */
export function computeMentions(
  content: string,
  allowedMentions: unknown,
): { everyone: boolean; users: string[]; roles: string[] } {
  let parse: string[];
  let users: string[] = [];
  let roles: string[] = [];
  if (isObject(allowedMentions)) {
    parse = Array.isArray(allowedMentions.parse)
      ? allowedMentions.parse.filter((p): p is string => typeof p === 'string')
      : [];
    if (Array.isArray(allowedMentions.users)) users = allowedMentions.users.map(String);
    if (Array.isArray(allowedMentions.roles)) roles = allowedMentions.roles.map(String);
  } else {
    parse = ['users', 'roles', 'everyone']; // Discord's default when allowed_mentions is absent
  }
  const userIds = [...content.matchAll(/<@!?(\d{15,21})>/g)].map((m) => m[1] ?? '');
  const roleIds = [...content.matchAll(/<@&(\d{15,21})>/g)].map((m) => m[1] ?? '');
  return {
    everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone'),
    users: [...new Set(userIds.filter((id) => parse.includes('users') || users.includes(id)))],
    roles: [...new Set(roleIds.filter((id) => parse.includes('roles') || roles.includes(id)))],
  };
}

export interface MessageContext {
  id: string;
  channelId: string;
  guildId: string | null;
  author: FakeUser;
  type: number;
  files: RecordedFile[];
  ids: SnowflakeGenerator;
  baseUrl: string;
  lookupUser: (id: string) => FakeUser;
  applicationId?: string;
  /** Interaction responses and follow-ups: webhook_id, interaction_metadata, interaction. */
  interaction?: { id: string; type: number; name: string | null; user: FakeUser; owners: unknown };
  extraFlags?: number;
}

function attachmentsFromFiles(files: RecordedFile[], ids: SnowflakeGenerator, baseUrl: string): JsonObject[] {
  return files.map((f) => {
    const id = ids.next();
    const url = `${baseUrl}/attachments/${id}/${encodeURIComponent(f.filename)}`;
    return { id, filename: f.filename, size: f.size, url, proxy_url: url, content_type: f.contentType };
  });
}

function normalizeEmbeds(embeds: unknown): JsonObject[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.filter(isObject).map((e) => ({ type: 'rich', ...e }));
}

/** Flags a client may set on send: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2. */
const SETTABLE_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15);

export function applyMentions(msg: FakeMessage, allowedMentions: unknown, lookupUser: (id: string) => FakeUser): void {
  const m = computeMentions(msg.content, allowedMentions);
  msg.mention_everyone = m.everyone;
  msg.mentions = m.users.map(lookupUser);
  msg.mention_roles = m.roles;
}

/** A full Message object from a create body (channel message, reply, follow-up). */
export function messageFromBody(body: JsonObject, ctx: MessageContext): FakeMessage {
  const flags = (typeof body.flags === 'number' ? body.flags & SETTABLE_FLAGS : 0) | (ctx.extraFlags ?? 0);
  const msg: FakeMessage = {
    id: ctx.id,
    channel_id: ctx.channelId,
    author: ctx.author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: isoNow(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments: attachmentsFromFiles(ctx.files, ctx.ids, ctx.baseUrl),
    embeds: normalizeEmbeds(body.embeds),
    components: Array.isArray(body.components) ? body.components : [],
    reactions: [],
    pinned: false,
    type: ctx.type,
    flags,
  };
  if (ctx.guildId) msg.guild_id = ctx.guildId;
  if (typeof body.nonce === 'string' || typeof body.nonce === 'number') msg.nonce = body.nonce;
  if (isObject(body.message_reference))
    msg.message_reference = { channel_id: ctx.channelId, ...body.message_reference };
  if (ctx.applicationId) {
    msg.application_id = ctx.applicationId;
    msg.webhook_id = ctx.applicationId;
  }
  if (ctx.interaction) {
    const i = ctx.interaction;
    msg.interaction_metadata = {
      id: i.id,
      type: i.type,
      user: i.user,
      authorizing_integration_owners: i.owners,
      ...(i.name ? { name: i.name } : {}),
    };
    msg.interaction = { id: i.id, type: i.type, name: i.name ?? '', user: i.user };
  }
  applyMentions(msg, body.allowed_mentions, ctx.lookupUser);
  return msg;
}

/** Applies an edit body (PATCH) to a stored message. */
export function applyEdit(
  msg: FakeMessage,
  body: JsonObject,
  files: RecordedFile[],
  ids: SnowflakeGenerator,
  baseUrl: string,
  lookupUser: (id: string) => FakeUser,
): void {
  if (body.content !== undefined) msg.content = typeof body.content === 'string' ? body.content : '';
  if (body.embeds !== undefined) msg.embeds = normalizeEmbeds(body.embeds);
  if (body.components !== undefined) msg.components = Array.isArray(body.components) ? body.components : [];
  if (body.flags !== undefined && typeof body.flags === 'number') {
    // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 may change on edit.
    const mutable = (1 << 2) | (1 << 15);
    msg.flags = (msg.flags & ~mutable) | (body.flags & mutable);
  }
  if (body.attachments !== undefined || files.length > 0) {
    const kept = Array.isArray(body.attachments)
      ? msg.attachments.filter((a) => (body.attachments as unknown[]).some((b) => isObject(b) && b.id === a.id))
      : msg.attachments;
    msg.attachments = [...kept, ...attachmentsFromFiles(files, ids, baseUrl)];
  }
  applyMentions(msg, body.allowed_mentions, lookupUser);
}

export function messageFromInput(
  input: FakeMessageInput,
  ctx: { ids: SnowflakeGenerator; channelId: string; guildId: string | null; author: FakeUser; botUser: FakeUser },
): FakeMessage {
  const author = input.author ? makeUser(input.author, ctx.botUser) : ctx.author;
  const msg: FakeMessage = {
    id: input.id ?? ctx.ids.next(),
    channel_id: input.channelId ?? ctx.channelId,
    author,
    content: input.content ?? '',
    timestamp: isoNow(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    pinned: false,
    type: 0,
    flags: input.flags ?? 0,
  };
  if (ctx.guildId) msg.guild_id = ctx.guildId;
  return msg;
}

export interface ResolvedCollector {
  users: Record<string, FakeUser>;
  members: Record<string, JsonObject>;
  channels: Record<string, JsonObject>;
  roles: Record<string, JsonObject>;
  attachments: Record<string, JsonObject>;
}

export const emptyResolved = (): ResolvedCollector => ({
  users: {},
  members: {},
  channels: {},
  roles: {},
  attachments: {},
});

/** content_type Discord gives an upload, from its extension. */
const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
};

/** An uploaded file as the fake keeps it; `url` is on the fake's own server, signed-looking like Discord's CDN. */
export function makeAttachment(input: FakeAttachmentInput, id: string, baseUrl: string): FakeAttachment {
  const ext = /\.([^.]+)$/.exec(input.filename)?.[1]?.toLowerCase() ?? '';
  const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : input.data;
  const issued = Math.floor(Date.now() / 1000);
  const query = `ex=${(issued + 86_400).toString(16)}&is=${issued.toString(16)}&hm=${randomBytes(32).toString('hex')}`;
  return {
    id,
    filename: input.filename,
    contentType: input.contentType ?? CONTENT_TYPES[ext] ?? 'application/octet-stream',
    data,
    url: `${baseUrl}/attachments/${id}/${encodeURIComponent(input.filename)}?${query}&`,
  };
}

/** `data.resolved.attachments[id]` of an interaction: an option upload is ephemeral. */
export function attachmentObject(a: FakeAttachment): JsonObject {
  return {
    id: a.id,
    filename: a.filename,
    size: a.data.length,
    url: a.url,
    proxy_url: a.url,
    content_type: a.contentType,
    ephemeral: true,
  };
}

export function memberObject(user: FakeUser | null, roles: string[], permissions: string | null): JsonObject {
  const m: JsonObject = {
    roles,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    banner: null,
    communication_disabled_until: null,
  };
  if (user) m.user = user;
  if (permissions !== null) m.permissions = permissions;
  return m;
}

export interface OptionContext {
  guild: FakeGuildState | null;
  fallbackUser: FakeUser;
  resolved: ResolvedCollector;
  focused: string | undefined;
  rememberUser: (u: FakeUser) => void;
  /** The next attachment given with the command, for an ATTACHMENT option without a value. */
  takeAttachment?: () => FakeAttachment | undefined;
}

/** Builds `data.options`, filling `resolved` for user / channel / role / attachment options. */
export function buildOptions(inputs: FakeOptionInput[], ctx: OptionContext): JsonObject[] {
  return inputs.map((o) => {
    const out: JsonObject = { name: o.name, type: o.type };
    if (o.options) out.options = buildOptions(o.options, ctx);
    let value = o.value;
    if ((o.type === 6 || o.type === 9) && (o.user || typeof value === 'string')) {
      const user = makeUser(o.user ?? { id: String(value) }, ctx.fallbackUser);
      value ??= user.id;
      ctx.resolved.users[user.id] = user;
      ctx.rememberUser(user);
      if (ctx.guild) ctx.resolved.members[user.id] = memberObject(null, [], FakePermissions.MEMBER);
    } else if (o.type === 7 && typeof value === 'string' && ctx.guild) {
      const c = ctx.guild.channels.find((ch) => ch.id === value);
      if (c)
        ctx.resolved.channels[c.id] = {
          id: c.id,
          name: c.name,
          type: c.type,
          permissions: FakePermissions.MEMBER,
          guild_id: ctx.guild.id,
        };
    } else if (o.type === 8 && typeof value === 'string' && ctx.guild) {
      const r = ctx.guild.roles.find((role) => role.id === value);
      if (r) ctx.resolved.roles[r.id] = roleObject(r);
    } else if (o.type === 11 && value === undefined && ctx.takeAttachment) {
      const a = ctx.takeAttachment();
      if (!a) throw new Error(`fake-discord: no attachment left for option "${o.name}"`);
      value = a.id;
      ctx.resolved.attachments[a.id] = attachmentObject(a);
    }
    if (value !== undefined) out.value = ctx.focused === o.name && typeof value !== 'string' ? String(value) : value;
    if (o.focused || (ctx.focused !== undefined && ctx.focused === o.name)) out.focused = true;
    return out;
  });
}

export function hasFocused(options: JsonObject[]): boolean {
  return options.some(
    (o) => o.focused === true || (Array.isArray(o.options) && hasFocused(o.options.filter(isObject))),
  );
}

export function resolvedObject(r: ResolvedCollector): JsonObject | undefined {
  const out: JsonObject = {};
  for (const key of ['users', 'members', 'channels', 'roles', 'attachments'] as const) {
    if (Object.keys(r[key]).length > 0) out[key] = r[key];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function bitfield(value: string | bigint | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Applies CommonInteractionInput.extra: shallow merge, `undefined` deletes. */
export function applyExtra(payload: JsonObject, extra: JsonObject | undefined): void {
  if (!extra) return;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete payload[k];
    else payload[k] = v;
  }
}

export function interactionToken(id: string): string {
  const random = randomBytes(24).toString('base64url');
  return `aW50ZXJhY3Rpb246${Buffer.from(`${id}:`).toString('base64url')}${random}`;
}
