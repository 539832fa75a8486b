import type { BotCommand } from '../src/discord/index.js';
import { chercherSource } from './chercher-source.js';
import { recherche } from './recherche.js';
import { reindex } from './reindex.js';
import { sources } from './sources.js';
import { topicCommands } from './topics.js';

/** Every command the bot registers and answers. */
export const COMMANDS: readonly BotCommand[] = [...topicCommands, recherche, sources, reindex, chercherSource];
