import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { checkSignature } from './signature.js';

/** Interaction bodies are a few kilobytes (a message context menu carries one message): far under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the endpoint answers Discord for one verified interaction. */
export interface EndpointAnswer {
  status: number;
  /** Sent as JSON; none for a 202. */
  body?: unknown;
}

export interface InteractionServerOptions {
  key: KeyObject;
  port: number;
  /** null: every interface. */
  host: string | null;
  log: Logger;
  /** A verified request's parsed body (PING included); what to answer Discord. */
  handle(payload: unknown): Promise<EndpointAnswer>;
  /** Default Date.now (tests move the clock). */
  now?: () => number;
}

export interface InteractionServer {
  /** The port listened on (HTTP_PORT, or the one the system chose for 0). */
  port: number;
  /** Stops taking requests and waits for those in flight. */
  close(): Promise<void>;
}

/**
 * `POST /interactions`: Discord's outgoing-webhook delivery of interactions. Every request is checked against the
 * application's public key before anything else is done with it (its body is not even parsed): a missing, bad or
 * stale signature gets 401 with no body. `GET /healthz` answers 200 for load balancers.
 */
export async function startInteractionServer(options: InteractionServerOptions): Promise<InteractionServer> {
  const server = createServer((req, res) => void serve(req, res, options));
  // A client that sends its headers or body slowly is dropped long before Discord's 3 s would matter.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (options.host === null) server.listen(options.port, ready);
    else server.listen(options.port, options.host, ready);
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: InteractionServerOptions): Promise<void> {
  const url = req.url?.split('?')[0] ?? '/';
  if (url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return answer(res, 200, { status: 'ok' });
  if (url !== '/interactions') return answer(res, 404);
  if (req.method !== 'POST') return answer(res, 405, undefined, { Allow: 'POST' });
  const body = await readBody(req);
  if (body === 'too-large') return answer(res, 413, undefined, { Connection: 'close' });
  if (body === 'failed') return;
  const now = options.now?.() ?? Date.now();
  const problem = checkSignature(
    options.key,
    { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp') },
    body,
    now,
  );
  if (problem) {
    options.log.info({ problem }, 'interaction refused: signature');
    return answer(res, 401);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    // Signed by Discord yet not JSON: nothing to do with it.
    return answer(res, 400);
  }
  let result: EndpointAnswer;
  try {
    result = await options.handle(payload);
  } catch (err) {
    options.log.error({ err }, 'interaction not handled');
    result = { status: 500 };
  }
  answer(res, result.status, result.body);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The whole body, unless it grows past MAX_BODY_BYTES or the connection fails. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'failed'> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      req.resume();
      return resolve('too-large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve('failed'));
    req.on('aborted', () => resolve('failed'));
  });
}

function answer(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, { 'Content-Length': '0', ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections (a load balancer's pool) would hold close() open.
    server.closeIdleConnections();
  });
}
