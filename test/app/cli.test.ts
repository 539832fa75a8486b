import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/app/cli.js';
import { ROOT, SEEDS, SHARED, tempDir } from '../helpers.js';

async function run(
  argv: string[],
  stdin = '',
  options: { isTty?: boolean; env?: Record<string, string>; outFails?: Error } = {},
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const input = new PassThrough();
  input.end(stdin);
  const env = { SEEDS_DIR: SEEDS, DATA_DIR: path.join(tempDir(), 'data'), LOG_LEVEL: 'silent', ...options.env };
  const write = (s: string): void => {
    if (options.outFails) throw options.outFails;
    out.push(s);
  };
  const code = await main(argv, {
    out: write,
    err: (s) => err.push(s),
    stdin: input,
    env,
    isTty: options.isTty ?? false,
  });
  return { code, out, err };
}

describe('command line', () => {
  it('ask --json prints exactly one JSON object with the documented fields', async () => {
    const { code, out } = await run(['ask', '--json', '--topic', 'djingo', 'Combien coûtait l’enceinte ?']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const answer = JSON.parse(out[0]!) as Record<string, unknown> & { results: Record<string, unknown>[] };
    expect(answer).toMatchObject({
      question: 'Combien coûtait l’enceinte ?',
      topic: 'djingo',
      language: 'fra',
      answered: true,
    });
    expect(Object.keys(answer.results[0]!)).toEqual(
      expect.arrayContaining(['article', 'title', 'source', 'date', 'paragraph', 'quote', 'highlights', 'score']),
    );
    expect(answer.results[0]!['quote']).toMatch(/149/);
  });

  it('ask prints the quote, its attribution and the French date', async () => {
    const { out } = await run(['ask', '--topic', 'djingo', 'Combien coûtait l’enceinte ?']);
    const text = out.join('\n');
    expect(text).toMatch(/ enceintes? /u);
    expect(text).toContain('octobre 2020');
    expect(text).toContain('paragraphe 3');
  });

  it('ask marks matched words with the terminal’s bold on a TTY, and with no markup at all otherwise', async () => {
    const argv = ['ask', '--topic', 'djingo', 'Combien coûtait l’enceinte ?'];
    const piped = (await run(argv)).out.join('\n');
    expect(piped).not.toContain('**');
    expect(piped).not.toContain('\x1b[');
    const tty = (await run(argv, '', { isTty: true })).out.join('\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's bold is an ANSI escape sequence.
    expect(tty).toMatch(/\x1b\[1menceintes?\x1b\[22m/u);
    expect(tty).not.toContain('**');
  });

  it('ask agrees the count of articles searched and suggests --topic, not /topic', async () => {
    const { out } = await run(['ask', '--topic', 'xiaomi', 'Combien coûtait l’enceinte Djingo ?']);
    const text = out.join('\n');
    expect(text).toContain('(sujet xiaomi, 1 article consulté)');
    expect(text).not.toContain('consultés');
    if (text.includes('Essayez plutôt')) {
      expect(text).toContain('--topic djingo');
      expect(text).not.toContain('/djingo');
    }
  });

  it('ask --json carries hedged, confidence (2 decimals), emptyQuestion and questionCut', async () => {
    const answered = JSON.parse((await run(['ask', '--json', 'Combien coûtait l’enceinte ?'])).out[0]!) as Record<
      string,
      unknown
    >;
    expect(typeof answered['hedged']).toBe('boolean');
    expect(answered['confidence']).toBeTypeOf('number');
    expect(Math.round((answered['confidence'] as number) * 100) / 100).toBe(answered['confidence']);
    expect(answered).toMatchObject({ emptyQuestion: false, questionCut: false });
    const empty = JSON.parse((await run(['ask', '--json', '?! 🙂'])).out[0]!) as Record<string, unknown>;
    expect(empty).toMatchObject({
      answered: false,
      hedged: false,
      confidence: 0,
      emptyQuestion: true,
      questionCut: false,
    });
    const long = JSON.parse((await run(['ask', '--json', `${'enceinte '.repeat(80)}prix`])).out[0]!) as Record<
      string,
      unknown
    >;
    expect(long).toMatchObject({ questionCut: true, emptyQuestion: false });
  });

  it('ask answers an empty question with the « question vide » message', async () => {
    const { code, out } = await run(['ask', '…']);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Votre question est vide\u202f: écrivez quelques mots');
    expect(out.join('\n')).not.toContain('aucun passage');
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

  it('index of an empty folder leaves the saved snapshot in place and says so in French', async () => {
    const dataDir = path.join(tempDir(), 'data');
    expect((await run(['index'], '', { env: { DATA_DIR: dataDir } })).code).toBe(0);
    const snapshot = path.join(dataDir, 'index-snapshot.bin');
    const before = readFileSync(snapshot);
    const { code, out } = await run(['index', '--seeds', tempDir()], '', { env: { DATA_DIR: dataDir } });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('Aucun article indexé, aucun fichier refusé');
    expect(out.join('\n')).toContain('l’instantané précédent est conservé');
    expect(readFileSync(snapshot).equals(before)).toBe(true);
    const json = JSON.parse(
      (await run(['index', '--json', '--seeds', tempDir()], '', { env: { DATA_DIR: dataDir } })).out[0]!,
    ) as { saved: boolean };
    expect(json.saved).toBe(false);
    expect(statSync(snapshot).size).toBe(before.length);
    const ask = JSON.parse(
      (await run(['ask', '--json', 'Combien coûtait l’enceinte ?'], '', { env: { DATA_DIR: dataDir } })).out[0]!,
    ) as { answered: boolean };
    expect(ask.answered).toBe(true);
  });

  it('index reports counts that agree and durations with a decimal comma', async () => {
    const { out } = await run(['index']);
    const text = out.join('\n');
    expect(text).toContain('3 articles indexés, aucun fichier refusé');
    expect(text).not.toMatch(/\(s\)/u);
    expect(text).toMatch(/\d+ passages/u);
    expect(text).toMatch(
      new RegExp(
        String.raw`Durées\u202f: lecture \d+,\d\u202fms, construction \d+,\d\u202fms, ` +
          String.raw`enregistrement \d+,\d\u202fms, total \d+,\d\u202fms`,
        'u',
      ),
    );
    expect(text).not.toMatch(/\d\.\d/u);
  });

  it('eval prints the metrics', async () => {
    const { code, out } = await run(['eval', path.join(SHARED, 'eval', 'questions.sample.jsonl')]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/hit@1 100,0\u00a0%\s+hit@3 100,0\u00a0%\s+MRR 1,000\s+sans-réponse 100,0\u00a0%/u);
    // Plain MiniSearch on the same questions, in the same run.
    expect(out.join('\n')).toMatch(/MiniSearch simple.*hit@1 \d+,\d\u00a0%/u);
  });

  it('rejects an unknown topic or a missing question with usage and exit code 2', async () => {
    expect((await run(['ask', '--topic', 'licornes', 'x'])).code).toBe(2);
    expect((await run(['ask'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('says what is wrong with the options in French, naming the option, exit code 2', async () => {
    const cases: [string[], string][] = [
      [['ask', '--topic'], 'Erreur\u202f: l’option --topic attend une valeur'],
      [['ask', '-t'], 'Erreur\u202f: l’option --topic attend une valeur'],
      [['ask', '--json=oui', 'x'], 'Erreur\u202f: l’option --json ne prend pas de valeur'],
      [['ask', '--frobnicate', 'x'], 'Erreur\u202f: option inconnue «\u00a0--frobnicate\u00a0»'],
      [['index', 'l’enceinte'], 'Erreur\u202f: argument inattendu «\u00a0l’enceinte\u00a0»'],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.join('\n')).toContain(message);
      expect(err.join('\n')).toContain('Utilisation');
      expect(err.join('\n')).not.toMatch(/Option '|Unknown option|Unexpected argument|argument missing/u);
    }
  });

  it('says in French that the seeds folder or the questions file is missing, exit code 2, no stack', async () => {
    for (const command of [['ask', 'x'], ['index'], ['eval', path.join(SHARED, 'eval', 'questions.sample.jsonl')]]) {
      const { code, err } = await run([...command, '--seeds', '/nope']);
      expect(code).toBe(2);
      expect(err).toEqual(['Erreur\u202f: le dossier d’articles «\u00a0/nope\u00a0» est introuvable']);
    }
    const file = path.join(tempDir(), 'fichier.txt');
    writeFileSync(file, 'x');
    expect((await run(['ask', '--seeds', file, 'x'])).err).toEqual([
      `Erreur\u202f: le dossier d’articles «\u00a0${file}\u00a0» n’est pas un dossier`,
    ]);
    const missing = await run(['eval', '/nope/questions.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([
      'Erreur\u202f: le fichier de questions «\u00a0/nope/questions.jsonl\u00a0» est introuvable',
    ]);
  });

  it('reports an unexpected error by its message only, the stack only when LOG_LEVEL=debug', async () => {
    const outFails = new Error('flux coupé');
    const plain = await run(['ask', 'Djingo'], '', { outFails });
    expect(plain.code).toBe(1);
    expect(plain.err).toEqual(['Erreur inattendue\u202f: flux coupé']);
    const debug = await run(['ask', 'Djingo'], '', { outFails, env: { LOG_LEVEL: 'debug' } });
    expect(debug.code).toBe(1);
    expect(debug.err.join('\n')).toMatch(/^Erreur inattendue\u202f: flux coupé\nError: flux coupé\n\s+at /u);
  });

  it('runs as `npm run ask` would, with only the JSON on stdout', async () => {
    const cli = path.join(ROOT, 'src', 'app', 'cli.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cli, 'ask', '--json', 'Quand Djingo a-t-il été lancé ?'],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: path.join(tempDir(), 'data') },
      },
    );
    const answer = JSON.parse(stdout) as { results: { quote: string }[] };
    expect(answer.results[0]!.quote).toContain('avril 2017');
  });
});
