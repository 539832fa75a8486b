import { describe, expect, it } from 'vitest';
import { cleanQuestion, QUESTION_MAX, questionKey } from '../../src/stats/index.js';

describe('question text for the statistics', () => {
  it('is stored trimmed, whitespace collapsed, at most 200 characters', () => {
    expect(cleanQuestion('  Combien\n\tcoûte   l’enceinte ?  ')).toBe('Combien coûte l’enceinte ?');
    const long = cleanQuestion(`${'mot '.repeat(100)}fin`);
    expect(QUESTION_MAX).toBe(200);
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.startsWith('mot mot')).toBe(true);
    expect(long.endsWith(' ')).toBe(false);
  });

  it('never cuts an emoji in half at the limit', () => {
    const text = cleanQuestion(`${'a'.repeat(199)}😀`);
    expect(text).toBe('a'.repeat(199));
  });

  it('groups wordings: case, accents, apostrophes, punctuation and spaces do not matter', () => {
    const key = questionKey('Combien coûte l’enceinte ?');
    expect(key).toBe('combien coute l enceinte');
    expect(questionKey("combien coute l'enceinte")).toBe(key);
    expect(questionKey('  COMBIEN   côute l enceinte!!! ')).toBe(key);
    expect(questionKey('Qu’en dit le Cœur ?')).toBe('qu en dit le coeur');
    expect(questionKey('Combien coûte le haut-parleur ?')).not.toBe(key);
    expect(questionKey('?!…')).toBe('');
  });
});
