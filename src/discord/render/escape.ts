import { escapeMarkdown } from 'discord.js';
import { sliceWhole } from '../../lib/index.js';

const ZWSP = '\u200b';

/**
 * Article or user text made inert in a Discord message: markdown is escaped (so a quote cannot break the layout)
 * and mention syntax is broken with a zero-width space, so it neither pings (allowed_mentions does that too) nor
 * renders as a mention. Only invisible characters and backslashes are added: the text reads the same.
 */
export function escapeForDiscord(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  return breakMentions(escaped.replace(/^(\s*)>/gmu, '$1\\>'));
}

/** Breaks @everyone, @here and <@id> / <@&role> / <#channel> / </command> syntax with a zero-width space. */
export function breakMentions(text: string): string {
  return text.replace(/@(everyone|here)/giu, `@${ZWSP}$1`).replace(/<(@[!&]?|#|\/)/gu, `<${ZWSP}$1`);
}

/** Undoes breakMentions: the text as it was typed, for a question read back from a message. */
export function unbreakMentions(text: string): string {
  return text.replace(/@\u200b(everyone|here)/giu, '@$1').replace(/<\u200b(@[!&]?|#|\/)/gu, '<$1');
}

/**
 * Cuts `text` to at most `max` characters (titles, questions; never quotes): after a whole sentence when one ends
 * in the second half, otherwise at a word boundary with an ellipsis that replaces the punctuation there (never
 * « doute.… » nor « …… »).
 */
export function shorten(text: string, max: number): string {
  // No-break spaces stay: French typography puts them before ? ! : and inside « ».
  const flat = text.replace(/[^\S\u00a0\u202f]+/gu, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = sliceWhole(flat, max - 1);
  // The last sentence end within `max` characters, the character after it (a space) past the cut included.
  let end = 0;
  for (const m of sliceWhole(flat, max + 2).matchAll(/[.!?…»](?= \p{Lu}|\s*«)/gu)) if (m.index < max) end = m.index + 1;
  if (end > max / 2) return flat.slice(0, end);
  const space = cut.lastIndexOf(' ');
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s.,;:!?…·—–-]+$/u, '')}…`;
}
