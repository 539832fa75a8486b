/**
 * Button ids carry everything their handler needs, so buttons keep working after a restart. Fields are joined
 * with `|`; every id stays within Discord's 100 characters.
 */
export const MAX_CUSTOM_ID = 100;

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
}

/** A custom-id prefix: the router sends each button to the command that declared a handler for its prefix. */
export type ButtonKind = keyof ButtonFields;

/** A decoded button id; `ButtonAction<'para'>` is one kind. A mapped union, so a handler map can be indexed by kind. */
export type ButtonAction<K extends ButtonKind = ButtonKind> = { [P in K]: { kind: P } & ButtonFields[P] }[K];

const topicField = (t: string | null): string => t ?? '*';
const parseTopic = (s: string | undefined): string | null => (s === undefined || s === '*' ? null : s);
const SNOWFLAKE = /^\d{1,20}$/;
const HASH = /^[0-9a-f]{6,64}$/;

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
  }
  if (id.length > MAX_CUSTOM_ID) throw new Error(`custom_id too long (${id.length})`);
  return id;
}

/** Reads a button id; anything malformed (an old format, a forged id) gives null. */
export function decodeButton(id: string): ButtonAction | null {
  const [kind, a, b, c] = id.split('|');
  const int = (s: string | undefined): number | null => (s !== undefined && /^\d{1,6}$/.test(s) ? Number(s) : null);
  switch (kind) {
    case 'para': {
      const paragraph = int(c);
      if (!a || !HASH.test(a) || (b !== 'a' && b !== 'c') || paragraph === null) return null;
      return { kind, article: a, comment: b === 'c', paragraph };
    }
    case 'next':
    case 'pub': {
      const index = int(c);
      if (!a || !SNOWFLAKE.test(a) || !b || index === null) return null;
      return { kind, userId: a, topic: parseTopic(b), index };
    }
    case 'src': {
      const page = int(b);
      if (!a || page === null) return null;
      return { kind, topic: parseTopic(a), page };
    }
    default:
      return null;
  }
}
