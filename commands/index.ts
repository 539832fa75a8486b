import type { TopicDefinition } from '../src/corpus/index.js';
import type { BotCommand } from '../src/discord/index.js';
import { aide } from './aide.js';
import { ajouter } from './ajouter.js';
import { chercherSource } from './chercher-source.js';
import { recherche } from './recherche.js';
import { reindex } from './reindex.js';
import { sourcesCommand } from './sources.js';
import { stats } from './stats.js';
import { sujets } from './sujets.js';
import { topicCommands } from './topics.js';

/** Every command the bot registers and answers, for the topics of the index it serves. */
export function commandsFor(topics: readonly TopicDefinition[]): BotCommand[] {
  return [
    ...topicCommands(topics),
    recherche,
    sourcesCommand(topics),
    aide,
    sujets,
    ajouter,
    reindex,
    stats,
    chercherSource,
  ];
}
