import { RESTEvents, type APIRequest, type REST, type ResponseLike } from 'discord.js';

const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/**
 * Tells when an interaction's first answer has reached Discord: over HTTP, Discord's request for the interaction
 * is answered (202, no body) only once its callback (`POST /interactions/{id}/{token}/callback`) was sent, and a
 * handler may go on long after (a /reindex edits its reply for minutes). The callback is seen through the REST
 * client's documented `response` event; a 429 or a 5xx is not an answer yet (discord.js tries again), any other
 * status is final.
 */
export class Acknowledgements {
  readonly #waiting = new Map<string, () => void>();

  constructor(rest: REST) {
    rest.on(RESTEvents.Response, (request: APIRequest, response: ResponseLike) => {
      if (request.method.toUpperCase() !== 'POST') return;
      const id = CALLBACK.exec(request.path)?.[1];
      if (id === undefined || response.status === 429 || response.status >= 500) return;
      this.#waiting.get(id)?.();
    });
  }

  /**
   * Resolves once the callback of interaction `id` has been answered. `forget` must be called when the answer no
   * longer matters (handler over, or given up), so that nothing is kept per interaction.
   */
  expect(id: string): { sent: Promise<void>; forget: () => void } {
    let resolve!: () => void;
    const sent = new Promise<void>((r) => (resolve = r));
    this.#waiting.set(id, resolve);
    return { sent, forget: () => this.#waiting.delete(id) };
  }

  /** Interactions waited for now (none once every request is answered). */
  get pending(): number {
    return this.#waiting.size;
  }
}
