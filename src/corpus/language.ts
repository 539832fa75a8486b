import { francAll } from 'franc-min';
import { cat, deu, eng, fra, ita, nld, pol, por, ron, spa } from 'stopword/dist/stopword.esm.mjs';

/** Languages whose name the rejection report can give in French. */
const LANGUAGE_NAMES: Record<string, string> = {
  fra: 'français',
  eng: 'anglais',
  deu: 'allemand',
  spa: 'espagnol',
  ita: 'italien',
  por: 'portugais',
  nld: 'néerlandais',
  cat: 'catalan',
  pol: 'polonais',
  ron: 'roumain',
  und: 'indéterminée',
  zxx: 'une langue non reconnue',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}

/**
 * Languages a seed could plausibly be in. Restricting franc to them keeps detection fast (it dominated indexing
 * time with all 82 languages) while still telling French from its neighbours.
 */
const CANDIDATES = ['fra', 'eng', 'deu', 'spa', 'ita', 'por', 'nld', 'cat', 'ron', 'pol'];
/** A few hundred characters are plenty to tell these languages apart, and franc's cost grows with length. */
const SAMPLE_CHARS = 300;
/** French wins when its score is at least this share of the best one. */
const FRENCH_MARGIN = 0.9;
/**
 * A shorter sample read first: when French wins it by far, the article is French without the full sample (most
 * are, and franc's cost is its trigram count). Measured on 3,000 seed, dev and bench articles: at 120 characters
 * three in four are decided so, and every one of them is French on the full sample too.
 */
const QUICK_CHARS = 120;
/** On the quick sample, the runner-up must score at most this share of French's score. */
const QUICK_LEAD = 0.8;

/**
 * Function words (the `stopword` lists) that French has and none of the other candidates has (`dans`, `avec`,
 * `une`, `sont`…), and those of the other candidates that French's list lacks (`the`, `und`, `della`…, and a few
 * French words such as `si`). A sample with several distinct words of the first kind and far fewer of the second
 * is French without franc, at a tenth of its cost (franc was a fifth of a parsing thread's time). Measured on
 * 10,023 seed, dev and bench articles: 4 words and at most half as many of the others decide 69 % of them, each as
 * franc does; the others still go to franc.
 */
const OTHER_FUNCTION_WORDS = new Set([eng, deu, spa, ita, por, nld, cat, ron, pol].flat());
const FRENCH_ONLY_WORDS = new Set(fra.filter((w) => !OTHER_FUNCTION_WORDS.has(w)));
for (const w of fra) OTHER_FUNCTION_WORDS.delete(w);
const FUNCTION_WORDS_NEEDED = 4;
/**
 * Characters read for function words, from where the sample starts: twice the sample, so that more articles are
 * decided without franc. On 5,023 bench, seed and dev articles, 300 characters decided 69 % of them, 600 decide
 * 97 %, each as franc does (none of them otherwise); no 600-character window of a text in another candidate
 * language is decided French (test/corpus/language.test.ts). franc cost ~300 µs an article asked, this ~20 µs.
 */
export const FUNCTION_WORDS_CHARS = 600;
const LETTERS = /\p{L}+/gu;

/** True when the sample's function words are plainly French (see FRENCH_ONLY_WORDS); false: ask franc. */
export function plainlyFrench(sample: string): boolean {
  const french = new Set<string>();
  const other = new Set<string>();
  for (const [word] of sample.toLowerCase().matchAll(LETTERS)) {
    if (FRENCH_ONLY_WORDS.has(word)) french.add(word);
    else if (OTHER_FUNCTION_WORDS.has(word)) other.add(word);
  }
  return french.size >= FUNCTION_WORDS_NEEDED && other.size * 2 <= french.size;
}

/**
 * Language of an article's text: an ISO 639-3 code, `und` when too short to tell, or `zxx` when the text is long
 * but in none of the candidate languages (another script, say).
 */
export function detectArticleLanguage(body: string): string {
  // Skip the first lines (titles and dates are poor evidence) when the body is long enough.
  const start = body.length > SAMPLE_CHARS * 2 ? Math.max(0, body.indexOf(' ', Math.floor(body.length / 4) - 1)) : 0;
  const sample = body.slice(start, start + SAMPLE_CHARS);
  // A short text goes to franc, which may call it undetermined.
  if (sample.length === SAMPLE_CHARS && plainlyFrench(body.slice(start, start + FUNCTION_WORDS_CHARS))) return 'fra';
  const quick = francAll(body.slice(start, start + QUICK_CHARS), { minLength: 40, only: CANDIDATES });
  if (quick[0]?.[0] === 'fra' && (quick[1]?.[1] ?? 0) <= QUICK_LEAD * quick[0][1]) return 'fra';
  const ranked = francAll(sample, { minLength: 40, only: CANDIDATES });
  const [best, bestScore] = ranked[0] ?? ['und', 0];
  if (best === 'und') return sample.replace(/[^\p{L}]/gu, '').length >= 40 ? 'zxx' : 'und';
  // Names and numbers blur short samples: when French scores nearly as well as the winner, it is French.
  const french = ranked.find(([code]) => code === 'fra')?.[1] ?? 0;
  return french >= FRENCH_MARGIN * bestScore ? 'fra' : best;
}
