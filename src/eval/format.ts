import { count } from '../wording/index.js';
import type { EvalCounts, EvalMiss, EvalResult } from './evaluate.js';

/** French figures: comma decimals, a no-break space before %. */
const NBSP = '\u00a0';
const NNBSP = '\u202f';
const decimal = (x: number, digits: number): string => x.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (a: number, b: number): string => (b === 0 ? '–' : `${decimal((100 * a) / b, 1)}${NBSP}%`);
const frac = (a: number, b: number): string => (b === 0 ? '–' : `${a}/${b}`);

/** Kinds in the order of the evaluation README, then any other. */
const KINDS = ['fact', 'paraphrase', 'typo', 'english', 'keywords', 'open', 'noanswer'];

function row(label: string, ours: EvalCounts, plain: EvalCounts | undefined): string {
  const cells = (c: EvalCounts): string =>
    [frac(c.hit1, c.answerable), frac(c.hit3, c.answerable), c.answerable === 0 ? '–' : decimal(c.reciprocal / c.answerable, 3), frac(c.noAnswerRight, c.noAnswer)]
      .map((s) => s.padStart(7))
      .join(' ');
  return `${label.padEnd(18)}${String(ours.questions).padStart(4)}  ${cells(ours)}  │${plain ? cells(plain) : ''}`;
}

export function formatMisses(misses: readonly EvalMiss[]): string[] {
  const lines: string[] = [];
  for (const m of misses) {
    const where = m.expected.length === 0 ? 'aurait dû répondre « pas de réponse »' : m.rank === null ? (m.answered ? 'bonne réponse absente des résultats' : 'aucune réponse donnée') : `bonne réponse au rang ${m.rank}`;
    lines.push(`✗ ${m.id} [${m.kind}] ${m.topic ? `/${m.topic} ` : ''}${m.q} — ${where}`);
    if (m.expected.length) lines.push(`    attendu${NNBSP}: ${m.expected.join(' | ')}`);
    if (m.got[0]) lines.push(`    obtenu${NNBSP}: ${m.got[0].slice(0, 160)}`);
  }
  return lines;
}

/** « 80 questions (70 avec réponse, 10 sans réponse », agreed; the caller closes the parenthesis. */
function questionsLine(r: Pick<EvalResult, 'questions' | 'answerable' | 'noAnswer'>): string {
  return `${count(r.questions, 'question', { none: 'aucune' })} (${r.answerable} avec réponse, ${r.noAnswer} sans réponse`;
}

/** The summary lines of one system: what a reader (and the pre-stop hook) looks for. */
export function summaryLine(r: Pick<EvalResult, 'total'>): string {
  const c = r.total;
  return `hit@1 ${pct(c.hit1, c.answerable)}   hit@3 ${pct(c.hit3, c.answerable)}   MRR ${c.answerable ? decimal(c.reciprocal / c.answerable, 3) : '–'}   sans-réponse ${pct(c.noAnswerRight, c.noAnswer)}`;
}

/** One set's report: misses (optional), the table by kind and by half, ours beside plain MiniSearch's. */
export function formatSetReport(name: string, ours: EvalResult, plain: EvalResult | null, withMisses: boolean): string {
  const lines: string[] = [];
  if (withMisses) lines.push(...formatMisses(ours.misses), '');
  lines.push(`== ${name} ==`);
  lines.push(`${'genre'.padEnd(18)}${'q.'.padStart(4)}  ${['@1', '@3', 'MRR', 'sans-r.'].map((s) => s.padStart(7)).join(' ')}  │${plain ? ['@1', '@3', 'MRR', 'sans-r.'].map((s) => s.padStart(7)).join(' ') : ''}`);
  lines.push(`${''.padEnd(18)}${''.padStart(4)}  ${'nous'.padEnd(31)}  │${plain ? ' MiniSearch simple' : ''}`);
  const kinds = [...KINDS.filter((k) => k in ours.byKind), ...Object.keys(ours.byKind).filter((k) => !KINDS.includes(k)).sort()];
  for (const k of kinds) lines.push(row(k, ours.byKind[k]!, plain?.byKind[k]));
  lines.push(row('moitié réglage', ours.byHalf.tuning, plain?.byHalf.tuning));
  lines.push(row('moitié contrôle', ours.byHalf.checking, plain?.byHalf.checking));
  lines.push(row('total', ours.total, plain?.total));
  lines.push(`${questionsLine(ours)}${ours.total.hedged ? `, ${count(ours.total.hedged, 'réponse prudente', { none: 'aucune' })}` : ''})`);
  lines.push(`${summaryLine(ours)}   (nous)`);
  if (plain) lines.push(`MiniSearch simple (options par défaut, paragraphes)${NNBSP}: ${summaryLine(plain)}`);
  return lines.join('\n');
}

/** Kept for callers that print one result alone. */
export function formatEvaluation(r: EvalResult): string {
  return [...formatMisses(r.misses), `${questionsLine(r)})`, summaryLine(r)].join('\n');
}
