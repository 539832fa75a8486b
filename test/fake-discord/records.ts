/**
 * What the fake saw and refused: every REST request, every violation (a request Discord would reject), every
 * message body and every unknown route, plus waiting for requests. It holds no Discord state.
 */
import { EventEmitter } from 'node:events';
import type {
  HttpDeliveryRecord,
  JsonObject,
  MessageBodyRecord,
  RecordedRequest,
  Violation,
  ViolationKind,
} from './types.js';
import { toErrorTree, type FieldError } from './validation.js';

/** The answer a route gives: status, JSON body and extra headers; or raw bytes (a CDN file). */
export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is, with this Content-Type, instead of a JSON body (`body` is then only what the log records). */
  raw?: { data: Buffer; contentType: string };
}

export const DEFAULT_WAIT_MS = 5000;

export function timeoutError(what: string, ms: number): Error {
  return new Error(`fake-discord: timed out after ${ms} ms waiting for ${what}`);
}

export class RequestLog {
  /** Every REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  /** Every request the fake rejected the way Discord would (not the injected faults). */
  readonly violations: Violation[] = [];
  /** Every body carrying message data (replies, updates, follow-ups, edits, channel messages). */
  readonly messageBodies: MessageBodyRecord[] = [];
  /** Requests to routes the fake does not know (also in violations). */
  readonly unknownRoutes: RecordedRequest[] = [];
  /** Interactions POSTed to the bot's endpoint (deliverOverHttp), in order. */
  readonly deliveries: HttpDeliveryRecord[] = [];
  private readonly events = new EventEmitter();
  private seq = 0;

  constructor() {
    // Any number of tests may wait at once.
    this.events.setMaxListeners(0);
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Tells the waiters a request has been answered (or its connection reset). */
  answered(rec: RecordedRequest): void {
    this.events.emit('request', rec);
  }

  /** Forgets requests, violations, message bodies and unknown routes (the sequence numbers go on). */
  clear(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.messageBodies.length = 0;
    this.unknownRoutes.length = 0;
    this.deliveries.length = 0;
  }

  close(): void {
    this.events.removeAllListeners();
  }

  /** First answered request (past or future) matching the predicate. */
  waitForRequest(
    predicate: (req: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a matching request',
  ): Promise<RecordedRequest> {
    const existing = this.requests.find((r) => r.status !== 0 && predicate(r));
    if (existing) return Promise.resolve(existing);
    return this.nextRequest(predicate, timeoutMs, what);
  }

  /** Next request answered from now on matching the predicate. */
  nextRequest(
    predicate: (req: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a matching request',
  ): Promise<RecordedRequest> {
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

  /** Records a violation and returns Discord's JSON error for it. */
  violation(
    rec: RecordedRequest,
    kind: ViolationKind,
    status: number,
    code: number,
    message: string,
    errors?: JsonObject,
  ): RestResult {
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

  /** Records a violation by the bot's endpoint: its answer to a delivery, not a request the fake answered. */
  deliveryViolation(delivery: HttpDeliveryRecord, kind: ViolationKind, message: string): void {
    this.violations.push({
      kind,
      requestSeq: delivery.seq,
      method: 'POST',
      path: new URL(delivery.url).pathname,
      status: delivery.status,
      code: 0,
      message,
      interactionId: delivery.type === 1 ? null : delivery.interactionId,
      at: Date.now(),
    });
  }

  /** 50035 Invalid Form Body with its `errors` tree. */
  formError(rec: RecordedRequest, errors: FieldError[]): RestResult {
    return this.violation(rec, 'invalid-form-body', 400, 50035, 'Invalid Form Body', toErrorTree(errors));
  }

  unknownRoute(rec: RecordedRequest): RestResult {
    this.unknownRoutes.push(rec);
    return this.violation(rec, 'unknown-route', 404, 0, '404: Not Found');
  }

  methodNotAllowed(rec: RecordedRequest): RestResult {
    return this.violation(rec, 'method-not-allowed', 405, 0, '405: Method Not Allowed');
  }
}
