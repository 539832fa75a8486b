/**
 * Seed files replaced between the listing of the folder and their reading (issue 11, item 1): a FIFO, a link to
 * /dev/zero, a link out of the folder, a file grown past 1 MiB. Each becomes a rejection with a French reason, never
 * a hang, gigabytes of memory or an oversized article; a rebuild stuck past its deadline fails and frees /reindex.
 * The swap happens in a hook after `listSeeds`, so the race is hit every time, without timing.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  constants,
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { listSeeds, MAX_SEED_BYTES, readListedSeeds, readListedSeedsSync } from '../../src/corpus/index.js';
import { buildSearchIndex, rebuildIndex, SNAPSHOT_FILE } from '../../src/index/index.js';
import { readFileBounded, withCheckedFile } from '../../src/lib/index.js';
import { IndexHolder } from '../../src/serving/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';
import { frenchArticle, logSummary, prng } from './helpers.js';

const hooks = vi.hoisted(() => ({ afterListing: null as (() => void) | null, inThread: false }));

// The hook: run once right after the folder is listed, before any file is read.
vi.mock('../../src/corpus/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/corpus/index.js')>();
  return {
    ...actual,
    listSeeds: async (...args: Parameters<typeof actual.listSeeds>) => {
      const listing = await actual.listSeeds(...args);
      const hook = hooks.afterListing;
      hooks.afterListing = null;
      hook?.();
      return listing;
    },
  };
});
// The rebuild of /reindex runs here rather than in its worker thread when asked, so that the hook is in its path.
vi.mock('../../src/lib/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/lib/index.js')>();
  return {
    ...actual,
    runWorkerOnce: (...args: Parameters<typeof actual.runWorkerOnce>) =>
      hooks.inThread ? Promise.resolve(null) : actual.runWorkerOnce(...args),
  };
});

const ARTICLES = 2000;
const TRAPS = ['fifo', 'zero', 'outside', 'grown'] as const;
type Trap = (typeof TRAPS)[number];
const EXPECTED: Record<Trap, RegExp> = {
  fifo: /pas un fichier ordinaire/u,
  zero: /lien symbolique/u,
  outside: /lien symbolique/u,
  grown: /trop gros/u,
};
const OUTSIDE_WORD = 'Quokkaphone';

let root: string;
let outsideFile: string;
let bigText: string;
const fifos: string[] = [];
const rng = prng(110001);

/** A reader blocked on a FIFO (the bug) gets EOF once a writer opens and closes it: no test hangs for ever. */
function releaseFifos(): void {
  for (const f of fifos.splice(0)) {
    try {
      closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting
    }
  }
}

function swapIn(trap: Trap, file: string): void {
  if (trap === 'grown') {
    appendFileSync(file, bigText);
    return;
  }
  rmSync(file);
  if (trap === 'fifo') {
    execFileSync('mkfifo', [file]);
    fifos.push(file);
  } else symlinkSync(trap === 'zero' ? '/dev/zero' : outsideFile, file);
}

beforeAll(() => {
  root = tempDir('djingo-seed-races-');
  outsideFile = path.join(root, 'dehors.txt');
  writeFileSync(
    outsideFile,
    ` title Le ${OUTSIDE_WORD} arrive\n\nLa société Vermillac vend son téléphone ${OUTSIDE_WORD} 4321 euros.\n`,
  );
  bigText = '';
  for (let i = 0; bigText.length < 2 * MAX_SEED_BYTES; i++) bigText += `\n${frenchArticle(rng, 50_000 + i, 6)}`;
});

afterEach(releaseFifos);
afterAll(() => {
  releaseFifos();
  if (root) rmSync(root, { recursive: true, force: true });
});

function seedsFolder(name: string, count: number): { dir: string; files: string[] } {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = `a${String(i).padStart(4, '0')}.txt`;
    writeFileSync(path.join(dir, file), frenchArticle(rng, i, 3));
    files.push(file);
  }
  return { dir, files };
}

/** The trap files of a folder: spread over it, one of each kind. */
function trapFiles(files: readonly string[]): Record<Trap, string> {
  const step = Math.floor(files.length / TRAPS.length);
  return Object.fromEntries(TRAPS.map((t, i) => [t, files[i * step + Math.floor(step / 2)]!])) as Record<Trap, string>;
}

describe('a seed replaced between listing and reading', () => {
  // The parsing threads read without promises (readListedSeedsSync): the same checks, the same reasons.
  const readers = { readListedSeeds, readListedSeedsSync } as const;
  for (const trap of TRAPS) {
    for (const [name, read] of Object.entries(readers)) {
      it(`${trap}, ${name}: rejected with a French reason, the other files read`, async () => {
        const { dir, files } = seedsFolder(`small-${trap}-${name}`, 6);
        const listing = await listSeeds(dir);
        expect(listing.every((e) => !('reason' in e))).toBe(true);
        swapIn(trap, path.join(dir, files[2]!));
        const reads = await read(listing);
        const rejected = reads.filter((r) => 'reason' in r);
        expect(rejected).toEqual([{ file: files[2], reason: expect.stringMatching(EXPECTED[trap]) }]);
        expect(reads.filter((r) => 'bytes' in r)).toHaveLength(5);
        for (const r of reads) if ('bytes' in r) expect(r.stamp?.size).toBe(r.bytes.length);
      });
    }
  }

  it('`readFileBounded` gives up at its deadline, and closes the file once the read returns', async () => {
    const file = path.join(root, 'lent.txt');
    writeFileSync(file, 'contenu');
    let closedAfterDeadline = false;
    const result = await withCheckedFile(file, { maxBytes: 100, deadlineMs: 5 }, async (handle, _size, signal) => {
      // A read that never returns by itself: only the deadline ends it.
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      closedAfterDeadline = true;
      return handle.fd;
    });
    expect(result).toEqual({ ok: false, problem: 'timeout' });
    expect(closedAfterDeadline).toBe(true);
    expect(await readFileBounded(file, { maxBytes: 100, deadlineMs: 60_000 })).toEqual(Buffer.from('contenu'));
    expect(await readFileBounded(file, { maxBytes: 3, deadlineMs: 60_000 })).toMatchObject({ problem: 'too-big' });
  });
});

/** A folder of `count` articles, four of them to be swapped for traps after listing and put back after. */
function trapFolder(name: string, count: number) {
  const { dir, files } = seedsFolder(name, count);
  const traps = trapFiles(files);
  const originals = new Map(Object.values(traps).map((f) => [f, readFileSync(path.join(dir, f))]));
  return {
    dir,
    swapAll: (): void => {
      for (const trap of TRAPS) swapIn(trap, path.join(dir, traps[trap]));
    },
    restoreAll: (): void => {
      releaseFifos();
      for (const [f, bytes] of originals) rmSync(path.join(dir, f)), writeFileSync(path.join(dir, f), bytes);
    },
    expectTrapsRejected: (rejected: readonly { file: string; reason: string }[]): void => {
      const reasons = new Map(rejected.map((r) => [r.file, r.reason]));
      for (const trap of TRAPS) expect(reasons.get(traps[trap]), trap).toMatch(EXPECTED[trap]);
      expect(rejected).toHaveLength(TRAPS.length);
    },
  };
}

/** Enough files for `npm run index` to parse in threads (from 300). */
const INDEX_ARTICLES = 400;

describe('traps swapped in during a rebuild', () => {
  it(`/reindex of ${ARTICLES} articles: done, the traps rejected, the others indexed, /reindex free`, async () => {
    const folder = trapFolder('reindex', ARTICLES);
    const dataDir = path.join(root, 'data-reindex');
    const holder = new IndexHolder(buildSearchIndex([], []), { seedsDir: folder.dir, dataDir, log: silentLog });
    hooks.afterListing = folder.swapAll;
    hooks.inThread = true;
    try {
      const outcome = await holder.reindex();
      expect(outcome.status).toBe('done');
      if (outcome.status !== 'done') return;
      folder.expectTrapsRejected(outcome.report.rejected);
      expect(outcome.report.after).toBe(ARTICLES - TRAPS.length);
      expect(holder.reindexing).toBe(false);
      expect(holder.current.corpus.articles.some((a) => a.text.includes(OUTSIDE_WORD))).toBe(false);
      expect(Math.max(...holder.current.corpus.articles.map((a) => a.text.length))).toBeLessThan(MAX_SEED_BYTES);
    } finally {
      hooks.inThread = false;
      hooks.afterListing = null;
      folder.restoreAll();
    }
  });

  it(`\`npm run index\` of ${INDEX_ARTICLES} articles (parsing threads): finishes, the traps rejected`, async () => {
    const folder = trapFolder('index', INDEX_ARTICLES);
    const dataDir = path.join(root, 'data-index');
    hooks.afterListing = folder.swapAll;
    try {
      const report = await rebuildIndex({ seedsDir: folder.dir, dataDir, log: silentLog });
      folder.expectTrapsRejected(report.rejected);
      expect(report.articles).toHaveLength(INDEX_ARTICLES - TRAPS.length);
      expect(report.saved).toBe(true);
      expect(readFileSync(path.join(dataDir, SNAPSHOT_FILE)).includes(OUTSIDE_WORD)).toBe(false);
    } finally {
      hooks.afterListing = null;
      folder.restoreAll();
    }
  });

  afterAll(() => {
    logSummary([
      {
        fault: 'seed swapped between listing and reading (FIFO, /dev/zero link, link out, grown past 1 MiB)',
        cases: TRAPS.length * 3,
        outcome: 'rejected with a French reason; /reindex and npm run index finish (in-thread and threads)',
      },
    ]);
  });
});

describe('a rebuild that cannot finish', () => {
  for (const where of ['worker thread', 'this thread'] as const) {
    it(`in a ${where}: fails past its deadline with a French reason, and /reindex is free again`, async () => {
      const dir = path.join(root, `deadline-${where.replace(' ', '-')}`);
      mkdirSync(dir);
      for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(dir, f));
      const dataDir = path.join(root, `data-deadline-${where.replace(' ', '-')}`);
      const holder = new IndexHolder(buildSearchIndex([], []), {
        seedsDir: dir,
        dataDir,
        log: silentLog,
        // No rebuild lists, reads and builds in a millisecond: the deadline always comes first.
        rebuildDeadlineMs: 1,
      });
      hooks.inThread = where === 'this thread';
      try {
        for (let attempt = 0; attempt < 2; attempt++) {
          const outcome = await holder.reindex();
          expect(outcome).toEqual({ status: 'failed', error: expect.stringMatching(/n’a pas abouti/u) });
          expect(holder.reindexing).toBe(false);
        }
      } finally {
        hooks.inThread = false;
      }
      // The stopped worker saved nothing (a rebuild on this thread cannot be stopped: it only saves nothing late).
      if (where === 'worker thread') expect(() => statSync(path.join(dataDir, SNAPSHOT_FILE))).toThrow();
    });
  }

  afterAll(() => {
    logSummary([{ fault: 'rebuild past its deadline', cases: 4, outcome: 'failed in French, /reindex freed' }]);
  });
});
