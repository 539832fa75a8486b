import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { findTopic, TOPICS } from './corpus/topics.js';
import { createLogger } from './logger.js';
import { ask } from './answer/index.js';
import type { Answer } from './answer/index.js';
import { evaluate, formatEvaluation, parseEvalFile } from './eval/index.js';
import { openIndex, rebuildIndex, type IndexReport } from './search/open-index.js';
import { renderAnswerText } from './wording/index.js';
import type { SearchIndex } from './search/search-index.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Utilisation :
  npm run ask -- [--topic SUJET] [--seeds DOSSIER] [--limit N] [--json] "question"
  npm run ask -- --jsonl [--seeds DOSSIER] < questions.jsonl
  npm run index -- [--seeds DOSSIER] [--json]
  npm run eval -- FICHIER.jsonl [--seeds DOSSIER]
Variables : SEEDS_DIR (dossier des articles, défaut seeds/), DATA_DIR (instantané de l’index, défaut data/).`;

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
}

function paths(values: { seeds?: string | undefined }, env: NodeJS.ProcessEnv): { seedsDir: string; dataDir: string } {
  return {
    seedsDir: path.resolve(values.seeds ?? env['SEEDS_DIR'] ?? path.join(PROJECT_ROOT, 'seeds')),
    dataDir: path.resolve(env['DATA_DIR'] ?? path.join(PROJECT_ROOT, 'data')),
  };
}

/** The JSON shape of an answer on the command line (documented in the README). */
export function answerToJson(answer: Answer): object {
  return {
    question: answer.question,
    topic: answer.topic,
    language: answer.language,
    answered: answer.answered,
    results: answer.results.map((r) => ({
      article: r.article,
      title: r.title,
      source: r.source,
      date: r.date,
      paragraph: r.paragraph,
      kind: r.kind,
      quote: r.quote,
      highlights: r.highlights.map((h) => r.quote.slice(h.start, h.end)),
      highlightSpans: r.highlights.map((h) => [h.start, h.end]),
      cutBefore: r.cutBefore,
      cutAfter: r.cutAfter,
      score: r.score,
    })),
    unmatched: answer.unmatched,
    articlesSearched: answer.articlesSearched,
    alsoAnsweredIn: answer.alsoAnsweredIn,
  };
}

function checkTopic(topic: string | null | undefined): string | null {
  if (topic === null || topic === undefined) return null;
  if (!findTopic(topic)) throw new UsageError(`sujet inconnu « ${topic} » (sujets : ${TOPICS.map((t) => t.name).join(', ')})`);
  return topic;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 25) throw new UsageError('--limit attend un entier de 1 à 25');
  return n;
}

async function runAsk(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      topic: { type: 'string', short: 't' },
      seeds: { type: 'string' },
      limit: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
    },
  });
  const limit = parseLimit(values.limit);
  const topic = checkTopic(values.topic);
  if (!values.jsonl && positionals.length === 0) throw new UsageError('il manque la question');
  const log = createLogger(io.env['LOG_LEVEL'] ?? 'warn', 'ask');
  const { index } = await openIndex({ ...paths(values, io.env), log });
  if (values.jsonl) return answerLines(index, limit, io);
  const answer = ask(index, positionals.join(' '), { topic, limit });
  if (values.json) io.out(JSON.stringify(answerToJson(answer)));
  else io.out(renderAnswerText(answer, io.isTty ? (s) => `\x1b[1m${s}\x1b[22m` : (s) => `**${s}**`));
  return 0;
}

/** One JSON answer per input line, in order; a bad line gets `{"error"}` and the batch goes on. */
async function answerLines(index: SearchIndex, limit: number, io: Io): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    io.out(JSON.stringify(answerLine(index, line, limit)));
  }
  return 0;
}

export function answerLine(index: SearchIndex, line: string, limit: number): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { error: 'ligne JSON invalide' };
  }
  if (typeof input !== 'object' || input === null || typeof (input as { q?: unknown }).q !== 'string') {
    return { error: 'objet attendu avec un champ "q" (texte)' };
  }
  const { q, topic } = input as { q: string; topic?: unknown };
  if (topic !== undefined && topic !== null && typeof topic !== 'string') return { error: '"topic" doit être un texte ou null' };
  try {
    return answerToJson(ask(index, q, { topic: checkTopic(topic), limit }));
  } catch (err) {
    return { error: err instanceof UsageError ? err.message : `erreur interne : ${(err as Error).message}` };
  }
}

function formatReport(report: IndexReport): string {
  const lines = [
    `${report.articles.length} article(s) indexé(s), ${report.rejected.length} fichier(s) refusé(s)` +
      (report.fromSnapshot ? ' (instantané réutilisé : articles inchangés)' : ''),
  ];
  for (const a of report.articles) {
    lines.push(`  ✓ ${a.file} — « ${a.title} » — ${[a.source, a.date].filter(Boolean).join(', ') || 'source et date inconnues'} — sujets : ${a.topics.join(', ') || 'aucun'} — ${a.passages} passages`);
  }
  for (const r of report.rejected) lines.push(`  ✗ ${r.file} : ${r.reason}`);
  if (report.saveError) lines.push(`Attention : instantané non enregistré (${report.saveError}).`);
  const t = report.timings;
  lines.push(`Durées : lecture ${t.readMs} ms, construction ${t.buildMs} ms, enregistrement ${t.saveMs} ms, total ${t.totalMs} ms`);
  return lines.join('\n');
}

async function runIndex(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { seeds: { type: 'string' }, json: { type: 'boolean' } } });
  const log = createLogger(io.env['LOG_LEVEL'] ?? 'warn', 'index');
  const report = await rebuildIndex({ ...paths(values, io.env), log });
  io.out(values.json ? JSON.stringify(report) : formatReport(report));
  return report.articles.length > 0 ? 0 : 1;
}

async function runEval(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seeds: { type: 'string' }, json: { type: 'boolean' } },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('il manque le fichier de questions (.jsonl)');
  const questions = parseEvalFile(await readFile(file, 'utf8'));
  const log = createLogger(io.env['LOG_LEVEL'] ?? 'warn', 'eval');
  const { index } = await openIndex({ ...paths(values, io.env), log });
  const result = evaluate(index, questions);
  io.out(values.json ? JSON.stringify(result) : formatEvaluation(result));
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'ask':
        return await runAsk(rest, io);
      case 'index':
        return await runIndex(rest, io);
      case 'eval':
        return await runEval(rest, io);
      default:
        throw new UsageError(command ? `commande inconnue « ${command} »` : 'il manque la commande');
    }
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`Erreur : ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
      io.err(`Erreur : ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const io: Io = {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    stdin: process.stdin,
    env: process.env,
    isTty: process.stdout.isTTY === true,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`Erreur inattendue : ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
