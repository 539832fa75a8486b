import type { RebuildProgress } from '../index/index.js';

const PHASES: readonly RebuildProgress['phase'][] = ['reading', 'indexing', 'saving'];
/** Slots: a sequence number (odd while a write is under way), then the phase's rank and the three counts. */
const SLOTS = 5;

/**
 * The latest progress of a rebuild thread, in memory both threads share: the thread writes it as often as it likes,
 * the main thread reads the latest whenever it looks. Unlike a message, nothing queues, and the final state is there
 * to read as soon as the thread's result arrives (a message on another port might come after it).
 */
export class ProgressCell {
  readonly #slots: Int32Array;
  #seen = 0;

  /** A new cell, or one over the memory another thread passed (`shared`). */
  constructor(shared: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.#slots = new Int32Array(shared, 0, SLOTS);
  }

  /** What to hand to the other thread (in its workerData). */
  get shared(): SharedArrayBuffer {
    return this.#slots.buffer as SharedArrayBuffer;
  }

  /** One thread writes (a sequence lock: a reader never takes half of one write and half of the next). */
  write(p: RebuildProgress): void {
    const s = this.#slots;
    Atomics.add(s, 0, 1);
    Atomics.store(s, 1, Math.max(0, PHASES.indexOf(p.phase)));
    Atomics.store(s, 2, clamp(p.filesRead));
    Atomics.store(s, 3, clamp(p.filesTotal));
    Atomics.store(s, 4, clamp(p.passagesIndexed));
    Atomics.add(s, 0, 1);
  }

  /** The progress written since the last call that returned one; null when nothing new (or a write is under way). */
  takeNew(): RebuildProgress | null {
    const s = this.#slots;
    const seq = Atomics.load(s, 0);
    if (seq === this.#seen || seq % 2 === 1) return null;
    const p: RebuildProgress = {
      phase: PHASES[Atomics.load(s, 1)] ?? 'reading',
      filesRead: Atomics.load(s, 2),
      filesTotal: Atomics.load(s, 3),
      passagesIndexed: Atomics.load(s, 4),
    };
    if (Atomics.load(s, 0) !== seq) return null;
    this.#seen = seq;
    return p;
  }
}

const clamp = (n: number): number => (Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), 2 ** 31 - 1) : 0);
