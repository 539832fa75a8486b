import { describe, expect, it } from 'vitest';
import { indexTerms, termsOfWord, tokenize } from '../../src/language/index.js';
import { analyzeQuestion, detectQuestionLanguage } from '../../src/language/index.js';

const terms = (s: string): string[] => tokenize(s, 'query').flatMap((t) => [...t.terms]);

describe('French analyzer', () => {
  it('drops elisions and stop words, splits on apostrophes and hyphens', () => {
    expect(terms('l’enceinte d’Orange qu’il lorsqu’on jusqu’au')).toEqual(['enceint', 'orang']);
    expect(terms('Deutsch-Telekom')).toEqual(['deutsch', 'telekom']);
  });

  it('gives singular and plural, accented and unaccented spellings the same term', () => {
    expect(terms('enceintes')).toEqual(terms('enceinte'));
    expect(terms('abonnés')).toEqual(terms('abonne'));
    expect(terms('remboursement')).toEqual(terms('remboursé'));
    expect(terms('Télécom')).toEqual(terms('telecom'));
    // Snowball stems these two spellings differently: the index holds both forms.
    expect(indexTerms('sécurité')).toEqual(
      expect.arrayContaining([...termsOfWord('securite', 'query'), ...termsOfWord('sécurité', 'query')]),
    );
  });

  it('keeps numbers, decimals whole and as their integer part in the index', () => {
    expect(terms('149€ et 4.74% en 2017, 3 millions')).toEqual(['149', '4.74', '2017', '3', 'million']);
    expect(indexTerms('99,99 €')).toEqual(['99.99', '99']);
    expect(terms('99,99')).toEqual(terms('99.99'));
  });

  it('indexes hashtags and CamelCase words as their parts too', () => {
    expect(indexTerms('#SemaineXiaomiOrange')).toEqual(['semainexiaomiorang', 'semain', 'xiaom', 'orang']);
  });

  it('gives offsets that point at the words in the text', () => {
    const text = 'Le prix de l’enceinte : 149 €.';
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end)).toBe(t.surface);
  });
});

describe('questions', () => {
  it.each([
    ['When did the Djingo speaker launch?', 'eng'],
    ['How much was the refund?', 'eng'],
    ['What is Redmi?', 'eng'],
    ['Quand Djingo a-t-il été lancé ?', 'fra'],
    ['Combien coûtait l’enceinte ?', 'fra'],
    ['remboursement djingo delai', 'fra'],
    ['Djingo', 'fra'],
  ])('detects the language of %s', (q, lang) => {
    expect(detectQuestionLanguage(q)).toBe(lang);
  });

  it('carries common English words over to French terms', () => {
    const q = analyzeQuestion('When did the speaker launch?');
    expect(q.words.map((w) => w.surface)).toEqual(['speaker', 'launch']);
    expect(q.words[0]!.terms).toContain('enceint');
    expect(q.words[1]!.terms).toContain('lanc');
    expect(q.cue).toBe('date');
  });

  it('recognises what kind of answer is asked for', () => {
    expect(analyzeQuestion('Combien coûte-t-il ?').cue).toBe('price');
    expect(analyzeQuestion('Quel délai pour le remboursement ?').cue).toBe('duration');
    expect(analyzeQuestion('Quelle part des abonnés ?').cue).toBe('percent');
    expect(analyzeQuestion('Où déposer l’enceinte ?').cue).toBe('place');
    expect(analyzeQuestion('Que dit le patron ?').cue).toBeNull();
  });
});
