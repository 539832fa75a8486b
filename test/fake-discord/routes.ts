/**
 * The REST route table: which handler answers a path, the authorization each route needs, and the small
 * read-only routes (gateway, current user, application, channel, guild). Paths are those of RecordedRequest.path.
 * Outside /api, the CDN: attachment files (`cdn`).
 */
import type { CallbackRoutes } from './callbacks.js';
import type { CommandRoutes } from './commands.js';
import type { Messages } from './messages.js';
import { DEFAULT_OWNER_ID, guildObject } from './payloads.js';
import type { RequestLog, RestResult } from './records.js';
import type { FakeStore } from './store.js';
import type { JsonObject, RecordedRequest } from './types.js';

export interface RouteHandlers {
  store: FakeStore;
  log: RequestLog;
  messages: Messages;
  commands: CommandRoutes;
  callbacks: CallbackRoutes;
}

export class Router {
  private readonly store: FakeStore;
  private readonly log: RequestLog;
  private readonly messages: Messages;
  private readonly commands: CommandRoutes;
  private readonly callbacks: CallbackRoutes;

  constructor(h: RouteHandlers) {
    this.store = h.store;
    this.log = h.log;
    this.messages = h.messages;
    this.commands = h.commands;
    this.callbacks = h.callbacks;
  }

  route(rec: RecordedRequest): RestResult {
    const log = this.log;
    const store = this.store;
    const s = rec.path.split('/').slice(1);
    const m = rec.method;
    const [a, b, c, d, e, f] = s;
    const n = s.length;

    if (a === 'gateway' && n === 1) {
      return m === 'GET' ? { status: 200, body: { url: store.gatewayUrl } } : log.methodNotAllowed(rec);
    }
    if (a === 'gateway' && b === 'bot' && n === 2) {
      if (m !== 'GET') return log.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? { status: 200, body: this.gatewayBot() };
    }
    if (a === 'users' && b === '@me' && n === 2) {
      if (m !== 'GET') return log.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? { status: 200, body: this.meUser() };
    }
    if (a === 'applications' && b === '@me' && n === 2) {
      if (m !== 'GET') return log.methodNotAllowed(rec);
      return this.requireAuth(rec) ?? { status: 200, body: this.application() };
    }
    if (a === 'applications' && b !== undefined && c === 'commands') {
      const denied = this.requireAuth(rec) ?? this.checkApp(rec, b);
      if (denied) return denied;
      if (n === 3) return this.commands.list(rec, null);
      if (n === 4 && d) return this.commands.one(rec, null, d);
    }
    if (a === 'applications' && b !== undefined && c === 'guilds' && d !== undefined && e === 'commands') {
      const denied = this.requireAuth(rec) ?? this.checkApp(rec, b);
      if (denied) return denied;
      if (!store.guilds.some((x) => x.id === d)) {
        return log.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
      }
      if (n === 5) return this.commands.list(rec, d);
      if (n === 6 && f) return this.commands.one(rec, d, f);
    }
    // Interaction callbacks and webhooks carry their own token: no Authorization header.
    if (a === 'interactions' && b !== undefined && c !== undefined && d === 'callback' && n === 4) {
      return m === 'POST' ? this.callbacks.callback(rec, b, c) : log.methodNotAllowed(rec);
    }
    if (a === 'webhooks' && b !== undefined && c !== undefined) {
      if (n === 3) return m === 'POST' ? this.callbacks.webhookExecute(rec, b, c) : log.methodNotAllowed(rec);
      if (n === 5 && d === 'messages' && e !== undefined) return this.callbacks.webhookMessage(rec, b, c, e);
    }
    if (a === 'channels' && b !== undefined) {
      const denied = this.requireAuth(rec);
      if (denied) return denied;
      const channel = store.findChannel(b);
      if (!channel) return log.violation(rec, 'unknown-channel', 404, 10003, 'Unknown Channel');
      if (n === 2) return m === 'GET' ? { status: 200, body: channel } : log.methodNotAllowed(rec);
      if (n === 3 && c === 'typing') return m === 'POST' ? { status: 204 } : log.methodNotAllowed(rec);
      if (n === 3 && c === 'messages') {
        if (m === 'POST') return this.messages.create(rec, b);
        if (m === 'GET') return { status: 200, body: store.channelMessages(b, Number(rec.query.limit ?? 50)) };
        return log.methodNotAllowed(rec);
      }
      if (n === 4 && c === 'messages' && d !== undefined) return this.messages.channelMessage(rec, b, d);
    }
    if (a === 'guilds' && b !== undefined && n === 2) {
      if (m !== 'GET') return log.methodNotAllowed(rec);
      const denied = this.requireAuth(rec);
      if (denied) return denied;
      const guild = store.guilds.find((x) => x.id === b);
      if (!guild) return log.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
      return { status: 200, body: guildObject(guild, store.botUser, false) };
    }
    return log.unknownRoute(rec);
  }

  /**
   * A path outside /api: `GET|HEAD /attachments/:id/:filename` serves an attachment's bytes with its content type, no
   * authorization needed (the CDN's signed query is not checked), as cdn.discordapp.com does.
   */
  cdn(rec: RecordedRequest): RestResult {
    const [a, id, filename, ...more] = rec.path.split('/').slice(1);
    if (a !== 'attachments' || !id || !filename || more.length > 0) return this.log.unknownRoute(rec);
    if (rec.method !== 'GET' && rec.method !== 'HEAD') return this.log.methodNotAllowed(rec);
    const file = this.store.attachments.get(id);
    if (!file || file.filename !== filename) {
      const gone = 'This content is no longer available.';
      return { status: 404, body: gone, raw: { data: Buffer.from(gone), contentType: 'text/plain; charset=utf-8' } };
    }
    return {
      status: 200,
      body: { attachment: file.id, size: file.data.length },
      raw: { data: file.data, contentType: file.contentType },
    };
  }

  private requireAuth(rec: RecordedRequest): RestResult | null {
    if (rec.authorization === 'valid') return null;
    return this.log.violation(rec, 'unauthorized', 401, 0, '401: Unauthorized');
  }

  private checkApp(rec: RecordedRequest, appId: string): RestResult | null {
    if (appId === this.store.applicationId) return null;
    return this.log.violation(rec, 'unauthorized', 403, 50001, 'Missing Access');
  }

  private gatewayBot(): JsonObject {
    const store = this.store;
    return {
      url: store.gatewayUrl,
      shards: store.shardCount,
      session_start_limit: {
        total: 1000,
        remaining: 999,
        reset_after: 14_400_000,
        max_concurrency: store.maxConcurrency,
      },
    };
  }

  private meUser(): JsonObject {
    return {
      ...this.store.botUser,
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
    const store = this.store;
    return {
      id: store.applicationId,
      name: store.botUser.username,
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
      bot: store.botUser,
      tags: [],
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      integration_types_config: { '0': {} },
      approximate_guild_count: store.guilds.length,
      hook: true,
    };
  }
}
