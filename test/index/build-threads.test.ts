/**
 * The build's parsing threads and its fallbacks: a thread that never answers (a read that never returns holds it:
 * they read without promises) and a thread whose numbering no longer follows on from what the build has seen both
 * end in the same index as a build on one thread.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSeeds, readSeedFiles } from '../../src/corpus/index.js';
import { buildFromListing, buildFromReads, type BuiltIndex, serializeSnapshot } from '../../src/index/index.js';
import { tempDir } from '../helpers.js';
import { frenchArticle, prng } from '../reliability/helpers.js';

// Over the 300 files from which a build starts threads, and several chunks of 128 for each of its two threads.
const FILES = 700;
let root: string;
let seedsDir: string;
let alone: Buffer;

// A fixed generation: otherwise each snapshot has one of its own.
const snapshotOf = (built: BuiltIndex): Buffer => serializeSnapshot(built, 'f'.repeat(64), new Date(0), 'generation');
const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);

beforeAll(async () => {
  root = tempDir('djingo-build-threads-');
  seedsDir = path.join(root, 'seeds');
  mkdirSync(seedsDir);
  const rng = prng(1313);
  for (let i = 0; i < FILES; i++)
    writeFileSync(path.join(seedsDir, `a${String(i).padStart(4, '0')}.txt`), frenchArticle(rng, i, 3));
  alone = snapshotOf(buildFromReads(await readSeedFiles(seedsDir), []));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('buildFromListing', () => {
  it('with its parsing threads: the index of a build on one thread, every file hashed', async () => {
    const built = await buildFromListing(await listSeeds(seedsDir), []);
    expect(built.corpus.articles).toHaveLength(FILES);
    expect(built.hashes.size).toBe(FILES);
    expect(snapshotOf(built).equals(alone)).toBe(true);
  });

  // Without the deadline the build waits on the silent threads for ever: the test's own timeout fails it.
  it('gives up a thread that does not answer by its deadline and parses here: the same index', async () => {
    const listing = await listSeeds(seedsDir);
    const built = await buildFromListing(listing, [], {
      parseModule: fixture('silent-parse-worker.mjs'),
      chunkDeadlineMs: 300,
    });
    expect(built.corpus.articles).toHaveLength(FILES);
    expect(snapshotOf(built).equals(alone)).toBe(true);
  });

  it('parses here once a thread’s term numbers no longer follow on (a reply lost): the same index', async () => {
    const built = await buildFromListing(await listSeeds(seedsDir), [], {
      parseModule: fixture('flaky-parse-worker.ts'),
    });
    expect(built.corpus.articles).toHaveLength(FILES);
    expect(snapshotOf(built).equals(alone)).toBe(true);
  });
});
