import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { findTopic, TopicsFileError } from '../corpus/index.js';
import { createLogger } from '../logger.js';
import { ask } from '../answer/index.js';
import type { Answer } from '../answer/index.js';
import { DEFAULT_DATA_DIR, DEFAULT_SEEDS_DIR, PROJECT_ROOT } from '../config.js';
import { EvalUsageError, formatOutcomes, runEvaluation } from '../eval/index.js';
import { openIndex, rebuildIndex, type IndexReport, type SearchIndex } from '../index/index.js';
import { count, formatNumber, guillemets, NNBSP, renderAnswerText } from '../wording/index.js';

const USAGE = `Utilisation${NNBSP}:
  npm run ask -- [--topic SUJET] [--seeds DOSSIER] [--limit N] [--json] "question"
  npm run ask -- --jsonl [--seeds DOSSIER] < questions.jsonl
  npm run index -- [--seeds DOSSIER] [--json]
  npm run eval -- [--set NOM]… [--misses] [--json]   (ensembles de test/fixtures/eval/sets.json, tous par défaut)
  npm run eval -- FICHIER.jsonl… [--seeds DOSSIER]… [--json]   (un dossier pour tous les fichiers, ou un par fichier)
Variables${NNBSP}: SEEDS_DIR (dossier des articles, défaut seeds/), DATA_DIR (instantané de l’index, défaut data/).`;

class UsageError extends Error {}

/** A folder or file the command needs is missing or unreadable: a French sentence, exit code 2, no usage. */
class PathError extends Error {}

const FS_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/** What is wrong with a path, as the end of a French sentence (« … est introuvable »). */
function pathProblem(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'est introuvable';
    case 'EACCES':
    case 'EPERM':
      return 'n’est pas accessible (permission refusée)';
    case 'EISDIR':
      return 'est un dossier, pas un fichier';
    case 'ELOOP':
      return 'est un lien symbolique qui boucle';
    case 'ENAMETOOLONG':
      return 'a un nom trop long';
    default:
      return `est illisible (${code ?? 'erreur'})`;
  }
}

/** Checks the seeds folder before anything reads it, so a mistyped `--seeds` says so in French. */
function checkSeedsDir(dir: string): void {
  const what = `le dossier d’articles ${guillemets(dir)}`;
  try {
    if (!statSync(dir).isDirectory()) throw new PathError(`${what} n’est pas un dossier`);
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (err) {
    if (err instanceof PathError) throw err;
    throw new PathError(`${what} ${pathProblem((err as NodeJS.ErrnoException).code)}`);
  }
}

/** A file-system error that reached the top, named by what the command was reading. */
function fsErrorMessage(err: NodeJS.ErrnoException, command: string | undefined): string {
  const file = err.syscall === 'open' || err.syscall === 'read';
  const what = file ? (command === 'eval' ? 'le fichier de questions' : 'le fichier') : 'le dossier d’articles';
  return `${what}${err.path ? ` ${guillemets(err.path)}` : ''} ${pathProblem(err.code)}`;
}

/** node:util parseArgs errors (ERR_PARSE_ARGS_*), in French, naming the option or argument. */
function parseArgsMessage(err: NodeJS.ErrnoException): string {
  const m = err.message;
  const option = /^Option '(.*?)(?: <value>)?' /su.exec(m)?.[1]?.split(', ').pop();
  switch (err.code) {
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && / argument missing/u.test(m)) return `l’option ${option} attend une valeur`;
      if (option && / does not take an argument/u.test(m)) return `l’option ${option} ne prend pas de valeur`;
      return option ? `valeur invalide pour l’option ${option}` : 'valeur d’option invalide';
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = /^Unknown option '(.*?)'(?:\. To specify|$)/su.exec(m)?.[1] ?? '?';
      return (
        `option inconnue ${guillemets(name)} (une question qui commence par « - » se ` +
        `place après « -- »${NNBSP}: -- "${name}")`
      );
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /^Unexpected argument '(.*)'\. This command/su.exec(m)?.[1] ?? '?';
      return `argument inattendu ${guillemets(arg)}${NNBSP}: cette commande n’en prend pas`;
    }
    default:
      return 'arguments invalides';
  }
}

/** The last resort: the message only, the stack too when LOG_LEVEL=debug (or trace). */
export function unexpectedErrorText(err: unknown, env: NodeJS.ProcessEnv): string {
  const message = err instanceof Error ? err.message : String(err);
  const debug = ['debug', 'trace'].includes(env['LOG_LEVEL'] ?? '');
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return `Erreur inattendue${NNBSP}: ${message}${stack}`;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
}

/** The seeds folder (checked: it must be a readable folder) and the data folder. */
function paths(values: { seeds?: string | undefined }, env: NodeJS.ProcessEnv): { seedsDir: string; dataDir: string } {
  const seedsDir = path.resolve(values.seeds ?? env['SEEDS_DIR'] ?? DEFAULT_SEEDS_DIR);
  checkSeedsDir(seedsDir);
  return { seedsDir, dataDir: path.resolve(env['DATA_DIR'] ?? DEFAULT_DATA_DIR) };
}

/** The JSON shape of an answer on the command line (documented in the README). */
export function answerToJson(answer: Answer): object {
  return {
    question: answer.question,
    topic: answer.topic,
    language: answer.language,
    answered: answer.answered,
    hedged: answer.hedged,
    confidence: Math.round(answer.confidence * 100) / 100,
    emptyQuestion: answer.emptyQuestion,
    questionCut: answer.questionCut,
    results: answer.results.map((r) => ({
      article: r.article,
      title: r.title,
      source: r.source,
      date: r.date,
      url: r.url,
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

/** A topic the index defines (from its seeds folder's topics file), or null for every topic. */
function checkTopic(index: SearchIndex, topic: string | null | undefined): string | null {
  if (topic === null || topic === undefined) return null;
  const topics = index.corpus.topics;
  if (!findTopic(topics, topic)) {
    const known = topics.length > 0 ? topics.map((t) => t.name).join(', ') : 'aucun';
    throw new UsageError(`sujet inconnu ${guillemets(topic)} (sujets${NNBSP}: ${known})`);
  }
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
  if (!values.jsonl && positionals.length === 0) throw new UsageError('il manque la question');
  const log = createLogger(io.env['LOG_LEVEL'] ?? 'warn', 'ask');
  const { index } = await openIndex({ ...paths(values, io.env), log });
  const topic = checkTopic(index, values.topic);
  if (values.jsonl) return answerLines(index, limit, io);
  const answer = ask(index, positionals.join(' '), { topic, limit });
  if (values.json) io.out(JSON.stringify(answerToJson(answer)));
  // Bold only where the terminal shows it; piped output gets the plain text, no markup at all.
  else io.out(renderAnswerText(answer, io.isTty ? (s) => `\x1b[1m${s}\x1b[22m` : (s) => s));
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
  if (topic !== undefined && topic !== null && typeof topic !== 'string')
    return { error: '"topic" doit être un texte ou null' };
  try {
    return answerToJson(ask(index, q, { topic: checkTopic(index, topic), limit }));
  } catch (err) {
    return { error: err instanceof UsageError ? err.message : `erreur interne${NNBSP}: ${(err as Error).message}` };
  }
}

function formatReport(report: IndexReport): string {
  const indexed = count(report.articles.length, 'article indexé');
  const counts = `${indexed}, ${count(report.rejected.length, 'fichier refusé')}`;
  const lines = [
    counts.charAt(0).toUpperCase() +
      counts.slice(1) +
      (report.fromSnapshot ? ` (instantané réutilisé${NNBSP}: articles inchangés)` : ''),
  ];
  for (const a of report.articles) {
    const topics = a.topics.length > 0 ? `sujets${NNBSP}: ${a.topics.join(', ')}` : 'aucun sujet';
    lines.push(
      `  ✓ ${a.file} — ${guillemets(a.title)} ` +
        `— ${[a.source, a.date].filter(Boolean).join(', ') || 'source et date inconnues'} ` +
        `— ${topics} — ${count(a.passages, 'passage')}`,
    );
  }
  for (const r of report.rejected) lines.push(`  ✗ ${r.file}${NNBSP}: ${r.reason}`);
  if (report.articles.length === 0 && !report.fromSnapshot)
    lines.push(`Aucun article indexé${NNBSP}: l’instantané précédent est conservé tel quel.`);
  if (report.saveError) lines.push(`Attention${NNBSP}: instantané non enregistré (${report.saveError}).`);
  const t = report.timings;
  const ms = (n: number): string => `${formatNumber(n, 1)}${NNBSP}ms`;
  const save = report.saved ? `, enregistrement ${ms(t.saveMs)}` : '';
  lines.push(`Durées${NNBSP}: lecture ${ms(t.readMs)}, construction ${ms(t.buildMs)}${save}, total ${ms(t.totalMs)}`);
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
    options: {
      seeds: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      misses: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const seeds = values.seeds ?? [];
  if (positionals.length === 0 && seeds.length > 0)
    throw new UsageError(
      '--seeds va avec des fichiers de questions (les ensembles ont leurs dossiers dans test/fixtures/eval/sets.json)',
    );
  // Misses are listed by default for question files given by hand (as always), on request for the sets.
  const misses = values.misses ?? positionals.length > 0;
  try {
    const outcomes = await runEvaluation({
      root: PROJECT_ROOT,
      files: positionals,
      seeds:
        positionals.length === 0
          ? []
          : seeds.length > 0
            ? seeds.map((d) => paths({ seeds: d }, io.env).seedsDir)
            : [paths({}, io.env).seedsDir],
      sets: values.set ?? [],
    });
    io.out(values.json ? JSON.stringify(outcomes) : formatOutcomes(outcomes, misses));
    return 0;
  } catch (err) {
    if (err instanceof EvalUsageError) throw new UsageError(err.message);
    throw err;
  }
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
        throw new UsageError(command ? `commande inconnue ${guillemets(command)}` : 'il manque la commande');
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      const message = err instanceof UsageError ? err.message : parseArgsMessage(err as NodeJS.ErrnoException);
      io.err(`Erreur${NNBSP}: ${message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof TopicsFileError) {
      io.err(`Erreur${NNBSP}: ${err.message}`);
      return 2;
    }
    if (err instanceof PathError || (typeof code === 'string' && FS_CODES.has(code))) {
      const reason = err instanceof PathError ? err.message : fsErrorMessage(err as NodeJS.ErrnoException, command);
      io.err(`Erreur${NNBSP}: ${reason}`);
      return 2;
    }
    io.err(unexpectedErrorText(err, io.env));
    return 1;
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
      process.stderr.write(`${unexpectedErrorText(err, process.env)}\n`);
      process.exitCode = 1;
    },
  );
}
