/**
 * Per-user cooldown between questions (and, under its own key, between « Publier »). The clock is injected so tests
 * need no waiting.
 */
export class Cooldown {
  readonly #until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the user (a user id, or a key of one) still has to wait, or 0 (and the cooldown starts now). */
  take(key: string): number {
    if (this.seconds <= 0) return 0;
    const t = this.now();
    const until = this.#until.get(key) ?? 0;
    if (until > t) return until - t;
    this.#until.set(key, t + this.seconds * 1000);
    if (this.#until.size > 10_000) this.#sweep(t);
    return 0;
  }

  #sweep(t: number): void {
    for (const [user, until] of this.#until) if (until <= t) this.#until.delete(user);
  }
}
