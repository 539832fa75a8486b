/**
 * Button ids carry everything their handler needs, so buttons keep working after a restart. Fields are joined
 * with `|`; every id stays within Discord's 100 characters.
 */
export const MAX_CUSTOM_ID = 100;

/** Results fetched per question: the first is shown, « Autre passage » walks through the rest. */
export const RESULTS_PER_QUESTION = 10;

/** What each kind of button carries, by its custom-id prefix. */
interface ButtonFields {
  /** Whole paragraph of an article: article hash prefix, passage kind, paragraph number. */
  para: { article: string; comment: boolean; paragraph: number };
  /** Show result `index` of the question in the message, for the user who asked. */
  next: { userId: string; topic: string | null; index: number };
  /** Post result `index` publicly, naming the user who asked. */
  pub: { userId: string; topic: string | null; index: number };
  /** Page of /sources. */
  src: { topic: string | null; page: number };
  /** « 👍 Utile » / « 👎 Pas utile » on an answer: the vote, and the article its first passage quotes. */
  vote: { up: boolean; article: string };
  /** « Supprimer » on a public answer: who asked (moderators may delete it too). */
  del: { userId: string };
}

/** A custom-id prefix: the router sends each button to the command that declared a handler for its prefix. */
export type ButtonKind = keyof ButtonFields;

/** A decoded button id; `ButtonAction<'para'>` is one kind. A mapped union, so a handler map can be indexed by kind. */
export type ButtonAction<K extends ButtonKind = ButtonKind> = { [P in K]: { kind: P } & ButtonFields[P] }[K];

const topicField = (t: string | null): string => t ?? '*';
const SNOWFLAKE = /^[1-9]\d{16,19}$/;
const MAX_SNOWFLAKE = 2n ** 64n - 1n;
const HASH = /^[0-9a-f]{6,64}$/;
/** Paragraph numbers and /sources pages: far beyond any real article or folder, and canonical (no leading zero). */
const MAX_NUMBER = 999_999;

export function encodeButton(action: ButtonAction): string {
  let id: string;
  switch (action.kind) {
    case 'para':
      id = `para|${action.article}|${action.comment ? 'c' : 'a'}|${action.paragraph}`;
      break;
    case 'next':
    case 'pub':
      id = `${action.kind}|${action.userId}|${topicField(action.topic)}|${action.index}`;
      break;
    case 'src':
      id = `src|${topicField(action.topic)}|${action.page}`;
      break;
    case 'vote':
      id = `vote|${action.up ? 'up' : 'down'}|${action.article}`;
      break;
    case 'del':
      id = `del|${action.userId}`;
      break;
  }
  if (id.length > MAX_CUSTOM_ID) throw new Error(`custom_id too long (${id.length})`);
  return id;
}

/** A whole number written as the bot writes it (no sign, no leading zero), from 0 to `max`; null otherwise. */
function whole(s: string | undefined, max: number): number | null {
  if (s === undefined || !/^(0|[1-9]\d{0,5})$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

/** A topic the bot has a command for (`*`: every topic); undefined when unknown, so it never reaches a message. */
function topic(s: string | undefined, isTopic: (name: string) => boolean): string | null | undefined {
  if (s === '*') return null;
  return s !== undefined && isTopic(s) ? s : undefined;
}

const snowflake = (s: string | undefined): s is string =>
  s !== undefined && SNOWFLAKE.test(s) && BigInt(s) <= MAX_SNOWFLAKE;

/**
 * Reads a button id. A client can send any custom id, so only what the bot itself writes is accepted: a known
 * prefix, the right number of fields, ids of the right shape, a known topic, numbers in range. Anything else (an old
 * format, a forged id) gives null.
 */
export function decodeButton(id: string, isTopic: (name: string) => boolean): ButtonAction | null {
  const fields = id.split('|');
  const [kind, a, b, c] = fields;
  switch (kind) {
    case 'para': {
      const paragraph = whole(c, MAX_NUMBER);
      if (fields.length !== 4 || !a || !HASH.test(a) || (b !== 'a' && b !== 'c') || paragraph === null) return null;
      return { kind, article: a, comment: b === 'c', paragraph };
    }
    case 'next':
    case 'pub': {
      // « Autre passage » points one past the last result on its (then disabled) button.
      const index = whole(c, kind === 'next' ? RESULTS_PER_QUESTION : RESULTS_PER_QUESTION - 1);
      const t = topic(b, isTopic);
      if (fields.length !== 4 || !snowflake(a) || t === undefined || index === null) return null;
      return { kind, userId: a, topic: t, index };
    }
    case 'src': {
      const page = whole(b, MAX_NUMBER);
      const t = topic(a, isTopic);
      if (fields.length !== 3 || t === undefined || page === null) return null;
      return { kind, topic: t, page };
    }
    case 'vote':
      if (fields.length !== 3 || (a !== 'up' && a !== 'down') || !b || !HASH.test(b)) return null;
      return { kind, up: a === 'up', article: b };
    case 'del':
      return fields.length === 2 && snowflake(a) ? { kind, userId: a } : null;
    default:
      return null;
  }
}
