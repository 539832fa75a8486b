import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Why a file was not read. `size` is known when the open file already was over the limit. */
export type ReadFailure =
  | { ok: false; problem: 'not-a-file' }
  | { ok: false; problem: 'link' }
  | { ok: false; problem: 'too-big'; size: number | null }
  | { ok: false; problem: 'timeout' }
  | { ok: false; problem: 'error'; code: string };

export interface BoundedReadOptions {
  /** Largest size accepted: a file over it (or that grows past it while read) is refused. */
  maxBytes: number;
  /** Time allowed from opening to the last byte: past it, the read is given up and the file refused. */
  deadlineMs: number;
  /** Refuse a symbolic link in place of the file (a folder listed earlier and changed since). */
  noFollow?: boolean;
  /** Told the open file's status before anything is read (a stamp taken then, without a second `stat`). */
  onStat?: (info: Stats) => void;
}

/** Bytes asked of one read call: the binding aborts the process on a length of 2³¹ or more. */
const READ_CHUNK = 8 * 1024 * 1024;

/** Read only, never waiting for a FIFO's writer, and refusing a link when asked. */
const openFlags = (noFollow: boolean | undefined): number =>
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);

/** The failure an `open` error stands for (O_NOFOLLOW refuses a link with ELOOP). */
function openFailure(err: unknown, noFollow: boolean | undefined): ReadFailure {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return code === 'ELOOP' && noFollow ? { ok: false, problem: 'link' } : { ok: false, problem: 'error', code };
}

/**
 * Opens `file` and checks the open handle, not the path: what is read is what was checked, whatever replaces the
 * path meanwhile. O_NONBLOCK so that opening a FIFO returns at once (it is then refused) instead of waiting for a
 * writer for ever. `use` runs under the deadline with the handle, its size and a signal aborted at the deadline; the
 * handle is closed once `use` settles, even after the deadline.
 */
export async function withCheckedFile<T>(
  file: string,
  options: BoundedReadOptions,
  use: (handle: FileHandle, size: number, signal: AbortSignal) => Promise<T | ReadFailure>,
): Promise<T | ReadFailure> {
  const deadline = new AbortController();
  const { signal } = deadline;
  const work = (async (): Promise<T | ReadFailure> => {
    let handle: FileHandle;
    try {
      handle = await open(file, openFlags(options.noFollow));
    } catch (err) {
      return openFailure(err, options.noFollow);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { ok: false, problem: 'not-a-file' };
      options.onStat?.(info);
      if (info.size > options.maxBytes) return { ok: false, problem: 'too-big', size: info.size };
      if (signal.aborted) return { ok: false, problem: 'timeout' };
      return await use(handle, info.size, signal);
    } catch (err) {
      return { ok: false, problem: 'error', code: (err as NodeJS.ErrnoException).code ?? 'error' };
    } finally {
      await handle.close().catch(() => {});
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ReadFailure>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve({ ok: false, problem: 'timeout' });
    }, options.deadlineMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A full buffer's bytes in one twice as large, up to the limit plus one byte (the file grew since its stat); null
 * when it already holds more than the limit.
 */
function roomAfter(buf: Buffer<ArrayBuffer>, maxBytes: number): Buffer<ArrayBuffer> | null {
  if (buf.length > maxBytes) return null;
  const bigger = Buffer.allocUnsafeSlow(Math.min(buf.length * 2, maxBytes + 1));
  buf.copy(bigger);
  return bigger;
}

/**
 * Reads a whole file as `withCheckedFile` opens it: at most `maxBytes` plus one byte (to tell a file that grew past
 * the limit since it was checked), in chunks, stopping at the deadline.
 */
export function readFileBounded(file: string, options: BoundedReadOptions): Promise<Buffer | ReadFailure> {
  return withCheckedFile(file, options, async (handle, size, signal): Promise<Buffer | ReadFailure> => {
    let buf = Buffer.allocUnsafeSlow(Math.min(size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (signal.aborted) return { ok: false, problem: 'timeout' };
      if (length === buf.length) {
        const bigger = roomAfter(buf, options.maxBytes);
        if (!bigger) return { ok: false, problem: 'too-big', size: null };
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, length, Math.min(buf.length - length, READ_CHUNK), length);
      if (bytesRead === 0) return buf.subarray(0, length);
      length += bytesRead;
    }
  });
}

/**
 * `readFileBounded` without promises, for a thread whose only work is reading and parsing (a build's parsing
 * threads): the same checks on the open file, the same limit, in about a tenth of the CPU time (a promise and a
 * thread-pool round trip per open, stat, read and close cost ~180 µs a file where these calls cost ~15). There is
 * no deadline: a read the system never returns holds this thread, so whoever waits on it must have its own.
 */
export function readFileBoundedSync(
  file: string,
  options: Omit<BoundedReadOptions, 'deadlineMs'>,
): Buffer | ReadFailure {
  let fd: number;
  try {
    fd = openSync(file, openFlags(options.noFollow));
  } catch (err) {
    return openFailure(err, options.noFollow);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, problem: 'not-a-file' };
    options.onStat?.(info);
    if (info.size > options.maxBytes) return { ok: false, problem: 'too-big', size: info.size };
    let buf = Buffer.allocUnsafeSlow(Math.min(info.size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        const bigger = roomAfter(buf, options.maxBytes);
        if (!bigger) return { ok: false, problem: 'too-big', size: null };
        buf = bigger;
      }
      const bytesRead = readSync(fd, buf, length, Math.min(buf.length - length, READ_CHUNK), length);
      if (bytesRead === 0) return buf.subarray(0, length);
      length += bytesRead;
    }
  } catch (err) {
    return { ok: false, problem: 'error', code: (err as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing more to do with it.
    }
  }
}

/** The error code a failure carries when thrown: the system's where there is one. */
const FAILURE_CODES = {
  'not-a-file': 'ERR_NOT_A_FILE',
  link: 'ELOOP',
  'too-big': 'ERR_FS_FILE_TOO_LARGE',
  timeout: 'ETIMEDOUT',
} as const;

/**
 * `readFileBounded` for callers that treat any failure as an error (a cache, a note): rejects with an Error whose
 * `code` says why (ENOENT and the other system codes as they came).
 */
export async function readFileChecked(file: string, options: BoundedReadOptions): Promise<Buffer> {
  const read = await readFileBounded(file, options);
  if (!isReadFailure(read)) return read;
  const code = read.problem === 'error' ? read.code : FAILURE_CODES[read.problem];
  throw Object.assign(new Error(`${file}: not read (${code})`), { code });
}

/** Reads exactly `length` bytes at `position` of an open file, or fewer at its end, in chunks. */
export async function readAt(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafeSlow(length);
  return buf.subarray(0, await readInto(handle, buf, 0, length, position));
}

/**
 * Reads `length` bytes at `position` of an open file into `buf` from `offset`, in chunks; returns how many were read
 * (fewer at the end of the file).
 */
export async function readInto(
  handle: FileHandle,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(buf, offset + at, Math.min(length - at, READ_CHUNK), position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at;
}

/** True when a bounded read failed (the bytes or value otherwise). */
export function isReadFailure(value: unknown): value is ReadFailure {
  return (
    typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && (value as { ok?: unknown }).ok === false
  );
}
