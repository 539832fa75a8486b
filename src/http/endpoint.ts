import { InteractionType, type Client, type Interaction } from 'discord.js';
import type { Logger } from 'pino';
import type { RawMember } from '../discord/index.js';
import { Acknowledgements } from './acknowledgements.js';
import { intakeInteraction } from './intake.js';
import type { EndpointAnswer } from './server.js';

/** Discord's deadline for an interaction's first answer; its HTTP request is given up at the same time. */
export const FIRST_ANSWER_MS = 3_000;

export interface EndpointOptions {
  /** A client that never logs in: its REST (`client.rest`) carries the answers to DISCORD_API_URL. */
  client: Client;
  /** The gateway bot's router (createRouter): the same handlers, whatever brought the interaction. */
  route: (interaction: Interaction) => Promise<void>;
  log: Logger;
  /** Default FIRST_ANSWER_MS. */
  deadlineMs?: number;
}

export interface InteractionEndpoint {
  /** What the server answers Discord for one verified payload. */
  handle(payload: unknown): Promise<EndpointAnswer>;
  /** For BotContext.rawMember: the member as this interaction's payload carried it, while it is handled. */
  rawMember(interactionId: string): RawMember | null | undefined;
}

/**
 * Verified payloads to the router. A PING is answered in the response body (`{"type":1}`, Discord's check of the
 * endpoint). Any other interaction goes to the router, which answers through the interaction callback and webhook
 * routes as in gateway mode; Discord's request is then answered 202 with no body as soon as the callback has been
 * sent (Discord's rule for an interaction answered through the callback), while the handler may go on. An
 * interaction the handlers leave unanswered, or answer too late, gets 500: Discord then tells the member it failed.
 * Nothing outlives the request but the handler itself: the raw member and the callback watch are dropped with it.
 */
export function interactionEndpoint(options: EndpointOptions): InteractionEndpoint {
  const { client, route, log } = options;
  const deadlineMs = options.deadlineMs ?? FIRST_ANSWER_MS;
  const acknowledgements = new Acknowledgements(client.rest);
  const members = new Map<string, RawMember | null>();
  return {
    rawMember: (id) => members.get(id),
    async handle(payload) {
      if ((payload as { type?: unknown } | null)?.type === InteractionType.Ping)
        return { status: 200, body: { type: 1 } };
      const intake = intakeInteraction(client, payload);
      if (!intake.ok) {
        log.warn(
          { reason: intake.reason, type: (payload as { type?: unknown } | null)?.type },
          'interaction not taken',
        );
        return { status: 400 };
      }
      const { interaction, rawMember } = intake;
      const id = interaction.id;
      members.set(id, rawMember);
      const callback = acknowledgements.expect(id);
      const handled = route(interaction).finally(() => {
        members.delete(id);
        callback.forget();
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deadlineMs);
      });
      const first = await Promise.race([
        callback.sent.then(() => 'sent' as const),
        handled.then(() => 'done' as const),
        late,
      ]);
      clearTimeout(timer);
      if (first === 'sent') return { status: 202 };
      callback.forget();
      log.warn({ type: interaction.type, late: first === 'late' }, 'interaction left without a callback');
      return { status: 500 };
    },
  };
}
