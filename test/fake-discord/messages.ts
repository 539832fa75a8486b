/**
 * Message bodies: their validation and recording (allowed_mentions, pings) and edits, shared by interaction
 * callbacks, webhooks and the channel message routes, which live here too.
 */
import { applyEdit, computeMentions, isoNow, messageFromBody } from './payloads.js';
import type { RequestLog, RestResult } from './records.js';
import { EPHEMERAL_FLAG, LOADING_FLAG, type FakeStore } from './store.js';
import type { FakeMessage, MessageBodyKind, RecordedRequest } from './types.js';
import { isObject, validateMessage } from './validation.js';

function isEmpty(msg: FakeMessage): boolean {
  return (
    msg.content.trim().length === 0 &&
    msg.embeds.length === 0 &&
    msg.components.length === 0 &&
    msg.attachments.length === 0
  );
}

export class Messages {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
  ) {}

  /** Validates message data and records the body; returns an error result, or null when it is accepted. */
  check(
    rec: RecordedRequest,
    kind: MessageBodyKind,
    body: unknown,
    create: boolean,
    base: (string | number)[] = [],
  ): RestResult | null {
    const v = validateMessage(body, { create, hasFiles: rec.files.length > 0, base });
    let result: RestResult | null = null;
    if (v.errors.length > 0) result = this.log.formError(rec, v.errors);
    else if (v.empty) result = this.log.violation(rec, 'empty-message', 400, 50006, 'Cannot send an empty message');
    this.recordBody(rec, kind, body, result === null);
    return result;
  }

  /** PATCH of a stored message; an edit that empties it is refused. `wasLoading`: a deferred reply's first edit. */
  edit(rec: RecordedRequest, kind: MessageBodyKind, msg: FakeMessage, wasLoading = false): RestResult {
    const err = this.check(rec, kind, rec.body, false);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    const next: FakeMessage = structuredClone(msg);
    applyEdit(next, body, rec.files, this.store.ids, this.store.baseUrl, this.store.lookupUser);
    if (isEmpty(next)) {
      return this.log.violation(rec, 'empty-message', 400, 50006, 'Cannot send an empty message');
    }
    next.flags &= ~LOADING_FLAG;
    next.edited_timestamp = wasLoading ? null : isoNow();
    this.store.messages.set(next.id, next);
    return { status: 200, body: next };
  }

  /** POST /channels/:id/messages. */
  create(rec: RecordedRequest, channelId: string): RestResult {
    const err = this.check(rec, 'channel-message', rec.body, true);
    if (err) return err;
    const body = isObject(rec.body) ? rec.body : {};
    const msg = messageFromBody(body, {
      id: this.store.ids.next(),
      channelId,
      guildId: this.store.guildIdOfChannel(channelId),
      author: this.store.botUser,
      type: isObject(body.message_reference) ? 19 : 0,
      files: rec.files,
      ids: this.store.ids,
      baseUrl: this.store.baseUrl,
      lookupUser: this.store.lookupUser,
    });
    msg.flags &= ~EPHEMERAL_FLAG;
    this.store.messages.set(msg.id, msg);
    return { status: 200, body: msg };
  }

  /** GET, PATCH and DELETE /channels/:id/messages/:id (ephemeral messages are not reachable here). */
  channelMessage(rec: RecordedRequest, channelId: string, messageId: string): RestResult {
    const msg = this.store.messages.get(messageId);
    if (!msg || msg.channel_id !== channelId || (msg.flags & EPHEMERAL_FLAG) !== 0) {
      return this.log.violation(rec, 'unknown-message', 404, 10008, 'Unknown Message');
    }
    if (rec.method === 'GET') return { status: 200, body: msg };
    if (rec.method === 'DELETE') {
      this.store.messages.delete(messageId);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      if (msg.author.id !== this.store.botUser.id) {
        return this.log.violation(rec, 'unauthorized', 403, 50005, 'Cannot edit a message authored by another user');
      }
      return this.edit(rec, 'channel-message-edit', msg);
    }
    return this.log.methodNotAllowed(rec);
  }

  private recordBody(rec: RecordedRequest, kind: MessageBodyKind, body: unknown, accepted: boolean): void {
    const obj = isObject(body) ? body : {};
    const content = typeof obj.content === 'string' ? obj.content : undefined;
    const mentions = computeMentions(content ?? '', obj.allowed_mentions);
    const ephemeral = typeof obj.flags === 'number' && (obj.flags & EPHEMERAL_FLAG) !== 0;
    this.log.messageBodies.push({
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
}
