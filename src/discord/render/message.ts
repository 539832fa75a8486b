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
  style: ButtonStyle.Secondary | ButtonStyle.Primary = ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: customId };
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
