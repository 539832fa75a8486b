/**
 * `npm run bench:startup -- --sizes 100000 [--runs 3]`: how long the real bot takes to be connected, with a snapshot
 * present, against the fake Discord on 127.0.0.1 (test/fake-discord): the process started as `npm start` starts it
 * (`--max-old-space-size` at 75 % of the memory, tsx on src/app/bot.ts), timed from the spawn to its
 * « connected to Discord » log line, then one question asked and its first response timed. The snapshot is built
 * first by `npm run index`'s code (not timed). Writes bench-results/startup-N.json per size, which
 * `npm run bench:report` adds to the targets of a run of that size.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { startFakeDiscord } from '../test/fake-discord/index.js';
import { ensureCorpus } from './corpus.js';
import { machineOf, runNode, waitForQuiet } from './measure.js';
import type { StartupRun, StartupSummary } from './report.js';
import { median, round } from './stats.js';

const USAGE = 'usage: npm run bench:startup -- --sizes N[,N…] [--runs R] [--quiet-wait-ms MS]\n';
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    'quiet-wait-ms': { type: 'string', default: '30000' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const quietWaitMs = Number(values['quiet-wait-ms']);
if (![...sizes, runs].every((n) => Number.isInteger(n) && n > 0) || !(quietWaitMs >= 0)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const OUT = path.join(PROJECT_ROOT, 'bench-results');
const HEAP_MB = Math.floor((os.totalmem() / 1048576) * 0.75);
const TOKEN = 'bench-startup-token.abcdef.123456';

/** One start of the bot: a fresh fake Discord, the process, its log lines, one question, then SIGTERM. */
async function startOnce(seedsDir: string, dataDir: string): Promise<StartupRun> {
  const fake = await startFakeDiscord({ token: TOKEN });
  const env = {
    ...process.env,
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guilds[0]!.id,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: seedsDir,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  const t0 = performance.now();
  const bot = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'app', 'bot.ts')],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const seen = new Map<string, number>();
  let partial = '';
  let output = '';
  const onData = (d: Buffer): void => {
    output = (output + d.toString()).slice(-4000);
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const msg = (JSON.parse(line) as { msg?: unknown }).msg;
        if (typeof msg === 'string' && !seen.has(msg)) seen.set(msg, performance.now() - t0);
      } catch {
        // not a log line
      }
    }
  };
  bot.stdout.on('data', onData);
  bot.stderr.on('data', onData);
  try {
    const deadline = performance.now() + 600_000;
    while (!seen.has('connected to Discord')) {
      if (bot.exitCode !== null || performance.now() > deadline)
        throw new Error(`the bot did not connect (exit ${bot.exitCode}); output:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const handle = fake.sendCommand({
      name: 'recherche',
      options: [{ name: 'question', type: 3, value: 'Combien coûtait l’enceinte ?' }],
      user: { id: '15000000000000000001', username: 'bench' },
    });
    const first = await handle.firstResponse(10_000);
    return {
      indexReadyMs: round(seen.get('index ready') ?? Number.NaN),
      connectedMs: round(seen.get('connected to Discord')!),
      firstAnswerMs: round(handle.firstResponseLatencyMs ?? Number.NaN),
      answered: first.status < 300,
    };
  } finally {
    bot.kill('SIGTERM');
    await new Promise((r) => (bot.exitCode !== null ? r(null) : bot.once('exit', r)));
    await fake.close();
  }
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

for (const articles of sizes) {
  const corpus = await ensureCorpus(OUT, articles, 500);
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const dataDir = path.join(work, 'data');
  try {
    const env = { SEEDS_DIR: corpus.seedsDir, DATA_DIR: dataDir };
    const build = await runNode('src/app/cli.ts', ['index'], {
      timeoutMs: 60_000 + articles * 25,
      quietWaitMs: 0,
      nodeFlags: [`--max-old-space-size=${HEAP_MB}`],
      env,
    });
    if (!build.ok) throw new Error(`npm run index failed: ${build.error}`);
    const results: StartupRun[] = [];
    for (let i = 0; i < runs; i++) {
      // The same quiet wait as the bench's measured processes: a start timed under load means little.
      await waitForQuiet(`bot start ${articles}`, quietWaitMs);
      const r = await startOnce(corpus.seedsDir, dataDir);
      results.push(r);
      process.stderr.write(
        `  ${articles} articles, start ${i + 1}/${runs}: index ready ${(r.indexReadyMs / 1000).toFixed(2)} s, ` +
          `connected ${(r.connectedMs / 1000).toFixed(2)} s, first answer ${r.firstAnswerMs} ms\n`,
      );
    }
    const summary: StartupSummary = {
      articles,
      date: new Date().toISOString(),
      machine: machineOf(commit()),
      runs: results,
      median: {
        indexReadyMs: median(results.map((r) => r.indexReadyMs)),
        connectedMs: median(results.map((r) => r.connectedMs)),
        firstAnswerMs: median(results.map((r) => r.firstAnswerMs)),
      },
      answered: results.every((r) => r.answered),
    };
    writeFileSync(path.join(OUT, `startup-${articles}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
