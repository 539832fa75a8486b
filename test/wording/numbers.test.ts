import { describe, expect, it } from 'vitest';
import { agree, count, formatNumber } from '../../src/wording/index.js';

describe('French numbers and agreement', () => {
  it('agrees a noun with 0, 1 and many (singular below 2)', () => {
    expect(count(0, 'article consulté')).toBe('aucun article consulté');
    expect(count(1, 'article consulté')).toBe('1 article consulté');
    expect(count(3, 'article consulté')).toBe('3 articles consultés');
    expect(count(0, 'question', { none: 'aucune' })).toBe('aucune question');
    expect(count(0, 'modifié', { none: null })).toBe('0 modifié');
    expect(count(2, 'passage')).toBe('2 passages');
    expect(count(2, 'prix')).toBe('2 prix');
    expect(agree(1, 'Ce mot n’apparaît', 'Ces mots n’apparaissent')).toBe('Ce mot n’apparaît');
    expect(agree(2, 'Ce mot n’apparaît', 'Ces mots n’apparaissent')).toBe('Ces mots n’apparaissent');
    expect(agree(1.5, 'million')).toBe('million');
  });

  it('writes decimals with a comma and groups thousands with a narrow no-break space', () => {
    expect(formatNumber(1.3)).toBe('1,3');
    expect(formatNumber(100, 1)).toBe('100,0');
    expect(formatNumber(1.25, 1)).toBe('1,3');
    expect(formatNumber(12345.6, 1)).toBe('12\u202f345,6');
    expect(formatNumber(-1000)).toBe('-1\u202f000');
    expect(formatNumber(500)).toBe('500');
    expect(count(10000, 'article')).toBe('10\u202f000 articles');
  });
});
