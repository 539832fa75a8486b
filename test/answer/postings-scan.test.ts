/**
 * The candidates' postings scan: the same passages and scores as the plain sum it stands for (per question word,
 * the best of its terms), across blocks of passage ids; and, through `ask`, a passage holding every word of a
 * question found among thousands that hold one of them.
 */
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/answer/index.js';
import { findCandidates } from '../../src/answer/candidates.js';
import { scanPostings, type ScanTerm } from '../../src/answer/postings-scan.js';
import { prepareQuery } from '../../src/answer/query.js';
import { buildSearchIndex, type SearchIndex } from '../../src/index/index.js';
import { analyzeQuestion, indexTerms } from '../../src/language/index.js';
import { prng } from '../reliability/helpers.js';

interface Case {
  terms: ScanTerm[];
  ids: Int32Array;
  occurrences: Int32Array;
  lengths: Int32Array;
}

/** Random terms over `passages` passages, grouped by word (1 to 3 terms a word), postings in increasing id. */
function randomCase(rng: () => number, passages: number, words: number): Case {
  const ids: number[] = [];
  const occurrences: number[] = [];
  const terms: ScanTerm[] = [];
  for (let word = 0; word < words; word++) {
    const termCount = 1 + Math.floor(rng() * 3);
    for (let k = 0; k < termCount; k++) {
      const df = 1 + Math.floor(rng() * (k === 0 ? 40 : 400));
      const set = new Set<number>();
      while (set.size < Math.min(df, passages)) set.add(Math.floor(rng() * passages));
      const from = ids.length;
      for (const id of [...set].sort((a, b) => a - b)) {
        ids.push(id);
        occurrences.push(rng() < 0.2 ? 2 + Math.floor(rng() * 3) : 1);
      }
      const quality = k === 0 ? 1 : 0.7;
      terms.push({ word, weight: quality * (0.5 + rng() * 4), quality, from, to: ids.length });
    }
  }
  const lengths = Int32Array.from({ length: passages }, () => 1 + Math.floor(rng() * 60));
  return { terms, ids: Int32Array.from(ids), occurrences: Int32Array.from(occurrences), lengths };
}

/** What the scan stands for, written plainly: a map per passage of each word's best term. */
function reference(c: Case, keep: number, factor: (id: number) => number, inScope: (id: number) => boolean) {
  const average = c.lengths.reduce((a, b) => a + b, 0) / c.lengths.length;
  const best = new Map<number, Map<number, { v: number; q: number }>>();
  for (const t of c.terms) {
    for (let i = t.from; i < t.to; i++) {
      const id = c.ids[i]!;
      const o = c.occurrences[i]!;
      const norm = 1.2 * (1 - 0.75 + (0.75 * c.lengths[id]!) / average);
      const v = (t.weight * o * 2.2) / (o + norm);
      let words = best.get(id);
      if (!words) best.set(id, (words = new Map()));
      const prior = words.get(t.word);
      if (!prior || v > prior.v) words.set(t.word, { v, q: t.quality });
    }
  }
  return [...best]
    .filter(([id]) => inScope(id))
    .map(([id, words]) => ({
      id,
      score: [...words.values()].reduce((a, w) => a + w.v, 0) * factor(id),
      words: new Map([...words].map(([w, x]) => [w, x.q])),
    }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, keep);
}

describe('the postings scan', () => {
  it('keeps the passages and scores of the plain per-word sum, across blocks of ids', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = prng(seed);
      // Up to 40,000 passages: the scan's blocks of 8,192 ids are crossed, some left empty.
      const passages = 50 + Math.floor(rng() * 40_000);
      const c = randomCase(rng, passages, 1 + Math.floor(rng() * 6));
      const keep = 1 + Math.floor(rng() * 60);
      const factor = (id: number): number => (id % 7 === 0 ? 0.6 : 1);
      const inScope = (id: number): boolean => seed % 3 !== 0 || id % 2 === 0;
      const average = c.lengths.reduce((a, b) => a + b, 0) / c.lengths.length;
      const options = { keep, factor, inScope, lengths: c.lengths, averageLength: average };
      const got = scanPostings(c.terms, c.ids, c.occurrences, options);
      const want = reference(c, keep, factor, inScope);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => {
        expect(h.score).toBeCloseTo(want[i]!.score, 9);
        expect(h.words).toEqual(want[i]!.words);
      });
    }
  });

  it('returns nothing for no terms, and at most the passages met', () => {
    const options = { keep: 10, factor: () => 1, inScope: () => true, averageLength: 4 };
    const none = scanPostings([], new Int32Array(0), new Int32Array(0), { ...options, lengths: new Int32Array(5) });
    expect(none).toEqual([]);
    const ids = Int32Array.from([3, 9000, 20000]);
    const term: ScanTerm = { word: 1, weight: 2, quality: 1, from: 0, to: 3 };
    const lengths = new Int32Array(20001).fill(4);
    const hits = scanPostings([term], ids, Int32Array.from([1, 1, 1]), { ...options, lengths });
    // Equal scores: the lower id first.
    expect(hits.map((h) => h.id)).toEqual([3, 9000, 20000]);
    expect(hits[0]!.words).toEqual(new Map([[1, 1]]));
  });
});

/** 1,200 articles of six paragraphs; only article 613's fourth holds « tablette », « batterie » and « écran ». */
function commonWordsIndex(): SearchIndex {
  const rng = prng(7);
  const fillers = ['tablette', 'batterie', 'écran', 'recharge'];
  const reads = Array.from({ length: 1200 }, (_, n) => {
    const paragraphs = Array.from({ length: 6 }, (_, p) => {
      const w = fillers[(n + p) % fillers.length]!;
      return `Le rapport numéro ${n}-${p} parle de la ${w} du modèle ${Math.floor(rng() * 1e6)} vendu cette année.`;
    });
    // Long, so that on any one of its words alone BM25 ranks it below the short paragraphs that hold it.
    if (n === 613)
      paragraphs[3] =
        'Selon les mesures publiées jeudi par le laboratoire indépendant, après trois semaines de tests ' +
        'quotidiens, la tablette garde sa batterie neuve pendant des mois, même avec un écran allumé sans cesse ' +
        'dans une pièce chauffée, ce que peu de concurrents vendus au même prix parviennent à faire aujourd’hui.';
    const text = [` title Dossier ${n}`, ' date 2021-05-01', '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');
    return { file: `${String(n).padStart(4, '0')}_dossier.txt`, bytes: Buffer.from(text, 'utf8') };
  });
  return buildSearchIndex(reads, []);
}

describe('candidates on a corpus where every question word is common', () => {
  const index = commonWordsIndex();
  const question = 'Quid de la batterie de la tablette avec l’écran ?';

  it('finds the one paragraph holding them all among thousands holding one', () => {
    // Each word alone is in 1,800 paragraphs.
    for (const t of ['tablet', 'batter', 'ecran']) expect(index.passageFrequency.get(t) ?? 0).toBeGreaterThan(1500);
    const answer = ask(index, question);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]?.article).toBe('0613_dossier.txt');
  });

  it('still finds candidates in a scope the champion lists miss when no word fits the budget', () => {
    // A budget below every word's passages and no champion list (each word is in fewer than 3,000 passages): only
    // a scan of one word's whole postings, in scope, finds the article's paragraphs.
    const article = index.corpus.articles.findIndex((a) => a.file === '0613_dossier.txt');
    const inScope = (id: number): boolean => index.corpus.passages[id]!.article === article;
    const prepared = prepareQuery(index, analyzeQuestion(question));
    const text = (id: number): string => {
      const p = index.corpus.passages[id]!;
      return index.corpus.articles[p.article]!.text.slice(p.start, p.end);
    };
    const scopeTerms = new Set(
      index.corpus.passages.filter((p) => inScope(p.id)).flatMap((p) => indexTerms(text(p.id))),
    );
    const found = findCandidates(index, prepared, inScope, scopeTerms, () => [], 8, undefined, 1000);
    expect(found.passages.length).toBeGreaterThan(0);
    expect(found.passages.every(inScope)).toBe(true);
    // The rarest word is not the scope's: the next one it uses is scanned, and finds its passages.
    const df = (t: string): number => index.passageFrequency.get(t) ?? 0;
    const known = [...prepared.termWord.keys()]
      .filter((t) => scopeTerms.has(t))
      .sort((x, y) => df(x) - df(y) || (x < y ? -1 : 1));
    expect(known.length).toBeGreaterThan(1);
    const without = new Set([...scopeTerms].filter((t) => t !== known[0]));
    const next = findCandidates(index, prepared, inScope, without, () => [], 8, undefined, 1000);
    expect(next.passages.length).toBeGreaterThan(0);
    expect(next.passages.every((id) => inScope(id) && indexTerms(text(id)).includes(known[1]!))).toBe(true);
    // None of its words in the scope: nothing scanned, nothing found.
    expect(findCandidates(index, prepared, inScope, new Set(), () => [], 8, undefined, 1000).passages).toEqual([]);
  });
});
