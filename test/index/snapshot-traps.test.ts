/**
 * The saved snapshot as hostile input (issue 11, items 5 and 7): a header length past the file (2³¹ made Node abort
 * past every try/catch), and DATA_DIR/index-snapshot.bin as a FIFO (start-up hung for ever) or a link to /dev/zero
 * (memory without bound). Each is refused with a reason, and start-up rebuilds with a warning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeedFiles } from '../../src/corpus/index.js';
import {
  buildFromReads,
  openIndex,
  peekSnapshotGeneration,
  readSnapshot,
  readSnapshotInSlices,
  serializeSnapshot,
  SEED_HASHES_FILE,
  SNAPSHOT_FILE,
} from '../../src/index/index.js';
import { DIGEST_BYTES, MAGIC } from '../../src/index/snapshot-format.js';
import { REINDEX_MARK_FILE, takeInterruptedReindex } from '../../src/serving/index.js';
import { ROOT, SEED_TOPICS, SEEDS, tempDir } from '../helpers.js';
import { cleanEnv, logSummary } from '../reliability/helpers.js';

const HEADER_AT = MAGIC.length + 4 + DIGEST_BYTES;
let root: string;
let snapshot: Buffer;
const fifos: string[] = [];

beforeAll(async () => {
  root = tempDir('djingo-snapshot-traps-');
  snapshot = serializeSnapshot(buildFromReads(await readSeedFiles(SEEDS), SEED_TOPICS), 'f'.repeat(64), new Date(0));
});
afterAll(() => {
  // A reader blocked on a FIFO (the bug) gets EOF once a writer comes and goes: no test hangs for ever.
  for (const f of fifos) {
    try {
      closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting
    }
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a snapshot whose header length is past the file', () => {
  it('2³¹, 2³²−1 and one byte past the file: peek gives null, read says why, the process lives on', () => {
    const lengths = { '2^31': 2 ** 31, '2^32-1': 2 ** 32 - 1, 'past the file': snapshot.length - HEADER_AT + 1 };
    const dirs = Object.entries(lengths).map(([name, length]) => {
      const dir = path.join(root, `length-${name.replace(/\W/gu, '-')}`);
      mkdirSync(dir);
      const forged = Buffer.from(snapshot);
      forged.writeUInt32LE(length, MAGIC.length);
      writeFileSync(path.join(dir, SNAPSHOT_FILE), forged);
      return dir;
    });
    // In a child process: a native abort (exit 134) would end this one past any expect.
    const script = path.join(root, 'peek.mts');
    const entry = pathToFileURL(path.join(ROOT, 'src', 'index', 'index.ts')).href;
    writeFileSync(
      script,
      `import { peekSnapshotGeneration, readSnapshot, readSnapshotInSlices } from ${JSON.stringify(entry)};\n` +
        'const out = [];\n' +
        'for (const dir of process.argv.slice(2)) {\n' +
        '  const full = await readSnapshot(dir);\n' +
        '  const sliced = await readSnapshotInSlices(dir);\n' +
        '  out.push({ peek: await peekSnapshotGeneration(dir), full, sliced });\n' +
        '}\n' +
        'console.log(JSON.stringify(out));\n',
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...dirs], {
      cwd: ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, signal: run.signal }, run.stderr).toEqual({ status: 0, signal: null });
    const results = JSON.parse(run.stdout) as { peek: string | null; full: unknown; sliced: unknown }[];
    expect(results).toHaveLength(dirs.length);
    for (const r of results) {
      expect(r.peek).toBeNull();
      expect(r.full).toEqual({
        ok: false,
        reason: expect.stringMatching(/header length .* past the end of the file/u),
      });
      expect(r.sliced).toEqual(r.full);
    }
    logSummary([
      { fault: 'snapshot header length 2³¹, 2³²−1, past the file', cases: 3, outcome: 'refused with a reason' },
    ]);
  });
});

describe('DATA_DIR/index-snapshot.bin that is not a file', () => {
  const traps = {
    fifo: (file: string): void => {
      execFileSync('mkfifo', [file]);
      fifos.push(file);
    },
    '/dev/zero link': (file: string): void => symlinkSync('/dev/zero', file),
  };

  for (const [name, make] of Object.entries(traps)) {
    it(`${name}: peek and read refuse it at once, start-up rebuilds with a warning and saves a snapshot`, async () => {
      const dir = path.join(root, `trap-${name.replace(/\W/gu, '-')}`);
      const seedsDir = path.join(dir, 'seeds');
      const dataDir = path.join(dir, 'data');
      mkdirSync(seedsDir, { recursive: true });
      mkdirSync(dataDir);
      for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));
      make(path.join(dataDir, SNAPSHOT_FILE));

      expect(await peekSnapshotGeneration(dataDir)).toBeNull();
      const refused = { ok: false, reason: expect.stringMatching(/not a regular file/u) };
      expect(await readSnapshot(dataDir)).toEqual(refused);
      expect(await readSnapshotInSlices(dataDir)).toEqual(refused);

      const warnings: { obj: object; msg: string | undefined }[] = [];
      const log = { info: (): void => {}, warn: (obj: object, msg?: string): void => void warnings.push({ obj, msg }) };
      const { index, report } = await openIndex({ seedsDir, dataDir, log });
      expect(report.fromSnapshot).toBe(false);
      expect(report.snapshotNote).toMatch(/not a regular file/u);
      expect(warnings.filter((w) => JSON.stringify(w.obj).includes('not a regular file'))).toHaveLength(1);
      expect(index.corpus.articles).toHaveLength(3);
      expect(report.saved).toBe(true);
      expect(statSync(path.join(dataDir, SNAPSHOT_FILE)).isFile()).toBe(true);
      expect((await readSnapshot(dataDir)).ok).toBe(true);
    });
  }

  afterAll(() => {
    logSummary([
      { fault: 'snapshot as a FIFO or a /dev/zero link', cases: 2, outcome: 'refused at once, rebuilt with a warning' },
    ]);
  });
});

describe('the other files of DATA_DIR that are not files', () => {
  const traps = {
    fifo: (file: string): void => {
      execFileSync('mkfifo', [file]);
      fifos.push(file);
    },
    '/dev/zero link': (file: string): void => symlinkSync('/dev/zero', file),
  };

  for (const [name, make] of Object.entries(traps)) {
    it(`${name} as the seed hashes and the reindex note: start-up goes on without them`, async () => {
      const dir = path.join(root, `others-${name.replace(/\W/gu, '-')}`);
      const seedsDir = path.join(dir, 'seeds');
      const dataDir = path.join(dir, 'data');
      mkdirSync(seedsDir, { recursive: true });
      mkdirSync(dataDir);
      for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));
      make(path.join(dataDir, SEED_HASHES_FILE));
      make(path.join(dataDir, REINDEX_MARK_FILE));
      // Peak memory of this process, in KiB: reading /dev/zero to the limit of readFile added over 600 MB to it.
      const peak = process.resourceUsage().maxRSS;

      expect(await takeInterruptedReindex(dataDir)).toBeNull();
      const { index, report } = await openIndex({ seedsDir, dataDir });
      expect(index.corpus.articles).toHaveLength(3);
      expect(report.saved).toBe(true);
      // The cache was written anew, as a file.
      expect(statSync(path.join(dataDir, SEED_HASHES_FILE)).isFile()).toBe(true);
      expect(process.resourceUsage().maxRSS - peak).toBeLessThan(128 * 1024);
    });
  }

  afterAll(() => {
    logSummary([
      {
        fault: 'seed hashes and reindex note as a FIFO or a /dev/zero link',
        cases: 4,
        outcome: 'ignored, start-up goes on',
      },
    ]);
  });
});
