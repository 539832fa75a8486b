import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStats, STATS_FILE, type QuestionOutcome, type StatsStore } from '../../src/stats/index.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 31, 12);

const dirs: string[] = [];
const stores: StatsStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempData(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'djingo-stats-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}

/** A store on a clock the test moves (`clock.t`), and the warnings it logged. */
function open(dataDir = tempData(), retentionDays = 90, clock = { t: T0 }) {
  const warnings: { obj: object; msg?: string }[] = [];
  const store = openStats({
    dataDir,
    retentionDays,
    now: () => clock.t,
    log: { warn: (obj, msg) => warnings.push({ obj, msg }) },
  });
  stores.push(store);
  return { store, clock, warnings, dataDir };
}

const ask = (store: StatsStore, question: string, outcome: QuestionOutcome = 'answered', file?: string): void =>
  store.recordQuestion({
    question,
    topic: null,
    outcome,
    quoted: file ? { file, title: `Titre de ${file}` } : null,
  });

/** Rows in a table, read with a connection of the test's own. */
function rows(dataDir: string, sql: string): unknown[] {
  const db = new Database(path.join(dataDir, STATS_FILE), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('question counts', () => {
  it('counts a question of 2 days ago in both windows, 10 days only in 30 days, 40 days in neither', () => {
    const { store, clock } = open();
    clock.t = T0 - 2 * DAY;
    ask(store, 'deux jours', 'answered');
    clock.t = T0 - 10 * DAY;
    ask(store, 'dix jours', 'hedged');
    clock.t = T0 - 40 * DAY;
    ask(store, 'quarante jours', 'unanswered');
    clock.t = T0;
    const s = store.summary();
    expect(s.last7).toEqual({ asked: 1, answered: 1, hedged: 0, unanswered: 0 });
    expect(s.last30).toEqual({ asked: 2, answered: 1, hedged: 1, unanswered: 0 });
    expect(s.topUnanswered).toEqual([]);
    expect(s.retentionDays).toBe(90);
  });

  it('counts each outcome, whose shares are what /stats shows', () => {
    const { store } = open();
    for (let i = 0; i < 7; i++) ask(store, `réponse ${i}`, 'answered');
    for (let i = 0; i < 2; i++) ask(store, `réserve ${i}`, 'hedged');
    for (let i = 0; i < 3; i++) ask(store, `rien ${i}`, 'unanswered');
    expect(store.summary().last7).toEqual({ asked: 12, answered: 7, hedged: 2, unanswered: 3 });
  });

  it('gives zeros, not nulls, when there is no question at all', () => {
    const { store } = open();
    const s = store.summary();
    expect(s.last7).toEqual({ asked: 0, answered: 0, hedged: 0, unanswered: 0 });
    expect(s.feedback).toEqual({ up: 0, down: 0 });
    expect(s.topQuoted).toEqual([]);
  });

  it('stores the question cleaned and no member id with it', () => {
    const { store, dataDir } = open();
    store.recordQuestion({
      question: `  Pourquoi   ${'très '.repeat(80)}?`,
      topic: 'djingo',
      outcome: 'unanswered',
      quoted: null,
    });
    const [row] = rows(dataDir, 'SELECT * FROM questions') as Record<string, unknown>[];
    expect(String(row!['question']).length).toBeLessThanOrEqual(200);
    expect(String(row!['question'])).toMatch(/^Pourquoi très très/u);
    expect(row!['topic']).toBe('djingo');
    expect(Object.keys(row!).sort()).toEqual(
      ['at', 'id', 'outcome', 'question', 'question_key', 'quoted_file', 'quoted_title', 'topic'].sort(),
    );
  });
});

describe('most asked questions without an answer', () => {
  it('groups wordings by their normalized key and shows the most recent wording', () => {
    const { store, clock } = open();
    clock.t = T0 - 3 * DAY;
    ask(store, 'Combien coûte l’enceinte ?', 'unanswered');
    clock.t = T0 - 2 * DAY;
    ask(store, "Combien coûte l'enceinte ?", 'unanswered');
    clock.t = T0 - DAY;
    ask(store, 'combien coute l enceinte', 'unanswered');
    ask(store, 'Où l’acheter ?', 'unanswered');
    ask(store, 'Combien coûte l’enceinte ?', 'answered');
    clock.t = T0;
    expect(store.summary().topUnanswered).toEqual([
      { question: 'combien coute l enceinte', count: 3, lastAt: T0 - DAY },
      { question: 'Où l’acheter ?', count: 1, lastAt: T0 - DAY },
    ]);
  });

  it('keeps the 10 most asked of the last 30 days, most asked first', () => {
    const { store, clock } = open();
    for (let q = 1; q <= 12; q++) for (let i = 0; i < q; i++) ask(store, `question numéro ${q}`, 'unanswered');
    clock.t = T0 - 31 * DAY;
    for (let i = 0; i < 50; i++) ask(store, 'ancienne question', 'unanswered');
    clock.t = T0;
    const top = store.summary().topUnanswered;
    expect(top.map((q) => q.count)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(top[0]!.question).toBe('question numéro 12');
    expect(top.some((q) => q.question === 'ancienne question')).toBe(false);
  });

  it('leaves out questions with no word (nothing to add an article for)', () => {
    const { store } = open();
    ask(store, '???', 'unanswered');
    ask(store, '   ', 'unanswered');
    const s = store.summary();
    expect(s.last7.unanswered).toBe(2);
    expect(s.topUnanswered).toEqual([]);
  });
});

describe('most quoted articles', () => {
  it('counts answers by the article of their first passage, 10 at most, last 30 days, latest title', () => {
    const { store, clock } = open();
    for (let a = 1; a <= 11; a++) for (let i = 0; i < a; i++) ask(store, `q${a}-${i}`, 'answered', `a${a}.txt`);
    ask(store, 'avec réserve', 'hedged', 'a5.txt');
    store.recordQuestion({
      question: 'nouveau titre',
      topic: null,
      outcome: 'answered',
      quoted: { file: 'a11.txt', title: 'Nouveau' },
    });
    clock.t = T0 - 40 * DAY;
    for (let i = 0; i < 30; i++) ask(store, `vieux ${i}`, 'answered', 'vieux.txt');
    clock.t = T0;
    const top = store.summary().topQuoted;
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ file: 'a11.txt', title: 'Nouveau', count: 12 });
    expect(top[1]).toEqual({ file: 'a10.txt', title: 'Titre de a10.txt', count: 10 });
    expect(top.find((a) => a.file === 'a5.txt')?.count).toBe(6);
    expect(top.map((a) => a.file)).not.toContain('vieux.txt');
    expect(top.map((a) => a.file)).not.toContain('a1.txt');
  });
});

describe('votes', () => {
  it('counts one vote per member and answer; a switch is a change the totals follow', () => {
    const { store } = open();
    const v = { answerId: '111111111111111111', memberId: '222222222222222222' };
    expect(store.recordVote({ ...v, vote: 'up' })).toBe('counted');
    expect(store.recordVote({ ...v, vote: 'up' })).toBe('unchanged');
    expect(store.summary().feedback).toEqual({ up: 1, down: 0 });
    expect(store.recordVote({ ...v, vote: 'down' })).toBe('changed');
    expect(store.summary().feedback).toEqual({ up: 0, down: 1 });
    expect(store.recordVote({ ...v, vote: 'down' })).toBe('unchanged');
    expect(store.recordVote({ ...v, memberId: '333333333333333333', vote: 'down' })).toBe('counted');
    expect(store.recordVote({ ...v, answerId: '444444444444444444', vote: 'up' })).toBe('counted');
    expect(store.summary().feedback).toEqual({ up: 1, down: 2 });
  });

  it('remembers who voted across a restart (the salt is kept in the database)', () => {
    const first = open();
    const v = { answerId: 'a1', memberId: 'm1', vote: 'up' as const };
    expect(first.store.recordVote(v)).toBe('counted');
    first.store.close();
    const again = open(first.dataDir);
    expect(again.store.recordVote(v)).toBe('unchanged');
    expect(again.store.recordVote({ ...v, vote: 'down' })).toBe('changed');
    expect(again.store.summary().feedback).toEqual({ up: 0, down: 1 });
  });

  it('counts a vote once when two shards share the database', () => {
    const one = open();
    const two = open(one.dataDir);
    const v = { answerId: 'a1', memberId: 'm1', vote: 'up' as const };
    expect(one.store.recordVote(v)).toBe('counted');
    expect(two.store.recordVote(v)).toBe('unchanged');
    expect(two.store.recordVote({ ...v, vote: 'down' })).toBe('changed');
    expect(one.store.summary().feedback).toEqual({ up: 0, down: 1 });
  });

  it('never writes the member id to the database or its WAL, only a salted hash', () => {
    const { store, dataDir } = open();
    const memberId = '987654321098765432';
    const answerId = '123451234512345123';
    store.recordVote({ answerId, memberId, vote: 'up', quoted: { file: 'a.txt', title: 'A' } });
    store.recordVote({ answerId, memberId, vote: 'down' });
    store.recordVote({ answerId: `${answerId}9`, memberId, vote: 'down' });
    const bytes = (): Buffer =>
      Buffer.concat(
        [STATS_FILE, `${STATS_FILE}-wal`]
          .map((f) => path.join(dataDir, f))
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f)),
      );
    // The search looks at the right bytes: the answer id, stored as is, is found.
    expect(bytes().includes(answerId)).toBe(true);
    expect(bytes().includes(memberId)).toBe(false);
    const hashes = rows(dataDir, 'SELECT DISTINCT member_hash AS h FROM votes') as { h: string }[];
    expect(hashes.map((r) => r.h)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/u)]);
    store.close();
    expect(bytes().includes(answerId)).toBe(true);
    expect(bytes().includes(memberId)).toBe(false);
  });

  it('hashes the same member differently in two databases (each has its own salt)', () => {
    const a = open();
    const b = open();
    a.store.recordVote({ answerId: 'x', memberId: 'm', vote: 'up' });
    b.store.recordVote({ answerId: 'x', memberId: 'm', vote: 'up' });
    const hash = (dir: string): unknown => (rows(dir, 'SELECT member_hash AS h FROM votes')[0] as { h: string }).h;
    expect(hash(a.dataDir)).not.toBe(hash(b.dataDir));
  });
});

describe('retention', () => {
  it('purges questions and votes older than the retention, and says how many rows', () => {
    const { store, clock, dataDir } = open(undefined, 30);
    clock.t = T0 - 40 * DAY;
    ask(store, 'vieille', 'unanswered');
    store.recordVote({ answerId: 'a', memberId: 'm', vote: 'up' });
    clock.t = T0 - 10 * DAY;
    ask(store, 'récente', 'unanswered');
    store.recordVote({ answerId: 'b', memberId: 'm', vote: 'down' });
    clock.t = T0;
    expect(store.purge()).toBe(2);
    expect(rows(dataDir, 'SELECT question FROM questions')).toEqual([{ question: 'récente' }]);
    expect(rows(dataDir, 'SELECT answer_id FROM votes')).toEqual([{ answer_id: 'b' }]);
    expect(store.purge()).toBe(0);
    // The member's vote on the purged answer is forgotten with it.
    expect(store.recordVote({ answerId: 'a', memberId: 'm', vote: 'up' })).toBe('counted');
  });

  it('purges when the store opens', () => {
    const clock = { t: T0 - 5 * DAY };
    const first = open(undefined, 3, clock);
    ask(first.store, 'ancienne');
    first.store.close();
    clock.t = T0;
    const again = open(first.dataDir, 3, clock);
    expect(rows(again.dataDir, 'SELECT * FROM questions')).toEqual([]);
  });

  it('purges while recording, at most once an hour', () => {
    const { store, clock, dataDir } = open(undefined, 1);
    const count = (): number => rows(dataDir, 'SELECT id FROM questions').length;
    ask(store, 'première');
    clock.t = T0 + 23 * HOUR + 30 * 60_000;
    ask(store, 'deuxième'); // purges (more than an hour since the open): nothing is a day old yet
    clock.t = T0 + 24 * HOUR + 10 * 60_000;
    ask(store, 'troisième'); // 40 minutes since the last purge: none, though « première » is now too old
    expect(count()).toBe(3);
    clock.t = T0 + 24 * HOUR + 40 * 60_000;
    ask(store, 'quatrième');
    expect(rows(dataDir, 'SELECT question FROM questions ORDER BY id')).toEqual([
      { question: 'deuxième' },
      { question: 'troisième' },
      { question: 'quatrième' },
    ]);
  });
});

describe('the database file', () => {
  it('keeps everything across close and reopen, in WAL mode with a schema version', () => {
    const first = open();
    ask(first.store, 'Combien coûte l’enceinte ?', 'unanswered');
    ask(first.store, 'Quel prix ?', 'answered', 'a.txt');
    first.store.recordVote({ answerId: 'a', memberId: 'm', vote: 'up' });
    const before = first.store.summary();
    first.store.close();
    first.store.close(); // idempotent
    const again = open(first.dataDir);
    expect(again.store.summary()).toEqual(before);
    expect(before.last7.asked).toBe(2);
    const db = new Database(path.join(first.dataDir, STATS_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('logs and drops a question it cannot write, and fails a vote, without throwing', () => {
    const { store, warnings } = open();
    store.close();
    expect(() => ask(store, 'après la fermeture')).not.toThrow();
    expect(store.recordVote({ answerId: 'a', memberId: 'm', vote: 'up' })).toBe('failed');
    expect(warnings.map((w) => w.msg)).toEqual([
      'could not record a question in the statistics',
      'could not record a vote in the statistics',
    ]);
    expect(JSON.stringify(warnings)).not.toContain('"m"');
    expect(() => store.summary()).toThrow();
  });

  it('refuses a file that is not a database with a French error naming it', () => {
    const dataDir = tempData();
    mkdirSync(dataDir);
    const file = path.join(dataDir, STATS_FILE);
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    expect(() => open(dataDir)).toThrow(
      `Base de statistiques ${file} inutilisable\u202f: ce n’est pas une base SQLite`,
    );
  });

  it('refuses a database whose pages were damaged', () => {
    const first = open();
    for (let i = 0; i < 300; i++) ask(first.store, `question ${i} ${'x'.repeat(100)}`, 'unanswered', `f${i}.txt`);
    first.store.close();
    const file = path.join(first.dataDir, STATS_FILE);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(5 * 4096);
    // Keep the header page, scramble the rest: the file still says it is SQLite.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
    writeFileSync(file, bytes);
    expect(() => open(first.dataDir)).toThrow(/^Base de statistiques .*stats\.sqlite inutilisable\u202f: .*corrompu/u);
  });

  it('says so in French when DATA_DIR is a file or the database path a folder', () => {
    const dir = tempData();
    writeFileSync(dir, 'pas un dossier');
    expect(() => open(dir)).toThrow(/^Base de statistiques .* inutilisable\u202f: le dossier des données/u);
    const other = tempData();
    mkdirSync(path.join(other, STATS_FILE), { recursive: true });
    expect(() => open(other)).toThrow(
      /^Base de statistiques .*stats\.sqlite inutilisable\u202f: ce chemin est un dossier/u,
    );
  });

  it('refuses a database from a newer version of the bot rather than misreading it', () => {
    const first = open();
    first.store.close();
    const db = new Database(path.join(first.dataDir, STATS_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => open(first.dataDir)).toThrow(/version plus récente/u);
  });
});
