import { cpSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { listSeeds, readSeedFiles, readTopics } from '../../src/corpus/index.js';
import {
  type BuiltIndex,
  buildFromListing,
  buildFromReads,
  fingerprintOf,
  fingerprintSeeds,
  openIndex,
  rebuildIndex,
} from '../../src/index/index.js';
import { SEEDS, silentLog, tempDir } from '../helpers.js';

type IndexDraftLike = BuiltIndex['draft'];

const FILE = '001_cf704c01d8a71904.txt';
const QUESTION = 'Combien coûtait le Speaker Djingo pour les abonnés ?';

function copy(): { seedsDir: string; dataDir: string; dir: string } {
  const dir = tempDir('djingo-fingerprint-');
  const seedsDir = path.join(dir, 'seeds');
  cpSync(SEEDS, seedsDir, { recursive: true, preserveTimestamps: true });
  return { dir, seedsDir, dataDir: path.join(dir, 'data') };
}

/** Rewrites a seed with the same size, then puts its modification time back (what `touch -r` does). */
function editInPlaceKeepingTimes(file: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const before = statSync(file);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, before.atime, before.mtime);
  expect(statSync(file).size).toBe(before.size);
  expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
}

describe('the seeds fingerprint follows the files’ contents', () => {
  it('sees a seed edited in place with its size and modification time kept (touch -r)', async () => {
    const dirs = copy();
    const first = await openIndex({ ...dirs, log: silentLog });
    expect(first.report.fromSnapshot).toBe(false);
    expect(ask(first.index, QUESTION).results.some((r) => r.quote.includes('99,99 euros'))).toBe(true);
    editInPlaceKeepingTimes(path.join(dirs.seedsDir, FILE), '99,99 euros', '77,77 euros');
    const second = await openIndex({ ...dirs, log: silentLog });
    // The snapshot no longer matches the files: rebuilt, and the quote is the file's text as it is now.
    expect(second.report.fromSnapshot).toBe(false);
    const quotes = ask(second.index, QUESTION).results.map((r) => r.quote);
    expect(quotes.some((q) => q.includes('77,77 euros'))).toBe(true);
    expect(quotes.some((q) => q.includes('99,99 euros pour les abonnés'))).toBe(false);
  });

  it('is the same taken from a build’s own reads (npm run index, /reindex) as from the files, and cached', async () => {
    const dirs = copy();
    // Over 300 files: the build parses in threads, which hash what they read.
    const many = 320;
    for (let i = 0; i < many; i++)
      writeFileSync(
        path.join(dirs.seedsDir, `1${String(i).padStart(3, '0')}_copie.txt`),
        `Le casque Zorblax numéro ${i}\n\nLe fabricant Zorblax lance un casque numéro ${i}, vendu ${i} euros.\n`,
      );
    const listing = await listSeeds(dirs.seedsDir);
    const topics = await readTopics(dirs.seedsDir);
    const built = await buildFromListing(listing, topics.topics);
    expect(built.hashes.size).toBe(many + 3);
    // Two threads, each numbering terms for the whole build: the same draft as one run after another here.
    const here = buildFromReads(await readSeedFiles(dirs.seedsDir), topics.topics);
    expect(built.draft.terms).toEqual(here.draft.terms);
    expect(built.draft.fieldLength).toEqual(here.draft.fieldLength);
    const bytes = (draft: IndexDraftLike): string[] =>
      draft.terms.map((_, n) => Buffer.from(draft.postings.bytes(n)).toString('hex'));
    expect(bytes(built.draft)).toEqual(bytes(here.draft));
    const fromBuild = await fingerprintOf(listing, topics, {}, built);
    const fromFiles = (await fingerprintSeeds(listing, { topicsText: topics.text })).fingerprint;
    expect(fromBuild).toBe(fromFiles);
    // npm run index fingerprints after its build and caches the hashes: the next start reads no file.
    const report = await rebuildIndex({ ...dirs, log: silentLog });
    expect(report.fingerprint).toBe(fromFiles);
    expect((await fingerprintSeeds(listing, { dataDir: dirs.dataDir, topicsText: topics.text })).hashed).toBe(0);
    expect((await openIndex({ ...dirs, log: silentLog })).report.fromSnapshot).toBe(true);
    // A file edited in place once hashed is read again.
    editInPlaceKeepingTimes(path.join(dirs.seedsDir, FILE), '99,99 euros', '77,77 euros');
    // Listed again, as every start does: the listing's stamps are what the cache is checked against.
    const relisted = await listSeeds(dirs.seedsDir);
    const edited = await fingerprintSeeds(relisted, { dataDir: dirs.dataDir, topicsText: topics.text });
    expect(edited.hashed).toBe(1);
    expect(edited.fingerprint).not.toBe(fromFiles);
  }, 60_000);

  it('reuses the snapshot for the same contents copied (cp -p); reads no file when nothing changed', async () => {
    const dirs = copy();
    await openIndex({ ...dirs, log: silentLog });
    const listing = await listSeeds(dirs.seedsDir);
    const { text: topicsText } = await readTopics(dirs.seedsDir);
    const again = await fingerprintSeeds(listing, { dataDir: dirs.dataDir, topicsText });
    expect(again.hashed).toBe(0);
    const moved = path.join(dirs.dir, 'seeds-copy');
    cpSync(dirs.seedsDir, moved, { recursive: true, preserveTimestamps: true });
    const reopened = await openIndex({ seedsDir: moved, dataDir: dirs.dataDir, log: silentLog });
    expect(reopened.report.fromSnapshot).toBe(true);
    expect(reopened.report.fingerprint).toBe(again.fingerprint);
  });
});
