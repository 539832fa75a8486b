/**
 * A seeds folder as a careless or hostile moderator could fill it: the command line (`npm run index -- --json`, a
 * real process) must index every good article, reject every bad file with its reason, and read nothing outside.
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, SNAPSHOT_FILE } from '../../src/index/index.js';
import { SEEDS, tempDir } from '../helpers.js';
import { frenchArticle, logSummary, prng, randomBytes, runCli } from './helpers.js';

const GOOD = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const BOM = '\uFEFF';
const BOM_CRLF_TEXT = [
  ' source Le Courrier du Test',
  ' date 2023-03-14',
  ' title Le thermostat Brumelio débarque chez Orange',
  '',
  'Le fabricant lyonnais Brumelio commercialise depuis mars un thermostat connecté',
  'vendu 129 euros, compatible avec la box de l’opérateur.',
  '',
  'Selon l’entreprise, l’appareil permettrait de réduire la facture de chauffage ' +
    'de quinze pour cent en moyenne sur un hiver complet.',
  '',
].join('\r\n');
const OUTSIDE_TEXT = [
  ' title Le Quokkaphone de Vermillac arrive en boutique',
  '',
  'La société Vermillac vend son téléphone Quokkaphone 4321 euros ' +
    'dans ses boutiques parisiennes depuis le mois dernier.',
  '',
  'Les premiers acheteurs du Quokkaphone saluent son autonomie, ' +
    'mais regrettent un prix jugé très élevé par les associations.',
  '',
].join('\n');
const SUBFOLDER_TEXT =
  ' title La Zibelinette sort en France\n\n' +
  'La marque Zibelinette présente une trottinette électrique vendue 799 euros ' +
  'dans les grandes surfaces françaises.\n';
const ENGLISH_TEXT = [
  'Orange shuts down its Djingo smart speaker after disappointing sales',
  '',
  'The French telecom operator Orange announced on Tuesday that it would stop selling its Djingo smart speaker, ' +
    'which was launched with Deutsche Telekom and never found its audience.',
  '',
  'According to the company, only a few thousand units were sold in the first months, ' +
    'far behind the devices made by Amazon and Google. ' +
    'Customers who bought the speaker can ask for a refund until the end of the year.',
  '',
  'Analysts say the market for voice assistants is now dominated by a handful of American companies, ' +
    'and that European operators have struggled to compete with them.',
  '',
].join('\n');
const LATIN1_TEXT =
  'Une enquête édifiante sur les opérateurs\n\n' +
  'À Orléans, les abonnés déçus réclament des remboursements après la fermeture du service, ' +
  'et la société a promis une réponse écrite d’ici à l’été.\n';

/** Each bad file, with what its rejection reason must say. */
const BAD: Record<string, RegExp> = {
  'vide.txt': /vide/,
  'blanc.txt': /vide/,
  'binaire.txt': /binaire|UTF-8/,
  'controle.txt': /binaire/,
  'utf16.txt': /binaire|UTF-8/,
  'latin1.txt': /UTF-8/,
  'anglais.txt': /anglais|pas en français/,
  'enorme.txt': /trop gros/,
  'copie-de-001.txt': new RegExp(`doublon de ${GOOD[1]!.replace('.', '\\.')}`),
  'lien-dehors.txt': /lien symbolique.*hors du dossier/,
  'lien-relais.txt': /lien symbolique.*hors du dossier/,
  'lien-dossier-dehors': /lien symbolique.*hors du dossier/,
  'lien-casse.txt': /lien symbolique cassé/,
  'notes.md': /pas un fichier \.txt/,
  'sous-dossier': /sous-dossier/,
};

let root: string;
let seedsDir: string;
let dataDir: string;
let outsideFile: string;
let report: {
  articles: { file: string; title: string; source: string | null; passages: number }[];
  rejected: { file: string; reason: string }[];
  saveError: string | null;
};
let indexRun: Awaited<ReturnType<typeof runCli>>;
const PAST = new Date('2001-02-03T04:05:06Z');

beforeAll(async () => {
  const rng = prng(20240601);
  root = tempDir('djingo-seeds-hostile-');
  seedsDir = path.join(root, 'seeds');
  dataDir = path.join(root, 'data');
  const outside = path.join(root, 'dehors');
  mkdirSync(seedsDir);
  mkdirSync(outside);
  for (const f of GOOD) copyFileSync(path.join(SEEDS, f), path.join(seedsDir, f));

  outsideFile = path.join(outside, 'secret.txt');
  writeFileSync(outsideFile, OUTSIDE_TEXT);
  writeFileSync(path.join(outside, 'secret.md'), OUTSIDE_TEXT);
  symlinkSync(path.join(outside, 'secret.md'), path.join(seedsDir, 'relais-interne'));

  writeFileSync(path.join(seedsDir, 'vide.txt'), '');
  writeFileSync(path.join(seedsDir, 'blanc.txt'), ' \n\r\n\t\n   \n');
  const binary = randomBytes(rng, 4096);
  binary[100] = 0;
  writeFileSync(path.join(seedsDir, 'binaire.txt'), binary);
  const control = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? String.fromCharCode(1 + (i % 8)) : 'é')).join(
    '',
  );
  writeFileSync(path.join(seedsDir, 'controle.txt'), `Un titre\n\n${control}\n`);
  writeFileSync(
    path.join(seedsDir, 'utf16.txt'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(frenchArticle(rng, 1), 'utf16le')]),
  );
  writeFileSync(path.join(seedsDir, 'latin1.txt'), Buffer.from(LATIN1_TEXT, 'latin1'));
  writeFileSync(path.join(seedsDir, 'anglais.txt'), ENGLISH_TEXT);
  let big = '';
  for (let i = 0; big.length < 5 * 1024 * 1024; i++) big += frenchArticle(rng, 1000 + i);
  writeFileSync(path.join(seedsDir, 'enorme.txt'), big);
  copyFileSync(path.join(SEEDS, GOOD[1]!), path.join(seedsDir, 'copie-de-001.txt'));
  writeFileSync(path.join(seedsDir, 'bom-crlf.txt'), BOM + BOM_CRLF_TEXT);
  symlinkSync(outsideFile, path.join(seedsDir, 'lien-dehors.txt'));
  // A link to a link inside the folder that itself leaves the folder.
  symlinkSync(path.join(seedsDir, 'relais-interne'), path.join(seedsDir, 'lien-relais.txt'));
  symlinkSync(outside, path.join(seedsDir, 'lien-dossier-dehors'));
  symlinkSync(path.join(root, 'nulle-part.txt'), path.join(seedsDir, 'lien-casse.txt'));
  writeFileSync(path.join(seedsDir, 'notes.md'), frenchArticle(rng, 2));
  mkdirSync(path.join(seedsDir, 'sous-dossier'));
  writeFileSync(path.join(seedsDir, 'sous-dossier', 'cache.txt'), SUBFOLDER_TEXT);

  // Reading a file updates its access time (relatime updates an access time older than the modification time).
  utimesSync(outsideFile, PAST, new Date());
  indexRun = await runCli(['index', '--json'], { SEEDS_DIR: seedsDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  report = JSON.parse(indexRun.stdout) as typeof report;
}, 60_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a seeds folder full of traps', () => {
  it('`index --json` exits 0 with one JSON report on stdout', () => {
    expect(indexRun.code, indexRun.stderr).toBe(0);
    expect(indexRun.stdout.trim().split('\n')).toHaveLength(1);
    expect(report.saveError).toBeNull();
  });

  it('indexes every good article, and the BOM + CRLF one', () => {
    expect(report.articles.map((a) => a.file).sort()).toEqual([...GOOD, 'bom-crlf.txt'].sort());
    for (const a of report.articles) expect(a.passages).toBeGreaterThan(0);
    const bom = report.articles.find((a) => a.file === 'bom-crlf.txt')!;
    expect(bom.title).toBe('Le thermostat Brumelio débarque chez Orange');
    expect(bom.source).toBe('Le Courrier du Test');
  });

  it('rejects every bad file with a reason, and nothing else', () => {
    const rejected = new Map(report.rejected.map((r) => [r.file, r.reason]));
    for (const [file, reason] of Object.entries(BAD)) {
      expect(rejected.get(file), `${file} should be rejected`).toMatch(reason);
    }
    // The non-.txt link to a file outside is rejected too; nothing good is rejected.
    expect(rejected.get('relais-interne')).toMatch(/hors du dossier|pas un fichier \.txt/);
    expect([...rejected.keys()].sort()).toEqual([...Object.keys(BAD), 'relais-interne'].sort());
    for (const r of report.rejected) expect(r.reason).not.toMatch(/\n|\s{2}|at \//);
  });

  it('reads nothing outside the seeds folder', async () => {
    // Neither the saved snapshot (whatever its format) nor the loaded corpus holds a word of the outside files.
    const raw = readFileSync(path.join(dataDir, SNAPSHOT_FILE));
    const snapshot = await readSnapshot(dataDir);
    expect(snapshot.ok).toBe(true);
    const texts = snapshot.ok ? snapshot.index.corpus.articles.map((a) => `${a.title}\n${a.text}`).join('\n') : '';
    for (const word of ['Quokkaphone', 'Vermillac', 'Zibelinette']) {
      expect(raw.includes(word)).toBe(false);
      expect(texts).not.toContain(word);
    }
    const answer = await runCli(['ask', '--json', 'Combien coûte le Quokkaphone de Vermillac ?'], {
      SEEDS_DIR: seedsDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    expect(answer.code, answer.stderr).toBe(0);
    const parsed = JSON.parse(answer.stdout) as { answered: boolean; unmatched: string[] };
    expect(parsed.answered).toBe(false);
    expect(parsed.unmatched).toEqual(expect.arrayContaining(['Quokkaphone', 'Vermillac']));
    const sub = await runCli(['ask', '--json', 'Combien coûte la trottinette Zibelinette ?'], {
      SEEDS_DIR: seedsDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    expect((JSON.parse(sub.stdout) as { unmatched: string[] }).unmatched).toContain('Zibelinette');
    // The access time of the outside file would have moved had any process read it.
    expect(statSync(outsideFile).atime.getTime()).toBe(PAST.getTime());
  });

  it('quotes the BOM + CRLF article verbatim (exact substring of the file minus its BOM)', async () => {
    const run = await runCli(['ask', '--json', 'Combien coûte le thermostat Brumelio ?'], {
      SEEDS_DIR: seedsDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      answered: boolean;
      results: { article: string; quote: string; title: string; highlightSpans: [number, number][] }[];
    };
    expect(answer.answered).toBe(true);
    const top = answer.results[0]!;
    expect(top.article).toBe('bom-crlf.txt');
    expect(top.quote).toContain('129 euros');
    const fileText = readFileSync(path.join(seedsDir, 'bom-crlf.txt'), 'utf8');
    expect(fileText.startsWith(BOM)).toBe(true);
    expect(fileText.slice(1)).toContain(top.quote);
    expect(top.quote).not.toContain(BOM);
    // The quote spans the CRLF inside the paragraph and keeps it as written.
    expect(top.quote).toContain('\r\n');
    for (const [s, e] of top.highlightSpans)
      expect(e).toBeLessThanOrEqual(top.quote.length), expect(s).toBeGreaterThanOrEqual(0);
    logSummary([
      {
        fault: 'seed files (good + bad kinds)',
        cases: GOOD.length + 1 + Object.keys(BAD).length + 1,
        outcome: `${report.articles.length} indexed, ${report.rejected.length} rejected with a reason, 0 read outside`,
      },
    ]);
  });
});
