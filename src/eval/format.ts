import type { EvalCounts, EvalMiss, EvalResult } from './evaluate.js';
import { decimal, NNBSP, percent, plural, quoted } from './words.js';

const frac = (a: number, b: number): string => (b === 0 ? '–' : `${a}/${b}`);
const mrr = (c: EvalCounts): string => (c.answerable === 0 ? '–' : decimal(c.reciprocal / c.answerable, 3));

/** Kinds in the order of the evaluation README, then any other. */
const KINDS = ['fact', 'paraphrase', 'typo', 'english', 'keywords', 'open', 'noanswer'];

const LABEL = 16;
const CELL = 7;
const cell = (s: string): string => s.padStart(CELL);
/** hit@1, hit@3, MRR, no-answers refused. */
const FIGURES = ['@1', '@3', 'MRR', 'sans-r.'];
const figures = (c: EvalCounts): string[] => [
  frac(c.hit1, c.answerable),
  frac(c.hit3, c.answerable),
  mrr(c),
  frac(c.noAnswerRight, c.noAnswer),
];

function row(label: string, ours: EvalCounts, plain: EvalCounts | undefined): string {
  const left = [...figures(ours), String(ours.hedged)].map(cell).join(' ');
  return (
    `${label.padEnd(LABEL)}${String(ours.questions).padStart(4)} ${left} ` +
    `│${plain ? figures(plain).map(cell).join(' ') : ''}`
  );
}

export function formatMisses(misses: readonly EvalMiss[]): string[] {
  const lines: string[] = [];
  for (const m of misses) {
    const where =
      m.expected.length === 0
        ? `aurait dû répondre ${quoted('pas de réponse')}`
        : m.rank === null
          ? m.answered
            ? 'bonne réponse absente des résultats'
            : 'aucune réponse donnée'
          : `bonne réponse au rang ${m.rank}`;
    lines.push(`✗ ${m.id} [${m.kind}] ${m.topic ? `/${m.topic} ` : ''}${m.q} — ${where}`);
    if (m.expected.length) lines.push(`    attendu${NNBSP}: ${m.expected.join(' | ')}`);
    if (m.got[0]) lines.push(`    obtenu${NNBSP}: ${m.got[0].slice(0, 160)}`);
  }
  return lines;
}

/** The summary figures of one system, for a whole set: what a reader (and the pre-stop hook) looks for. */
export function summaryLine(r: Pick<EvalResult, 'total'>): string {
  const c = r.total;
  return (
    `hit@1 ${percent(c.hit1, c.answerable)}   ` +
    `hit@3 ${percent(c.hit3, c.answerable)}   MRR ${mrr(c)}   ` +
    `sans-réponse ${percent(c.noAnswerRight, c.noAnswer)}`
  );
}

function countsLine(r: EvalResult): string {
  const hedged = plural(
    r.total.hedged,
    'réponse prudente (comptée comme réponse)',
    'réponses prudentes (comptées comme réponses)',
  );
  const questions = plural(r.questions, 'question', 'questions');
  return `${questions} (${r.answerable} avec réponse, ${r.noAnswer} sans réponse), ${hedged}`;
}

/**
 * One set's report: misses (optional), then a table by kind, by half (tuning, checking) and in total, ours (with
 * the hedged answers) beside plain MiniSearch's, then the summary figures of both.
 */
export function formatSetReport(name: string, ours: EvalResult, plain: EvalResult | null, withMisses: boolean): string {
  const lines: string[] = [];
  if (withMisses && ours.misses.length > 0) lines.push(...formatMisses(ours.misses), '');
  const oursWidth = 5 * CELL + 4;
  lines.push(`== ${name} ==`);
  lines.push(`${''.padEnd(LABEL + 4)} ${'nous'.padEnd(oursWidth)} │${plain ? ' MiniSearch simple' : ''}`);
  lines.push(
    `${'genre'.padEnd(LABEL)}${'q.'.padStart(4)} ${[...FIGURES, 'prud.'].map(cell).join(' ')} ` +
      `│${plain ? FIGURES.map(cell).join(' ') : ''}`,
  );
  const kinds = [
    ...KINDS.filter((k) => Object.hasOwn(ours.byKind, k)),
    ...Object.keys(ours.byKind)
      .filter((k) => !KINDS.includes(k))
      .sort(),
  ];
  for (const k of kinds)
    lines.push(row(k, ours.byKind[k]!, plain && Object.hasOwn(plain.byKind, k) ? plain.byKind[k] : undefined));
  lines.push(row('moitié réglage', ours.byHalf.tuning, plain?.byHalf.tuning));
  lines.push(row('moitié contrôle', ours.byHalf.checking, plain?.byHalf.checking));
  lines.push(row('total', ours.total, plain?.total));
  lines.push(countsLine(ours));
  lines.push(`nous${NNBSP}: ${summaryLine(ours)}`);
  if (plain) lines.push(`MiniSearch simple (options par défaut, paragraphes)${NNBSP}: ${summaryLine(plain)}`);
  return lines.join('\n');
}
