/**
 * One REST request from arrival to answer: parse and record it, apply injected delays and faults, route it,
 * then attach it to its interaction and wake whoever waits for it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultResult, type FaultInjector } from './faults.js';
import { parseBody, readRaw, sendJson, sendRaw, type ParsedBody } from './http.js';
import type { RequestLog, RestResult } from './records.js';
import type { Router } from './routes.js';
import { isCallbackPath, type FakeStore } from './store.js';
import type { AuthorizationStatus, RecordedRequest } from './types.js';

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

export class RestHandler {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
    private readonly faults: FaultInjector,
    private readonly router: Router,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawPath = url.pathname;
    const api = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(rawPath);
    const rest = api ? (api[2] ?? '/') : rawPath;
    const path = `/${rest
      .split('/')
      .filter((s) => s.length > 0)
      .map(safeDecode)
      .join('/')}`;
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
      seq: this.log.nextSeq(),
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
    this.log.requests.push(rec);
    const state = rec.interactionId ? this.store.interactions.get(rec.interactionId) : undefined;
    let result: RestResult;
    try {
      const delay = this.faults.takeDelay(rec);
      if (delay !== undefined) await sleep(delay);
      const fault = this.faults.takeFault(rec);
      if (fault?.resetConnection) {
        rec.injected = true;
        rec.status = -1;
        rec.answeredAt = Date.now();
        req.socket.destroy();
        state?.requests.push(rec);
        this.log.answered(rec);
        return;
      }
      if (fault) {
        rec.injected = true;
        result = faultResult(fault, rec);
      } else if (!api) {
        result = this.router.cdn(rec);
      } else if (parsed.invalid) {
        result = this.log.violation(rec, 'invalid-json', 400, 50109, 'The request body contains invalid JSON.');
      } else {
        result = this.router.route(rec);
      }
    } catch (err) {
      // A bug in the fake answers 500 rather than hanging the client.
      result = { status: 500, body: { message: `500: Internal Server Error (fake: ${String(err)})`, code: 0 } };
    }
    rec.status = result.status;
    rec.responseBody = result.body;
    rec.answeredAt = Date.now();
    if (state) {
      state.requests.push(rec);
      if (!rec.injected && !state.firstCallback && isCallbackPath(path)) state.firstCallback = rec;
    }
    if (result.raw) sendRaw(res, result.status, result.raw, method === 'HEAD', result.headers);
    else sendJson(res, result.status, result.body, result.headers);
    this.log.answered(rec);
  }

  private authStatus(header: string | undefined): AuthorizationStatus {
    if (header === undefined) return 'absent';
    return header === `Bot ${this.store.token}` ? 'valid' : 'invalid';
  }

  /** The interaction a callback or webhook request belongs to, so its handle can list it. */
  private interactionIdFor(path: string): string | null {
    const seg = path.split('/');
    if (seg[1] === 'interactions' && seg[4] === 'callback') {
      return this.store.interactions.has(seg[2] ?? '') ? (seg[2] ?? null) : null;
    }
    if (seg[1] === 'webhooks' && seg[3]) return this.store.byToken.get(seg[3])?.id ?? null;
    return null;
  }
}
