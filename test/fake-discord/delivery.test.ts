import { generateKeyPairSync, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyHex, startFakeDiscord, type FakeDiscord } from './index.js';

/** The fake's own rules for interactions delivered over HTTP, against an endpoint each test scripts by hand. */
const keys = generateKeyPairSync('ed25519');
let fake: FakeDiscord;
let server: Server;
let answer: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void | Promise<void>;

beforeAll(async () => {
  fake = await startFakeDiscord();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.deliverOverHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`, keys);
});

beforeEach(() => fake.clearLogs());

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await fake?.close();
});

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('interactions delivered over HTTP', () => {
  it('signs the exact body with the key given, over the timestamp sent', async () => {
    let seen: { signature: string; timestamp: string; body: Buffer } | undefined;
    answer = (req, body, res) => {
      seen = {
        signature: String(req.headers['x-signature-ed25519']),
        timestamp: String(req.headers['x-signature-timestamp']),
        body,
      };
      json(res, 200, { type: 1 });
    };
    expect(await fake.sendPing()).toMatchObject({ status: 200, body: { type: 1 }, forged: false });
    const signed = Buffer.concat([Buffer.from(seen!.timestamp), seen!.body]);
    expect(verify(null, signed, keys.publicKey, Buffer.from(seen!.signature, 'hex'))).toBe(true);
    expect(JSON.parse(seen!.body.toString())).toMatchObject({ type: 1, application_id: fake.applicationId });
    expect(publicKeyHex(keys.publicKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(fake.violations).toEqual([]);
  });

  it('handles a 200 carrying the interaction response as its callback', async () => {
    answer = (_req, _body, res) =>
      json(res, 200, { type: 4, data: { content: 'En ligne', allowed_mentions: { parse: [] } } });
    const h = fake.sendCommand({ name: 'djingo' });
    const first = await h.firstResponse();
    expect(first).toMatchObject({ via: 'http-response', status: 204, body: { type: 4 } });
    expect(h.acknowledged).toBe(true);
    expect(h.originalMessage()?.content).toBe('En ligne');
    expect((await h.httpResponse()).status).toBe(200);
    expect(fake.violations).toEqual([]);
  });

  it('flags what Discord refuses: 202 before any callback, another status, a forged request let in', async () => {
    answer = (_req, _body, res) => {
      res.writeHead(202);
      res.end();
    };
    await fake.sendCommand({ name: 'djingo' }).httpResponse();
    answer = (_req, _body, res) => json(res, 500, { message: 'oups' });
    await fake.sendCommand({ name: 'djingo' }).httpResponse();
    answer = (_req, _body, res) => json(res, 200, { type: 1 });
    await fake.sendPing({ signature: 'missing' });
    answer = (_req, _body, res) => json(res, 404, {});
    await fake.sendPing();
    expect(fake.violations.map((v) => [v.kind, v.status])).toEqual([
      ['http-delivery-failed', 202],
      ['http-delivery-failed', 500],
      ['bad-signature-accepted', 200],
      ['http-delivery-failed', 404],
    ]);
  });

  it('flags an answer after the deadline, and a second acknowledgement in the response', async () => {
    answer = (_req, _body, res) => void setTimeout(() => json(res, 200, { type: 5 }), 120);
    const late = fake.sendCommand({ name: 'djingo', deadlineMs: 50 });
    expect((await late.httpResponse()).status).toBe(200);
    expect(fake.violations.map((v) => v.kind)).toEqual(['http-response-late']);
    fake.clearLogs();
    answer = async (_req, body, res) => {
      const { id, token } = JSON.parse(body.toString()) as { id: string; token: string };
      await fetch(`${fake.apiUrl}/v10/interactions/${id}/${token}/callback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 5 }),
      });
      json(res, 200, { type: 5 });
    };
    const twice = fake.sendCommand({ name: 'djingo' });
    await twice.httpResponse();
    expect(fake.violations.map((v) => v.kind)).toEqual(['already-acknowledged']);
  });

  it('goes back to the gateway on request', () => {
    fake.deliverOverGateway();
    expect(() => fake.sendCommand({ name: 'djingo' })).toThrow(/no gateway session/);
    fake.deliverOverHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`, keys);
  });
});
