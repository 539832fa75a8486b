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
    const wait = this.wait(key);
    if (wait === 0) this.start(key);
    return wait;
  }

  /** Milliseconds still to wait, or 0; the cooldown is not started (a question that gets no answer is free). */
  wait(key: string): number {
    if (this.seconds <= 0) return 0;
    const until = this.#until.get(key) ?? 0;
    const t = this.now();
    return until > t ? until - t : 0;
  }

  /** Starts the cooldown now (after an answer). */
  start(key: string): void {
    if (this.seconds <= 0) return;
    const t = this.now();
    this.#until.set(key, t + this.seconds * 1000);
    if (this.#until.size > 10_000) this.#sweep(t);
  }

  #sweep(t: number): void {
    for (const [user, until] of this.#until) if (until <= t) this.#until.delete(user);
  }
}
