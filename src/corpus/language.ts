import { francAll } from 'franc-min';

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
 * Language of an article's text: an ISO 639-3 code, `und` when too short to tell, or `zxx` when the text is long
 * but in none of the candidate languages (another script, say).
 */
export function detectArticleLanguage(body: string): string {
  // Skip the first lines (titles and dates are poor evidence) when the body is long enough.
  const start = body.length > SAMPLE_CHARS * 2 ? Math.max(0, body.indexOf(' ', Math.floor(body.length / 4) - 1)) : 0;
  const sample = body.slice(start, start + SAMPLE_CHARS);
  const ranked = francAll(sample, { minLength: 40, only: CANDIDATES });
  const [best, bestScore] = ranked[0] ?? ['und', 0];
  if (best === 'und') return sample.replace(/[^\p{L}]/gu, '').length >= 40 ? 'zxx' : 'und';
  // Names and numbers blur short samples: when French scores nearly as well as the winner, it is French.
  const french = ranked.find(([code]) => code === 'fra')?.[1] ?? 0;
  return french >= FRENCH_MARGIN * bestScore ? 'fra' : best;
}
