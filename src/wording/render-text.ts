import type { Span } from '../corpus/types.js';
import type { Answer } from '../answer/index.js';
import { articlesCount, attributionParts, guillemets, noAnswerText } from './french-format.js';

/** Wraps the highlighted spans of `text`, leaving everything else as is. `plain` transforms the text between them. */
export function markSpans(text: string, spans: readonly Span[], mark: (s: string) => string, plain: (s: string) => string = (s) => s): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at || s.end > text.length || s.end <= s.start) continue;
    out += plain(text.slice(at, s.start)) + mark(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + plain(text.slice(at));
}

/** The answer as the terminal shows it: the same content the bot posts, without Discord markup. */
export function renderAnswerText(answer: Answer, bold: (s: string) => string): string {
  const scope = answer.topic ? `sujet ${answer.topic}, ` : '';
  const lines = [`Question${'\u202f'}: ${answer.question}  (${scope}${articlesCount(answer.articlesSearched)} consultés)`, ''];
  if (!answer.answered) return [...lines, noAnswerText(answer)].join('\n');
  answer.results.forEach((r, i) => {
    const quote = `${r.cutBefore ? '… ' : ''}${markSpans(r.quote, r.highlights, bold)}${r.cutAfter ? ' …' : ''}`;
    const { title, details } = attributionParts(r);
    lines.push(`${i + 1}. ${guillemets(quote)}`);
    lines.push(`   — ${guillemets(title)}, ${details.join(', ')} [${r.article}]`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}
