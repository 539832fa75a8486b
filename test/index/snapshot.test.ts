import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import {
  buildFromReads,
  gatherChunks,
  openIndex,
  packTexts,
  parseSnapshot,
  parseSnapshotInSlices,
  readSnapshot,
  readSnapshotInSlices,
  serializeSnapshot,
  SEED_HASHES_FILE,
  SNAPSHOT_FILE,
  snapshotChunks,
  writeSnapshot,
} from '../../src/index/index.js';
import { buildCorpus, readSeedFiles } from '../../src/corpus/index.js';
import { SEED_TOPICS, SEEDS, seedsCopy, silentLog, plainCorpus } from '../helpers.js';

describe('index snapshot', () => {
  it('is saved on first start, reused while the seeds are unchanged, and answers the same', async () => {
    const dirs = seedsCopy();
    const first = await openIndex({ ...dirs, log: silentLog });
    expect(first.report.fromSnapshot).toBe(false);
    expect(first.report.saveError).toBeNull();
    const second = await openIndex({ ...dirs, log: silentLog });
    expect(second.report.fromSnapshot).toBe(true);
    const q = 'Combien coûtait l’enceinte Djingo ?';
    expect(ask(second.index, q)).toEqual(ask(first.index, q));
    expect(readdirSync(dirs.dataDir).sort()).toEqual([SEED_HASHES_FILE, SNAPSHOT_FILE].sort());
  });

  it('is rebuilt when a seed is added or changed', async () => {
    const dirs = seedsCopy();
    await openIndex({ ...dirs, log: silentLog });
    writeFileSync(
      path.join(dirs.seedsDir, '003_new.txt'),
      'Le casque Zorblax arrive\n\n' +
        'Le fabricant Zorblax lance un casque audio sans fil vendu 79 euros en France dès le mois prochain.\n',
    );
    const after = await openIndex({ ...dirs, log: silentLog });
    expect(after.report.fromSnapshot).toBe(false);
    expect(after.report.articles.map((a) => a.file)).toContain('003_new.txt');
    expect(ask(after.index, 'Combien coûte le casque Zorblax ?').results[0]?.quote).toContain('79 euros');
  });

  it.each([
    ['corrupt', (f: string): void => writeFileSync(f, '{"format":1, "corpus": [trunc')],
    ['from another version', (f: string): void => writeFileSync(f, JSON.stringify({ format: 999 }))],
    ['truncated', (f: string): void => writeFileSync(f, readFileSync(f).subarray(0, 5000))],
    ['cut by one byte', (f: string): void => writeFileSync(f, readFileSync(f).subarray(0, -1))],
    [
      'bit-flipped in its index',
      (f: string): void => {
        const buf = readFileSync(f);
        buf[buf.length - 10]! ^= 0x01; // one bit, near the end (MiniSearch's part)
        writeFileSync(f, buf);
      },
    ],
    [
      'bit-flipped in its header, still valid JSON',
      (f: string): void => {
        const buf = readFileSync(f);
        buf[buf.indexOf('"topics":["') + 11]! ^= 0x01; // the first topic's first letter: djingo becomes ejingo
        writeFileSync(f, buf);
      },
    ],
    [
      'bit-flipped in its texts',
      (f: string): void => {
        const buf = readFileSync(f);
        buf[Math.floor(buf.length / 3)]! ^= 0x20;
        writeFileSync(f, buf);
      },
    ],
  ])('is rebuilt with a warning when %s', async (_name, damage) => {
    const dirs = seedsCopy();
    await openIndex({ ...dirs, log: silentLog });
    damage(path.join(dirs.dataDir, SNAPSHOT_FILE));
    const warnings: object[] = [];
    const reopened = await openIndex({ ...dirs, log: { info: () => {}, warn: (o) => warnings.push(o) } });
    expect(reopened.report.fromSnapshot).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(ask(reopened.index, 'Combien coûtait l’enceinte Djingo ?').answered).toBe(true);
    const again = await openIndex({ ...dirs, log: silentLog });
    expect(again.report.fromSnapshot).toBe(true);
  });

  it('loads the same index at once and a slice at a time', async () => {
    const reads = await readSeedFiles(SEEDS);
    const corpus = buildCorpus(reads, SEED_TOPICS);
    const buf = serializeSnapshot(buildFromReads(reads, SEED_TOPICS), 'f'.repeat(64), new Date(0));
    const atOnce = parseSnapshot(buf);
    const sliced = await parseSnapshotInSlices(buf);
    if (!atOnce.ok || !sliced.ok) throw new Error('snapshot did not load');
    const { mini: a, vocabulary: va, ...restA } = atOnce.index;
    const { mini: b, vocabulary: vb, ...restB } = sliced.index;
    expect(b.toJSON()).toEqual(a.toJSON());
    expect([...vb]).toEqual([...va]);
    expect({ ...restB, corpus: plainCorpus(restB.corpus) }).toEqual({ ...restA, corpus: plainCorpus(restA.corpus) });
    expect(plainCorpus(restA.corpus)).toEqual(plainCorpus(corpus));
    expect([...va].length).toBe(restA.passageFrequency.size);
    expect(restA.topicTerms.size).toBeGreaterThan(1);
  });

  it('loads the same index from a snapshot whatever its alignment in memory', async () => {
    const buf = serializeSnapshot(buildFromReads(await readSeedFiles(SEEDS), SEED_TOPICS), 'f'.repeat(64), new Date(0));
    const direct = parseSnapshot(buf);
    if (!direct.ok) throw new Error(direct.reason);
    // Typed sections are read in place when aligned in memory, copied when not: both load the same.
    const shifted = Buffer.alloc(buf.length + 1);
    buf.copy(shifted, 1);
    const misaligned = parseSnapshot(shifted.subarray(1));
    if (!misaligned.ok) throw new Error(misaligned.reason);
    expect(plainCorpus(misaligned.index.corpus)).toEqual(plainCorpus(direct.index.corpus));
    expect(misaligned.index.mini.toJSON()).toEqual(direct.index.mini.toJSON());
    const q = 'Combien coûtait l’enceinte Djingo ?';
    expect(ask(misaligned.index, q)).toEqual(ask(direct.index, q));
  });

  it('loads the same index from its chunks, from buffers cut anywhere, and from the file', async () => {
    const built = buildFromReads(await readSeedFiles(SEEDS), SEED_TOPICS);
    const chunks = snapshotChunks(built, 'f'.repeat(64), new Date(0), 'one-generation');
    const whole = Buffer.concat(chunks);
    expect(serializeSnapshot(built, 'f'.repeat(64), new Date(0), 'one-generation')).toEqual(whole);
    // Texts packed on the thread pool beforehand: the same bytes.
    const pooled = snapshotChunks(built, 'f'.repeat(64), new Date(0), 'one-generation', await packTexts(built.texts));
    expect(Buffer.concat(pooled)).toEqual(whole);
    const direct = parseSnapshot(whole);
    if (!direct.ok) throw new Error(direct.reason);
    const cutEvery = (n: number): Buffer[] =>
      Array.from({ length: Math.ceil(whole.length / n) }, (_, i) => whole.subarray(i * n, (i + 1) * n));
    const dirs = seedsCopy();
    await writeSnapshot(dirs.dataDir, chunks);
    const loads = [
      parseSnapshot(chunks),
      ...[1, 4096].map((size) => parseSnapshot(gatherChunks(chunks, size).map((b) => Buffer.from(b)))),
      ...[1, 3, 4099, 65_537].map((n) => parseSnapshot(cutEvery(n))),
      await parseSnapshotInSlices(cutEvery(777)),
      await readSnapshot(dirs.dataDir),
      await readSnapshotInSlices(dirs.dataDir),
    ];
    for (const load of loads) {
      if (!load.ok) throw new Error(load.reason);
      expect(load.generation).toBe('one-generation');
      expect(plainCorpus(load.index.corpus)).toEqual(plainCorpus(direct.index.corpus));
      expect(load.index.mini.toJSON()).toEqual(direct.index.mini.toJSON());
    }
    // Handed over as a thread does: a few buffers that own their memory, none over the size asked for but a chunk.
    const gathered = gatherChunks(chunks, 64 * 1024);
    expect(gathered.reduce((n, b) => n + b.byteLength, 0)).toBe(whole.length);
    const largest = Math.max(...chunks.map((c) => c.length));
    for (const b of gathered) expect(b.byteLength).toBeLessThanOrEqual(Math.max(64 * 1024, largest));
  });

  it('holds an empty index too (no readable article)', async () => {
    const empty = parseSnapshot(
      serializeSnapshot(
        buildFromReads([{ file: 'vide.txt', bytes: new Uint8Array() }], SEED_TOPICS),
        'f'.repeat(64),
        new Date(0),
      ),
    );
    if (!empty.ok) throw new Error(empty.reason);
    expect(empty.index.corpus.articles).toHaveLength(0);
    expect(empty.index.corpus.rejected).toHaveLength(1);
    expect(ask(empty.index, 'Combien coûtait l’enceinte Djingo ?').answered).toBe(false);
  });

  it('keeps serving from memory when the snapshot cannot be written', async () => {
    const dirs = seedsCopy();
    writeFileSync(dirs.dataDir, 'a file where the data folder should be');
    const opened = await openIndex({ ...dirs, log: silentLog });
    expect(opened.report.saveError).not.toBeNull();
    expect(ask(opened.index, 'Combien coûtait l’enceinte Djingo ?').answered).toBe(true);
  });
});
