import { createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cleanQuestion, questionKey } from './normalize.js';
import { prepareSchema } from './schema.js';
import type {
  PeriodStats,
  QuestionRecord,
  QuotedCount,
  StatsOptions,
  StatsStore,
  StatsSummary,
  UnansweredQuestion,
  Vote,
  VoteRecord,
  VoteResult,
} from './types.js';

export const STATS_FILE = 'stats.sqlite';
/** U+202F before « : » (NNBSP of src/wording, which the store stays below: wording imports the answer layer). */
const NNBSP = '\u202f';
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How many rows the top lists of the summary keep. */
const TOP = 10;

/** The SQL of every statement, prepared once when the store opens. */
const SQL = {
  insertQuestion:
    'INSERT INTO questions (at, question, question_key, topic, outcome, quoted_file, quoted_title) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?)',
  getVote: 'SELECT vote FROM votes WHERE answer_id = ? AND member_hash = ?',
  insertVote:
    'INSERT INTO votes (answer_id, member_hash, vote, at, quoted_file, quoted_title) VALUES (?, ?, ?, ?, ?, ?)',
  updateVote:
    'UPDATE votes SET vote = ?, at = ?, quoted_file = coalesce(?, quoted_file), ' +
    'quoted_title = coalesce(?, quoted_title) WHERE answer_id = ? AND member_hash = ?',
  purgeQuestions: 'DELETE FROM questions WHERE at < ?',
  purgeVotes: 'DELETE FROM votes WHERE at < ?',
  period: `SELECT count(*) AS asked,
      coalesce(sum(outcome = 'answered'), 0) AS answered,
      coalesce(sum(outcome = 'hedged'), 0) AS hedged,
      coalesce(sum(outcome = 'unanswered'), 0) AS unanswered
    FROM questions WHERE at >= ?`,
  // Each group shows its most recent wording (row_number 1, the latest id breaking a tie in time).
  topUnanswered: `SELECT question, n AS count, at AS lastAt FROM (
      SELECT question, question_key, at,
        count(*) OVER (PARTITION BY question_key) AS n,
        row_number() OVER (PARTITION BY question_key ORDER BY at DESC, id DESC) AS rank
      FROM questions WHERE outcome = 'unanswered' AND at >= ? AND question_key <> ''
    ) WHERE rank = 1 ORDER BY n DESC, at DESC, question_key LIMIT ${TOP}`,
  feedback: `SELECT coalesce(sum(vote = 'up'), 0) AS up, coalesce(sum(vote = 'down'), 0) AS down
    FROM votes WHERE at >= ?`,
  // An article's title is the one it had when last quoted.
  topQuoted: `SELECT file, title, n AS count FROM (
      SELECT quoted_file AS file, coalesce(quoted_title, '') AS title,
        count(*) OVER (PARTITION BY quoted_file) AS n,
        row_number() OVER (PARTITION BY quoted_file ORDER BY at DESC, id DESC) AS rank
      FROM questions WHERE quoted_file IS NOT NULL AND at >= ?
    ) WHERE rank = 1 ORDER BY n DESC, file LIMIT ${TOP}`,
} as const;

/** The French reason for a failure to open, from SQLite's or Node's error code. */
function openFailureReason(err: unknown): string {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code === 'SQLITE_NOTADB') return 'ce n’est pas une base SQLite (fichier corrompu ou d’un autre programme)';
  if (code.startsWith('SQLITE_CORRUPT')) return 'fichier corrompu';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'fichier ou disque en lecture seule';
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM')
    return 'accès refusé (permissions)';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'impossible d’ouvrir le fichier (chemin, dossier ou permissions)';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return 'base verrouillée trop longtemps par un autre processus';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disque plein';
  if (code === 'EISDIR') return 'ce chemin est un dossier, pas un fichier';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'le dossier des données (DATA_DIR) n’est pas un dossier';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'erreur de lecture ou d’écriture du disque';
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${message} (${code})` : message;
}

const corruptHint = (reason: string): string =>
  /corrompu/u.test(reason) ? `${NNBSP}; déplacez ou supprimez ce fichier pour repartir d’une base vide` : '';

/**
 * Opens (creating it and DATA_DIR if needed) the statistics database, DATA_DIR/stats.sqlite, and purges what is
 * older than the retention.
 *
 * A missing, unwritable, locked or corrupt file never crashes the bot: openStats throws an Error whose French
 * message names the file and says why (« Base de statistiques /data/stats.sqlite inutilisable : fichier
 * corrompu… »), for the bot to log before it runs without statistics. Once open, recording never throws.
 *
 * Several processes (one per shard) may open the same file: WAL lets them read while one writes, and a writer waits
 * up to busy_timeout for another's lock.
 */
export function openStats(options: StatsOptions): StatsStore {
  const { dataDir, retentionDays } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? { warn: (obj: object, msg?: string): void => console.warn(msg, obj) };
  const file = path.join(dataDir, STATS_FILE);
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new Error(`Durée de conservation des statistiques invalide${NNBSP}: ${retentionDays} jours`);
  }
  let db: Database.Database | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    // Create the file readable by its owner only (SQLite gives the -wal and -shm files the same mode): it holds
    // the salt of the member hashes.
    closeSync(openSync(file, 'a', 0o600));
    // busy_timeout: a shard waits up to 2 s for another's write lock (writes take well under a millisecond).
    db = new Database(file, { timeout: 2000 });
    // WAL: readers (other shards, /stats) never block the writer. synchronous = NORMAL in WAL mode: a commit is in
    // the WAL file (the OS's page cache) when the call returns, so it survives a crash or kill -9 of the process;
    // only an OS crash or power loss may lose the last commits (never corrupting the file). FULL, an fsync per
    // commit, would guard only against those.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`mode de journal ${String(mode)} au lieu de WAL`);
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    const salt = prepareSchema(db);
    const store = createStore(db, salt, retentionDays, now, log);
    store.purge();
    return store;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // Already failing: the first error is the one to report.
    }
    const reason = openFailureReason(err);
    throw new Error(`Base de statistiques ${file} inutilisable${NNBSP}: ${reason}${corruptHint(reason)}`, {
      cause: err,
    });
  }
}

function createStore(
  db: Database.Database,
  salt: Buffer,
  retentionDays: number,
  now: () => number,
  log: NonNullable<StatsOptions['log']>,
): StatsStore {
  const st = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Record<
    keyof typeof SQL,
    Database.Statement
  >;
  const memberHash = (memberId: string): string => createHmac('sha256', salt).update(memberId, 'utf8').digest('hex');
  let lastPurge = now();

  const purge = (): number => {
    const cutoff = now() - retentionDays * DAY;
    lastPurge = now();
    return db.transaction(() => st.purgeQuestions.run(cutoff).changes + st.purgeVotes.run(cutoff).changes)();
  };
  const purgeHourly = (): void => {
    if (now() - lastPurge < HOUR) return;
    try {
      purge();
    } catch (err) {
      log.warn({ err }, 'could not purge old statistics');
    }
  };

  const vote = db.transaction((v: VoteRecord): Exclude<VoteResult, 'failed'> => {
    const hash = memberHash(v.memberId);
    const file = v.quoted?.file ?? null;
    const title = v.quoted?.title ?? null;
    const old = st.getVote.get(v.answerId, hash) as { vote: Vote } | undefined;
    if (!old) {
      st.insertVote.run(v.answerId, hash, v.vote, now(), file, title);
      return 'counted';
    }
    if (old.vote === v.vote) return 'unchanged';
    st.updateVote.run(v.vote, now(), file, title, v.answerId, hash);
    return 'changed';
  });

  const period = (days: number): PeriodStats => st.period.get(now() - days * DAY) as PeriodStats;
  const summary = db.transaction(
    (): StatsSummary => ({
      retentionDays,
      last7: period(7),
      last30: period(30),
      topUnanswered: st.topUnanswered.all(now() - 30 * DAY) as UnansweredQuestion[],
      feedback: st.feedback.get(now() - 30 * DAY) as StatsSummary['feedback'],
      topQuoted: st.topQuoted.all(now() - 30 * DAY) as QuotedCount[],
    }),
  );

  return {
    recordQuestion(q: QuestionRecord): void {
      try {
        purgeHourly();
        const question = cleanQuestion(q.question);
        st.insertQuestion.run(
          now(),
          question,
          questionKey(question),
          q.topic,
          q.outcome,
          q.quoted?.file ?? null,
          q.quoted?.title ?? null,
        );
      } catch (err) {
        log.warn({ err }, 'could not record a question in the statistics');
      }
    },
    recordVote(v: VoteRecord): VoteResult {
      try {
        purgeHourly();
        // Immediate: the write lock is taken before reading the old vote, so two shards cannot both count one.
        return vote.immediate(v);
      } catch (err) {
        log.warn({ err }, 'could not record a vote in the statistics');
        return 'failed';
      }
    },
    summary: () => summary(),
    purge,
    close(): void {
      if (db.open) db.close();
    },
  };
}
