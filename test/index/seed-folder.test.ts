/**
 * The seeds folder read on a thread of its own (start-up, beside a large snapshot's load): the same listing, topics
 * and fingerprint as on the main thread, and an invalid topics file still a TopicsFileError.
 */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS_FILE, TopicsFileError } from '../../src/corpus/index.js';
import { fingerprintSeeds, readSeedFolder, SEED_HASHES_FILE } from '../../src/index/index.js';
import { readSeedFolderAside, type SeedFolderMessage } from '../../src/index/seed-folder.js';
import { runWorkerOnce } from '../../src/lib/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';

describe('the seeds folder read on a thread', () => {
  it('gives what the main thread reads, and the same fingerprint with a hash cache', async () => {
    const dataDir = tempDir('djingo-aside-data-');
    const here = await readSeedFolder({ seedsDir: SEEDS });
    // The thread itself, not the fallback: its one message holds the folder.
    const url = new URL('../../src/index/seed-folder-worker.ts', import.meta.url);
    const message = await runWorkerOnce<SeedFolderMessage>(url, { seedsDir: SEEDS, dataDir });
    expect(message?.folder).toEqual(here);
    expect(here.listing.length).toBeGreaterThan(0);
    expect(await readSeedFolderAside({ seedsDir: SEEDS, dataDir, log: silentLog })).toEqual(here);
    // The thread saved the hash cache: read again, here, through it, without hashing a file.
    expect(existsSync(path.join(dataDir, SEED_HASHES_FILE))).toBe(true);
    const again = await fingerprintSeeds(here.listing, { dataDir, topicsText: here.topics.text });
    expect([again.hashed, again.fingerprint]).toEqual([0, here.fingerprint]);
  });

  it('leaves an invalid topics file to the main thread, which throws it with its type', async () => {
    const seedsDir = tempDir('djingo-aside-seeds-');
    cpSync(SEEDS, seedsDir, { recursive: true });
    writeFileSync(path.join(seedsDir, TOPICS_FILE), '{ "topics": [');
    // The thread posts no folder…
    const url = new URL('../../src/index/seed-folder-worker.ts', import.meta.url);
    const message = await runWorkerOnce<SeedFolderMessage>(url, { seedsDir, dataDir: null });
    expect(message).not.toBeNull();
    expect(message?.folder).toBeNull();
    // …and the folder read here throws the error with its type.
    await expect(readSeedFolderAside({ seedsDir })).rejects.toThrow(TopicsFileError);
  });
});
