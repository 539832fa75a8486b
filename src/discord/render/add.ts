import { count, guillemets, NNBSP } from '../../wording/index.js';
import { escapeForDiscord, shorten } from './escape.js';
import { body, fitLines, safeLink, TITLE_MAX, type MessageBody } from './message.js';

/** What /ajouter saved. */
export interface AddedSeed {
  title: string;
  file: string;
  paragraphs: number;
  url: string | null;
}

/** The /ajouter report: the article saved (title, file, paragraphs, address), then the rebuild's own report. */
export function renderAddReport(added: AddedSeed, rebuild: string): MessageBody {
  const link = safeLink(added.url);
  const lines = [
    `📥 Article ajouté${NNBSP}: ${guillemets(`*${escapeForDiscord(shorten(added.title, TITLE_MAX))}*`)} ` +
      `(\`${added.file.replace(/`/gu, 'ˋ')}\`, ${count(added.paragraphs, 'paragraphe')})`,
    // The address in angle brackets: shown, never unfurled.
    ...(link ? [`Source${NNBSP}: <${link}>`] : []),
    ...rebuild.split('\n'),
  ];
  return body(fitLines(lines));
}
