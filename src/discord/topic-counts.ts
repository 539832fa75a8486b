import type { SearchIndex } from '../index/index.js';
import type { TopicCount } from './render/index.js';

/** The topics of the index served, in the topics file's order, with how many articles each holds. */
export function topicCounts(index: SearchIndex): TopicCount[] {
  return index.corpus.topics.map((topic) => ({ topic, articles: index.topicArticles.get(topic.name)?.size ?? 0 }));
}
