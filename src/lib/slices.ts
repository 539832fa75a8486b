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
