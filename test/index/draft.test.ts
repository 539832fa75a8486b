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
import { CounterTerms, IndexDraft } from '../../src/index/draft.js';
import { analyzePassages, TermCounter } from '../../src/index/term-counter.js';
import { DraftPostings, scanPostings, VarintReader } from '../../src/index/postings.js';
import { championsOf, topicMasksOf } from '../../src/index/search-index.js';
import { SEED_TOPICS, SEEDS, plainCorpus } from '../helpers.js';
import { prng } from '../reliability/helpers.js';

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
    expect(run.firstTerm).toBe(0);
    expect(run.newTerms).toEqual(['chat', 'noir', 'chien']);
    expect([...run.offsets]).toEqual([0, 2, 2, 4]);
    expect([...run.entries]).toEqual([0, 2, 1, 1, 2, 1, 1, 1]);
  });
});

describe('TermCounter', () => {
  it('numbers terms for the whole build: a later run sends only the terms it meets first', () => {
    const counter = new TermCounter();
    const first = counter.analyze(['Le chat noir']);
    const second = counter.analyze(['Un chat blanc', 'Le chien noir']);
    expect([first.firstTerm, first.newTerms]).toEqual([0, ['chat', 'noir']]);
    expect([second.firstTerm, second.newTerms]).toEqual([2, ['blanc', 'chien']]);
    // chat (0) and blanc (2); then chien (3) and noir (1): the earlier run's numbers.
    expect([...second.entries]).toEqual([0, 1, 2, 1, 3, 1, 1, 1]);
  });

  it('counts runs longer than its first arrays (passages and pairs) as each passage counted alone', () => {
    const rng = prng(2718);
    const words = Array.from({ length: 3000 }, (_, i) => `mot${i.toString(36)}x`);
    const texts = Array.from({ length: 1500 }, () =>
      Array.from({ length: 60 }, () => words[Math.floor(rng() ** 2 * words.length)]).join(' '),
    );
    const counter = new TermCounter();
    const runs = [counter.analyze(texts.slice(0, 1000)), counter.analyze(texts.slice(1000))];
    const terms: string[] = [];
    const seen: [string, number][][] = [];
    for (const run of runs) {
      terms.push(...run.newTerms);
      for (let k = 0; k + 1 < run.offsets.length; k++) {
        const pairs: [string, number][] = [];
        for (let e = 2 * run.offsets[k]!; e < 2 * run.offsets[k + 1]!; e += 2)
          pairs.push([terms[run.entries[e]!]!, run.entries[e + 1]!]);
        seen.push(pairs);
      }
    }
    expect(runs[0]!.entries.length).toBeGreaterThan(1 << 16);
    expect(seen).toHaveLength(texts.length);
    texts.forEach((text, k) => {
      const alone = analyzePassages([text]);
      expect(seen[k]).toEqual(
        Array.from({ length: alone.entries.length / 2 }, (_, p) => [
          alone.newTerms[alone.entries[2 * p]!]!,
          alone.entries[2 * p + 1]!,
        ]),
      );
    });
  });

  it('leaves the counter as it was when a run throws', () => {
    const counter = new TermCounter();
    counter.analyze(['Le chat noir']);
    function* failing(): Generator<string> {
      yield 'Un zèbre rayé';
      throw new Error('lecture interrompue');
    }
    expect(() => counter.analyze(failing())).toThrow('lecture interrompue');
    expect(counter.terms).toBe(2);
    const next = counter.analyze(['Un zèbre']);
    expect([next.firstTerm, next.newTerms]).toEqual([2, ['zebr']]);
    expect([...next.entries]).toEqual([2, 1]);
  });

  it('makes the same draft run by run as in one run, and refuses runs out of order', () => {
    const texts = ['alpha beta', 'gamma alpha', 'beta delta', 'epsilon alpha'];
    const whole = new IndexDraft();
    whole.add(analyzePassages(texts), [0, 1, 2, 3]);
    const counter = new TermCounter();
    const runs = [counter.analyze(texts.slice(0, 2)), counter.analyze(texts.slice(2))];
    const byRuns = new IndexDraft();
    const counted = new CounterTerms();
    byRuns.add(runs[0]!, [0, 1], counted);
    expect(() => byRuns.add(analyzePassages(['zeta']), [2], counted)).toThrow(/out of order/);
    byRuns.add(runs[1]!, [2, 3], counted);
    expect(byRuns.terms).toEqual(whole.terms);
    expect(whole.terms.map((_, n) => [...byRuns.postings.bytes(n)])).toEqual(
      whole.terms.map((_, n) => [...whole.postings.bytes(n)]),
    );
    expect(byRuns.fieldLength).toEqual(whole.fieldLength);
  });
});

describe('DraftPostings', () => {
  it('gives back what was added, as the bytes the snapshot writes, and refuses postings out of order', () => {
    const postings = new DraftPostings();
    const lists = [
      [
        [0, 1],
        [1, 3],
        [200, 1],
        [70_000, 250],
        [2 ** 30, 2],
      ],
      [[5, 1]],
    ];
    for (const list of lists) {
      const n = postings.addTerm();
      for (const [id, occurrences] of list) postings.add(n, id!, occurrences!);
    }
    lists.forEach((list, n) => {
      const out: number[][] = [];
      postings.each(n, (id, occurrences) => void out.push([id, occurrences]));
      expect(out).toEqual(list);
      expect(postings.count(n)).toBe(list.length);
      // The same bytes, read as the loader checks them.
      const read: number[][] = [];
      const r = new VarintReader(postings.bytes(n));
      expect(scanPostings(r, list.length, (id, occurrences) => void read.push([id, occurrences]))).toBe(true);
      expect(r.done).toBe(true);
      expect(read).toEqual(list);
    });
    // 1, 2, 2, 3 + 2 and 5 + 1 bytes: small gaps and single occurrences take one byte.
    expect(postings.bytes(0).length).toBe(16);
    expect(() => postings.add(1, 5, 1)).toThrow(/out of order/);
    expect(scanPostings(new VarintReader(postings.bytes(0)), 6, () => {})).toBe(false);
    expect(scanPostings(new VarintReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])), 1, () => {})).toBe(
      false,
    );
  });

  it('keeps each term’s bytes whole across slabs, blocks moved as they grow and blocks larger than a slab', () => {
    const rng = prng(83);
    const small = new DraftPostings(64);
    const large = new DraftPostings();
    const expected: number[][][] = [];
    for (let t = 0; t < 40; t++) {
      small.addTerm();
      large.addTerm();
      expected.push([]);
    }
    // Terms interleaved passage after passage, as a build adds them; term 0 in every passage (hundreds of bytes).
    for (let id = 0; id < 600; id++) {
      for (let t = 0; t < 40; t++) {
        if (t > 0 && rng() > 0.1) continue;
        const occurrences = rng() < 0.3 ? 2 + Math.floor(rng() * 300) : 1;
        small.add(t, id, occurrences);
        large.add(t, id, occurrences);
        expected[t]!.push([id, occurrences]);
      }
    }
    expected.forEach((list, n) => {
      const out: number[][] = [];
      small.each(n, (id, occurrences) => void out.push([id, occurrences]));
      expect(out).toEqual(list);
      expect(small.count(n)).toBe(list.length);
      expect(Buffer.from(small.bytes(n)).equals(Buffer.from(large.bytes(n)))).toBe(true);
    });
    expect(small.bytes(0).length).toBeGreaterThan(64);
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
    expect(plainCorpus(loaded.corpus)).toEqual(plainCorpus(corpus));
  });

  it('leaves out the passages of skipped files and keeps ids consecutive', () => {
    const draft = new IndexDraft();
    draft.add(analyzePassages(['alpha beta', 'gamma', 'alpha']), [0, -1, 1]);
    expect(draft.terms).toEqual(indexTerms('alpha beta'));
    const pairs = (n: number): number[] => {
      const out: number[] = [];
      draft.postings.each(n, (id, occurrences) => void out.push(id, occurrences));
      return out;
    };
    expect([pairs(0), pairs(1)]).toEqual([
      [0, 1, 1, 1],
      [0, 1],
    ]);
    expect([draft.postings.count(0), draft.postings.count(1)]).toEqual([2, 1]);
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
