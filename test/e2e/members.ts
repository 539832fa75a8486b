import { expect } from 'vitest';
import type { InteractionHandle, RecordedRequest } from '../fake-discord/index.js';

/**
 * A fresh member at each call, with ids of one test file's own range (`prefix`: 14 digits), so that no per-user
 * cooldown or vote carries over from one test to the next.
 */
export function members(prefix: string, name: string): () => { id: string; username: string } {
  let n = 0;
  return () => {
    n++;
    return { id: `${prefix}${String(n).padStart(5, '0')}`, username: `${name}${n}` };
  };
}

/** The first response to an interaction, checked: a success, within Discord's 3 s. */
export async function firstReply<T = unknown>(handle: InteractionHandle): Promise<T> {
  const first: RecordedRequest = await handle.firstResponse(5_000);
  expect(first.status).toBeLessThan(300);
  expect(handle.firstResponseLatencyMs).toBeLessThan(3_000);
  return first.body as T;
}
