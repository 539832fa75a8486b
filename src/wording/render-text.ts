import type { Span } from '../corpus/index.js';
import { cutQuestion, type Answer } from '../answer/index.js';
import {
  attributionParts,
  emptyQuestionText,
  guillemets,
  hedgedText,
  NNBSP,
  noAnswerText,
  questionCutText,
} from './french-format.js';
import { count } from './numbers.js';

/** Wraps the highlighted spans of `text`, leaving everything else as is. `plain` transforms the text between them. */
export function markSpans(
  text: string,
  spans: readonly Span[],
  mark: (s: string) => string,
  plain: (s: string) => string = (s) => s,
): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at || s.end > text.length || s.end <= s.start) continue;
    out += plain(text.slice(at, s.start)) + mark(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + plain(text.slice(at));
}

/**
 * The answer as the terminal shows it: the same content the bot posts, without Discord markup. `bold` marks the
 * matched words (the terminal's bold on a TTY; nothing at all otherwise).
 */
export function renderAnswerText(answer: Answer, bold: (s: string) => string = (s) => s): string {
  if (answer.emptyQuestion) return emptyQuestionText(answer.exampleQuestion);
  const scope = answer.topic ? `sujet ${answer.topic}, ` : '';
  const asked = answer.questionCut ? `${cutQuestion(answer.question).text} …` : answer.question;
  const lines = [`Question${NNBSP}: ${asked}  (${scope}${count(answer.articlesSearched, 'article consulté')})`, ''];
  if (answer.questionCut) lines.push(questionCutText(), '');
  if (!answer.answered) return [...lines, noAnswerText(answer, (t) => `--topic ${t}`)].join('\n');
  if (answer.hedged) lines.push(hedgedText(answer.results.length), '');
  answer.results.forEach((r, i) => {
    const quote = `${r.cutBefore ? '… ' : ''}${markSpans(r.quote, r.highlights, bold)}${r.cutAfter ? ' …' : ''}`;
    const { title, details } = attributionParts(r);
    lines.push(`${i + 1}. ${guillemets(quote)}`);
    lines.push(`   — ${guillemets(title)}, ${details.join(', ')} [${r.article}]`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}
