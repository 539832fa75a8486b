import type { Log } from '../logger.js';

export interface ProgressReportOptions<P> {
  /** Edits the deferred reply (`interaction.editReply`); its failures are logged and forgotten. */
  edit: (content: string) => Promise<unknown>;
  /** The reply's text for a progress. */
  render: (progress: P) => string;
  /** Quiet time after creation: work done by then needs no progress at all (default 2 s). */
  afterMs?: number;
  /** Least time between the starts of two edits (default 1 s): Discord rate-limits edits of a reply. */
  everyMs?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  log?: Pick<Log, 'warn'>;
}

export interface ProgressReport<P> {
  /** The latest progress; shown at the next edit allowed, older ones not yet shown are dropped. */
  update(progress: P): void;
  /** Cancels any edit to come and waits for the one under way, so that the caller's final edit comes last. */
  stop(): Promise<void>;
}

/**
 * Shows the progress of long work in a deferred reply: nothing before `afterMs`, then at most one edit every
 * `everyMs`, with the latest progress. A progress that arrives while edits must wait is shown once they may resume,
 * so the reply never stays behind; an edit is never started while another is under way.
 */
export function reportProgress<P>(options: ProgressReportOptions<P>): ProgressReport<P> {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as NodeJS.Timeout));
  const everyMs = options.everyMs ?? 1000;
  const quietUntil = now() + (options.afterMs ?? 2000);
  let latest: { progress: P } | null = null;
  let lastEditAt = Number.NEGATIVE_INFINITY;
  let timer: { handle: unknown } | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const schedule = (): void => {
    if (stopped || !latest || inFlight || timer) return;
    const wait = Math.max(quietUntil, lastEditAt + everyMs) - now();
    if (wait <= 0) send();
    else timer = { handle: setTimer(fire, wait) };
  };

  const fire = (): void => {
    timer = null;
    schedule();
  };

  const send = (): void => {
    const { progress } = latest!;
    latest = null;
    lastEditAt = now();
    inFlight = (async () => {
      try {
        await options.edit(options.render(progress));
      } catch (err) {
        options.log?.warn({ err: (err as Error)?.message ?? String(err) }, 'progress edit failed');
      }
    })().finally(() => {
      inFlight = null;
      schedule();
    });
  };

  return {
    update(progress) {
      if (stopped) return;
      latest = { progress };
      schedule();
    },
    async stop() {
      stopped = true;
      latest = null;
      if (timer) clearTimer(timer.handle);
      timer = null;
      await inFlight;
    },
  };
}
