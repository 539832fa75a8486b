/**
 * `npm run ask -- --jsonl` fed hostile lines, as a real process: every non-blank line gets exactly one JSON line
 * back, in order — an answer or an `{"error"}` object — and the batch exits 0.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDS, tempDir } from '../helpers.js';
import { logSummary, prng, randomBytes, runCli, type CliRun } from './helpers.js';

type Kind = 'answer' | 'error';
interface Line {
  name: string;
  bytes: Buffer;
  expect: Kind;
  /** Extra checks on the parsed output object. */
  check?: (out: Record<string, unknown>) => void;
}

const rng = prng(99);
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const text = (s: string): Buffer => Buffer.from(s, 'utf8');
/** Random bytes without line breaks, so one hostile line stays one line. */
const binaryLine = (n: number): Buffer => {
  const b = randomBytes(rng, n);
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a || b[i] === 0x0d) b[i] = 0x00;
  return b;
};
const HUGE = 1024 * 1024;
const deepArray = '['.repeat(20_000) + ']'.repeat(20_000);
const deepObject = `${'{"q":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
const hostileQuestion =
  `@everyone <@&1300000000000000099> \`\`\`js\n||spoiler|| [lien](https://evil.example) ` +
  `\u200b\u200e\u202e enceinte Djingo 🤖 ${'é'.repeat(3000)} ${'\u0301'.repeat(2000)}`;

const LINES: Line[] = [
  {
    name: 'valid question',
    bytes: json({ q: 'Combien coûtait l’enceinte ?', topic: 'djingo' }),
    expect: 'answer',
    check: (o) => expect(o['answered']).toBe(true),
  },
  { name: 'not JSON', bytes: text('not json at all'), expect: 'error' },
  { name: 'truncated JSON', bytes: text('{"q": "Combien coûtait l’enc'), expect: 'error' },
  { name: 'JSON then garbage', bytes: text('{"q":"Djingo"} et la suite'), expect: 'error' },
  {
    name: '1 MiB question',
    bytes: json({ q: 'enceinte Djingo '.repeat(HUGE / 16), topic: null }),
    expect: 'answer',
    check: (o) => expect(o['answered']).toBe(true),
  },
  { name: '1 MiB of garbage', bytes: Buffer.alloc(HUGE, 'x'), expect: 'error' },
  { name: '64 KiB of random bytes', bytes: binaryLine(64 * 1024), expect: 'error' },
  {
    name: 'random bytes starting like JSON',
    bytes: Buffer.concat([text('{"q":"'), binaryLine(2000), text('"}')]),
    expect: 'error',
  },
  {
    name: 'invalid UTF-8 inside a JSON string',
    bytes: Buffer.concat([text('{"q":"enceinte '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), text(' Djingo"}')]),
    expect: 'answer',
  },
  {
    name: 'unknown topic',
    bytes: json({ q: 'Combien ?', topic: 'licornes' }),
    expect: 'error',
    check: (o) => expect(o['error']).toMatch(/licornes/),
  },
  { name: 'topic "__proto__"', bytes: json({ q: 'Djingo', topic: '__proto__' }), expect: 'error' },
  { name: 'topic "constructor"', bytes: json({ q: 'Djingo', topic: 'constructor' }), expect: 'error' },
  { name: 'empty topic', bytes: json({ q: 'Djingo', topic: '' }), expect: 'error' },
  { name: 'topic an object', bytes: json({ q: 'Djingo', topic: { name: 'djingo' } }), expect: 'error' },
  { name: 'q a number', bytes: json({ q: 42 }), expect: 'error' },
  { name: 'q an array', bytes: json({ q: ['Djingo'] }), expect: 'error' },
  { name: 'q an object', bytes: json({ q: { q: 'Djingo' } }), expect: 'error' },
  { name: 'q null', bytes: json({ q: null }), expect: 'error' },
  { name: 'no q', bytes: json({ question: 'Djingo' }), expect: 'error' },
  { name: '__proto__ carrying q', bytes: text('{"__proto__":{"q":"Djingo"}}'), expect: 'error' },
  { name: 'JSON null', bytes: text('null'), expect: 'error' },
  { name: 'JSON number', bytes: text('12'), expect: 'error' },
  { name: 'JSON string', bytes: text('"Djingo"'), expect: 'error' },
  { name: 'JSON array', bytes: text('[{"q":"Djingo"}]'), expect: 'error' },
  { name: '20 000 nested arrays', bytes: text(deepArray), expect: 'error' },
  { name: '5 000 nested objects', bytes: text(deepObject), expect: 'error' },
  { name: 'empty question', bytes: json({ q: '' }), expect: 'answer', check: (o) => expect(o['answered']).toBe(false) },
  {
    name: 'lone surrogates (escaped)',
    bytes: text('{"q":"\\ud800 enceinte \\udfff Djingo \\ud83d"}'),
    expect: 'answer',
  },
  { name: 'hostile 6 000-character question', bytes: json({ q: hostileQuestion, topic: 'djingo' }), expect: 'answer' },
  {
    name: 'BOM before the JSON',
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ q: 'Djingo' })]),
    expect: 'error',
  },
  { name: 'zero-width space only', bytes: text('\u200b'), expect: 'error' },
  {
    name: 'extra fields',
    bytes: json({ q: 'Combien coûtait l’enceinte ?', topic: null, limit: 1000, extra: { a: [1, 2, { b: null }] } }),
    expect: 'answer',
  },
  {
    name: 'CRLF-terminated valid line',
    bytes: Buffer.concat([json({ q: 'Quand Djingo a-t-il été lancé ?' }), Buffer.from('\r')]),
    expect: 'answer',
    check: (o) => expect(o['answered']).toBe(true),
  },
  {
    name: 'valid question at the end',
    bytes: json({ q: 'Quelle part des abonnés représente Xiaomi ?', topic: 'xiaomi' }),
    expect: 'answer',
    check: (o) => expect(o['answered']).toBe(true),
  },
];
/** Blank lines (skipped without an answer), spread between the others. */
const BLANKS = [Buffer.alloc(0), text('   \t  '), text('\u00a0 ')];

const dataDirs: string[] = [];
const dataDir = (): string => {
  const dir = tempDir('djingo-jsonl-');
  dataDirs.push(dir);
  return path.join(dir, 'data');
};
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

let run: CliRun;
let outputs: Record<string, unknown>[];

beforeAll(async () => {
  const parts: Buffer[] = [];
  LINES.forEach((l, i) => {
    parts.push(l.bytes, Buffer.from('\n'));
    if (i % 10 === 3) for (const b of BLANKS) parts.push(b, Buffer.from('\n'));
  });
  run = await runCli(
    ['ask', '--jsonl', '--seeds', SEEDS],
    { DATA_DIR: dataDir(), LOG_LEVEL: 'warn' },
    Buffer.concat(parts),
  );
  outputs = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}, 60_000);

describe('ask --jsonl with hostile lines', () => {
  it('exits 0 without a crash report', () => {
    expect(run.code, run.stderr.slice(0, 2000)).toBe(0);
    expect(run.stderr).not.toMatch(/Erreur inattendue|\n\s+at /);
  });

  it('answers every non-blank line, in order, with an answer or an error object', () => {
    expect(outputs).toHaveLength(LINES.length);
    LINES.forEach((line, i) => {
      const out = outputs[i]!;
      if (line.expect === 'error') {
        expect(Object.keys(out), line.name).toEqual(['error']);
        expect(typeof out['error'], line.name).toBe('string');
      } else {
        expect(out['error'], line.name).toBeUndefined();
        expect(typeof out['answered'], line.name).toBe('boolean');
        expect(Array.isArray(out['results']), line.name).toBe(true);
        for (const r of out['results'] as { quote: string; highlightSpans: [number, number][] }[]) {
          for (const [s, e] of r.highlightSpans) expect(s >= 0 && s < e && e <= r.quote.length, line.name).toBe(true);
        }
      }
      line.check?.(out);
    });
    logSummary([
      {
        fault: 'ask --jsonl hostile lines',
        cases: LINES.length + Math.ceil(LINES.length / 10) * BLANKS.length,
        outcome:
          `${LINES.length} answered in order (${LINES.filter((l) => l.expect === 'error').length} error objects), ` +
          `blank lines skipped, exit 0`,
      },
    ]);
  });

  it('keeps error messages short, whatever the size of the line', () => {
    for (const out of outputs)
      if (typeof out['error'] === 'string') expect((out['error'] as string).length).toBeLessThan(300);
  });

  it('answers nothing and exits 0 on an empty input', async () => {
    const empty = await runCli(['ask', '--jsonl', '--seeds', SEEDS], { DATA_DIR: dataDir(), LOG_LEVEL: 'warn' }, '');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
  });
});
