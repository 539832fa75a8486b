import type { AnswerCue } from '../language/index.js';

/**
 * Whether a sentence holds the kind of answer a question asks for. Pure pattern checks on the sentence as written:
 * a date of the precision asked, a price for a price, a number of things for « combien de », a name for « qui »,
 * a place for « où », a cause for « pourquoi ». They rank sentences; they never rewrite them.
 */

const MONTH =
  '(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre' +
  '|novembre|d[ée]cembre|janv\\.|f[ée]vr\\.|sept\\.|oct\\.|nov\\.|d[ée]c\\.|january' +
  '|february|march|april|may|june|july|august|september|october|november|december)';
const WEEKDAY = '(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)';
/** Number words; « un » and « une » are left out, being articles far more often than numbers. */
const NUMBER_WORD =
  '(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente' +
  '|quarante|cinquante|soixante|cent|mille)';

const YEAR = /(?<!\p{N})(?:19\d\d|20\d\d)(?!\p{N})/u;
/** A day: a date with its day of the month, or a weekday with one (« jeudi prochain » is too vague to answer). */
const DAY = new RegExp(
  `(?<!\\p{L})(?:\\p{N}{1,2}(?:er)?\\s+${MONTH}|${WEEKDAY}\\s+\\p{N}{1,2})(?!\\p{L})|\\p{N}{1,2}/\\p{N}{1,2}`,
  'iu',
);
const DATE = new RegExp(
  `${YEAR.source}|(?<!\\p{L})(?:${MONTH}|printemps|(?:l['’]|cet |en |d['’])été` +
    `|automne|hiver|prochainement|bientôt|(?:fin|d[ée]but)(?: du mois| de l['’]année` +
    `| d['’]année| de semaine| de l['’]été|\\s+${MONTH}|\\s+(?:19|20)\\d\\d)` +
    `|mi-\\p{L}+|semaine prochaine|mois prochain|avant l['’]été|cette année|l['’]an ` +
    `prochain)(?!\\p{L})`,
  'iu',
);
/** A weekday or « hier » answers « quand » only vaguely: a sentence with a real date ranks first. */
const VAGUE_DATE = new RegExp(
  `(?<!\\p{L})(?:${WEEKDAY}|hier|demain|aujourd['’]hui|ce (?:matin|soir)|cette nuit)(?!\\p{L})`,
  'iu',
);
/** How well a vague answer of the kind asked for counts, against 1 for a precise one. */
export const VAGUE_STRENGTH = 0.5;
const TIME =
  /(?<!\p{L})(?:\p{N}{1,2}\s?h(?:\s?\p{N}{2})?|\p{N}{1,2}\s+heures?|midi|minuit|matin|soir|nuit|après-midi)(?!\p{L})/iu;
const DURATION = new RegExp(
  `(?:\\p{N}+|(?<!\\p{L})${NUMBER_WORD}|(?<!\\p{L})quelques` +
    `|(?<!\\p{L})plusieurs)\\s+(?:\\p{L}+\\s+)?(?:secondes?|minutes?|heures?|jours?` +
    `|semaines?|mois|ans|années?|trimestres?)(?!\\p{L})|(?<!\\p{L})(?:à vie|pendant` +
    `|durant|jusqu['’](?:à|au|en))(?!\\p{L})`,
  'iu',
);
const PRICE = new RegExp(
  String.raw`\p{N}\s?(?:€|euros?|eur|dollars?|\$|£|livres?|francs?|centimes?|millions? d['’]euros|milliards? ` +
    String.raw`d['’]euros)(?!\p{L})|[$£€]\s?\p{N}|(?<!\p{L})(?:gratuite?s?|gratuitement|offerte?s?)(?!\p{L})`,
  'iu',
);
const PERCENT = /\p{N}\s?%|(?<!\p{L})pour ?cents?(?!\p{L})|(?<!\p{L})(?:moitié|tiers|quart)(?!\p{L})/iu;
const QUANTITY = new RegExp(
  `\\p{N}|(?<!\\p{L})(?:millier|million|milliard|moiti[ée]|tiers|quart|douzaine` +
    `|centaine|dizaine|${NUMBER_WORD})s?(?!\\p{L})`,
  'iu',
);
/** A number of things: a number that is not a price, a percentage or a year on its own. */
const COUNT = new RegExp(
  `(?:\\p{N}[\\p{N}\\s.,]*|(?<!\\p{L})${NUMBER_WORD}|(?<!\\p{L})(?:des |un |une ` +
    `)?(?:milliers?|millions|centaines|dizaines))\\s*(?:millions?|milliards?` +
    `|millier)?\\s*(?:d['’]|de\\s+)?\\p{L}`,
  'iu',
);
/** A capitalised word that does not start the sentence, or a handle: candidates for a name. */
// The whole word, digits included: « SBG2 » is one name, not « SBG ».
const NAME_CANDIDATE = /(?<=\S\s+)\p{Lu}[\p{L}\p{M}\p{N}-]*[\p{L}\p{N}](?![\p{L}\p{N}])|@\w+/gu;
/** Role words that name a person when the name itself is the question's (« l'ancien patron d'Orange »). */
const ROLE = new RegExp(
  String.raw`(?<!\p{L})(?:patron|patronne|pdg|président|présidente|directeur|directrice|fondateur|fondatrice` +
    String.raw`|ministre|porte-parole|dirigeant|dirigeante|responsable|analyste|PDG|CEO)(?!\p{L})`,
  'u',
);
const PLACE = new RegExp(
  String.raw`(?<!\p{L})(?:à|en|au|aux|dans|près de|sur le site de|de)\s+(?:l['’])?\p{Lu}|(?<!\p{L})(?:ville` +
    String.raw`|commune|région|département|pays|site|usine|siège|boutique|magasin|centre)(?!\p{L})`,
  'u',
);
// A sentence or a fine is given « pour » something: its cause.
const CAUSE = new RegExp(
  String.raw`(?<!\p{L})(?:car|parce qu|en raison|à cause|suite à|faute de|dûe? à|due à|raisons?|afin de` +
    String.raw`|puisqu|pour cause|à l['’]origine|lié(?:e|s)? à|provoqu\p{L}*|causé\p{L}*|explique\p{L}*` +
    String.raw`|s['’]expliqu\p{L}*|reproch\p{L}*|accus\p{L}*|en cause|à la suite|après (?:la|le|l['’]|une?)` +
    String.raw`|grâce à|pour (?:ne pas|éviter|permettre))(?!\p{L})|(?<!\p{L})(?:condamn|sanctionn|poursuivi` +
    String.raw`|inculp|licenci|puni|verbalis|amend)\p{L}*(?:\s+[\p{L}'’]+){0,4}?\s+pour(?!\p{L})` +
    String.raw`|(?<!\p{L})coupables? d`,
  'iu',
);
const MANNER = new RegExp(
  String.raw`(?<!\p{L})(?:il suffit|suffit de|en (?:\p{L}+ant)|grâce à|via|par le biais|puis|d['’]abord` +
    String.raw`|ensuite|étapes?|permet(?:tant|tra)?|consiste|avec|en passant par|à l['’]aide)(?!\p{L})|:`,
  'iu',
);
const INSTANCE_MARK = /\p{N}|#\w+|[«“"]/u;

/** Values that hold a number without counting things, removed before looking for a count. */
const NOT_COUNTS: readonly RegExp[] = [PRICE, DAY, YEAR, TIME, PERCENT].map(
  // The whole number goes with it: « 349 € » must not leave « 34 » behind.
  (re) => new RegExp(`(?:\\p{N}[\\p{N}\\s.,]*)?(?:${re.source})[\\p{N}.,]*`, `${re.flags}g`),
);

const PATTERNS: Record<Exclude<AnswerCue, null>, RegExp> = {
  duration: DURATION,
  time: TIME,
  year: YEAR,
  day: DAY,
  date: DATE,
  percent: PERCENT,
  price: PRICE,
  count: COUNT,
  quantity: QUANTITY,
  person: ROLE,
  place: PLACE,
  cause: CAUSE,
  manner: MANNER,
  instance: INSTANCE_MARK,
};

/** Whether a sentence names something the question does not: a person, an organisation, a place, a model. */
function namesSomethingNew(sentence: string, isQuestionWord: (word: string) => boolean, person = false): boolean {
  for (const m of sentence.matchAll(NAME_CANDIDATE)) {
    // A name with digits (« SBG1 », « P40 ») is a thing's, never a person's or an organisation's answer to « qui ».
    if (person && /\p{N}/u.test(m[0])) continue;
    if (!isQuestionWord(m[0])) return true;
  }
  return false;
}

/**
 * How well `sentence` holds the kind of answer asked for: 1, `VAGUE_STRENGTH` for a vague date or a role without a
 * name, or 0.
 */
export function cueStrength(
  cue: AnswerCue,
  sentence: string,
  isQuestionWord: (word: string) => boolean = () => false,
): number {
  if (cue === 'person') {
    // A role alone (« le fondateur d'OVHcloud ») answers « qui » less well than a name.
    if (namesSomethingNew(sentence, isQuestionWord, true)) return 1;
    return ROLE.test(sentence) ? VAGUE_STRENGTH : 0;
  }
  if (meetsCue(cue, sentence, isQuestionWord)) return 1;
  return cue === 'date' && VAGUE_DATE.test(sentence) ? VAGUE_STRENGTH : 0;
}

/**
 * Whether `sentence` holds the kind of answer asked for (always true when the question asks for none).
 * `isQuestionWord` tells a name the question already gives from a new one (the answer to « qui »).
 */
export function meetsCue(
  cue: AnswerCue,
  sentence: string,
  isQuestionWord: (word: string) => boolean = () => false,
): boolean {
  if (cue === null) return true;
  if (cue === 'person' || cue === 'instance' || cue === 'place') {
    if (namesSomethingNew(sentence, isQuestionWord, cue === 'person')) return true;
  }
  // A number of things is not a price, a date, a year, a time or a percentage (« le 18 juin », « 49,99 € »).
  if (cue === 'count') return COUNT.test(NOT_COUNTS.reduce((rest, re) => rest.replace(re, ' '), sentence));
  return PATTERNS[cue].test(sentence);
}

/** « pourquoi » and « comment » answers often run on into the next sentence. */
export function runsOn(cue: AnswerCue): boolean {
  return cue === 'cause' || cue === 'manner';
}
