import type { Hash } from 'node:crypto';
import { brotliDecompress, brotliDecompressSync } from 'node:zlib';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FileHandle } from 'node:fs/promises';
import { readInto } from '../lib/index.js';

/**
 * The snapshot's bytes in parts, both ways, so that no single buffer or string ever holds a whole section (at
 * 500,000 articles the texts alone pass what one string may hold, and the whole file what one read may return).
 *
 * Writing: each section is a list of framed parts (`SectionWriter`), the file a list of buffers written one after
 * the other. Reading: the decoder reads the file front to back through a generator that asks for the next n bytes
 * (or for a pause); a driver answers from memory (one buffer or a list, views where it can) or from an open file
 * (positioned reads, a small read-ahead for the many short needs), at once or a slice per turn of the event loop.
 */

/**
 * Brotli bytes being unpacked: at once when the decoder runs at once, else on libuv's thread pool while the
 * decoder goes on (unpacking the texts is a large part of a load). `result` is null until finished, and stays
 * null when the bytes do not unpack to exactly `length` bytes.
 */
export class Unpacking {
  result: Buffer | null = null;
  promise: Promise<void> | null = null;

  constructor(
    readonly packed: Buffer,
    readonly length: number,
  ) {}

  /**
   * One output chunk of the whole length (zlib's default, 16 KB chunks, costs a copy of them all at the end), and a
   * byte more: an output that fills its chunk exactly makes zlib allocate a second chunk as long to look for more.
   * At 100,000 articles that doubled the texts' 300 MB of buffers, and the collections their allocation forces.
   */
  get #options(): { maxOutputLength: number; chunkSize: number } {
    return { maxOutputLength: Math.max(1, this.length), chunkSize: Math.max(64 * 1024, this.length + 1) };
  }

  #take(out: Buffer): void {
    this.result = out.length === this.length ? out : null;
  }

  runNow(): void {
    try {
      this.#take(brotliDecompressSync(this.packed, this.#options));
    } catch {
      this.result = null;
    }
  }

  start(): void {
    this.promise = new Promise((resolve) => {
      brotliDecompress(this.packed, this.#options, (err, out) => {
        if (!err) this.#take(out);
        resolve();
      });
    });
  }
}

/**
 * What a decoder asks for: the next `read` bytes of the file, an unpacking to start or to finish, or (undefined) a
 * pause for the event loop.
 */
export type Need = { read: number } | { start: Unpacking } | { finish: Unpacking } | undefined;
/** A decoder of bytes read front to back: it yields needs and is handed the bytes it asked for (fewer at the end). */
export type Decoder<T> = Generator<Need, T, Buffer | undefined>;

/** A section's parts are framed: u32 length, the bytes, zero padding to a multiple of 4 (Int32 views stay aligned). */
const FRAME_BYTES = 4;
const padOf = (n: number): number => (4 - (n % 4)) % 4;
const ZEROS = Buffer.alloc(4);

/** A section being written: its framed parts, in order. */
export class SectionWriter {
  readonly chunks: Buffer[] = [];
  length = 0;

  part(body: ArrayBufferView): void {
    const frame = Buffer.allocUnsafe(FRAME_BYTES);
    frame.writeUInt32LE(body.byteLength, 0);
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.chunks.push(frame, bytes);
    const pad = padOf(bytes.length);
    if (pad) this.chunks.push(ZEROS.subarray(0, pad));
    this.length += FRAME_BYTES + bytes.length + pad;
  }
}

/** Bytes kept beyond the decoding (what the loaded index holds on to): copied when they are a view of more. */
export function own(buf: Buffer): Buffer {
  return buf.byteOffset === 0 && buf.buffer.byteLength === buf.length ? buf : Buffer.from(buf);
}

/** Bytes from the start of the file to the decoder's position, and the hash of those past `hashFrom`. */
export interface Cursor {
  at: number;
  readonly size: number;
  readonly hashFrom: number;
  readonly hash: Hash;
}

/** A snapshot refused for the reason its message gives (the file is not one this code can read). */
export class Refused extends Error {}

/** The next `n` bytes; refused past the end of the file. */
export function* take(c: Cursor, n: number): Decoder<Buffer> {
  if (n > c.size - c.at) throw new Refused('snapshot is truncated');
  const got = (yield { read: n })!;
  if (got.length !== n) throw new Refused('snapshot is truncated');
  if (c.at >= c.hashFrom) c.hash.update(got);
  else if (c.at + n > c.hashFrom) c.hash.update(got.subarray(c.hashFrom - c.at));
  c.at += n;
  return got;
}

/**
 * The parts of a section that ends at `end`, one at a time: null once the section is read. A part claiming more
 * bytes than its section has left is refused before anything that long is allocated.
 */
export function* nextPart(c: Cursor, end: number): Decoder<Buffer | null> {
  if (c.at === end) return null;
  if (end - c.at < FRAME_BYTES) throw new Refused('snapshot part list is truncated');
  const length = (yield* take(c, FRAME_BYTES)).readUInt32LE(0);
  const pad = padOf(length);
  if (length + pad > end - c.at) throw new Refused('snapshot part list is truncated');
  const body = yield* take(c, length);
  if (pad) yield* take(c, pad);
  return body;
}

/** Skips to `to` (padding between sections), reading and hashing what lies between. */
export function* skipTo(c: Cursor, to: number): Decoder<void> {
  if (to < c.at) throw new Refused('snapshot sections overlap');
  if (to > c.at) yield* take(c, to - c.at);
}

/** Bytes in memory, in file order: one buffer, or the parts a thread transferred. */
export type MemoryBytes = Buffer | readonly Buffer[];

export function memoryLength(bytes: MemoryBytes): number {
  return Buffer.isBuffer(bytes) ? bytes.length : bytes.reduce((n, b) => n + b.length, 0);
}

/** Reads memory front to back: views where a need lies within one buffer, a copy where it spans two. */
class MemoryReader {
  readonly #parts: readonly Buffer[];
  #part = 0;
  #at = 0;

  constructor(bytes: MemoryBytes) {
    this.#parts = Buffer.isBuffer(bytes) ? [bytes] : bytes;
  }

  read(n: number): Buffer {
    while (this.#part < this.#parts.length && this.#at === this.#parts[this.#part]!.length) this.#next();
    const first = this.#parts[this.#part];
    if (!first) return Buffer.alloc(0);
    if (this.#at + n <= first.length) {
      const view = first.subarray(this.#at, this.#at + n);
      this.#at += n;
      return view;
    }
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n && this.#part < this.#parts.length) {
      const part = this.#parts[this.#part]!;
      const copied = part.copy(out, filled, this.#at, Math.min(part.length, this.#at + n - filled));
      filled += copied;
      this.#at += copied;
      if (this.#at === part.length) this.#next();
    }
    return out.subarray(0, filled);
  }

  #next(): void {
    this.#part++;
    this.#at = 0;
  }
}

/** An unpacking started, or finished (awaited), as the decoder asks: what every driver does the same way. */
async function unpackingNeed(need: { start: Unpacking } | { finish: Unpacking }): Promise<void> {
  if ('start' in need) need.start.start();
  else await need.finish.promise;
}

/** Runs a decoder over bytes in memory at once (pauses are ignored, unpacking done on the spot). */
export function decodeNow<T>(bytes: MemoryBytes, decoder: Decoder<T>): T {
  const reader = new MemoryReader(bytes);
  let step = decoder.next();
  while (!step.done) {
    const need = step.value;
    if (need && 'start' in need) need.start.runNow();
    step = decoder.next(need && 'read' in need ? reader.read(need.read) : undefined);
  }
  return step.value;
}

/** The same, a slice at a time: the event loop runs at each pause, unpacking on the thread pool. */
export async function decodeInSlices<T>(bytes: MemoryBytes, decoder: Decoder<T>): Promise<T> {
  const reader = new MemoryReader(bytes);
  let step = decoder.next();
  while (!step.done) {
    const need = step.value;
    if (!need) await yieldToLoop();
    else if (!('read' in need)) await unpackingNeed(need);
    step = decoder.next(need && 'read' in need ? reader.read(need.read) : undefined);
  }
  return step.value;
}

/** The file is read in windows this long, the next one always on its way while the decoder works on the last. */
const WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * Reads an open file front to back by positioned reads: what `decodeFile` answers needs with. One window ahead is
 * always being read (on the thread pool) while the decoder works: read one after the other, the reads' waits took
 * a fifth of a 100,000-article load.
 */
class FileReader {
  /** Bytes of the current window not yet handed out. */
  #ahead: Buffer = Buffer.alloc(0);
  /** The next window, on its way, and the file position just past it. */
  #next: Promise<Buffer> | null = null;
  #position = 0;

  constructor(private readonly handle: FileHandle) {}

  #readNext(): void {
    const from = this.#position;
    this.#position += WINDOW_BYTES;
    this.#next = (async () => {
      const out = Buffer.allocUnsafeSlow(WINDOW_BYTES);
      return out.subarray(0, await readInto(this.handle, out, 0, WINDOW_BYTES, from));
    })();
    // Its failure is the next read's, not an unhandled rejection if the decoder stops first.
    this.#next.catch(() => {});
  }

  /** `n` bytes from where the last read ended (fewer at the end of the file). */
  async read(n: number): Promise<Buffer> {
    if (this.#ahead.length >= n) {
      const out = this.#ahead.subarray(0, n);
      this.#ahead = this.#ahead.subarray(n);
      return out;
    }
    const pieces = this.#ahead.length > 0 ? [this.#ahead] : [];
    let have = this.#ahead.length;
    this.#ahead = Buffer.alloc(0);
    while (have < n) {
      if (!this.#next) this.#readNext();
      const window = await this.#next!;
      this.#next = null;
      if (window.length === 0) break;
      // The following window is asked for before this one is handed out.
      if (window.length === WINDOW_BYTES) this.#readNext();
      const take = Math.min(n - have, window.length);
      pieces.push(window.subarray(0, take));
      this.#ahead = window.subarray(take);
      have += take;
    }
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, have);
  }
}

/**
 * Runs a decoder over an open file, from its start, unpacking on the thread pool; with `slices`, the event loop also
 * runs at each pause. Stops (throws an AbortError) once `signal` is aborted.
 */
export async function decodeFile<T>(
  handle: FileHandle,
  decoder: Decoder<T>,
  options: { slices: boolean; signal?: AbortSignal },
): Promise<T> {
  const reader = new FileReader(handle);
  let step = decoder.next();
  while (!step.done) {
    options.signal?.throwIfAborted();
    const need = step.value;
    if (need && 'read' in need) step = decoder.next(await reader.read(need.read));
    else {
      if (need) await unpackingNeed(need);
      else if (options.slices) await yieldToLoop();
      step = decoder.next(undefined);
    }
  }
  return step.value;
}
