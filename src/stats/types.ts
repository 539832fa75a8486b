import type { Log } from '../logger.js';

/** How a question was answered: a sure answer, an answer with a reservation (« Je ne suis pas sûr… »), or none. */
export type QuestionOutcome = 'answered' | 'hedged' | 'unanswered';

/** An article as the statistics name it: its seed file and its title (the title as it was when quoted). */
export interface QuotedArticle {
  file: string;
  title: string;
}

export interface QuestionRecord {
  /** As the member typed it; stored cleaned (see cleanQuestion). Who asked is never stored. */
  question: string;
  topic: string | null;
  outcome: QuestionOutcome;
  /** The article of the answer's first passage (answered or hedged), null when nothing was quoted. */
  quoted: QuotedArticle | null;
}

export type Vote = 'up' | 'down';

export interface VoteRecord {
  /** The answer's Discord message id. */
  answerId: string;
  /** Stored only as HMAC-SHA256(salt of the database, memberId), for one vote per member and answer. */
  memberId: string;
  vote: Vote;
  quoted?: QuotedArticle | null;
}

/** 'counted': first vote; 'changed': the member switched 👍↔👎; 'unchanged': same vote again; 'failed': not stored. */
export type VoteResult = 'counted' | 'changed' | 'unchanged' | 'failed';

export interface PeriodStats {
  asked: number;
  answered: number;
  hedged: number;
  unanswered: number;
}

export interface UnansweredQuestion {
  /** The most recent wording of the question. */
  question: string;
  count: number;
  /** When it was last asked (ms since the epoch). */
  lastAt: number;
}

export interface QuotedCount extends QuotedArticle {
  count: number;
}

export interface StatsSummary {
  retentionDays: number;
  last7: PeriodStats;
  last30: PeriodStats;
  /** Last 30 days, at most 10, most asked first; wordings grouped by questionKey. */
  topUnanswered: UnansweredQuestion[];
  /** Votes of the last 30 days (a vote counts at the time it was last cast or changed). */
  feedback: { up: number; down: number };
  /** Last 30 days, at most 10: the articles most often quoted by an answer's first passage. */
  topQuoted: QuotedCount[];
}

export interface StatsStore {
  /** Never throws: a database error is logged (log.warn) and the question is simply not counted. */
  recordQuestion(q: QuestionRecord): void;
  /** One vote per member per answer. Never throws: a database error is logged and gives 'failed'. */
  recordVote(v: VoteRecord): VoteResult;
  /** Throws on a database error (the /stats command reports it). */
  summary(): StatsSummary;
  /** Removes the questions and votes older than the retention; returns how many rows. Throws on a database error. */
  purge(): number;
  /** Closes the database (idempotent); the store records nothing after. */
  close(): void;
}

export interface StatsOptions {
  /** The database is DATA_DIR/stats.sqlite; the folder is created if needed. */
  dataDir: string;
  /** STATS_RETENTION_DAYS: questions and votes older than this many days are purged. */
  retentionDays: number;
  /** The clock, in ms since the epoch (tests pass their own). */
  now?: () => number;
  log?: Pick<Log, 'warn'>;
}
