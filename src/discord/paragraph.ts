import type { ButtonHandler } from './context.js';
import { body, renderParagraph } from './render/index.js';
import { sendReply } from './safe-reply.js';

/** « Paragraphe complet »: the whole paragraph the quote comes from, privately. */
export const showParagraph: ButtonHandler<'para'> = async (interaction, ctx, action) => {
  const { corpus } = ctx.holder.current;
  const articleIndex = corpus.articles.findIndex((a) => a.hash.startsWith(action.article));
  const passages = corpus.passages.filter(
    (p) => p.article === articleIndex && p.paragraph === action.paragraph && (p.kind === 'comment') === action.comment,
  );
  const article = corpus.articles[articleIndex];
  if (!article || passages.length === 0) {
    const gone = 'Ce paragraphe n’est plus dans l’index (l’article a été modifié ou retiré).';
    return sendReply(interaction, body(gone), true);
  }
  const text = article.text.slice(passages[0]!.start, passages[passages.length - 1]!.end);
  const { title, source, date, url } = article;
  const kind = action.comment ? 'comment' : 'article';
  const shown = renderParagraph({ title, source, date, url, paragraph: action.paragraph, kind }, text);
  await sendReply(interaction, shown, true);
};
