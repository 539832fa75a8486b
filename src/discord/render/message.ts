import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';

/** Discord's limits on what the bot sends, enforced by construction (checked by the tests and the fake Discord). */
export const LIMITS = { content: 2000, choices: 25, choice: 100, customId: 100, buttonsPerRow: 5 };

/**
 * A message body as the bot sends it: never any mention parsed, unless a user is explicitly allowed. Flags
 * (ephemeral, no embeds) are set where it is sent (safe-reply.ts).
 */
export interface MessageBody {
  content: string;
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: []; users?: string[] };
}

/** Article titles are cut to this in answers and lists. */
export const TITLE_MAX = 120;

export function body(content: string, components: MessageBody['components'] = [], users: string[] = []): MessageBody {
  return {
    content,
    components,
    allowedMentions: users.length > 0 ? { parse: [], users } : { parse: [] },
  };
}

export function button(
  label: string,
  customId: string,
  style: ButtonStyle.Secondary | ButtonStyle.Primary | ButtonStyle.Success | ButtonStyle.Danger = ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: customId };
}

/** Discord refuses a link button whose URL is longer than this (the whole message fails). */
const MAX_LINK_URL = 512;

/**
 * An article's ` url` header as a link Discord accepts and a reader can trust: http or https only (never
 * `javascript:` or a file), within 512 characters, normalized. Null otherwise: the reply then has no link.
 */
export function safeLink(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url.trim());
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
    return u.href.length <= MAX_LINK_URL ? u.href : null;
  } catch {
    return null;
  }
}

/** A button that opens a web page (no custom id: Discord opens it, the bot is not called). */
export function linkButton(label: string, url: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Link, label, url };
}

/** Joins lines, cutting at a line when over the limit. */
export function fitLines(lines: string[]): string {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > LIMITS.content - 2) return `${text}\n…`;
    text = next;
  }
  return text;
}

/** Joins message parts. Parts are budgeted to fit; the cut is a last safety net so content never exceeds 2000. */
export function fit(parts: string[]): string {
  const text = parts.join('\n\n');
  return text.length <= LIMITS.content ? text : `${text.slice(0, LIMITS.content - 1)}…`;
}
