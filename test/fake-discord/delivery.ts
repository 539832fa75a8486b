/**
 * Interactions delivered over HTTP, as Discord does for an app with an Interactions Endpoint URL: the payload is
 * POSTed to the endpoint, signed with Ed25519 (the signature, in hex, of `X-Signature-Timestamp` followed by the
 * body bytes), and the endpoint's answer is judged as Discord would: `{"type":1}` for a PING; for an interaction,
 * 202 with no body once its callback was sent, or 200 with the interaction response (handled as its callback),
 * within the deadline; 401 for a request Discord would never send (bad or missing signature, replayed timestamp).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import type { CallbackRoutes } from './callbacks.js';
import { parseBody, readRaw } from './http.js';
import type { RequestLog } from './records.js';
import type { FakeStore, InteractionState } from './store.js';
import type { HttpDeliveryRecord, HttpSigningInput, RecordedRequest, ViolationKind } from './types.js';
import { isObject } from './validation.js';

/** A timestamp further than this from now is a replay: Discord signs each request as it sends it. */
export const REPLAY_AFTER_S = 5 * 60;
/** An endpoint that has not answered by then is given up (status -1). */
const ANSWER_TIMEOUT_MS = 10_000;

/** The raw 32-byte Ed25519 public key as 64 hex characters, as the developer portal shows an app's key. */
export function publicKeyHex(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('fake-discord: not an Ed25519 public key');
  return Buffer.from(x, 'base64url').toString('hex');
}

export interface HttpTarget {
  url: string;
  privateKey: KeyObject;
}

export class HttpDelivery {
  /** Where interactions go; null: on the gateway. */
  target: HttpTarget | null = null;
  /** Signs `other-key` requests: a key the bot was never given. */
  private otherKey: KeyObject | null = null;

  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
    private readonly callbacks: CallbackRoutes,
  ) {}

  /** POSTs the interaction (its state is registered and its deadline started by the caller). */
  deliver(state: InteractionState, signing: HttpSigningInput = {}): Promise<HttpDeliveryRecord> {
    return this.post(state.payload, signing, state);
  }

  /** A PING (type 1), as Discord sends to check the endpoint: answered `{"type":1}`, or 401 when forged. */
  ping(signing: HttpSigningInput = {}): Promise<HttpDeliveryRecord> {
    const id = this.store.ids.next();
    const payload = { id, application_id: this.store.applicationId, type: 1, token: `ping-${id}`, version: 1 };
    return this.post(payload, signing, null);
  }

  private async post(
    payload: Record<string, unknown>,
    signing: HttpSigningInput,
    state: InteractionState | null,
  ): Promise<HttpDeliveryRecord> {
    const target = this.target;
    if (!target) throw new Error('fake-discord: deliverOverHttp() first');
    const signature = signing.signature ?? 'valid';
    const timestamp = String(signing.timestamp ?? Math.floor(Date.now() / 1000));
    const body = JSON.stringify(payload);
    const key =
      signature === 'other-key' ? (this.otherKey ??= generateKeyPairSync('ed25519').privateKey) : target.privateKey;
    let hex = sign(null, Buffer.from(timestamp + body), key).toString('hex');
    if (signature === 'malformed') hex = `zz${hex.slice(2)}`;
    // A space after the JSON: still the same payload, no longer the bytes signed.
    const sent = signature === 'tampered' ? `${body} ` : body;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(sent)),
      'User-Agent': 'Discord-Interactions/1.0 (+https://discord.com)',
    };
    if (signature !== 'missing') {
      headers['X-Signature-Ed25519'] = hex;
      headers['X-Signature-Timestamp'] = timestamp;
    }
    const record: HttpDeliveryRecord = {
      seq: this.log.nextSeq(),
      url: target.url,
      type: Number(payload.type),
      interactionId: String(payload.id),
      signature,
      timestamp,
      forged: signature !== 'valid' || Math.abs(Date.now() / 1000 - Number(timestamp)) > REPLAY_AFTER_S,
      sentAt: Date.now(),
      answeredAt: 0,
      status: 0,
      body: null,
      error: null,
    };
    this.log.deliveries.push(record);
    const answer = await send(target.url, headers, sent);
    record.answeredAt = Date.now();
    record.status = answer.status;
    record.body = answer.body;
    record.error = answer.error;
    this.judge(record, answer.empty, state);
    return record;
  }

  /** What Discord would make of the answer: a violation when it would not accept it. */
  private judge(record: HttpDeliveryRecord, empty: boolean, state: InteractionState | null): void {
    const problem = this.problem(record, empty, state);
    if (problem) this.log.deliveryViolation(record, problem[0], problem[1]);
    else if (state && record.status === 200) this.inlineCallback(record, state);
  }

  private problem(
    record: HttpDeliveryRecord,
    empty: boolean,
    state: InteractionState | null,
  ): [ViolationKind, string] | null {
    const { status, body } = record;
    if (record.forged) return status === 401 ? null : ['bad-signature-accepted', 'a forged request not refused 401'];
    if (status === -1) return ['http-delivery-failed', `no answer (${record.error})`];
    if (!state) {
      const pong = status === 200 && isObject(body) && body.type === 1;
      return pong ? null : ['http-delivery-failed', 'a PING must be answered 200 {"type":1}'];
    }
    if (record.answeredAt - state.sentAt > state.deadlineMs) {
      return ['http-response-late', 'answered after the interaction deadline'];
    }
    if (status === 202) {
      if (!state.acknowledged) return ['http-delivery-failed', '202 before any callback'];
      return empty ? null : ['http-delivery-failed', '202 must have no body'];
    }
    if (status === 200 && isObject(body)) return null;
    return ['http-delivery-failed', `status ${status} is not an interaction answer`];
  }

  /** A 200 carrying the interaction response: Discord handles it as the callback (one acknowledgement, deadline). */
  private inlineCallback(record: HttpDeliveryRecord, state: InteractionState): void {
    const now = record.answeredAt;
    const rec: RecordedRequest = {
      seq: this.log.nextSeq(),
      method: 'POST',
      rawPath: '(http response)',
      path: `/interactions/${state.id}/${state.token}/callback`,
      apiVersion: null,
      query: {},
      headers: {},
      authorization: 'absent',
      body: record.body,
      files: [],
      receivedAt: now,
      answeredAt: now,
      status: 0,
      responseBody: undefined,
      injected: false,
      interactionId: state.id,
      via: 'http-response',
    };
    this.log.requests.push(rec);
    const result = this.callbacks.callback(rec, state.id, state.token);
    rec.status = result.status;
    rec.responseBody = result.body;
    state.requests.push(rec);
    state.firstCallback ??= rec;
    this.log.answered(rec);
  }
}

interface Answer {
  status: number;
  body: unknown;
  empty: boolean;
  error: string | null;
}

function send(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve) => {
    const failed = (err: Error): void => resolve({ status: -1, body: null, empty: true, error: err.message });
    const req = request(url, { method: 'POST', headers, timeout: ANSWER_TIMEOUT_MS }, (res) => {
      readRaw(res).then((raw) => {
        const parsed = parseBody(raw, res.headers['content-type']);
        resolve({ status: res.statusCode ?? -1, body: parsed.body, empty: raw.length === 0, error: null });
      }, failed);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    req.on('error', failed);
    req.end(body);
  });
}
