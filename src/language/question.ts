import { franc } from 'franc-min';
import { fold, isEnglishStopWord, isFrenchStopWord, termsOfWord, WORD } from './analyzer.js';
import { ENGLISH_TO_FRENCH, INFORMAL, lexiconKey, POLITE_PHRASES, POLITE_WORDS } from './lexicons.js';

/**
 * What kind of answer a question asks for, read from its question words: the sentence quoted should hold one
 * (« quel » and « quelle » are taken for each other, as people type them; an age is a duration, « 47 ans »).
 * `count` is a number of things (« combien de clients »), `quantity` any number, `instance` a name, title or model
 * (« quel modèle »), `cause` and `manner` the reason or the way (« pourquoi », « comment »).
 */
export type AnswerCue =
  | 'duration'
  | 'time'
  | 'year'
  | 'day'
  | 'date'
  | 'percent'
  | 'price'
  | 'count'
  | 'quantity'
  | 'place'
  | 'person'
  | 'cause'
  | 'manner'
  | 'instance'
  | null;

/** Languages questions are understood in; replies are always French. */
export type QuestionLanguage = 'fra' | 'eng';

export interface QueryWord {
  /** The word as the user typed it. */
  surface: string;
  /** The word names the kind of answer (« délai », « prix »): a quote holding such an answer covers it. */
  cueWord: boolean;
  /** Index terms that count as this word (its own, or those of what an informal or English word stands for). */
  terms: string[];
  /**
   * A name (capitalised inside the question, or written in capitals) or a number: what the question is about.
   * An article lacking it does not answer.
   */
  salient: 'name' | 'number' | null;
}

export interface AnalyzedQuestion {
  text: string;
  language: QuestionLanguage;
  words: QueryWord[];
  cue: AnswerCue;
  /** For `count` and `instance`: index terms of the noun asked about (« combien de *clients* », « quel *modèle* »). */
  cueNoun: string[];
}

/** Words that name the kind of answer rather than its subject; the quote answers them with a value, not the word. */
const CUE_WORD = new RegExp(
  '^(?:delais?|durees?|pourcentages?|proportions?|taux|dates?|annees?|jours?|heures?|montants?' +
    String.raw`|tarifs?|prix|cout\p{L}*|payer|payants?|payee?s?|argent|saisons?|moment|periodes?|delay|duration` +
    String.raw`|percentage|year|day|time|amount|price|cost\p{L}*)$`,
  'u',
);

/** With a bare « combien » (no « de N »), a verb of buying or selling, or « à combien », asks for a price. */
const PRICE_VERBS = new RegExp(
  String.raw`(?<!\p{L})(?:(?<!y )a combien|vend\p{L}*|achet\p{L}*|achat|lou(?:e|es|ent|er|ee?s?)|gagn\p{L}*` +
    String.raw`|rapport\p{L}*|depens\p{L}*|investi\p{L}*|earn\p{L}*|spen[dt]\p{L}*|sold|sell\p{L}*|buy` +
    String.raw`|bought)(?!\p{L})`,
  'u',
);

const PRICE_WORDS = new RegExp(
  String.raw`(?<!\p{L})(?:prix|cout\p{L}*|tarifs?|payer|paye|payent|payants?|argent|euros?|dollars?|cher` +
    String.raw`|chere|montant|facture|price|prices|cost\p{L}*|how much (?:is|was|does|did|do|for` +
    String.raw`|will))(?!\p{L})`,
  'u',
);

/** First match wins: the more specific kinds come first. Patterns run on the folded, normalised question. */
const CUES: readonly [RegExp, Exclude<AnswerCue, null>][] = [
  [
    new RegExp(
      String.raw`(?<!\p{L})(?:delais?|duree|age|how old|combien de temps|pendant combien|en combien de (?:temps` +
        String.raw`|jours|mois|annees)|how long|delay|duration)(?!\p{L})`,
      'u',
    ),
    'duration',
  ],
  [
    /(?<!\p{L})(?:a quel(?:le)? heure|quelle? heure|vers quel(?:le)? heure|what time|a partir de quand)(?!\p{L})/u,
    'time',
  ],
  [/(?<!\p{L})(?:quel(?:le)? annee|en quel(?:le)? annee|what year|which year)(?!\p{L})/u, 'year'],
  [
    /(?<!\p{L})(?:quel jour|quel(?:le)? date|a quel(?:le)? date|which day|what day|what date|on what date)(?!\p{L})/u,
    'day',
  ],
  [
    new RegExp(
      String.raw`(?<!\p{L})(?:quand|depuis quand|jusqu'a quand|a quel moment|quel(?:le)? periode|quel(?:le)? ` +
        String.raw`saison|when|since when)(?!\p{L})`,
      'u',
    ),
    'date',
  ],
  [
    /(?<!\p{L})(?:pourcentage|proportion|taux|quel(?:le)? part|percentage|what share|pour ?cent|percent)(?!\p{L})|%/u,
    'percent',
  ],
  [/(?<!\p{L})(?:combien d(?:e |'| )|how many|quel nombre|le nombre d|what number of)/u, 'count'],
  [/(?<!\p{L})(?:combien|how much|quel montant|quel prix)(?!\p{L})/u, 'quantity'],
  [
    new RegExp(
      String.raw`(?<!\p{L})(?:where|quel(?:le)? ville|quel(?:le)? commune|quel(?:le)? region|quel pays|dans ` +
        String.raw`quel(?:le)? (?:ville|commune|region)|which city|which country)(?!\p{L})`,
      'u',
    ),
    'place',
  ],
  [/(?<!\p{L})(?:qui|who|whom|c'est qui)(?!\p{L})/u, 'person'],
  [/(?<!\p{L})(?:pourquoi|pour quelle raison|why|a cause de quoi|comment ca se fait)(?!\p{L})/u, 'cause'],
  [/(?<!\p{L})(?:comment|how|de quelle (?:maniere|facon))(?!\p{L})/u, 'manner'],
  [/(?<!\p{L})(?:quel|quelle|quels|quelles|lequel|laquelle|which|what)(?!\p{L})/u, 'instance'],
];

/** Longest request read as keywords. */
const KEYWORDS_MAX_WORDS = 6;
/** Words that, in keywords without a question word, name the kind of answer wanted. */
const KEYWORD_CUES: readonly [RegExp, Exclude<AnswerCue, null>][] = [
  [/(?<!\p{L})(?:dates?|date de sortie|release date)(?!\p{L})/u, 'date'],
  [/(?<!\p{L})(?:annees?|year)(?!\p{L})/u, 'year'],
  [/(?<!\p{L})(?:heure|horaire)(?!\p{L})/u, 'time'],
  [/(?<!\p{L})(?:durees?|delais?|duration)(?!\p{L})/u, 'duration'],
  [/(?<!\p{L})(?:pourcentage|taux|percentage)(?!\p{L})/u, 'percent'],
];

/** Words after which the next word is the noun asked about. */
const NOUN_AFTER = new RegExp(
  String.raw`(?<!\p{L})(?:combien d(?:e |'| )|how many |quels? |quelles? |which |what )(?:(?:est|etait|sont` +
    String.raw`|etaient|sera|serait|a|ont|le|la|les|un|une|des|du|de) |[ld]['\s])*(\p{L}[\p{L}\p{N}-]*)`,
  'u',
);
/** « où » keeps its accent apart from « ou » (or); typed without it, only at the start of the question. */
const WHERE = /(?<!\p{L})(?:où|d['’]où)(?!\p{L})|^\s*ou(?!\p{L})/iu;

/**
 * Language of a question. franc alone is unreliable on a few words, so function words vote first
 * (`the`, `did` against `le`, `est`); franc, restricted to French and English, breaks ties; French by default.
 */
export function detectQuestionLanguage(text: string): QuestionLanguage {
  let en = 0;
  let fr = 0;
  for (const m of text.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    const translation = ENGLISH_TO_FRENCH.get(w);
    const isEn =
      isEnglishStopWord(w) ||
      (translation !== undefined && !isFrenchStopWord(w) && translation.length > 0 && translation[0] !== w);
    const isFr = isFrenchStopWord(w) || INFORMAL.has(lexiconKey(w));
    if (isEn && !isFr) en++;
    if (isFr && !isEn) fr++;
  }
  if (en !== fr) return en > fr ? 'eng' : 'fra';
  return franc(text, { only: ['fra', 'eng'], minLength: 10 }) === 'eng' ? 'eng' : 'fra';
}

interface RawWord {
  surface: string;
  key: string;
  /** Starts the question or a sentence of it: a capital there says nothing. */
  initial: boolean;
}

/** The question's words, polite phrases and fillers left out. */
/** Discord mentions (users, roles, channels, @everyone): who is pinged, never what is asked. */
const MENTION = /<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/gu;

function contentWords(question: string): RawWord[] {
  const text = question.replace(MENTION, ' ');
  const words: RawWord[] = [];
  for (const m of text.matchAll(WORD)) {
    const before = text.slice(0, m.index).trimEnd();
    words.push({ surface: m[0], key: lexiconKey(m[0]), initial: before === '' || /[.!?:;«"“(]$/u.test(before) });
  }
  const drop = new Array<boolean>(words.length).fill(false);
  for (const phrase of POLITE_PHRASES) {
    const parts = [...phrase.matchAll(WORD)].map((m) => m[0]);
    for (let i = 0; i + parts.length <= words.length; i++) {
      if (parts.every((p, k) => words[i + k]!.key === p)) for (let k = 0; k < parts.length; k++) drop[i + k] = true;
    }
  }
  words.forEach((w, i) => {
    if (POLITE_WORDS.has(w.key)) drop[i] = true;
  });
  return words.filter((_, i) => !drop[i]);
}

function isName(word: RawWord): boolean {
  const s = word.surface;
  if (/\p{N}/u.test(s) || s.length < 2) return false;
  if (/^\p{Lu}{2,}$/u.test(s)) return true; // SFR, OVH
  return /^\p{Lu}/u.test(s) && !word.initial;
}

export function analyzeQuestion(text: string): AnalyzedQuestion {
  const language = detectQuestionLanguage(text);
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  /** The question with informal forms spelt out, folded: what the answer-kind patterns read. */
  const normalised: string[] = [];
  for (const raw of contentWords(text)) {
    const lower = raw.surface.toLowerCase();
    if (language === 'eng' && isEnglishStopWord(lower)) {
      normalised.push(raw.key);
      continue;
    }
    const informal = language === 'fra' ? INFORMAL.get(raw.key) : undefined;
    const translation = language === 'eng' ? ENGLISH_TO_FRENCH.get(lower) : undefined;
    const stands = informal !== undefined ? [informal] : translation;
    normalised.push(informal !== undefined ? lexiconKey(informal) : raw.key);
    let terms: string[];
    if (stands !== undefined) {
      terms = [];
      for (const phrase of stands) {
        for (const w of phrase.matchAll(WORD))
          for (const t of termsOfWord(w[0], 'query')) if (!terms.includes(t)) terms.push(t);
      }
      // An English word that is also French or a name (« Orange », « Netflix ») keeps its own terms.
      if (translation !== undefined)
        for (const t of termsOfWord(raw.surface, 'query'))
          if (!terms.includes(t) && !isEnglishStopWord(lower)) terms.push(t);
    } else {
      terms = [...termsOfWord(raw.surface, 'query')];
    }
    if (terms.length === 0) continue;
    const key = terms.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    // A model code (« P40 », « S20 ») is a name: it is written only one way, where a number may be spelled out.
    // A unit or formula (« m2 », « m² », « CO2 », « H2 ») is not: a capital first and two digits or more.
    const salient = /^\p{Lu}\p{L}*\p{Nd}{2,}/u.test(raw.surface)
      ? 'name'
      : /\p{N}/u.test(raw.surface) || /^\p{N}+$/u.test(terms[0]!)
        ? 'number'
        : isName(raw) && stands === undefined
          ? 'name'
          : null;
    words.push({ surface: raw.surface, terms, cueWord: CUE_WORD.test(fold(lower)), salient });
  }
  const folded = ` ${normalised.join(' ')} `.replace(/\s+/gu, ' ');
  const withPercent = text.includes('%') ? `${folded} %` : folded;
  let cue: AnswerCue = null;
  for (const [pattern, c] of CUES) {
    if (c === 'place' && WHERE.test(text) && cue === null) {
      cue = 'place';
      break;
    }
    if (pattern.test(withPercent)) {
      cue = c;
      break;
    }
  }
  // Keywords without a question word (« tweet date », « sortie année »): a word naming a kind of answer asks for
  // it, as typed (not a word the lexicons put in its place). A price is left out: « hausse tarifs » asks for more.
  const typed = fold(text.toLowerCase());
  // Keywords only: a short request without a question mark (« Does it still apply after the first year? » asks yes or
  // no).
  const keywords = !text.includes('?') && words.length <= KEYWORDS_MAX_WORDS;
  if (cue === null && keywords) cue = KEYWORD_CUES.find(([pattern]) => pattern.test(typed))?.[1] ?? null;
  let cueNoun: string[] = [];
  if (cue === 'count' || cue === 'instance' || cue === 'quantity') {
    const noun = NOUN_AFTER.exec(folded)?.[1];
    if (noun) cueNoun = [...termsOfWord(noun, 'query')];
    // « combien de thunes », « combien d'euros », « combien ça coûte »: a price, not a count.
    if (
      PRICE_WORDS.test(cue === 'quantity' ? folded : (noun ?? '')) ||
      (cue === 'quantity' && PRICE_VERBS.test(folded)) ||
      (cue === 'count' && noun !== undefined && PRICE_WORDS.test(noun))
    )
      cue = 'price';
  }
  if (cue === 'instance' && PRICE_WORDS.test(folded)) cue = 'price';
  return { text, language, words, cue, cueNoun };
}
