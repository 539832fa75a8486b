import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakePermissions,
  publicKeyHex,
  startFakeDiscord,
  type FakeDiscord,
  type InteractionHandle,
  type RecordedRequest,
} from '../fake-discord/index.js';
import { ROOT } from '../helpers.js';
import { seedsCopy, startBotProcess, type BotProcess } from './bot-process.js';
import { firstReply, members } from './members.js';

const TOKEN = 'http-replicas-token.abc.123';
const BURST = 200;
/** The test's own signing key: the replicas get its public half as DISCORD_PUBLIC_KEY. */
const keys = generateKeyPairSync('ed25519');
const member = members('17000000000000', 'h');
let fake: FakeDiscord;
const replicas: BotProcess[] = [];
let proxy: RoundRobin;
let dirs: { seedsDir: string; dataDir: string };

/** An ordinary HTTP load balancer, in miniature: each request to the next replica, bytes passed on untouched. */
interface RoundRobin {
  url: string;
  /** The replica (0 or 1) each interaction id went to. */
  servedBy: Map<string, number>;
  close(): Promise<void>;
}

async function roundRobin(ports: number[]): Promise<RoundRobin> {
  const agent = new Agent({ keepAlive: true });
  const servedBy = new Map<string, number>();
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const replica = next;
      next = (next + 1) % ports.length;
      try {
        servedBy.set(String((JSON.parse(body.toString('utf8')) as { id?: unknown }).id), replica);
      } catch {
        // not JSON: passed on all the same
      }
      const upstream = request(
        { host: '127.0.0.1', port: ports[replica], method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    servedBy,
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const content = (r: RecordedRequest): string => (r.body as { data?: { content?: string } }).data?.content ?? '';
const question = (name: string, value: string): InteractionHandle =>
  fake.sendCommand({ name, user: member(), options: [{ name: 'question', type: 3, value }] });
const reindex = (): InteractionHandle =>
  fake.sendCommand({ name: 'reindex', user: member(), permissions: FakePermissions.MANAGE_GUILD });
const report = async (h: InteractionHandle): Promise<string> =>
  ((await h.waitFor((r) => r.method === 'PATCH' && r.status === 200, 30_000)).body as { content: string }).content;
/** Waits until `condition` holds (log lines arrive on their own pipe, after the requests they go with). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const logged = (msg: string): number =>
  replicas.reduce((n, r) => n + r.logs().filter((l) => l['msg'] === msg).length, 0);

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  dirs = seedsCopy();
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_PUBLIC_KEY: publicKeyHex(keys.publicKey),
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    SEEDS_DIR: dirs.seedsDir,
    DATA_DIR: dirs.dataDir,
    LOG_LEVEL: 'info',
  };
  const ports: number[] = [];
  // One after the other: the first builds the snapshot, the second loads it.
  for (let i = 0; i < 2; i++) {
    const replica = startBotProcess(env, 'http.ts');
    replicas.push(replica);
    const listening = await replica.waitForLog((l) => l['msg'] === 'http interactions endpoint listening', 60_000);
    ports.push(Number(listening['port']));
  }
  proxy = await roundRobin(ports);
  fake.deliverOverHttp(`${proxy.url}/interactions`, keys);
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await proxy?.close();
  await fake?.close();
});

describe('two stateless HTTP replicas behind a round-robin load balancer', () => {
  it('serve the snapshot the first one built, without any gateway connection', () => {
    const ready = replicas.map((r) => r.logs().find((l) => l['msg'] === 'index ready'));
    expect(ready.map((l) => l?.['fromSnapshot'])).toEqual([false, true]);
    expect(fake.connections).toEqual([]);
    expect(fake.identifyCount()).toBe(0);
  });

  it('answer Discord’s PING on both replicas', async () => {
    const pings = [await fake.sendPing(), await fake.sendPing()];
    for (const p of pings) expect(p).toMatchObject({ status: 200, body: { type: 1 } });
    expect(new Set(pings.map((p) => proxy.servedBy.get(p.interactionId)))).toEqual(new Set([0, 1]));
  });

  it('answer commands, autocomplete and buttons from both replicas, as the gateway bot does', async () => {
    const handles = [0, 1].map(() => question('djingo', 'Combien coûtait l’enceinte ?'));
    const bodies = await Promise.all(handles.map((h) => firstReply<{ data: { content: string } }>(h)));
    expect(new Set(handles.map((h) => proxy.servedBy.get(h.id)))).toEqual(new Set([0, 1]));
    for (const b of bodies) expect(b.data.content).toContain('149');
    // One answer, whichever replica gave it.
    expect(bodies[1]?.data.content).toBe(bodies[0]?.data.content);
    for (const h of handles) expect(await h.httpResponse()).toMatchObject({ status: 202, body: null });
    const auto = [0, 1].map(() =>
      fake.sendAutocomplete({
        name: 'djingo',
        user: member(),
        options: [{ name: 'question', type: 3, value: 'rembours' }],
        focused: 'question',
      }),
    );
    for (const h of auto) {
      const body = await firstReply<{ type: number; data: { choices: { name: string }[] } }>(h);
      expect(body.type).toBe(8);
      expect(body.data.choices.some((c) => /rembours/i.test(c.name))).toBe(true);
    }
    expect(new Set(auto.map((h) => proxy.servedBy.get(h.id)))).toEqual(new Set([0, 1]));
    // « Paragraphe complet » on the answer the first replica posted, pressed twice: once through each replica.
    const answer = handles[0]!.originalMessage()!;
    const buttons = (answer.components as { components: { custom_id?: string; label?: string }[] }[]).flatMap(
      (row) => row.components,
    );
    const paragraph = buttons.find((c) => c.label === 'Paragraphe complet')?.custom_id;
    expect(paragraph).toBeDefined();
    const presses = [0, 1].map(() =>
      fake.sendButton({ customId: paragraph!, user: member(), message: { id: answer.id } }),
    );
    for (const h of presses) expect(content(await h.firstResponse(5_000))).toContain('149');
    // Callbacks and webhooks carry the interaction's token, never the bot's.
    const answers = fake.requests.filter((r) => /^\/(interactions|webhooks)\//.test(r.path));
    expect(answers.length).toBeGreaterThan(0);
    for (const r of answers) expect(r.authorization).toBe('absent');
    expect(new Set(presses.map((h) => proxy.servedBy.get(h.id)))).toEqual(new Set([0, 1]));
    expect(fake.violations).toEqual([]);
  });

  it('refuse bad signatures and replayed requests with 401, and do nothing with them', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = [
      fake.sendCommand({ name: 'djingo', user: member(), http: { signature: 'other-key' } }),
      fake.sendCommand({ name: 'djingo', user: member(), http: { signature: 'tampered' } }),
      fake.sendCommand({ name: 'djingo', user: member(), http: { signature: 'missing' } }),
      fake.sendCommand({ name: 'djingo', user: member(), http: { signature: 'malformed' } }),
      // Well signed, but five minutes and more after Discord sent it.
      fake.sendCommand({ name: 'djingo', user: member(), http: { timestamp: now - 301 } }),
      fake.sendCommand({ name: 'djingo', user: member(), http: { timestamp: now - 3_600 } }),
    ];
    for (const h of forged) expect(await h.httpResponse()).toMatchObject({ status: 401, body: null, forged: true });
    expect(new Set(forged.map((h) => proxy.servedBy.get(h.id)))).toEqual(new Set([0, 1]));
    // No callback, no webhook: nothing reached Discord for them.
    const ids = new Set(forged.map((h) => h.id));
    expect(fake.requests.filter((r) => r.interactionId && ids.has(r.interactionId))).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('make a /reindex on one replica visible through the other within a few seconds', async () => {
    writeFileSync(
      path.join(dirs.seedsDir, '003_zorblax.txt'),
      ' source Le Journal du Test\n date 2024-05\n\nLe casque Zorblax arrive\n\n' +
        'Le fabricant Zorblax lance en France un casque audio sans fil vendu 79 euros, ' +
        'avec quarante heures d’autonomie.\n',
    );
    const reloadsBefore = logged('index reloaded from the shared snapshot');
    const h = reindex();
    expect(((await h.firstResponse(5_000)).body as { type: number }).type).toBe(5);
    expect(await report(h)).toContain('3 → 4');
    const other = replicas[1 - proxy.servedBy.get(h.id)!]!;
    await other.waitForLog(
      (l) => l['msg'] === 'index reloaded from the shared snapshot' && l['articles'] === 4,
      10_000,
    );
    expect(logged('index reloaded from the shared snapshot')).toBe(reloadsBefore + 1);
    const asks = [0, 1].map(() => question('recherche', 'Combien coûte le casque Zorblax ?'));
    for (const a of asks) expect(content(await a.firstResponse(5_000))).toContain('79 euros');
    expect(new Set(asks.map((a) => proxy.servedBy.get(a.id)))).toEqual(new Set([0, 1]));
    expect(fake.violations).toEqual([]);
  });

  it(`answer a burst of ${BURST} questions through the two replicas, every first answer within 3 s`, async () => {
    const texts = [
      'Combien coûtait l’enceinte ?',
      'Quand Djingo a-t-il été lancé ?',
      'Où déposer l’enceinte pour le retour ?',
      'remboursement djingo delai',
      'Que dit Michaël Trabbia ?',
      'When did the Djingo speaker launch?',
    ];
    fake.clearLogs();
    const handles = Array.from({ length: BURST }, (_, i) =>
      question(i % 2 ? 'djingo' : 'recherche', texts[i % texts.length]!),
    );
    const firsts = await Promise.all(handles.map((h) => h.firstResponse(10_000)));
    for (const f of firsts) expect(f.status).toBe(204);
    const answers = await Promise.all(handles.map((h) => h.httpResponse(10_000)));
    for (const a of answers) expect(a.status).toBe(202);
    const latencies = handles.map((h) => h.firstResponseLatencyMs!).sort((x, y) => x - y);
    const perReplica = [0, 1].map((i) => handles.filter((h) => proxy.servedBy.get(h.id) === i).length);
    const at = (p: number): number =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const result = { questions: BURST, perReplica, p50Ms: at(50), p99Ms: at(99), maxMs: latencies.at(-1) };
    // Reported in the README; Discord's 3-second deadline is the only time asserted (the fake enforces it too).
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'test-results', 'http-load.json'), JSON.stringify(result));
    console.log(`http load: ${JSON.stringify(result)}`);
    expect(perReplica).toEqual([BURST / 2, BURST / 2]);
    expect(result.maxMs).toBeLessThan(3_000);
    expect(fake.violations).toEqual([]);
    for (const r of replicas) expect(r.alive()).toBe(true);
  }, 60_000);
  it('rebuild once for two /reindex at once on the two replicas', async () => {
    // A long article, so that the rebuild lasts well beyond the moment the second /reindex asks for the lock.
    const paragraphs = Array.from(
      { length: 6_000 },
      (_, i) => `Au conseil municipal du ${i + 1}, les élus ont voté un budget de ${i * 7 + 3} euros pour l’école.`,
    );
    writeFileSync(path.join(dirs.seedsDir, '004_conseil.txt'), `Le conseil municipal\n\n${paragraphs.join('\n\n')}\n`);
    const doneBefore = logged('reindex done');
    const busyBefore = logged('reindex already running on another replica');
    const both = [reindex(), reindex()];
    const reports = await Promise.all(both.map(report));
    expect(new Set(both.map((h) => proxy.servedBy.get(h.id)))).toEqual(new Set([0, 1]));
    expect(reports.filter((r) => r.includes('déjà en cours'))).toHaveLength(1);
    expect(reports.filter((r) => r.includes('4 → 5'))).toHaveLength(1);
    // Each replica logs what it did (its log lines may come a moment after its report).
    await until(() => logged('reindex already running on another replica') === busyBefore + 1);
    await until(() => logged('reindex done') >= doneBefore + 1);
    expect(logged('reindex done')).toBe(doneBefore + 1);
    expect(existsSync(path.join(dirs.dataDir, 'reindex.lock'))).toBe(false);
    expect(fake.violations).toEqual([]);
  }, 60_000);

  it('never log the bot token nor an interaction token', () => {
    const tokens = fake.requests.flatMap((r) => (r.interactionId ? [r.path.split('/')[3] ?? ''] : []));
    expect(tokens.length).toBeGreaterThan(0);
    for (const r of replicas) {
      const output = r.output();
      expect(output).not.toContain(TOKEN);
      for (const t of tokens.filter((x) => x.length > 20)) expect(output).not.toContain(t);
    }
  });
});
