import type { Answer, AnswerResult } from '../answer/index.js';

/**
 * French wording shared by every face of the bot (terminal and Discord): dates, attributions, the no-answer text.
 * Typography: « guillemets » with non-breaking spaces, a narrow no-break space before ? ! : ;
 */
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
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

export function articlesCount(n: number): string {
  return n === 1 ? '1 article' : `${n} articles`;
}

/** The sentence that says no passage answers, naming the unmatched words and the topics that do answer. */
export function noAnswerText(
  answer: Answer,
  topicCommand: (name: string) => string = (n) => `/${n}`,
  userText: (s: string) => string = (s) => s,
): string {
  const scope = answer.topic ? ` du sujet ${answer.topic}` : '';
  const lines = [`Je n’ai trouvé aucun passage qui réponde à cette question dans les ${articlesCount(answer.articlesSearched)}${scope}.`];
  if (answer.unmatched.length > 0) {
    const words = answer.unmatched.map((w) => guillemets(userText(w))).join(', ');
    lines.push(answer.unmatched.length === 1 ? `Ce mot n’apparaît dans aucun d’eux${NNBSP}: ${words}.` : `Ces mots n’apparaissent dans aucun d’eux${NNBSP}: ${words}.`);
  }
  if (answer.alsoAnsweredIn.length > 0) {
    lines.push(`Essayez plutôt ${answer.alsoAnsweredIn.map(topicCommand).join(' ou ')}${NNBSP}: ce sujet a une réponse.`);
  }
  return lines.join('\n');
}
