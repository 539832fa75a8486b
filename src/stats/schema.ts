import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/** The schema version, kept in `PRAGMA user_version`; 0 is a new (empty) database. */
export const SCHEMA_VERSION = 1;

/**
 * Times are ms since the epoch. Questions keep their text and outcome, never who asked; votes keep a salted hash
 * of the member (one vote per member and answer), purged with the same retention as the questions.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS questions (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  question TEXT NOT NULL,
  question_key TEXT NOT NULL,
  topic TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'hedged', 'unanswered')),
  quoted_file TEXT,
  quoted_title TEXT
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE INDEX IF NOT EXISTS questions_outcome_at ON questions (outcome, at);
CREATE TABLE IF NOT EXISTS votes (
  answer_id TEXT NOT NULL,
  member_hash TEXT NOT NULL,
  vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
  at INTEGER NOT NULL,
  quoted_file TEXT,
  quoted_title TEXT,
  PRIMARY KEY (answer_id, member_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS votes_at ON votes (at);
`;

/**
 * Creates the tables (every statement is `IF NOT EXISTS`, so shards opening the same new file at once agree) and
 * the salt, in one write transaction; returns the salt. Throws (French) on a database of a newer schema.
 */
export function prepareSchema(db: Database.Database): Buffer {
  return db
    .transaction((): Buffer => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `schéma en version ${version}, créé par une version plus récente du bot (celle-ci lit la version ` +
            `${SCHEMA_VERSION})`,
        );
      }
      db.exec(TABLES);
      if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)").run(randomBytes(32));
      const row = db.prepare("SELECT value FROM meta WHERE key = 'salt'").get() as { value: unknown } | undefined;
      if (!Buffer.isBuffer(row?.value) || row.value.length < 16) throw new Error('sel des votes absent ou invalide');
      return row.value;
    })
    .immediate();
}
