import { franc } from 'franc-min';
import { fold, isEnglishStopWord, isFrenchStopWord, termsOfWord } from './analyzer.js';
import { ENGLISH_TO_FRENCH } from './lexicon.js';

/** What kind of answer a question asks for: a sentence holding one reads better. */
export type AnswerCue = 'date' | 'duration' | 'percent' | 'price' | 'quantity' | 'place' | 'person' | null;

/** Languages questions are understood in; replies are always French. */
export type QuestionLanguage = 'fra' | 'eng';

export interface QueryWord {
  /** The word as the user typed it. */
  surface: string;
  /** The word names the kind of answer (« délai », « pourcentage »): a quote holding such an answer covers it. */
  cueWord: boolean;
  /** Index terms that count as this word (its own, plus French translations for an English word). */
  terms: string[];
}

export interface AnalyzedQuestion {
  text: string;
  language: QuestionLanguage;
  words: QueryWord[];
  cue: AnswerCue;
}

const WORD = /\p{N}+(?:[.,]\p{N}+)+(?![\p{L}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;

/** Words that name the kind of answer rather than its subject; the quote answers them with a value, not the word. */
const CUE_WORD = /^(?:delais?|durees?|pourcentages?|proportions?|taux|dates?|annees?|montants?|tarifs?|prix|cout\p{L}*|payer|payants?|payee?s?|delay|duration|percentage|year|amount|price|cost\p{L}*)$/u;

/** First match wins: the more specific cues come first. */
const CUES: readonly [RegExp, AnswerCue][] = [
  [/(?<!\p{L})(?:d[ée]lais?|dur[ée]e|combien de temps|en combien de|how long|delay|duration)(?!\p{L})/iu, 'duration'],
  [/(?<!\p{L})(?:prix|co[uû]t\p{L}*|tarifs?|payer|payants?|price|cost\p{L}*|how much (?:is|was|does|did))(?!\p{L})/iu, 'price'],
  [/(?<!\p{L})(?:pourcentage|proportion|taux|quelle part|percentage|what share|what part)(?!\p{L})/iu, 'percent'],
  [/(?<!\p{L})(?:quand|en quelle ann[ée]e|[àa] quelle date|depuis quand|jusqu['’]? ?[àa] quand|when|what year|what date|since when)(?!\p{L})/iu, 'date'],
  [/(?<!\p{L})(?:combien|quel(?:le)? (?:est le |[ée]tait le )?(?:prix|montant|nombre|part|tarif|co[uû]t)|how (?:much|many)|what (?:price|share|percentage))(?!\p{L})/iu, 'quantity'],
  [/(?<!\p{L})(?:o[uù]|where)(?!\p{L})/iu, 'place'],
  [/(?<!\p{L})(?:qui|who)(?!\p{L})/iu, 'person'],
];

/**
 * Language of a question. franc alone is unreliable on a few words, so function words vote first
 * (`the`, `did` against `le`, `est`); franc, restricted to French and English, breaks ties; French by default.
 */
export function detectQuestionLanguage(text: string): QuestionLanguage {
  let en = 0;
  let fr = 0;
  for (const m of text.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    const isEn = isEnglishStopWord(w) || (w in ENGLISH_TO_FRENCH && !isFrenchStopWord(w) && ENGLISH_TO_FRENCH[w]!.length > 0 && ENGLISH_TO_FRENCH[w]![0] !== w);
    const isFr = isFrenchStopWord(w);
    if (isEn && !isFr) en++;
    if (isFr && !isEn) fr++;
  }
  if (en !== fr) return en > fr ? 'eng' : 'fra';
  return franc(text, { only: ['fra', 'eng'], minLength: 10 }) === 'eng' ? 'eng' : 'fra';
}

export function analyzeQuestion(text: string): AnalyzedQuestion {
  const language = detectQuestionLanguage(text);
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(WORD)) {
    const surface = m[0];
    const lower = surface.toLowerCase();
    if (language === 'eng' && isEnglishStopWord(lower)) continue;
    const terms = [...termsOfWord(surface, 'query')];
    if (language === 'eng') {
      for (const fr of ENGLISH_TO_FRENCH[lower] ?? []) {
        for (const w of fr.matchAll(WORD)) for (const t of termsOfWord(w[0], 'query')) if (!terms.includes(t)) terms.push(t);
      }
    }
    if (terms.length === 0) continue;
    const key = terms.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    words.push({ surface, terms, cueWord: CUE_WORD.test(fold(lower)) });
  }
  let cue: AnswerCue = null;
  for (const [pattern, c] of CUES) {
    if (pattern.test(text)) {
      cue = c;
      break;
    }
  }
  return { text, language, words, cue };
}
