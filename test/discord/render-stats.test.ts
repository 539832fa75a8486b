import { describe, expect, it } from 'vitest';
import { LIMITS, renderStats } from '../../src/discord/render/index.js';
import type { StatsSummary } from '../../src/stats/index.js';

const N = '\u202f';
const none = { asked: 0, answered: 0, hedged: 0, unanswered: 0 };

function summary(over: Partial<StatsSummary> = {}): StatsSummary {
  return {
    retentionDays: 90,
    last7: { asked: 12, answered: 7, hedged: 2, unanswered: 3 },
    last30: { asked: 40, answered: 30, hedged: 6, unanswered: 4 },
    topUnanswered: [
      { question: 'Combien coûte l’enceinte ?', count: 3, lastAt: 0 },
      { question: 'Où l’acheter ?', count: 1, lastAt: 0 },
    ],
    feedback: { up: 4, down: 1 },
    topQuoted: [{ file: 'djingo.txt', title: 'L’enceinte Djingo', count: 5 }],
    ...over,
  };
}

describe('the /stats report', () => {
  it('gives the periods with French percentages, the top lists and the feedback', () => {
    const msg = renderStats(summary());
    const lines = msg.content.split('\n');
    expect(lines[0]).toBe('**Statistiques** (conservées 90 jours)');
    expect(lines[1]).toBe(
      `7 derniers jours${N}: 12 questions — 58,3${N}% répondues, 16,7${N}% avec réserve, 25${N}% sans réponse`,
    );
    expect(lines[2]).toBe(
      `30 derniers jours${N}: 40 questions — 75${N}% répondues, 15${N}% avec réserve, 10${N}% sans réponse`,
    );
    expect(msg.content).toContain(`Avis (30 derniers jours)${N}: 4 👍 · 1 👎`);
    expect(msg.content).toContain(`**Questions sans réponse les plus posées** (30 derniers jours)${N}:`);
    expect(msg.content).toContain('1. «\u00a0Combien coûte l’enceinte ?\u00a0» — 3 fois');
    expect(msg.content).toContain('2. «\u00a0Où l’acheter ?\u00a0» — 1 fois');
    expect(msg.content).toContain(
      `**Articles les plus cités** (30 derniers jours)${N}:\n1. «\u00a0*L’enceinte Djingo*\u00a0» — 5 fois`,
    );
    expect(msg.allowedMentions).toEqual({ parse: [] });
    expect(msg.components).toEqual([]);
  });

  it('says « aucune question » for an empty period, never dividing by zero', () => {
    const msg = renderStats(
      summary({ last7: none, last30: none, topUnanswered: [], topQuoted: [], feedback: { up: 0, down: 0 } }),
    );
    expect(msg.content).toContain(`7 derniers jours${N}: aucune question\n30 derniers jours${N}: aucune question`);
    expect(msg.content).not.toMatch(/NaN|Infinity/u);
    expect(msg.content).toContain(`Avis (30 derniers jours)${N}: aucun`);
    expect(msg.content).toContain(`**Questions sans réponse les plus posées**${N}: aucune sur les 30 derniers jours`);
    expect(msg.content).toContain(`**Articles les plus cités**${N}: aucun sur les 30 derniers jours`);
  });

  it('agrees with one question and one day', () => {
    const one = { asked: 1, answered: 1, hedged: 0, unanswered: 0 };
    const msg = renderStats(summary({ retentionDays: 1, last7: one, last30: one }));
    expect(msg.content).toContain('(conservées 1 jour)');
    expect(msg.content).toContain(
      `7 derniers jours${N}: 1 question — 100${N}% répondue, 0${N}% avec réserve, 0${N}% sans`,
    );
  });

  it('groups thousands with a narrow no-break space', () => {
    const big = { asked: 12345, answered: 12345, hedged: 0, unanswered: 0 };
    const msg = renderStats(summary({ last30: big, feedback: { up: 1500, down: 2 } }));
    expect(msg.content).toContain(`12${N}345 questions`);
    expect(msg.content).toContain(`1${N}500 👍 · 2 👎`);
  });

  it('makes member questions inert: markdown escaped, mentions broken', () => {
    const msg = renderStats(
      summary({ topUnanswered: [{ question: '**gras** @everyone <@123456789012345678> ||x||', count: 2, lastAt: 0 }] }),
    );
    expect(msg.content).not.toContain('**gras**');
    expect(msg.content).toContain('\\*\\*gras\\*\\*');
    expect(msg.content).not.toMatch(/@everyone|<@\d/u);
    expect(msg.content).not.toContain('||x||');
  });

  it('always fits in 2,000 characters, however long and markdown-heavy the questions and titles', () => {
    for (const char of ['a', '*', '_', '<@1>']) {
      const long = Array.from({ length: 200 }, (_, i) => (i % 5 === 4 ? ' ' : char)).join('');
      const msg = renderStats(
        summary({
          retentionDays: 3650,
          topUnanswered: Array.from({ length: 10 }, (_, i) => ({
            question: `${i} ${long}`,
            count: 10_000 - i,
            lastAt: 0,
          })),
          topQuoted: Array.from({ length: 10 }, (_, i) => ({ file: `f${i}.txt`, title: `${i} ${long}`, count: 9_999 })),
        }),
      );
      expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
      // Every entry is still there, cut shorter, rather than the list being dropped.
      expect(msg.content).toContain('10. «');
      expect(msg.content.match(/ fois$/gmu)).toHaveLength(20);
    }
  });

  it('shows the file of an article without a title', () => {
    const msg = renderStats(summary({ topQuoted: [{ file: 'sans-titre.txt', title: '  ', count: 2 }] }));
    expect(msg.content).toContain('1. «\u00a0*sans-titre.txt*\u00a0» — 2 fois');
  });
});
