import { describe, expect, it } from 'vitest';
import {
  analyzeQuestion,
  familyRoot,
  isFrenchWord,
  synonymTerms,
  termsOfWord,
  tokenize,
} from '../../src/language/index.js';

const surfaces = (q: string): string[] => analyzeQuestion(q).words.map((w) => w.surface);
const termsOf = (q: string): string[] => analyzeQuestion(q).words.flatMap((w) => w.terms);

describe('questions as people type them', () => {
  it('drops greetings, thanks and polite phrases', () => {
    const q =
      'Bonjour, je voudrais savoir comment me faire rembourser mon enceinte Djingo ' +
      'et si les frais d’envoi sont gratuits, merci d’avance !';
    expect(surfaces(q)).toEqual(['rembourser', 'enceinte', 'Djingo', 'frais', 'envoi', 'gratuits']);
    expect(surfaces('Salut, qui dirige Orange stp ? Thx')).toEqual(['dirige', 'Orange']);
  });

  it('reads informal and SMS forms as the words they stand for', () => {
    expect(analyzeQuestion('pk orange arrete djingo').cue).toBe('cause');
    expect(analyzeQuestion('sfr a perdu cmb de clients').cue).toBe('count');
    expect(analyzeQuestion('qd sort la box').cue).toBe('date');
    expect(termsOf('le boss de free')).toEqual(expect.arrayContaining([...termsOfWord('patron', 'query')]));
    expect(termsOf('combien de jobs')).toEqual(expect.arrayContaining([...termsOfWord('emplois', 'query')]));
    // « thunes » is money: the question asks for a price.
    expect(analyzeQuestion('Altice doit combien de thunes ?').cue).toBe('price');
  });

  it('reads number words and Discord shorthand as numbers', () => {
    expect(termsOfWord('deux', 'query')).toEqual(['2']);
    expect(termsOfWord('mille', 'index')).toEqual(['1000']);
    expect(termsOfWord('100k', 'query')).toEqual(['100000']);
    expect(termsOfWord('4K', 'query')).toEqual(['4k']);
    // Groups of three digits are one number, in the article as in the question.
    expect(tokenize('perdu 118 000 abonnés en 2019 100 000 fois').map((t) => t.terms[0])).toEqual([
      'perdu',
      '118000',
      'abon',
      '2019',
      '100000',
      'fois',
    ]);
    expect(tokenize('plus de 100.000 abonnés').flatMap((t) => t.terms)).toContain('100000');
    // « neuf » is also « new »: it stays a word.
    expect(termsOfWord('neuf', 'query')).not.toEqual(['9']);
  });

  it('finds word families Snowball leaves apart', () => {
    const root = (w: string): string => familyRoot(termsOfWord(w, 'query')[0]!);
    expect(root('fermeture')).toBe(root('fermer'));
    expect(root('construction')).toBe(root('construire'));
    expect(root('chinois')).toBe(root('Chine'));
    expect(root('producteur')).toBe(root('produire'));
    expect(root('vendeur')).toBe(root('vendre'));
    expect(root('emplois')).toBe(root('emploi'));
    expect(root('abonnement')).not.toBe(root('fermer'));
    // Short roots are left alone: « mois » is not « m ».
    expect(familyRoot('mois')).toBe('mois');
  });

  it('knows synonyms from the lexicon, in both directions', () => {
    const prix = termsOfWord('prix', 'query')[0]!;
    const tarif = termsOfWord('tarif', 'query')[0]!;
    expect(synonymTerms(prix)).toContain(tarif);
    expect(synonymTerms(tarif)).toContain(prix);
    expect(synonymTerms('zzzz')).toEqual([]);
  });

  it('tells a real French word from a typo', () => {
    expect(isFrenchWord('racheté')).toBe(true);
    expect(isFrenchWord('amande')).toBe(true);
    expect(isFrenchWord('urgance')).toBe(false);
  });

  it('ignores Discord mentions: who is pinged is not what is asked', () => {
    expect(surfaces('Combien coûtait l’enceinte ? @everyone <@&1300000000000000099> <@!42> <#7>')).toEqual([
      'coûtait',
      'enceinte',
    ]);
  });

  it('marks names and numbers, but not the first word of the question', () => {
    const words = analyzeQuestion('Combien coûte la PlayStation 5 ?').words;
    expect(words.find((w) => w.surface === 'PlayStation')?.salient).toBe('name');
    expect(words.find((w) => w.surface === '5')?.salient).toBe('number');
    expect(analyzeQuestion('Orange a lancé quoi ?').words.find((w) => w.surface === 'Orange')?.salient).toBeNull();
    expect(analyzeQuestion('Que fait SFR ?').words.find((w) => w.surface === 'SFR')?.salient).toBe('name');
  });

  it('takes a model code for a name, and a number with a unit for a number', () => {
    const salient = (q: string, surface: string): unknown =>
      analyzeQuestion(q).words.find((w) => w.surface === surface)?.salient;
    expect(salient('Le Huawei P40 il coûte combien ?', 'P40')).toBe('name');
    expect(salient('Le Galaxy S20 sort quand ?', 'S20')).toBe('name');
    expect(salient('La réunion de 10h a eu lieu ?', '10h')).toBe('number');
    expect(salient('Le réseau 5G arrive quand ?', '5G')).toBe('number');
    for (const unit of ['m2', 'm²', 'CO2', 'H2']) expect(salient(`Combien de ${unit} en tout ?`, unit)).toBe('number');
  });

  it('reads the kind of answer asked for', () => {
    const cue = (q: string): unknown => analyzeQuestion(q).cue;
    expect(cue('Qui a racheté Djingo ?')).toBe('person');
    expect(cue('Quand sort la box ?')).toBe('date');
    expect(cue('En quelle année Djingo est sorti ?')).toBe('year');
    expect(cue('Quel jour a lieu la conférence ?')).toBe('day');
    expect(cue('À quelle heure le site est revenu ?')).toBe('time');
    expect(cue('Combien de temps pour être remboursé ?')).toBe('duration');
    expect(cue('Combien coûte l’enceinte ?')).toBe('price');
    expect(cue('Combien de clients ont une enceinte ?')).toBe('count');
    expect(analyzeQuestion('Combien de clients ont une enceinte ?').cueNoun).toEqual(termsOfWord('clients', 'query'));
    expect(cue('Quelle part des abonnés ?')).toBe('percent');
    expect(cue('Où est l’usine ?')).toBe('place');
    expect(cue('Orange ou Free ?')).not.toBe('place');
    expect(cue('Pourquoi Orange arrête ?')).toBe('cause');
    expect(cue('Comment se faire rembourser ?')).toBe('manner');
    expect(cue('Quel modèle est vendu ?')).toBe('instance');
    expect(cue('How much does the speaker cost?')).toBe('price');
    // A bare « combien » with a verb of buying, selling or earning asks for a price; « il y a combien » does not.
    expect(cue('L’enceinte était vendue à combien ?')).toBe('price');
    expect(cue('Combien va gagner la directrice par an ?')).toBe('price');
    expect(cue('netflix ya combien dabonnés ds le monde')).not.toBe('price');
    // Keywords name the kind of answer they want; a yes-or-no question does not ask for its year.
    expect(cue('Xiaomi Orange tweet date')).toBe('date');
    expect(cue('Does the discount still apply after the first year?')).not.toBe('year');
    // « quoi » asks; it is not a word to find.
    expect(surfaces('Le régulateur reproche quoi à Apple ?')).not.toContain('quoi');
    // As people type them: « quel » for « quelle », and an age is a duration (« 47 ans »).
    expect(cue('en quel annee est sorti djingo')).toBe('year');
    expect(cue('la nouvelle dg elle a quel age ?')).toBe('duration');
    expect(cue('When did it launch?')).toBe('date');
  });
});
