import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Long pieces of work written as generators that `yield` between bounded slices: run at once (start-up, tests), or
 * a slice per turn of the event loop, so that the bot keeps answering meanwhile (a reindex, a shard reload).
 */
export function runNow<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

export async function runInSlices<T>(steps: Generator<void, T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await yieldToLoop();
    step = steps.next();
  }
  return step.value;
}

/**
 * A generator run a slice per turn of the event loop, which a caller that cannot wait finishes at once: the same
 * work, never done twice (the phrases a first autocomplete needs while start-up still mines them).
 */
export class SlicedRun<T> {
  readonly #steps: Generator<void, T>;
  #outcome: { value: T } | { error: unknown } | null = null;
  /** Settles with the result once the last slice has run, here or in `now`. */
  readonly done: Promise<T>;

  constructor(steps: Generator<void, T>) {
    this.#steps = steps;
    this.done = this.#inSlices();
    // A failure is the callers' to see (through `done` or `now`), not an unhandled rejection.
    this.done.catch(() => {});
  }

  async #inSlices(): Promise<T> {
    while (this.#outcome === null) {
      await yieldToLoop();
      this.#advance();
    }
    return this.#result();
  }

  #advance(): void {
    // `now` may have finished the run while the sliced loop waited for its turn.
    if (this.#outcome !== null) return;
    try {
      const step = this.#steps.next();
      if (step.done) this.#outcome = { value: step.value };
    } catch (error) {
      this.#outcome = { error };
    }
  }

  #result(): T {
    const outcome = this.#outcome!;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /** True once a slice has thrown: the run is over, and its callers may start a new one. */
  get failed(): boolean {
    return this.#outcome !== null && 'error' in this.#outcome;
  }

  /** Runs the slices left now, on this turn, and returns the result. */
  now(): T {
    while (this.#outcome === null) this.#advance();
    return this.#result();
  }
}
