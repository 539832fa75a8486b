import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ROOT, SEEDS, SHARED, tempDir } from '../helpers.js';

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const input = new PassThrough();
  input.end(stdin);
  const env = { SEEDS_DIR: SEEDS, DATA_DIR: path.join(tempDir(), 'data'), LOG_LEVEL: 'silent' };
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: input, env, isTty: false });
  return { code, out, err };
}

describe('command line', () => {
  it('ask --json prints exactly one JSON object with the documented fields', async () => {
    const { code, out } = await run(['ask', '--json', '--topic', 'djingo', 'Combien coûtait l’enceinte ?']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const answer = JSON.parse(out[0]!) as Record<string, unknown> & { results: Record<string, unknown>[] };
    expect(answer).toMatchObject({ question: 'Combien coûtait l’enceinte ?', topic: 'djingo', language: 'fra', answered: true, unmatched: ['coûtait'] });
    expect(Object.keys(answer.results[0]!)).toEqual(expect.arrayContaining(['article', 'title', 'source', 'date', 'paragraph', 'quote', 'highlights', 'score']));
    expect(answer.results[0]!['quote']).toMatch(/149/);
  });

  it('ask prints the quote, its attribution and the French date', async () => {
    const { out } = await run(['ask', '--topic', 'djingo', 'Combien coûtait l’enceinte ?']);
    const text = out.join('\n');
    expect(text).toMatch(/\*\*enceintes?\*\*/);
    expect(text).toContain('octobre 2020');
    expect(text).toContain('paragraphe 3');
  });

  it('ask --jsonl answers every line in order, with an error object for bad lines', async () => {
    const lines = [
      JSON.stringify({ q: 'Combien coûtait l’enceinte ?', topic: 'djingo' }),
      'not json',
      JSON.stringify({ q: 'Combien ?', topic: 'licornes' }),
      JSON.stringify({ topic: null }),
      JSON.stringify({ q: 'Quelle est la capitale du Japon ?', topic: null }),
    ].join('\n');
    const { code, out } = await run(['ask', '--jsonl'], lines);
    expect(code).toBe(0);
    const objects = out.map((l) => JSON.parse(l) as { answered?: boolean; error?: string });
    expect(objects).toHaveLength(5);
    expect(objects[0]!.answered).toBe(true);
    expect(objects[1]!.error).toMatch(/JSON/);
    expect(objects[2]!.error).toMatch(/licornes/);
    expect(objects[3]!.error).toMatch(/"q"/);
    expect(objects[4]!.answered).toBe(false);
  });

  it('index --json reports articles and rejected files', async () => {
    const { code, out } = await run(['index', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out[0]!) as { articles: { file: string; topics: string[] }[]; rejected: unknown[] };
    expect(report.articles.map((a) => a.file)).toHaveLength(3);
    expect(report.rejected).toEqual([]);
  });

  it('index exits non-zero when no article at all can be indexed', async () => {
    const empty = tempDir();
    const { code } = await run(['index', '--seeds', empty]);
    expect(code).toBe(1);
  });

  it('eval prints the metrics', async () => {
    const { code, out } = await run(['eval', path.join(SHARED, 'eval', 'questions.sample.jsonl')]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/hit@1 100\.0 %\s+hit@3 100\.0 %\s+MRR 1\.000\s+sans-réponse 100\.0 %/);
  });

  it('rejects an unknown topic or a missing question with usage and exit code 2', async () => {
    expect((await run(['ask', '--topic', 'licornes', 'x'])).code).toBe(2);
    expect((await run(['ask'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('runs as `npm run ask` would, with only the JSON on stdout', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'ask', '--json', 'Quand Djingo a-t-il été lancé ?'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: path.join(tempDir(), 'data') },
    });
    const answer = JSON.parse(stdout) as { results: { quote: string }[] };
    expect(answer.results[0]!.quote).toContain('avril 2017');
  });
});
