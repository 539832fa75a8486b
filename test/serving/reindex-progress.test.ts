import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIndex, type RebuildProgress } from '../../src/index/index.js';
import { IndexHolder, type ReindexOutcome } from '../../src/serving/index.js';
import { ProgressCell } from '../../src/serving/progress-cell.js';
import { rebuild } from '../../src/serving/rebuild-worker.js';
import { silentLog, tempDir } from '../helpers.js';

const FILES = 300;
const CITIES = ['Lyon', 'Lille', 'Nantes', 'Rennes', 'Brest', 'Dijon', 'Nancy', 'Metz', 'Reims', 'Tours', 'Caen'];
const THINGS = [
  'une enceinte connectée',
  'un casque audio',
  'une montre',
  'un téléphone',
  'une tablette',
  'un routeur',
];

/** A French article of its own: names, numbers and places change with `i`, so no two are duplicates. */
function article(i: number): string {
  const city = CITIES[i % CITIES.length]!;
  const thing = THINGS[i % THINGS.length]!;
  const price = 49 + i;
  return (
    ` date 2021-${String((i % 12) + 1).padStart(2, '0')}\n\n` +
    `La société Modèle${i} lance ${thing} à ${city}\n\n` +
    `La jeune entreprise Modèle${i}, installée à ${city} depuis ${2000 + (i % 20)}, annonce le lancement de ${thing} ` +
    `vendu ${price} euros dans les magasins de la région. Elle compte en vendre ${i * 10 + 100} exemplaires ` +
    `avant la fin de l’année.\n\n` +
    `Selon sa directrice, le produit numéro ${i} répond aux attentes des clients qui cherchent un appareil simple, ` +
    `solide et réparable. Les premières livraisons commenceront dans ${(i % 9) + 2} semaines.\n\n` +
    `Les concurrents de Modèle${i} observent ce lancement avec attention, car le marché de ${city} reste très ` +
    `disputé et les prix baissent chaque année depuis ${i % 7} ans.\n`
  );
}

function seedsFolder(files = FILES): { seedsDir: string; dataDir: string } {
  const dir = tempDir();
  const seedsDir = path.join(dir, 'seeds');
  mkdirSync(seedsDir);
  for (let i = 0; i < files; i++) writeFileSync(path.join(seedsDir, `${String(i).padStart(4, '0')}.txt`), article(i));
  return { seedsDir, dataDir: path.join(dir, 'data') };
}

const PHASES = ['reading', 'indexing', 'saving'];

/** Progress as a build must tell it: phases in order, counts that never go down, and the end of a whole build. */
function expectWellFormed(seen: readonly RebuildProgress[], files: number, passages: number): void {
  expect(seen.length).toBeGreaterThan(0);
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1]!, seen[i]!];
    expect(PHASES.indexOf(b.phase)).toBeGreaterThanOrEqual(PHASES.indexOf(a.phase));
    expect(b.filesRead).toBeGreaterThanOrEqual(a.filesRead);
    expect(b.passagesIndexed).toBeGreaterThanOrEqual(a.passagesIndexed);
  }
  for (const p of seen) expect(p.filesRead).toBeLessThanOrEqual(p.filesTotal);
  expect(seen.at(-1)).toEqual({ phase: 'saving', filesRead: files, filesTotal: files, passagesIndexed: passages });
}

/** A report without its timings, which differ from one run to the next. */
const untimed = (outcome: ReindexOutcome) =>
  outcome.status === 'done' ? { ...outcome.report, durationMs: 0, buildMs: 0, loadMs: 0 } : outcome;

describe('progress of a reindex', () => {
  it('reaches the holder from the rebuild thread, ends at every file read, and changes nothing else', async () => {
    const { seedsDir, dataDir } = seedsFolder();
    const { index } = await openIndex({ seedsDir, dataDir, log: silentLog });
    // Distinct articles: none refused as a duplicate or as not French.
    expect(index.corpus.rejected).toEqual([]);
    expect(index.corpus.articles).toHaveLength(FILES);
    writeFileSync(path.join(seedsDir, `${FILES}.txt`), article(FILES));

    const seen: RebuildProgress[] = [];
    const watched = new IndexHolder(index, { seedsDir, dataDir, log: silentLog });
    const outcome = await watched.reindex({ onProgress: (p) => seen.push(p) });
    const count = seen.length;
    expect(outcome.status).toBe('done');
    const passages = watched.current.corpus.passages.length;
    expect(passages).toBeGreaterThan(FILES);
    expectWellFormed(seen, FILES + 1, passages);

    // The same reindex from the same index, unwatched, reports the same.
    const plain = new IndexHolder(index, { seedsDir, dataDir, log: silentLog });
    const unwatched = await plain.reindex();
    expect(untimed(unwatched)).toEqual(untimed(outcome));
    expect(untimed(outcome)).toMatchObject({ before: FILES, after: FILES + 1, added: [`${FILES}.txt`] });
    // Nothing told once the outcome resolved.
    expect(seen).toHaveLength(count);
  });

  it('a listener that throws breaks nothing, and is logged once', async () => {
    const { seedsDir, dataDir } = seedsFolder(40);
    const { index } = await openIndex({ seedsDir, dataDir, log: silentLog });
    const warnings: object[] = [];
    const holder = new IndexHolder(index, {
      seedsDir,
      dataDir,
      log: { info: () => {}, warn: (o) => void warnings.push(o) },
    });
    let calls = 0;
    const outcome = await holder.reindex({
      onProgress: () => {
        calls++;
        throw new Error('display broken');
      },
    });
    expect(outcome.status).toBe('done');
    expect(calls).toBeGreaterThan(0);
    expect(warnings).toEqual([{ err: 'display broken' }]);
    expect(holder.reindexing).toBe(false);
  });

  it('is not told while another reindex runs (busy)', async () => {
    const { seedsDir, dataDir } = seedsFolder(20);
    const { index } = await openIndex({ seedsDir, dataDir, log: silentLog });
    const holder = new IndexHolder(index, { seedsDir, dataDir, log: silentLog });
    const first = holder.reindex();
    const told: RebuildProgress[] = [];
    expect(await holder.reindex({ onProgress: (p) => told.push(p) })).toEqual({ status: 'busy' });
    expect((await first).status).toBe('done');
    expect(told).toEqual([]);
  });
});

describe('the rebuild’s progress, on this thread', () => {
  it('is told after every chunk of files with no pacing, from reading to saving', async () => {
    const { seedsDir, dataDir } = seedsFolder();
    const seen: RebuildProgress[] = [];
    const { message } = await rebuild(seedsDir, dataDir, { onProgress: (p) => seen.push(p), progressEveryMs: 0 });
    expect(message.status).toBe('built');
    expect(seen[0]).toEqual({ phase: 'reading', filesRead: 0, filesTotal: 0, passagesIndexed: 0 });
    const indexing = seen.filter((p) => p.phase === 'indexing');
    // Files are parsed here 16 at a time: told at the start, then after each of the 19 chunks.
    expect(indexing.map((p) => p.filesRead)).toEqual([
      0,
      ...Array.from({ length: Math.ceil(FILES / 16) }, (_, i) => Math.min(FILES, (i + 1) * 16)),
    ]);
    expect(indexing.every((p) => p.filesTotal === FILES)).toBe(true);
    const last = seen.at(-1)!;
    expect(last.phase).toBe('saving');
    expectWellFormed(seen, FILES, last.passagesIndexed);
    expect(last.passagesIndexed).toBeGreaterThan(FILES);
  });

  it('is paced by its clock, and the last file is always told', async () => {
    const { seedsDir, dataDir } = seedsFolder(100);
    // Each look at the clock is 100 ms later: with 250 ms between calls, every third chunk is told.
    let t = 0;
    const now = () => (t += 100);
    const seen: RebuildProgress[] = [];
    await rebuild(seedsDir, dataDir, { onProgress: (p) => seen.push(p), progressEveryMs: 250, now });
    const indexing = seen.filter((p) => p.phase === 'indexing').map((p) => p.filesRead);
    expect(indexing).toEqual([0, 48, 96, 100]);
  });

  it('survives a listener that throws, with the same result', async () => {
    const { seedsDir, dataDir } = seedsFolder(20);
    const { message } = await rebuild(seedsDir, dataDir, {
      onProgress: () => {
        throw new Error('display broken');
      },
    });
    expect(message).toMatchObject({ status: 'built', articles: 20, saveError: null });
  });
});

describe('ProgressCell', () => {
  it('hands the latest progress written, once', () => {
    const writer = new ProgressCell();
    const reader = new ProgressCell(writer.shared);
    expect(reader.takeNew()).toBeNull();
    writer.write({ phase: 'indexing', filesRead: 16, filesTotal: 300, passagesIndexed: 80 });
    writer.write({ phase: 'saving', filesRead: 300, filesTotal: 300, passagesIndexed: 1500 });
    expect(reader.takeNew()).toEqual({ phase: 'saving', filesRead: 300, filesTotal: 300, passagesIndexed: 1500 });
    expect(reader.takeNew()).toBeNull();
    writer.write({ phase: 'saving', filesRead: -1, filesTotal: Number.NaN, passagesIndexed: 2 ** 40 });
    expect(reader.takeNew()).toEqual({ phase: 'saving', filesRead: 0, filesTotal: 0, passagesIndexed: 2 ** 31 - 1 });
  });
});
