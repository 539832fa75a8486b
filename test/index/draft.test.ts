import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { buildCorpus, readSeedFiles, type Corpus } from '../../src/corpus/index.js';
import { indexTerms } from '../../src/language/index.js';
import {
  buildFromReads,
  buildSearchIndex,
  CHAMPIONS_PER_TERM,
  FREQUENT_TERM_PASSAGES,
  MINISEARCH_OPTIONS,
} from '../../src/index/index.js';
import { analyzePassages, IndexDraft } from '../../src/index/draft.js';
import { championsOf, topicMasksOf } from '../../src/index/search-index.js';
import { SEED_TOPICS, SEEDS } from '../helpers.js';

const passageText = (corpus: Corpus, id: number): string => {
  const p = corpus.passages[id]!;
  return corpus.articles[p.article]!.text.slice(p.start, p.end);
};

/** MiniSearch's JSON with the term index as a plain object, so that term order does not matter. */
function comparable(mini: MiniSearch): object {
  const { index, storedFields: _stored, averageFieldLength, ...rest } = mini.toJSON();
  return { ...rest, averageFieldLength: averageFieldLength.map((x) => x.toFixed(9)), index: Object.fromEntries(index) };
}

describe('analyzePassages', () => {
  it('numbers the run’s terms once and counts them per passage', () => {
    const run = analyzePassages(['Le chat et le chat noir', '', 'Un chien noir']);
    expect(run.vocabulary).toEqual(['chat', 'noir', 'chien']);
    expect([...run.offsets]).toEqual([0, 2, 2, 4]);
    expect([...run.entries]).toEqual([0, 2, 1, 1, 2, 1, 1, 1]);
  });
});

describe('IndexDraft', () => {
  it('holds exactly the index MiniSearch.add builds from the same terms (bundled articles)', async () => {
    const reads = await readSeedFiles(SEEDS);
    const corpus = buildCorpus(reads, SEED_TOPICS);
    const added = new MiniSearch(MINISEARCH_OPTIONS);
    for (const p of corpus.passages) added.add({ id: p.id, text: indexTerms(passageText(corpus, p.id)).join(' ') });
    const loaded = buildSearchIndex(reads, SEED_TOPICS);
    expect(comparable(loaded.mini)).toEqual(comparable(added));
    // The chunked build reads the files into the same corpus as the corpus module alone does.
    expect(loaded.corpus).toEqual(corpus);
  });

  it('leaves out the passages of skipped files and keeps ids consecutive', () => {
    const draft = new IndexDraft();
    draft.add(analyzePassages(['alpha beta', 'gamma', 'alpha']), [0, -1, 1]);
    expect(draft.terms).toEqual(indexTerms('alpha beta'));
    expect(draft.postings).toEqual([
      [0, 1, 1, 1],
      [0, 1],
    ]);
    expect(draft.fieldLength).toEqual([2, 1]);
    expect(draft.averageFieldLength).toBe(1.5);
    expect(() => draft.add(analyzePassages(['delta']), [5])).toThrow(/out of order/);
  });

  it('gives champion lists to frequent terms only: passages holding the term twice first, in id order', () => {
    const count = FREQUENT_TERM_PASSAGES + 10;
    const texts = Array.from({ length: count }, (_, i) => (i % 50 === 7 ? 'zorblax zorblax rare' : 'zorblax'));
    const draft = new IndexDraft();
    draft.add(
      analyzePassages(texts),
      texts.map((_, i) => i),
    );
    const champions = championsOf(draft);
    expect([...champions.keys()]).toEqual(['zorblax']);
    const list = [...champions.get('zorblax')!];
    expect(list).toHaveLength(CHAMPIONS_PER_TERM);
    const twice = texts.flatMap((t, i) => (t.startsWith('zorblax zorblax') ? [i] : []));
    expect(list.slice(0, twice.length)).toEqual(twice);
    expect(list.slice(twice.length)).toEqual(
      texts.flatMap((t, i) => (t === 'zorblax' ? [i] : [])).slice(0, CHAMPIONS_PER_TERM - twice.length),
    );
  });

  it('knows which terms each topic’s passages use', async () => {
    const { corpus, draft } = buildFromReads(await readSeedFiles(SEEDS), SEED_TOPICS);
    const expected = new Map<string, Set<string>>();
    for (const p of corpus.passages) {
      for (const topic of corpus.articles[p.article]!.topics) {
        if (!expected.has(topic)) expected.set(topic, new Set());
        for (const t of indexTerms(passageText(corpus, p.id))) expected.get(topic)!.add(t);
      }
    }
    expect(expected.size).toBeGreaterThan(1);
    const { topics, masks } = topicMasksOf(corpus, draft);
    const found = new Map(
      topics.map((topic, k) => [topic, new Set(draft.terms.filter((_, n) => (masks[n]! >> k) & 1))]),
    );
    expect(found).toEqual(expected);
  });
});
