import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkTopics,
  findTopic,
  listSeeds,
  MAX_TOPICS,
  parseTopics,
  readTopics,
  RESERVED_COMMAND_NAMES,
  TOPICS_FILE,
  type TopicDefinition,
  TopicsFileError,
  topicsOf,
} from '../../src/corpus/index.js';
import { buildFromReads, fingerprintSeeds, openIndex, readSeedFolder } from '../../src/index/index.js';
import { DIGEST_BYTES, MAGIC, parseSnapshot, serializeSnapshot } from '../../src/index/snapshot-format.js';
import { SEED_TOPICS, SEEDS, seedsCopy, silentLog, tempDir } from '../helpers.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

/** A valid topic; each refusal below changes one field of it. */
const topic = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'licornes',
  label: 'Licornes',
  description: 'Poser une question sur les licornes',
  match: ['licorne', 'licornes'],
  example: 'Combien coûte une licorne ?',
  ...overrides,
});

/** The problems a refused topics file lists, one per line (`- …`), after its first line. */
function problems(raw: unknown): string[] {
  try {
    checkTopics(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(TopicsFileError);
    const [first, ...rest] = (err as Error).message.split('\n');
    expect(first).toBe(`${TOPICS_FILE} est invalide${NNBSP}:`);
    return rest.map((line) => line.replace(/^- /u, ''));
  }
  throw new Error('the topics were accepted');
}

/** The one problem of a file holding one topic with these fields changed. */
const problemOf = (overrides: Record<string, unknown>): string[] => problems({ topics: [topic(overrides)] });

const at1 = `sujet n°${NBSP}1`;
const named = (name: string, n = 1): string => `sujet n°${NBSP}${n} («${NBSP}${name}${NBSP}»)`;
const NAME_RULE = `"name" doit faire 1 à 32 caractères parmi a-z, 0-9, - et _ (minuscules, sans accent)`;
const LABEL_RULE = `"label" doit être un texte d’une ligne, de 1 à 50 caractères`;
const DESCRIPTION_RULE = `"description" doit être un texte d’une ligne, de 1 à 100 caractères`;
const MATCH_RULE = `"match" doit être une liste de 1 à 50 mots ou expressions (2 à 60 caractères)`;
const EXAMPLE_RULE = `"example" doit être une question d’une ligne (150 caractères au plus)`;

describe('the topics file', () => {
  it('reads a valid file: trimmed texts, the example optional, in the file’s order', () => {
    const json = JSON.stringify({
      topics: [topic({ label: '  Licornes  ' }), topic({ name: 'dragons-2_x', example: undefined })],
    });
    expect(parseTopics(json)).toEqual([
      {
        name: 'licornes',
        label: 'Licornes',
        description: 'Poser une question sur les licornes',
        match: ['licorne', 'licornes'],
        example: 'Combien coûte une licorne ?',
      },
      {
        name: 'dragons-2_x',
        label: 'Licornes',
        description: 'Poser une question sur les licornes',
        match: ['licorne', 'licornes'],
      },
    ]);
    expect(parseTopics('{ "topics": [] }')).toEqual([]);
    // The bundled file is valid, and its topics are the bundled seeds' own.
    expect(SEED_TOPICS.map((t) => t.name)).toEqual(['djingo', 'xiaomi']);
  });

  it('accepts the limits themselves: 32-character name, 50-char label, 100-char description, 25 topics', () => {
    const limits = topic({ name: 'a'.repeat(32), label: 'L'.repeat(50), description: 'D'.repeat(100) });
    expect(checkTopics({ topics: [limits] })).toHaveLength(1);
    const many = Array.from({ length: MAX_TOPICS }, (_, i) => topic({ name: `sujet${i}` }));
    expect(checkTopics({ topics: many })).toHaveLength(MAX_TOPICS);
    const words = Array.from({ length: 50 }, (_, i) => `mot${i}`);
    expect(checkTopics({ topics: [topic({ match: words, example: 'Q'.repeat(150) })] })[0]!.match).toHaveLength(50);
  });

  it('refuses text that is not JSON, saying so in French', () => {
    for (const json of ['', '{ "topics": [ }', '{ topics: [] }', "{ 'topics': [] }"]) {
      expect(() => parseTopics(json)).toThrow(TopicsFileError);
      expect(() => parseTopics(json)).toThrow(
        /^topics\.json n’est pas du JSON valide( \(vers le caractère \d+\))?\u202f: vérifiez virgules, guillemets /u,
      );
    }
  });

  it('refuses JSON that is not an object holding a list of topics', () => {
    const message =
      `${TOPICS_FILE}${NNBSP}: il faut un objet { "topics": [ … ] } ` + `(voir le README, «${NBSP}Sujets${NBSP}»).`;
    for (const raw of [null, 3, 'topics', [], [topic()], {}, { topics: {} }, { topics: 'djingo' }, { sujets: [] }]) {
      expect(() => checkTopics(raw)).toThrow(TopicsFileError);
      expect(() => checkTopics(raw)).toThrow(message);
    }
    expect(problems({ topics: [null] })).toEqual([`${at1}${NNBSP}: ce n’est pas un objet`]);
    expect(problems({ topics: [['licornes']] })).toEqual([`${at1}${NNBSP}: ce n’est pas un objet`]);
  });

  it('refuses a name that is not a command name: uppercase, accents, spaces, empty, over 32, not a text', () => {
    for (const name of ['Licornes', 'licörnes', 'été', 'deux mots', '', 'a'.repeat(33), '/licornes', 'li.cornes'])
      expect(problemOf({ name }), name).toEqual([`${at1}${NNBSP}: ${NAME_RULE}`]);
    for (const name of [undefined, 42, null, ['licornes']])
      expect(problemOf({ name }), String(name)).toEqual([`${at1}${NNBSP}: ${NAME_RULE}`]);
  });

  it('refuses a name one of the bot’s own commands has', () => {
    expect([...RESERVED_COMMAND_NAMES]).toEqual(
      expect.arrayContaining(['aide', 'recherche', 'sources', 'reindex', 'sujets', 'stats', 'ajouter']),
    );
    for (const name of RESERVED_COMMAND_NAMES)
      expect(problemOf({ name })).toEqual([`${named(name)}${NNBSP}: "name" est déjà une commande du bot`]);
  });

  it('refuses two topics of the same name, naming the second', () => {
    expect(problems({ topics: [topic(), topic({ label: 'Autre' })] })).toEqual([
      `${named('licornes', 2)}${NNBSP}: ce nom est déjà pris par un autre sujet`,
    ]);
  });

  it('refuses an empty, blank, too long or multi-line label or description', () => {
    for (const label of ['', '   ', 'L'.repeat(51), 'Deux\nlignes', 'Tab\tulation', `Nul\u0000`, 'Suppr\u007f', 7])
      expect(problemOf({ label }), String(label)).toEqual([`${named('licornes')}${NNBSP}: ${LABEL_RULE}`]);
    for (const description of ['', ' ', 'D'.repeat(101), 'Deux\r\nlignes', '\u001bescape', null])
      expect(problemOf({ description }), String(description)).toEqual([
        `${named('licornes')}${NNBSP}: ${DESCRIPTION_RULE}`,
      ]);
  });

  it('refuses a match list that is empty, too long, or with a word too short, too long or not a text', () => {
    const cases: unknown[] = [
      [],
      'licorne',
      undefined,
      Array.from({ length: 51 }, (_, i) => `mot${i}`),
      ['l'],
      ['licorne', ''],
      ['licorne', ' x '],
      ['m'.repeat(61)],
      ['licorne', 3],
      ['licorne\nautre'],
    ];
    for (const match of cases)
      expect(problemOf({ match }), JSON.stringify(match)).toEqual([`${named('licornes')}${NNBSP}: ${MATCH_RULE}`]);
  });

  it('refuses an example that is empty, too long, multi-line or not a text (it may be left out)', () => {
    for (const example of ['', '  ', 'Q'.repeat(151), 'Une\nquestion', null, 12, ['Combien ?']])
      expect(problemOf({ example }), String(example)).toEqual([`${named('licornes')}${NNBSP}: ${EXAMPLE_RULE}`]);
    expect(checkTopics({ topics: [topic({ example: undefined })] })[0]).not.toHaveProperty('example');
  });

  it('refuses more than 25 topics', () => {
    const many = Array.from({ length: MAX_TOPICS + 1 }, (_, i) => topic({ name: `sujet${i}` }));
    expect(problems({ topics: many })).toEqual([`au plus 25 sujets (26 trouvés)`]);
  });

  it('lists every problem at once, each with where it is, the topic’s name cut to 40 characters', () => {
    const long = `x${'y'.repeat(60)}`;
    const raw = {
      topics: [
        topic({ name: 'aide', label: '' }),
        'pas un objet',
        topic({ name: 'Licornes', match: [] }),
        topic({ name: 'licornes', description: 'D'.repeat(101), example: 'Une\nquestion' }),
        topic({ name: 'licornes' }),
        topic({ name: long }),
      ],
    };
    expect(problems(raw)).toEqual([
      `${named('aide')}${NNBSP}: "name" est déjà une commande du bot`,
      `${named('aide')}${NNBSP}: ${LABEL_RULE}`,
      `sujet n°${NBSP}2${NNBSP}: ce n’est pas un objet`,
      `sujet n°${NBSP}3${NNBSP}: ${NAME_RULE}`,
      `${named('Licornes', 3)}${NNBSP}: ${MATCH_RULE}`,
      `${named('licornes', 4)}${NNBSP}: ${DESCRIPTION_RULE}`,
      `${named('licornes', 4)}${NNBSP}: ${EXAMPLE_RULE}`,
      `${named('licornes', 5)}${NNBSP}: ce nom est déjà pris par un autre sujet`,
      `sujet n°${NBSP}6${NNBSP}: ${NAME_RULE}`,
    ]);
    // A name over 40 characters is cut where a message quotes it.
    const [quoted] = problems({ topics: [topic({ name: long, label: '' })] }).slice(1);
    expect(quoted).toBe(`${named(long.slice(0, 40), 1)}${NNBSP}: ${LABEL_RULE}`);
  });

  it('says where the definitions came from (the file, or a snapshot)', () => {
    expect(() => checkTopics({ topics: [topic({ name: 'aide' })] }, 'snapshot')).toThrow(/^snapshot est invalide/u);
    expect(() => parseTopics('[', 'seeds/topics.json')).toThrow(/^seeds\/topics\.json n’est pas du JSON valide/u);
  });
});

describe('which articles are in a topic', () => {
  const topics = checkTopics({
    topics: [
      topic({ name: 'mi', match: ['mi'] }),
      topic({ name: 'djingo', match: ['Djingo'] }),
      topic({ name: 'maison', match: ['maison connectée', 'Orange.fr'] }),
      topic({ name: 'ete', match: ['été'] }),
    ],
  });

  it('matches whole words only: « mi » is not in « mille », « Xiaomi » or « mi-temps »’s neighbours', () => {
    expect(topicsOf(topics, 'Mille euros', 'Une famille, un milliard, Xiaomi et ses amis.')).toEqual([]);
    expect(topicsOf(topics, 'Titre', 'La note mi, puis la mi-temps.')).toEqual(['mi']);
    // A digit glued to it makes another word; an underscore or a hyphen does not.
    expect(topicsOf(topics, 'Titre', 'Le modèle Mi3 seul, et 3mi.')).toEqual([]);
    expect(topicsOf(topics, 'Titre', 'Le fichier mi_4.')).toEqual(['mi']);
  });

  it('ignores case and accepts punctuation around the word', () => {
    expect(topicsOf(topics, 'Djingo, la fin', '')).toEqual(['djingo']);
    expect(topicsOf(topics, '', '« DJINGO » et (djingo).')).toEqual(['djingo']);
    expect(topicsOf(topics, '', 'djingos')).toEqual([]);
    expect(topicsOf(topics, '', 'L’ÉTÉ dernier')).toEqual(['ete']);
    expect(topicsOf(topics, '', 'Un étésien')).toEqual([]);
  });

  it('takes phrases and dots literally', () => {
    expect(topicsOf(topics, '', 'Sa maison connectée.')).toEqual(['maison']);
    expect(topicsOf(topics, '', 'Sa maison très connectée.')).toEqual([]);
    expect(topicsOf(topics, '', 'Sur Orange.fr.')).toEqual(['maison']);
    expect(topicsOf(topics, '', 'Sur OrangeXfr.')).toEqual([]);
  });

  it('lists the topics in the file’s order, from the title or the body', () => {
    expect(topicsOf(topics, 'Djingo', 'Une maison connectée en été, mi')).toEqual(['mi', 'djingo', 'maison', 'ete']);
    expect(topicsOf([], 'Djingo', 'Djingo')).toEqual([]);
    expect(findTopic(topics, 'maison')?.label).toBe('Licornes');
    expect(findTopic(topics, 'licornes')).toBeUndefined();
  });
});

describe('the topics file in the seeds folder', () => {
  it('is not a seed: the listing neither reads nor rejects it', async () => {
    const listing = await listSeeds(SEEDS);
    expect(readdirSync(SEEDS)).toContain(TOPICS_FILE);
    expect(listing.map((e) => e.file)).not.toContain(TOPICS_FILE);
    expect(listing.every((e) => !('reason' in e))).toBe(true);
    // Even invalid, it is the topics’ problem, not a rejected seed.
    const { seedsDir } = seedsCopy('djingo-topics-');
    writeFileSync(path.join(seedsDir, TOPICS_FILE), 'pas du JSON');
    expect((await listSeeds(seedsDir)).map((e) => e.file)).toEqual(listing.map((e) => e.file));
  });

  it('missing: no topic, and no text for the fingerprint', async () => {
    const dir = tempDir('djingo-no-topics-');
    expect(await readTopics(dir)).toEqual({ topics: [], text: null });
  });

  it('read with its exact text', async () => {
    const read = await readTopics(SEEDS);
    expect(read.topics).toEqual(SEED_TOPICS);
    expect(read.text).toBe(readFileSync(path.join(SEEDS, TOPICS_FILE), 'utf8'));
  });

  it('invalid, unreadable or too big: a TopicsFileError in French, never « no topics »', async () => {
    const dir = tempDir('djingo-bad-topics-');
    const file = path.join(dir, TOPICS_FILE);
    writeFileSync(file, JSON.stringify({ topics: [topic({ name: 'aide' })] }));
    await expect(readTopics(dir)).rejects.toThrow(TopicsFileError);
    await expect(readTopics(dir)).rejects.toThrow(`${named('aide')}${NNBSP}: "name" est déjà une commande du bot`);
    writeFileSync(file, '{ "topics": [');
    await expect(readTopics(dir)).rejects.toThrow(/^topics\.json n’est pas du JSON valide/u);
    writeFileSync(file, Buffer.alloc(256 * 1024 + 1, 0x20));
    await expect(readTopics(dir)).rejects.toThrow(/^topics\.json est illisible \(plus de 256/u);
    const asFolder = tempDir('djingo-topics-folder-');
    mkdirSync(path.join(asFolder, TOPICS_FILE));
    await expect(readTopics(asFolder)).rejects.toThrow(TopicsFileError);
    await expect(readTopics(asFolder)).rejects.toThrow(/^topics\.json est illisible/u);
  });

  it('stops a rebuild with its message, instead of building without topics', async () => {
    const dirs = seedsCopy('djingo-topics-');
    writeFileSync(path.join(dirs.seedsDir, TOPICS_FILE), JSON.stringify({ topics: [topic({ match: [] })] }));
    await expect(readSeedFolder(dirs)).rejects.toThrow(TopicsFileError);
    await expect(openIndex({ ...dirs, log: silentLog })).rejects.toThrow(MATCH_RULE);
  });
});

describe('the topics file and the snapshot', () => {
  it('is part of the fingerprint: a change to it rebuilds the index with the new topics', async () => {
    const dirs = seedsCopy('djingo-topics-');
    const first = await openIndex({ ...dirs, log: silentLog });
    expect(first.report.fromSnapshot).toBe(false);
    expect(first.index.corpus.topics).toEqual(SEED_TOPICS);
    expect((await openIndex({ ...dirs, log: silentLog })).report.fromSnapshot).toBe(true);

    // Same seeds, one more topic whose word two of the articles use: rebuilt, and the articles are in it.
    const orange = { name: 'orange', label: 'Orange', description: 'Questions sur Orange', match: ['Orange'] };
    const file = path.join(dirs.seedsDir, TOPICS_FILE);
    writeFileSync(file, JSON.stringify({ topics: [...SEED_TOPICS, orange] }, null, 2));
    const second = await openIndex({ ...dirs, log: silentLog });
    expect(second.report.fromSnapshot).toBe(false);
    expect(second.report.fingerprint).not.toBe(first.report.fingerprint);
    expect(second.index.corpus.topics.map((t) => t.name)).toEqual(['djingo', 'xiaomi', 'orange']);
    expect(second.index.topicArticles.get('orange')?.size).toBeGreaterThan(0);

    // Only the layout of the file changes: the text is what is fingerprinted, so it is rebuilt too (and the same).
    writeFileSync(file, JSON.stringify({ topics: [...SEED_TOPICS, orange] }));
    const third = await openIndex({ ...dirs, log: silentLog });
    expect(third.report.fromSnapshot).toBe(false);
    expect(third.index.corpus.topics).toEqual(second.index.corpus.topics);

    // No topics file any more: no topic, rebuilt again.
    const listing = await listSeeds(dirs.seedsDir);
    const withFile = await fingerprintSeeds(listing, { topicsText: readFileSync(file, 'utf8') });
    const without = await fingerprintSeeds(listing, { topicsText: null });
    expect(without.fingerprint).not.toBe(withFile.fingerprint);
    rmSync(file);
    const fourth = await openIndex({ ...dirs, log: silentLog });
    expect(fourth.report.fromSnapshot).toBe(false);
    expect(fourth.report.fingerprint).toBe(without.fingerprint);
    expect(fourth.index.corpus.topics).toEqual([]);
    expect(fourth.index.corpus.articles.every((a) => a.topics.length === 0)).toBe(true);
    // An empty file is not a missing one: it is refused.
    writeFileSync(file, '');
    await expect(openIndex({ ...dirs, log: silentLog })).rejects.toThrow(TopicsFileError);
  });

  it('keeps the definitions in the snapshot header, and refuses a snapshot whose copy was tampered with', async () => {
    const reads = await Promise.all(
      (await listSeeds(SEEDS)).map(async (e) => ({ file: e.file, bytes: readFileSync(path.join(SEEDS, e.file)) })),
    );
    const buf = serializeSnapshot(buildFromReads(reads, SEED_TOPICS), 'f'.repeat(64), new Date(0));
    const loaded = parseSnapshot(buf);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.index.corpus.topics).toEqual(SEED_TOPICS);

    const tampered: [string, (defs: TopicDefinition[]) => unknown][] = [
      ['a reserved command name', (d) => [{ ...d[0]!, name: 'reindex' }, d[1]]],
      ['a label with a line break', (d) => [{ ...d[0]!, label: 'Djingo\n@everyone' }, d[1]]],
      ['a description over 100 characters', (d) => [{ ...d[0]!, description: 'D'.repeat(101) }, d[1]]],
      ['two topics of one name', (d) => [d[0], d[0]]],
      ['no match word', (d) => [{ ...d[0]!, match: [] }, d[1]]],
      ['not a list', () => ({ djingo: true })],
      ['missing', () => undefined],
      ['26 topics', (d) => Array.from({ length: 26 }, (_, i) => ({ ...d[0]!, name: `t${i}` }))],
    ];
    for (const [what, edit] of tampered) {
      const load = parseSnapshot(withHeader(buf, (h) => ({ ...h, topicDefinitions: edit(SEED_TOPICS.slice()) })));
      expect(load.ok, what).toBe(false);
      expect(load.ok ? '' : load.reason, what).toMatch(/topic definitions are malformed/u);
    }
    // The same rewrite with the definitions untouched loads: what is refused is the definitions, not the rewrite.
    expect(parseSnapshot(withHeader(buf, (h) => h)).ok).toBe(true);
  });
});

/** The snapshot with its JSON header rewritten and its checksum recomputed, as someone with DATA_DIR access could. */
function withHeader(buf: Buffer, edit: (header: Record<string, unknown>) => unknown): Buffer {
  const headerAt = MAGIC.length + 4 + DIGEST_BYTES;
  const headerEnd = headerAt + buf.readUInt32LE(MAGIC.length);
  const header = JSON.parse(buf.toString('utf8', headerAt, headerEnd)) as Record<string, unknown>;
  const bodies = buf.subarray(Math.ceil(headerEnd / 4) * 4);
  const headerBytes = Buffer.from(JSON.stringify(edit(header)), 'utf8');
  const base = Math.ceil((headerAt + headerBytes.length) / 4) * 4;
  const out = Buffer.alloc(base + bodies.length);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, headerAt);
  bodies.copy(out, base);
  createHash('sha1')
    .update(out.subarray(headerAt))
    .digest()
    .copy(out, MAGIC.length + 4);
  return out;
}
