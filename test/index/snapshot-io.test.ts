/**
 * The snapshot's file reader: reads of any size, across its read-ahead windows, give the file's bytes in order; and
 * its unpacking, exactly the length announced or nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brotliCompressSync } from 'node:zlib';
import { decodeFile, Unpacking, type Decoder } from '../../src/index/snapshot-io.js';
import { prng } from '../reliability/helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'snapshot-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads `sizes` one after the other and returns what each read got. */
function* reading(sizes: readonly number[]): Decoder<Buffer[]> {
  const got: Buffer[] = [];
  for (const n of sizes) got.push(Buffer.from((yield { read: n })!));
  return got;
}

describe('decodeFile', () => {
  it('hands out the file in order, reads small and large, across windows, short at the end', async () => {
    const rng = prng(5);
    // Over two 4 MB windows and a bit, so that reads straddle them.
    const bytes = Buffer.from(Array.from({ length: 9 * 1024 * 1024 + 123 }, () => Math.floor(rng() * 256)));
    const file = path.join(dir, 'bytes.bin');
    writeFileSync(file, bytes);
    const M = 1024 * 1024;
    const sizes = [1, 3, 100_000, 4 * M, 5 * M - 7, 2, 3 * M, 1000];
    const handle = await open(file, 'r');
    try {
      const got = await decodeFile(handle, reading(sizes), { slices: false });
      let at = 0;
      got.forEach((piece, k) => {
        const want = bytes.subarray(at, Math.min(bytes.length, at + sizes[k]!));
        expect(piece.equals(want)).toBe(true);
        at += want.length;
      });
      // The last reads, past the end, get what is left, then nothing.
      expect(at).toBe(bytes.length);
      expect(got.at(-1)!.length).toBe(0);
    } finally {
      await handle.close();
    }
  });
});

describe('Unpacking', () => {
  const text = Buffer.from('Le tribunal a rendu sa décision jeudi. '.repeat(5000));
  const packed = brotliCompressSync(text);

  it('unpacks a part of the length announced, on the thread pool or at once', async () => {
    const pooled = new Unpacking(packed, text.length);
    pooled.start();
    await pooled.promise;
    const now = new Unpacking(packed, text.length);
    now.runNow();
    for (const job of [pooled, now]) expect(job.result?.equals(text)).toBe(true);
  });

  it('gives no result for bytes that do not unpack to the length announced', async () => {
    for (const length of [text.length - 1, text.length + 1]) {
      const job = new Unpacking(packed, length);
      job.start();
      await job.promise;
      expect(job.result).toBeNull();
      const now = new Unpacking(packed, length);
      now.runNow();
      expect(now.result).toBeNull();
    }
  });
});
