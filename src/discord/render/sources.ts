import { ComponentType } from 'discord.js';
import type { ArticleSummary } from '../../index/index.js';
import { count, formatDateFr as formatDate, guillemets, NNBSP } from '../../wording/index.js';
import { encodeButton } from '../custom-ids.js';
import { escapeForDiscord, shorten } from './escape.js';
import { body, button, fitLines, safeLink, TITLE_MAX, type MessageBody } from './message.js';

export const SOURCES_PER_PAGE = 8;

/**
 * One page of /sources: the indexed articles (of a topic), each title a link to the article when its seed has an
 * http(s) ` url`, with « Précédent » and « Suivant » when there are more.
 */
export function renderSources(articles: readonly ArticleSummary[], topic: string | null, page: number): MessageBody {
  const pages = Math.max(1, Math.ceil(articles.length / SOURCES_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const scope = topic ? `du sujet ${escapeForDiscord(topic)}` : 'indexés';
  const lines = [`**Articles ${scope}${NNBSP}: ${articles.length}**${pages > 1 ? ` — page ${p + 1}/${pages}` : ''}`];
  articles.slice(p * SOURCES_PER_PAGE, (p + 1) * SOURCES_PER_PAGE).forEach((a, i) => {
    const topics = a.topics.length ? `sujets${NNBSP}: ${a.topics.join(', ')}` : null;
    const details = [a.source, formatDate(a.date), count(a.passages, 'passage'), topics].filter(Boolean);
    const shownTitle = `*${escapeForDiscord(shorten(a.title, TITLE_MAX))}*`;
    // The title links to the article; the angle brackets (and SuppressEmbeds on the reply) keep it from unfurling.
    const link = safeLink(a.url);
    const title = guillemets(link ? `[${shownTitle}](<${link}>)` : shownTitle);
    const shown = details.map((d) => escapeForDiscord(String(d))).join(' · ');
    lines.push(`${p * SOURCES_PER_PAGE + i + 1}. ${title} — ${shown}`);
  });
  if (articles.length === 0) lines.push('Aucun article pour l’instant.');
  const components: MessageBody['components'] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              { ...button('◀ Précédent', encodeButton({ kind: 'src', topic, page: p - 1 })), disabled: p === 0 },
              { ...button('Suivant ▶', encodeButton({ kind: 'src', topic, page: p + 1 })), disabled: p >= pages - 1 },
            ],
          },
        ]
      : [];
  return body(fitLines(lines), components);
}
