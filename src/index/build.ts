import type { Corpus } from '../corpus/index.js';
import { analyzePassages, IndexDraft } from './index-draft.js';
import type { SearchIndex } from './search-index.js';
import { parseSnapshot, serializeSnapshot } from './snapshot.js';

/** A corpus with its index drafted: everything a snapshot holds, before MiniSearch has loaded any of it. */
export interface BuiltIndex {
  corpus: Corpus;
  draft: IndexDraft;
}

/** Drafts the index of a corpus on this thread (parallel-build.ts does the same from a seeds folder, in threads). */
export function buildIndex(corpus: Corpus): BuiltIndex {
  const draft = new IndexDraft();
  const analyzed = analyzePassages(corpus.passages.map((p) => corpus.articles[p.article]!.text.slice(p.start, p.end)));
  draft.add(analyzed, corpus.passages.map((p) => p.id));
  return { corpus, draft };
}

/**
 * A searchable index of a corpus, in memory. It goes through the snapshot format, as every index the bot serves
 * does (a fresh build is served from the snapshot it saves): one way from a corpus to a live index.
 */
export function buildSearchIndex(corpus: Corpus): SearchIndex {
  const loaded = parseSnapshot(serializeSnapshot(buildIndex(corpus), 'in-memory', new Date(0)));
  if (!loaded.ok) throw new Error(`index could not be built: ${loaded.reason}`);
  return loaded.index;
}
