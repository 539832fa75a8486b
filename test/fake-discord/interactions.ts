/**
 * Sending interactions to the bot: builds INTERACTION_CREATE payloads (commands, autocomplete, buttons, context
 * menus, raw), dispatches them on the right shard, or POSTs them to the bot's endpoint once deliverOverHttp() was
 * called, and returns a handle to await and inspect the bot's answers.
 */
import type { HttpDelivery } from './delivery.js';
import type { FakeGateway } from './gateway.js';
import { InteractionHandleImpl } from './handle.js';
import {
  applyExtra,
  bitfield,
  buildOptions,
  channelObject,
  emptyResolved,
  FakePermissions,
  hasFocused,
  interactionToken,
  makeAttachment,
  makeUser,
  memberObject,
  messageFromInput,
  resolvedObject,
  type OptionContext,
  type ResolvedCollector,
} from './payloads.js';
import type { RequestLog } from './records.js';
import { shardForGuild } from './snowflake.js';
import { newInteractionState, type FakeStore, type InteractionState } from './store.js';
import type {
  CommonInteractionInput,
  FakeGuildState,
  FakeMessage,
  FakeUser,
  HttpSigningInput,
  InteractionHandle,
  JsonObject,
  SendAutocompleteInput,
  SendButtonInput,
  SendCommandInput,
  SendMessageContextMenuInput,
} from './types.js';
import { isObject } from './validation.js';

/** A payload under construction, with what the dispatch needs to know about it. */
interface BasePayload {
  payload: JsonObject;
  guild: FakeGuildState | null;
  channelId: string;
  user: FakeUser;
}

export class InteractionSender {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
    private readonly gateway: FakeGateway,
    private readonly delivery: HttpDelivery,
  ) {}

  /** The shard a guild's events go to, given the shard count clients identified with. */
  shardOf(guildId: string | null): number {
    if (!guildId) return 0;
    const count = this.gateway.shardCountOf(0) ?? this.store.shardCount;
    return shardForGuild(guildId, count);
  }

  sendCommand(input: SendCommandInput): InteractionHandle {
    const base = this.buildBase(input, 2);
    const resolved = emptyResolved();
    const id = input.commandId ?? this.store.commandId(input.name, 1, base.guild?.id);
    const data: JsonObject = { id, name: input.name, type: 1 };
    const guildCmd = base.guild ? this.store.findGuildCommand(input.name, 1, base.guild.id) : undefined;
    if (guildCmd && base.guild) data.guild_id = base.guild.id;
    const uploads = (input.attachments ?? []).map((a) => makeAttachment(a, this.store.ids.next(), this.store.baseUrl));
    if (input.options && input.options.length > 0) {
      const ctx = this.optionContext(base.guild, resolved, undefined);
      const queue = [...uploads];
      ctx.takeAttachment = () => queue.shift();
      data.options = buildOptions(input.options, ctx);
      if (queue.length > 0) throw new Error(`fake-discord: ${queue.length} attachment(s) left without an option`);
    } else if (uploads.length > 0) {
      throw new Error('fake-discord: attachments need ATTACHMENT options (type 11) to go in');
    }
    for (const a of uploads) this.store.attachments.set(a.id, a);
    const r = resolvedObject(resolved);
    if (r) data.resolved = r;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 1);
  }

  sendAutocomplete(input: SendAutocompleteInput): InteractionHandle {
    const base = this.buildBase(input, 4);
    const resolved = emptyResolved();
    const options = buildOptions(input.options, this.optionContext(base.guild, resolved, input.focused));
    if (!hasFocused(options)) {
      throw new Error(`fake-discord: focused option "${input.focused}" is not among the options`);
    }
    const id = input.commandId ?? this.store.commandId(input.name, 1, base.guild?.id);
    const data: JsonObject = { id, name: input.name, type: 1, options };
    if (base.guild && this.store.findGuildCommand(input.name, 1, base.guild.id)) data.guild_id = base.guild.id;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 1);
  }

  sendButton(input: SendButtonInput): InteractionHandle {
    const store = this.store;
    const base = this.buildBase(input, 3);
    let message: FakeMessage | undefined;
    // A message given by id alone is one the fake already holds.
    if (input.message?.id && store.messages.has(input.message.id) && Object.keys(input.message).length === 1) {
      message = store.messages.get(input.message.id);
    }
    if (!message) {
      message = messageFromInput(
        {
          components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: input.customId, label: 'Bouton' }] }],
          ...input.message,
        },
        {
          ids: store.ids,
          channelId: base.channelId,
          guildId: base.guild?.id ?? null,
          author: store.botUser,
          botUser: store.botUser,
        },
      );
      if (!input.message?.author) message.application_id = store.applicationId;
      store.messages.set(message.id, message);
    }
    base.payload.message = message;
    base.payload.data = { custom_id: input.customId, component_type: 2 };
    return this.dispatchInteraction(base, input, null, null, message.id);
  }

  sendMessageContextMenu(input: SendMessageContextMenuInput): InteractionHandle {
    const store = this.store;
    const base = this.buildBase(input, 2);
    const target = messageFromInput(input.targetMessage, {
      ids: store.ids,
      channelId: base.channelId,
      guildId: base.guild?.id ?? null,
      author: store.defaultUser,
      botUser: store.botUser,
    });
    store.users.set(target.author.id, target.author);
    store.messages.set(target.id, target);
    const data: JsonObject = {
      id: input.commandId ?? store.commandId(input.name, 3, base.guild?.id),
      name: input.name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    };
    if (base.guild && store.findGuildCommand(input.name, 3, base.guild.id)) data.guild_id = base.guild.id;
    base.payload.data = data;
    return this.dispatchInteraction(base, input, input.name, 3);
  }

  sendRawInteraction(
    payload: JsonObject,
    opts: { shardId?: number; deadlineMs?: number; http?: HttpSigningInput } = {},
  ): InteractionHandle {
    const store = this.store;
    const id = payload.id;
    const token = payload.token;
    const type = payload.type;
    if (typeof id !== 'string' || typeof token !== 'string' || typeof type !== 'number') {
      throw new Error('fake-discord: sendRawInteraction needs string id, string token and numeric type');
    }
    const guildId = typeof payload.guild_id === 'string' ? payload.guild_id : null;
    const channelId =
      typeof payload.channel_id === 'string' ? payload.channel_id : (store.guilds[0]?.channels[0]?.id ?? '0');
    const data = isObject(payload.data) ? payload.data : {};
    const userSource = isObject(payload.member) && isObject(payload.member.user) ? payload.member.user : payload.user;
    const user =
      isObject(userSource) && typeof userSource.id === 'string'
        ? makeUser({ id: userSource.id }, store.defaultUser)
        : store.defaultUser;
    const message = payload.message;
    const state = newInteractionState({
      id,
      token,
      type,
      payload,
      shardId: opts.shardId ?? this.shardOf(guildId),
      deadlineMs: opts.deadlineMs ?? store.interactionDeadlineMs,
      guildId,
      channelId,
      user,
      commandName: typeof data.name === 'string' ? data.name : null,
      commandType: typeof data.type === 'number' ? data.type : null,
      componentMessageId: isObject(message) && typeof message.id === 'string' ? message.id : null,
    });
    return this.dispatchState(state, opts.http);
  }

  private optionContext(
    guild: FakeGuildState | null,
    resolved: ResolvedCollector,
    focused: string | undefined,
  ): OptionContext {
    return {
      guild,
      fallbackUser: this.store.defaultUser,
      resolved,
      focused,
      rememberUser: (u: FakeUser) => {
        this.store.users.set(u.id, u);
      },
    };
  }

  /** The fields every interaction carries, in a guild channel or a DM, before its type-specific data. */
  private buildBase(input: CommonInteractionInput, type: number): BasePayload {
    const store = this.store;
    const id = store.ids.next();
    const token = interactionToken(id);
    const user = makeUser(input.user, store.defaultUser);
    store.users.set(user.id, user);
    const appPermissions = bitfield(input.appPermissions, FakePermissions.MEMBER);
    const locale = input.locale ?? 'fr';
    const common: JsonObject = {
      id,
      application_id: store.applicationId,
      type,
      token,
      version: 1,
      locale,
      app_permissions: appPermissions,
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    if (input.dm) {
      const channelId = input.channelId ?? store.dmChannelFor(user);
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
    const guild = store.guild(input.guildId);
    const channel =
      guild.channels.find((c) => c.id === input.channelId) ??
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

  private dispatchInteraction(
    base: BasePayload,
    input: CommonInteractionInput,
    commandName: string | null,
    commandType: number | null,
    componentMessageId: string | null = null,
  ): InteractionHandle {
    const p = base.payload;
    const state = newInteractionState({
      id: String(p.id),
      token: String(p.token),
      type: Number(p.type),
      payload: p,
      shardId: this.shardOf(base.guild?.id ?? null),
      deadlineMs: input.deadlineMs ?? this.store.interactionDeadlineMs,
      guildId: base.guild?.id ?? null,
      channelId: base.channelId,
      user: base.user,
      commandName,
      commandType,
      componentMessageId,
    });
    return this.dispatchState(state, input.http);
  }

  /**
   * Registers the interaction (so callbacks and webhooks find it), starts its deadline and sends it: on the gateway,
   * or over HTTP when a target is set (a forged request too, so that a callback to it would be seen).
   */
  private dispatchState(state: InteractionState, signing: HttpSigningInput | undefined): InteractionHandle {
    const overHttp = this.delivery.target !== null;
    if (!overHttp && !this.gateway.hasSession(state.shardId)) {
      throw new Error(`fake-discord: no gateway session on shard ${state.shardId}; is the client logged in?`);
    }
    this.store.interactions.set(state.id, state);
    this.store.byToken.set(state.token, state);
    state.sentAt = Date.now();
    if (overHttp) state.http = this.delivery.deliver(state, signing);
    else this.gateway.dispatch(state.shardId, 'INTERACTION_CREATE', state.payload);
    return new InteractionHandleImpl(this.store, this.log, state);
  }
}
