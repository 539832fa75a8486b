import type { PeriodStats, StatsSummary } from '../../stats/index.js';
import { agree, count, formatNumber, guillemets, NNBSP } from '../../wording/index.js';
import { escapeForDiscord, shorten } from './escape.js';
import { body, fitLines, LIMITS, TITLE_MAX, type MessageBody } from './message.js';

/** `part` of `total` as a French percentage with at most one decimal: `58,3 %`, `25 %` (U+202F before %). */
function percent(part: number, total: number): string {
  return `${formatNumber(Math.round((part * 1000) / total) / 10)}${NNBSP}%`;
}

/** « 7 derniers jours : 12 questions — 58,3 % répondues, 16,7 % avec réserve, 25 % sans réponse ». */
function periodLine(label: string, p: PeriodStats): string {
  if (p.asked === 0) return `${label}${NNBSP}: aucune question`;
  const shares = [
    `${percent(p.answered, p.asked)} ${agree(p.asked, 'répondue')}`,
    `${percent(p.hedged, p.asked)} avec réserve`,
    `${percent(p.unanswered, p.asked)} sans réponse`,
  ];
  return `${label}${NNBSP}: ${count(p.asked, 'question', { none: 'aucune' })} — ${shares.join(', ')}`;
}

/** The lines of the report, member and article text cut to `max` characters before it is escaped. */
function statsLines(s: StatsSummary, max: number): string[] {
  const { up, down } = s.feedback;
  const feedback = up + down === 0 ? 'aucun' : `${formatNumber(up)} 👍 · ${formatNumber(down)} 👎`;
  const lines = [
    `**Statistiques** (conservées ${count(s.retentionDays, 'jour')})`,
    periodLine('7 derniers jours', s.last7),
    periodLine('30 derniers jours', s.last30),
    `Avis (30 derniers jours)${NNBSP}: ${feedback}`,
    '',
  ];
  if (s.topUnanswered.length === 0) {
    lines.push(`**Questions sans réponse les plus posées**${NNBSP}: aucune sur les 30 derniers jours`);
  } else {
    lines.push(`**Questions sans réponse les plus posées** (30 derniers jours)${NNBSP}:`);
    s.topUnanswered.forEach((q, i) => {
      lines.push(`${i + 1}. ${guillemets(escapeForDiscord(shorten(q.question, max)))} — ${formatNumber(q.count)} fois`);
    });
  }
  lines.push('');
  if (s.topQuoted.length === 0) {
    lines.push(`**Articles les plus cités**${NNBSP}: aucun sur les 30 derniers jours`);
  } else {
    lines.push(`**Articles les plus cités** (30 derniers jours)${NNBSP}:`);
    s.topQuoted.forEach((a, i) => {
      const title = escapeForDiscord(shorten(a.title.trim() || a.file, Math.min(max, TITLE_MAX)));
      lines.push(`${i + 1}. ${guillemets(`*${title}*`)} — ${formatNumber(a.count)} fois`);
    });
  }
  return lines;
}

/** Longest question and title shown, tried in turn until the report fits one message. */
const TEXT_MAX = [150, 100, 60, 30];

/**
 * The /stats report (sent ephemeral, to moderators): questions of the last 7 and 30 days and how they were
 * answered, feedback, the most asked questions without an answer and the articles quoted most. Questions come
 * from members: escaped and shown in « ». Texts are cut shorter until the report fits Discord's 2,000 characters.
 */
export function renderStats(summary: StatsSummary): MessageBody {
  let lines: string[] = [];
  for (const max of TEXT_MAX) {
    lines = statsLines(summary, max);
    const content = lines.join('\n');
    if (content.length <= LIMITS.content) return body(content);
  }
  return body(fitLines(lines));
}
