import { TOPICS } from '../src/corpus/index.js';
import { questionCommand } from './question-command.js';

/**
 * `/djingo`, `/xiaomi`, … one command per topic definition: adding a topic in src/corpus/topics.ts adds its
 * command, with no file to write here.
 */
export const topicCommands = TOPICS.map((topic) => questionCommand(topic.name, topic.description, topic));
