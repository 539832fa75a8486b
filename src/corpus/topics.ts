/**
 * The topics people can ask about through their own slash command. Defined once here: the Discord layer builds
 * one command per entry, and an article belongs to every topic whose pattern its text matches.
 */
export interface TopicDefinition {
  /** Slash command name: lowercase ASCII, 1-32 characters. */
  name: string;
  /** Display name in French. */
  label: string;
  /** Slash command description in French (≤ 100 characters). */
  description: string;
  /** An article mentioning this is in the topic. */
  pattern: RegExp;
}

export const TOPICS: readonly TopicDefinition[] = [
  {
    name: 'djingo',
    label: 'Djingo',
    description: 'Poser une question sur Djingo, l’assistant vocal et l’enceinte d’Orange',
    pattern: /\bdjingo\b/iu,
  },
  {
    name: 'xiaomi',
    label: 'Xiaomi',
    description: 'Poser une question sur Xiaomi et ses smartphones chez Orange',
    pattern: /\bxiaomi\b/iu,
  },
];

export function findTopic(name: string): TopicDefinition | undefined {
  return TOPICS.find((t) => t.name === name);
}

/** Topics of an article, from its title and its own text (reader comments don't put an article in a topic). */
export function topicsOf(title: string, body: string): string[] {
  return TOPICS.filter((t) => t.pattern.test(title) || t.pattern.test(body)).map((t) => t.name);
}
