/**
 * Topics people ask about through their own slash command (`/djingo`, `/xiaomi`…). They are data, in `topics.json`
 * beside the seeds, so a moderator adds one without touching code: the bot builds one command per topic, and an
 * article belongs to every topic one of whose words its title or text contains.
 */
export interface TopicDefinition {
  /** Slash command name: lowercase ASCII letters, digits, `-` and `_`, 1-32 characters. */
  name: string;
  /** Display name in French. */
  label: string;
  /** Slash command description in French (≤ 100 characters). */
  description: string;
  /** An article whose title or text holds one of these words or phrases (case ignored) is in the topic. */
  match: string[];
  /** A question shown as an example in /aide and when a question is empty. */
  example?: string;
}

/** The file beside the seeds that defines the topics (not a seed: the listing skips it). */
export const TOPICS_FILE = 'topics.json';

/** The error code of an invalid topics file (a rebuild thread reports codes and messages). */
export const TOPICS_FILE_ERROR = 'TOPICS_FILE';

/** Names the bot's other commands use: a topic cannot take them. */
export const RESERVED_COMMAND_NAMES: ReadonlySet<string> = new Set([
  'recherche',
  'sources',
  'reindex',
  'aide',
  'sujets',
  'ajouter',
  'stats',
]);

/**
 * Discord allows 100 commands; a term's topic mask in the index is a 31-bit int. Far more topics than a server's
 * command list can show anyway.
 */
export const MAX_TOPICS = 25;
const MAX_WORDS = 50;
const NAME = /^[a-z0-9_-]{1,32}$/u;

const NNBSP = '\u202f';
const NBSP = '\u00a0';

/** A topics file that cannot be used, with a French message saying what to fix. */
export class TopicsFileError extends Error {
  override name = 'TopicsFileError';
  /** Carried across threads with the message, which is already French and meant for the moderator. */
  readonly code = TOPICS_FILE_ERROR;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line of text with no control character, within `max` characters. */
function text(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  // Line and paragraph separators and bidi controls too: a label must read as it is written, on one line.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const invisible = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
  return t.length > 0 && t.length <= max && !invisible.test(t) ? t : null;
}

/**
 * Validates topic definitions (the parsed JSON of a topics file, or a snapshot's copy). Throws a TopicsFileError
 * naming every problem, in French, with where it is.
 */
export function checkTopics(raw: unknown, where = TOPICS_FILE): TopicDefinition[] {
  const list = isRecord(raw) ? raw['topics'] : undefined;
  if (!Array.isArray(list)) {
    throw new TopicsFileError(
      `${where}${NNBSP}: il faut un objet { "topics": [ … ] } (voir le README, «${NBSP}Sujets${NBSP}»).`,
    );
  }
  const problems: string[] = [];
  if (list.length > MAX_TOPICS) problems.push(`au plus ${MAX_TOPICS} sujets (${list.length} trouvés)`);
  const topics: TopicDefinition[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const at = `sujet n°${NBSP}${i + 1}`;
    if (!isRecord(entry)) {
      problems.push(`${at}${NNBSP}: ce n’est pas un objet`);
      continue;
    }
    const name = typeof entry['name'] === 'string' ? entry['name'] : '';
    const label = text(entry['label'], 50);
    const description = text(entry['description'], 100);
    const words = Array.isArray(entry['match']) ? entry['match'].map((w) => text(w, 60)) : null;
    const example = entry['example'] === undefined ? undefined : text(entry['example'], 150);
    const named = `${at} («${NBSP}${name.slice(0, 40)}${NBSP}»)`;
    if (!NAME.test(name))
      problems.push(
        `${at}${NNBSP}: "name" doit faire 1 à 32 caractères parmi a-z, 0-9, - et _ (minuscules, sans accent)`,
      );
    else if (RESERVED_COMMAND_NAMES.has(name)) problems.push(`${named}${NNBSP}: "name" est déjà une commande du bot`);
    else if (seen.has(name)) problems.push(`${named}${NNBSP}: ce nom est déjà pris par un autre sujet`);
    if (!label) problems.push(`${named}${NNBSP}: "label" doit être un texte d’une ligne, de 1 à 50 caractères`);
    if (!description)
      problems.push(`${named}${NNBSP}: "description" doit être un texte d’une ligne, de 1 à 100 caractères`);
    if (!words || words.length === 0 || words.length > MAX_WORDS || words.some((w) => w === null || w.length < 2))
      problems.push(
        `${named}${NNBSP}: "match" doit être une liste de 1 à ${MAX_WORDS} mots ou expressions (2 à 60 caractères)`,
      );
    if (example === null)
      problems.push(`${named}${NNBSP}: "example" doit être une question d’une ligne (150 caractères au plus)`);
    seen.add(name);
    if (NAME.test(name) && label && description && example !== null && words?.every((w) => w !== null && w.length >= 2))
      topics.push({ name, label, description, match: words as string[], ...(example ? { example } : {}) });
  }
  if (problems.length > 0) throw new TopicsFileError(`${where} est invalide${NNBSP}:\n- ${problems.join('\n- ')}`);
  return topics;
}

/** Reads a topics file's text: JSON first, then the definitions. */
export function parseTopics(json: string, where = TOPICS_FILE): TopicDefinition[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    // JSON.parse says where, in English: the position is what helps.
    const at = /position (\d+)/u.exec((err as Error).message)?.[1];
    const place = at === undefined ? '' : ` (vers le caractère ${Number(at) + 1})`;
    throw new TopicsFileError(
      `${where} n’est pas du JSON valide${place}${NNBSP}: vérifiez virgules, guillemets et accolades.`,
    );
  }
  return checkTopics(raw, where);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
/** Compiled once per definition list (the list is shared by every article of a build). */
const compiled = new WeakMap<readonly TopicDefinition[], { name: string; pattern: RegExp }[]>();

function matchers(topics: readonly TopicDefinition[]): { name: string; pattern: RegExp }[] {
  let m = compiled.get(topics);
  if (!m) {
    // Whole words only: « mi » must not put every article with « mille » in a topic. \b is not Unicode-aware.
    m = topics.map((t) => ({
      name: t.name,
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${t.match.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'iu'),
    }));
    compiled.set(topics, m);
  }
  return m;
}

export function findTopic(topics: readonly TopicDefinition[], name: string): TopicDefinition | undefined {
  return topics.find((t) => t.name === name);
}

/** Topics of an article, from its title and its own text (reader comments don't put an article in a topic). */
export function topicsOf(topics: readonly TopicDefinition[], title: string, body: string): string[] {
  return matchers(topics)
    .filter((t) => t.pattern.test(title) || t.pattern.test(body))
    .map((t) => t.name);
}

/** Same names, labels, descriptions and words: whether the commands (and the articles' topics) must change. */
export function sameTopics(a: readonly TopicDefinition[], b: readonly TopicDefinition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
