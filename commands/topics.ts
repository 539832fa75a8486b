import type { TopicDefinition } from '../src/corpus/index.js';
import { questionCommand } from './question-command.js';

/**
 * `/djingo`, `/xiaomi`, … one command per topic of the topics file (seeds/topics.json): adding a topic there adds
 * its command, with no file to write here.
 */
export const topicCommands = (topics: readonly TopicDefinition[]) =>
  topics.map((topic) => questionCommand(topic.name, topic.description, topic));
