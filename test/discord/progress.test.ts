import { describe, expect, it } from 'vitest';
import { reportProgress } from '../../src/discord/progress.js';

/** A clock and timers that move only when told. */
function fakeTime() {
  let t = 0;
  let next = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  /** Lets promise callbacks (an edit settling, what follows it) run. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    setTimer: (run: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: t + ms, run });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    get timers() {
      return timers.size;
    },
    /** Moves the clock to `to`, running each timer due on the way at its own time. */
    async advanceTo(to: number) {
      await settle();
      for (;;) {
        const due = [...timers].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        t = Math.max(t, due[1].at);
        due[1].run();
        await settle();
      }
      t = to;
      await settle();
    },
  };
}

interface Edit {
  content: string;
  at: number;
  done: () => void;
  fail: (err: Error) => void;
}

/** A reply whose edits are recorded, and settle at once (`auto`) or when the test says. */
function fakeReply(time: ReturnType<typeof fakeTime>, auto = true) {
  const edits: Edit[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const edit = (content: string) =>
    new Promise<void>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const end = () => void inFlight--;
      edits.push({
        content,
        at: time.now(),
        done: () => (end(), resolve()),
        fail: (err) => (end(), reject(err)),
      });
      if (auto) edits.at(-1)!.done();
    });
  return {
    edits,
    edit,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

function setup(auto = true) {
  const time = fakeTime();
  const reply = fakeReply(time, auto);
  const warnings: object[] = [];
  const report = reportProgress<number>({
    edit: reply.edit,
    render: (n) => `progress ${n}`,
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    log: { warn: (o) => void warnings.push(o) },
  });
  return { time, reply, report, warnings };
}

describe('reportProgress', () => {
  it('edits nothing before 2 s, then shows the latest progress as soon as they are up', async () => {
    const { time, reply, report } = setup();
    for (const at of [0, 500, 1999]) {
      await time.advanceTo(at);
      report.update(at);
    }
    expect(reply.edits).toEqual([]);
    await time.advanceTo(1999);
    expect(reply.edits).toEqual([]);
    await time.advanceTo(2000);
    expect(reply.edits.map((e) => [e.at, e.content])).toEqual([[2000, 'progress 1999']]);
    await time.advanceTo(10_000);
    expect(reply.edits).toHaveLength(1);
    await report.stop();
  });

  it('edits at most once a second under a flood of updates, each time with the latest', async () => {
    const { time, reply, report } = setup();
    for (let at = 0; at <= 10_000; at += 7) {
      await time.advanceTo(at);
      report.update(at);
    }
    await time.advanceTo(12_000);
    const times = reply.edits.map((e) => e.at);
    expect(times[0]).toBe(2000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(reply.edits.length).toBeLessThanOrEqual(9);
    expect(reply.edits.length).toBeGreaterThanOrEqual(8);
    // Each edit shows the last update before it (updates come every 7 ms), and the last one the last of all.
    for (const e of reply.edits) {
      const shown = Number(e.content.replace('progress ', ''));
      expect(shown).toBeGreaterThanOrEqual(e.at - 7);
      expect(shown).toBeLessThanOrEqual(e.at);
    }
    expect(reply.edits.at(-1)!.content).toBe(`progress ${10_000 - (10_000 % 7)}`);
    await report.stop();
  });

  it('sends an update that came during the quiet second when the second ends (trailing edit)', async () => {
    const { time, reply, report } = setup();
    await time.advanceTo(2500);
    report.update(1);
    expect(reply.edits.map((e) => e.at)).toEqual([2500]);
    await time.advanceTo(2800);
    report.update(2);
    await time.advanceTo(3499);
    expect(reply.edits).toHaveLength(1);
    await time.advanceTo(3500);
    expect(reply.edits.map((e) => [e.at, e.content])).toEqual([
      [2500, 'progress 1'],
      [3500, 'progress 2'],
    ]);
    // Nothing new, nothing sent.
    await time.advanceTo(9000);
    expect(reply.edits).toHaveLength(2);
    expect(time.timers).toBe(0);
    await report.stop();
  });

  it('never has two edits under way: a slow edit delays the next one', async () => {
    const { time, reply, report } = setup(false);
    await time.advanceTo(2000);
    report.update(1);
    expect(reply.edits).toHaveLength(1);
    for (let at = 2100; at <= 5000; at += 100) {
      await time.advanceTo(at);
      report.update(at);
    }
    expect(reply.edits).toHaveLength(1);
    reply.edits[0]!.done();
    await time.advanceTo(5000);
    // Due for long: sent as soon as the slow one returned, with the latest progress.
    expect(reply.edits.map((e) => [e.at, e.content])).toEqual([
      [2000, 'progress 1'],
      [5000, 'progress 5000'],
    ]);
    reply.edits[1]!.done();
    await time.advanceTo(7000);
    expect(reply.maxInFlight).toBe(1);
    await report.stop();
  });

  it('stop() waits for the edit under way and cancels the one to come', async () => {
    const { time, reply, report } = setup(false);
    await time.advanceTo(2000);
    report.update(1);
    await time.advanceTo(2200);
    report.update(2);
    let stopped = false;
    const stopping = report.stop().then(() => {
      stopped = true;
    });
    await time.advanceTo(2500);
    expect(stopped).toBe(false);
    reply.edits[0]!.done();
    await stopping;
    expect(stopped).toBe(true);
    report.update(3);
    await time.advanceTo(10_000);
    expect(reply.edits.map((e) => e.content)).toEqual(['progress 1']);
    expect(time.timers).toBe(0);
  });

  it('stop() during the quiet time cancels the pending edit: no edit at all', async () => {
    const { time, reply, report } = setup();
    await time.advanceTo(1000);
    report.update(1);
    expect(time.timers).toBe(1);
    await report.stop();
    expect(time.timers).toBe(0);
    await time.advanceTo(10_000);
    expect(reply.edits).toEqual([]);
  });

  it('swallows a failed edit (logged) and keeps going', async () => {
    const { time, reply, report, warnings } = setup(false);
    await time.advanceTo(2000);
    report.update(1);
    reply.edits[0]!.fail(new Error('Unknown interaction'));
    await time.advanceTo(2500);
    report.update(2);
    await time.advanceTo(3000);
    expect(reply.edits.map((e) => e.content)).toEqual(['progress 1', 'progress 2']);
    expect(warnings).toEqual([{ err: 'Unknown interaction' }]);
    reply.edits[1]!.fail(new Error('again'));
    await expect(report.stop()).resolves.toBeUndefined();
  });

  it('swallows an edit or a render that throws at once', async () => {
    const time = fakeTime();
    const warnings: object[] = [];
    const base = { now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer };
    const log = { warn: (o: object) => void warnings.push(o) };
    const throwing = reportProgress<number>({
      ...base,
      log,
      edit: () => {
        throw new Error('no reply');
      },
      render: String,
    });
    const badRender = reportProgress<number>({
      ...base,
      log,
      edit: () => Promise.resolve(),
      render: () => {
        throw new Error('no words');
      },
    });
    await time.advanceTo(2000);
    expect(() => throwing.update(1)).not.toThrow();
    expect(() => badRender.update(1)).not.toThrow();
    await Promise.all([throwing.stop(), badRender.stop()]);
    expect(warnings).toEqual([{ err: 'no reply' }, { err: 'no words' }]);
  });

  it('waits by default for 2 s, then 1 s between edits, on the real clock functions', () => {
    // Only the defaults' shape: a report made and stopped at once edits nothing.
    const edits: string[] = [];
    const report = reportProgress<number>({ edit: async (c) => void edits.push(c), render: String });
    report.update(1);
    return report.stop().then(() => expect(edits).toEqual([]));
  });
});
