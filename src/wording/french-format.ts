import { MAX_QUESTION_CHARS, type Answer, type AnswerResult } from '../answer/index.js';
import { agree, formatNumber } from './numbers.js';

/**
 * French wording shared by every face of the bot (terminal and Discord): dates, attributions, the no-answer text.
 * Typography: « guillemets » with non-breaking spaces, a narrow no-break space before ? ! : ;
 */
const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
export const NBSP = '\u00a0';
export const NNBSP = '\u202f';

/** `2020-10` → `octobre 2020`; `2020-10-05` → `5 octobre 2020`; `2020` → `2020`. */
export function formatDateFr(date: string | null): string | null {
  if (!date) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!m) return date;
  const month = m[2] ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!month) return m[1]!;
  const day = m[3] ? Number(m[3]) : null;
  return day ? `${day === 1 ? '1er' : day} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

export function guillemets(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

/** Parts of a citation, in order, without markup: title, publisher, date, paragraph. */
export function attributionParts(r: Pick<AnswerResult, 'title' | 'source' | 'date' | 'paragraph' | 'kind'>): {
  title: string;
  details: string[];
} {
  const details: string[] = [];
  if (r.kind === 'comment') details.push('commentaire d’un lecteur sous l’article');
  if (r.source) details.push(r.source);
  const date = formatDateFr(r.date);
  if (date) details.push(date);
  details.push(r.kind === 'comment' ? `commentaire ${r.paragraph}` : `paragraphe ${r.paragraph}`);
  return { title: r.title, details };
}

/** The sentence that says no passage answers, naming the unmatched words and the topics that do answer. */
export function noAnswerText(
  answer: Answer,
  topicCommand: (name: string) => string = (n) => `/${n}`,
  userText: (s: string) => string = (s) => s,
): string {
  const scope = answer.topic ? ` du sujet ${answer.topic}` : '';
  const n = answer.articlesSearched;
  const lines = [
    n === 0
      ? `Je n’ai trouvé aucun passage qui réponde à cette question${NNBSP}: il n’y a aucun article${scope} à consulter.`
      : `Je n’ai trouvé aucun passage qui réponde à cette question ` +
        `dans ${n === 1 ? 'le seul article' : `les ${formatNumber(n)} articles`}${scope}.`,
  ];
  // With no article at all, every word is unmatched: saying so again tells nothing.
  if (n > 0 && answer.unmatched.length > 0) {
    const words = answer.unmatched.map((w) => guillemets(userText(w))).join(', ');
    const subject = agree(answer.unmatched.length, 'Ce mot n’apparaît', 'Ces mots n’apparaissent');
    lines.push(`${subject} ${n === 1 ? 'pas dans cet article' : 'dans aucun d’eux'}${NNBSP}: ${words}.`);
  }
  const others = answer.alsoAnsweredIn.length;
  if (others > 0) {
    lines.push(
      `Essayez plutôt ${answer.alsoAnsweredIn.map(topicCommand).join(' ou ')}${NNBSP}: ` +
        `${agree(others, 'ce sujet a', 'ces sujets ont')} une réponse.`,
    );
  }
  return lines.join('\n');
}

/** The answer to a question with no word in it (empty, punctuation or emoji only), with an example when known. */
export function emptyQuestionText(example: string | null): string {
  const words = `Votre question est vide${NNBSP}: écrivez quelques mots`;
  return example === null ? `${words}.` : `${words}, par exemple ${guillemets(frenchSpacing(example))}.`;
}

/** A narrow no-break space before ? ! : ; where a topics file wrote a plain space or none. */
export function frenchSpacing(text: string): string {
  return text.replace(/[ \u00a0]?([?!:;])(?=\s|$)/gu, `${NNBSP}$1`);
}

/** Said when only the beginning of a long question was read. */
export function questionCutText(): string {
  return `Question trop longue${NNBSP}: seuls les ${formatNumber(MAX_QUESTION_CHARS)} premiers caractères ont été lus.`;
}

/** Said before the quote(s) of an answer that is not sure. */
export function hedgedText(quotes: number): string {
  return (
    `Je ne suis pas sûr de la réponse… ` +
    `voici ${agree(quotes, 'le passage le plus proche', 'les passages les plus proches')}${NNBSP}:`
  );
}
