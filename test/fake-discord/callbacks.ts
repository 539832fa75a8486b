/**
 * How the bot answers interactions: POST /interactions/:id/:token/callback (the 3 s deadline, one
 * acknowledgement, allowed response types) and the interaction webhooks (follow-ups, @original edits, fetches).
 */
import type { Messages } from './messages.js';
import { applyEdit, isoNow, messageFromBody } from './payloads.js';
import type { RequestLog, RestResult } from './records.js';
import { EPHEMERAL_FLAG, LOADING_FLAG, type FakeStore, type InteractionState } from './store.js';
import type { FakeMessage, JsonObject, RecordedRequest } from './types.js';
import { isObject, validateAutocomplete, validateModal } from './validation.js';

/** Allowed callback types per interaction type. */
const CALLBACK_TYPES: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/** Message type of a response: 20 (chat input command), 23 (context menu command), 0 otherwise. */
function responseMessageType(state: InteractionState): number {
  if (state.type === 2) return state.commandType === 1 ? 20 : 23;
  return 0;
}

export class CallbackRoutes {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
    private readonly messages: Messages,
  ) {}

  /** POST /interactions/:id/:token/callback. */
  callback(rec: RecordedRequest, id: string, token: string): RestResult {
    const log = this.log;
    const state = this.store.interactions.get(id);
    const unknown = (): RestResult => log.violation(rec, 'unknown-interaction', 404, 10062, 'Unknown interaction');
    if (!state || state.token !== token) return unknown();
    if (state.acknowledged) {
      return log.violation(rec, 'already-acknowledged', 400, 40060, 'Interaction has already been acknowledged.');
    }
    // Past the deadline Discord has forgotten the interaction: the same 10062 as an unknown one.
    if (Date.now() - state.sentAt > state.deadlineMs) return unknown();
    const body = rec.body;
    if (!isObject(body) || typeof body.type !== 'number') {
      return log.formError(rec, [{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const type = body.type;
    const allowed = CALLBACK_TYPES[state.type] ?? [];
    if (!allowed.includes(type)) {
      const message = `Interaction response type ${type} is not valid for interaction type ${state.type}.`;
      return log.formError(rec, [{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message }]);
    }
    const data = isObject(body.data) ? body.data : {};
    let message: FakeMessage | undefined;
    switch (type) {
      case 4: {
        const err = this.messages.check(rec, 'interaction-callback', body.data, true, ['data']);
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
        message = state.componentMessageId ? this.store.messages.get(state.componentMessageId) : undefined;
        break;
      }
      case 7: {
        const err = this.messages.check(rec, 'interaction-callback', body.data, false, ['data']);
        if (err) return err;
        const current = state.componentMessageId ? this.store.messages.get(state.componentMessageId) : undefined;
        if (current) {
          const next: FakeMessage = structuredClone(current);
          applyEdit(next, data, rec.files, this.store.ids, this.store.baseUrl, this.store.lookupUser);
          next.edited_timestamp = isoNow();
          message = next;
        }
        break;
      }
      case 8: {
        const errors = validateAutocomplete(body.data);
        if (errors.length > 0) return log.formError(rec, errors);
        break;
      }
      case 9: {
        const errors = validateModal(body.data);
        if (errors.length > 0) return log.formError(rec, errors);
        break;
      }
      default:
        break;
    }
    state.acknowledged = true;
    state.ackType = type;
    if (message) {
      this.store.messages.set(message.id, message);
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

  /** POST /webhooks/:app/:token (a follow-up). */
  webhookExecute(rec: RecordedRequest, appId: string, token: string): RestResult {
    const found = this.webhookState(rec, appId, token);
    if (!('token' in found)) return found;
    const state = found;
    const err = this.messages.check(rec, 'webhook-followup', rec.body, true);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    let msg: FakeMessage;
    const original = state.originalMessageId ? this.store.messages.get(state.originalMessageId) : undefined;
    if (state.loading && original) {
      // Discord: the first follow-up after a deferral replaces the "thinking" placeholder.
      const ephemeral = original.flags & EPHEMERAL_FLAG;
      msg = this.interactionMessage(state, body, rec, ephemeral);
      msg.id = original.id;
      msg.flags &= ~LOADING_FLAG;
      state.loading = false;
      this.store.messages.set(msg.id, msg);
    } else {
      msg = this.interactionMessage(state, body, rec);
      msg.type = 0;
      this.store.messages.set(msg.id, msg);
      state.messageIds.add(msg.id);
      state.followUpIds.push(msg.id);
    }
    return rec.query.wait === 'true' ? { status: 200, body: msg } : { status: 204 };
  }

  /** GET, PATCH and DELETE /webhooks/:app/:token/messages/:id (`@original` included). */
  webhookMessage(rec: RecordedRequest, appId: string, token: string, messageRef: string): RestResult {
    const found = this.webhookState(rec, appId, token);
    if (!('token' in found)) return found;
    const state = found;
    const messageId = messageRef === '@original' ? state.originalMessageId : messageRef;
    const msg = messageId && state.messageIds.has(messageId) ? this.store.messages.get(messageId) : undefined;
    if (!msg) return this.log.violation(rec, 'unknown-message', 404, 10008, 'Unknown Message');
    if (rec.method === 'GET') return { status: 200, body: msg };
    if (rec.method === 'DELETE') {
      this.store.messages.delete(msg.id);
      state.messageIds.delete(msg.id);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      const wasLoading = (msg.flags & LOADING_FLAG) !== 0;
      const result = this.messages.edit(rec, 'webhook-edit', msg, wasLoading);
      if (result.status === 200 && msg.id === state.originalMessageId) state.loading = false;
      return result;
    }
    return this.log.methodNotAllowed(rec);
  }

  /** The interaction a webhook token belongs to, or the error: unknown, expired, or not yet acknowledged. */
  private webhookState(rec: RecordedRequest, appId: string, token: string): InteractionState | RestResult {
    const state = this.store.byToken.get(token);
    if (!state || appId !== this.store.applicationId) {
      return this.log.violation(rec, 'unknown-webhook', 404, 10015, 'Unknown Webhook');
    }
    if (Date.now() - state.sentAt > this.store.interactionTokenTtlMs) {
      return this.log.violation(rec, 'invalid-webhook-token', 401, 50027, 'Invalid Webhook Token');
    }
    if (!state.acknowledged) return this.log.violation(rec, 'unknown-webhook', 404, 10015, 'Unknown Webhook');
    return state;
  }

  private interactionMessage(
    state: InteractionState,
    body: JsonObject,
    rec: RecordedRequest,
    extraFlags = 0,
  ): FakeMessage {
    const store = this.store;
    return messageFromBody(body, {
      id: store.ids.next(),
      channelId: state.channelId,
      guildId: state.guildId,
      author: store.botUser,
      type: responseMessageType(state),
      files: rec.files,
      ids: store.ids,
      baseUrl: store.baseUrl,
      lookupUser: store.lookupUser,
      applicationId: store.applicationId,
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
}
