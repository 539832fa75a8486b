/**
 * Autocomplete does a bounded amount of work per call (issue 11, item 12): its phrases are listed by prefix, and its
 * answer checks stop at a work budget, so that a keystroke never stalls the event loop every member shares. Within
 * the budget, the choices are today's: the same phrases, checked in the same order.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ask, type WorkMeter } from '../../src/answer/index.js';
import { readSeedFiles } from '../../src/corpus/index.js';
import { buildSearchIndex, type SearchIndex } from '../../src/index/index.js';
import { fold } from '../../src/language/index.js';
import { sliceWhole } from '../../src/lib/index.js';
import { minePhrasesNow, suggest } from '../../src/suggest/index.js';
import { CHECK_BUDGET } from '../../src/suggest/suggest.js';
import { bundledIndex, SEED_TOPICS, SEEDS } from '../helpers.js';
import { frenchArticle, logSummary, prng } from '../reliability/helpers.js';

const seen = vi.hoisted(() => ({ tokenized: 0 }));

vi.mock('../../src/language/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/language/index.js')>();
  return {
    ...actual,
    tokenize: (...args: Parameters<typeof actual.tokenize>) => {
      seen.tokenized += args[0].length;
      return actual.tokenize(...args);
    },
  };
});

/**
 * Autocomplete written the plain way, as it was before the prefix lists: every phrase of the topic scanned in rank
 * order, the candidates checked one by one; and the budget rule (stop before a check that, costing the average so
 * far, would overrun it). The oracle.
 */
const mined = new WeakMap<SearchIndex, ReturnType<typeof minePhrasesNow>>();
function reference(index: SearchIndex, typed: string, topic: string | null): string[] {
  let phrases = mined.get(index);
  if (!phrases) mined.set(index, (phrases = minePhrasesNow(index)));
  const inTopic = topic === null ? phrases : phrases.filter((p) => p.topics.includes(topic));
  const text = sliceWhole(typed.replace(/\s+/gu, ' ').trimStart(), 100);
  const m = /^(.*?)([\p{L}\p{N}-]*)$/u.exec(text);
  const head = m?.[1] ?? '';
  const partial = fold((m?.[2] ?? '').toLowerCase());
  const cut = (c: string): string => {
    if (c.length <= 100) return c;
    const s = sliceWhole(c, 100);
    return s.lastIndexOf(' ') > 20 ? s.slice(0, s.lastIndexOf(' ')) : s;
  };
  const candidates = text.trim() ? [text.trim()] : [];
  for (const p of inTopic) {
    if (partial ? !p.folded.startsWith(partial) : !p.text.includes(' ')) continue;
    candidates.push(cut(`${head}${p.text}`));
    if (candidates.length >= 40) break;
  }
  const out: string[] = [];
  const keys = new Set<string>();
  const work: WorkMeter = { units: 0 };
  let checks = 0;
  for (const c of candidates) {
    const key = fold(c.toLowerCase());
    if (keys.has(key) || c === '') continue;
    keys.add(key);
    if (checks > 0 && work.units + work.units / checks > CHECK_BUDGET) break;
    if (ask(index, c, { topic, limit: 1, suggestTopics: false, work }).answered) out.push(c);
    checks++;
    if (out.length >= 25) break;
  }
  return out;
}

/** What people type: each question of the sample cut inside each of its words, after it, and a few odd ones. */
function prefixesOf(questions: readonly string[]): string[] {
  const out = new Set<string>(['', ' ', 'e', 'Dj', 'Combien ', 'enceinte conn', '149', 'œu', 'É', 'zzzz', '😀']);
  for (const q of questions)
    for (const w of q.matchAll(/[\p{L}\p{N}][\p{L}\p{N}’'-]*/gu)) {
      out.add(q.slice(0, w.index + Math.min(2, w[0].length)));
      out.add(q.slice(0, w.index + w[0].length + 1));
    }
  return [...out];
}

const QUESTIONS = [
  'Combien coûtait l’enceinte Djingo ?',
  'Où déposer l’enceinte pour le retour ?',
  'Combien de smartphones Xiaomi Orange a-t-il vendus ?',
];

let index: SearchIndex;
beforeAll(async () => {
  index = await bundledIndex();
});

describe('autocomplete within its work budget', () => {
  it('offers the choices of the plain scan, in its order, cut at the same budget', () => {
    const prefixes = prefixesOf(QUESTIONS);
    const topics = [null, 'xiaomi', '__proto__'];
    const differ: string[] = [];
    for (const typed of prefixes)
      for (const topic of topics) {
        const got = suggest(index, typed, topic);
        if (JSON.stringify(got) !== JSON.stringify(reference(index, typed, topic)))
          differ.push(`${JSON.stringify(typed)} (${String(topic)})`);
      }
    expect(differ).toEqual([]);
    logSummary([
      {
        fault: 'autocomplete: prefix lists and work budget against the plain scan',
        cases: prefixes.length * topics.length,
        outcome: 'same choices in the same order',
      },
    ]);
  });

  it('reads a bounded number of characters per keystroke, however many phrases match', async () => {
    // 120 articles sharing their phrases: every prefix has forty candidates, each check reads eight passages.
    const rng = prng(23);
    const reads = await readSeedFiles(SEEDS);
    for (let n = 0; n < 120; n++)
      reads.push({ file: `1${String(n).padStart(3, '0')}.txt`, bytes: Buffer.from(frenchArticle(rng, n), 'utf8') });
    const big = buildSearchIndex(reads, SEED_TOPICS);
    for (const typed of ['Le fabricant annonce une ', 'Combien de clients pour une enc', 'La société lance un ']) {
      suggest(big, typed, null);
      seen.tokenized = 0;
      const work: WorkMeter = { units: 0 };
      const choices = suggest(big, typed, null, 25, work);
      expect(choices.length, typed).toBeGreaterThan(0);
      // Forty checks of eight ~500-character passages read about 100,000 characters.
      expect(seen.tokenized, typed).toBeLessThanOrEqual(40_000);
      expect(work.units, typed).toBeGreaterThan(0);
    }
  });
});
