import { describe, expect, it } from 'vitest';
import { ask, cutQuestion, MAX_QUESTION_CHARS, rank } from '../../src/answer/index.js';
import { buildSearchIndex } from '../../src/index/index.js';
import { trimUnbalancedQuotes } from '../../src/answer/ask.js';
import { bundledIndex, SEED_TOPICS } from '../helpers.js';

describe('answering questions as people ask them', () => {
  it('answers a polite question: greetings and thanks are no unknown words', async () => {
    const index = await bundledIndex();
    const answer = ask(
      index,
      'Bonjour, je voudrais savoir comment me faire rembourser mon enceinte Djingo ' +
        'et si les frais d’envoi sont gratuits, merci d’avance !',
    );
    expect(answer.answered).toBe(true);
    expect(answer.unmatched).toEqual([]);
    expect(answer.results[0]!.quote).toMatch(/frais d’envoi sont gratuits/u);
  });

  it('never corrects a real word the articles lack into another one', async () => {
    const index = await bundledIndex();
    const words = rank(index, 'Qui a racheté Djingo ?', null).prepared.words;
    const racheté = words.find((w) => w.surface === 'racheté')!;
    expect(racheté.corrected).toBe(false);
    expect([...racheté.terms.keys()]).not.toContain('achet');
    // A typo still is corrected.
    expect(rank(index, 'remboursment enceinte', null).prepared.words[0]!.corrected).toBe(true);
  });

  it('says no answer when a name of the question is in no article', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'Combien coûte la PlayStation 5 ?');
    expect(answer.answered).toBe(false);
    expect(answer.unmatched).toContain('PlayStation');
  });

  it('says no answer when the best passage’s article lacks a name the question gives', async () => {
    const index = await bundledIndex();
    // Xiaomi is in the articles, but not in the one about Orange's own speaker.
    expect(ask(index, 'C’est qui le PDG de Xiaomi ?').answered).toBe(false);
  });

  it('gives a calibrated confidence, and hedges below the answer threshold', async () => {
    const index = await bundledIndex();
    const sure = ask(index, 'Combien coûtait le Speaker Djingo pour les non-abonnés ?', { topic: 'djingo' });
    expect(sure.answered).toBe(true);
    expect(sure.confidence).toBeGreaterThan(0);
    expect(sure.confidence).toBeLessThanOrEqual(1);
    const none = ask(index, 'Combien coûte la PlayStation 5 ?');
    expect(none.confidence).toBe(0);
    expect(none.hedged).toBe(false);
  });

  it('quotes the next sentence when it holds the number asked for', async () => {
    const index = await bundledIndex();
    const answer = ask(index, 'Combien de clients ont l’assistant dans leur télécommande ?', { topic: 'djingo' });
    expect(answer.results[0]!.quote).toMatch(/3 millions de clients/u);
  });

  it('reads an empty or emoji-only question as empty, and cuts a long one at a word boundary', async () => {
    const index = await bundledIndex();
    expect(ask(index, '   ').emptyQuestion).toBe(true);
    expect(ask(index, '🤔🤔 ??').emptyQuestion).toBe(true);
    expect(ask(index, 'prix ?').emptyQuestion).toBe(false);
    const long = `${'enceinte '.repeat(60)}Djingo`;
    const cut = cutQuestion(long);
    expect(cut.cut).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(cut.text.endsWith('enceinte')).toBe(true);
    expect(ask(index, long).questionCut).toBe(true);
  });
});

describe('quotes that read well', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const indexOf = (text: string) => buildSearchIndex([{ file: 'z.txt', bytes: enc(text) }], SEED_TOPICS);

  it('does not end a quote on a closing quotation mark it never opened, nor start on one it never closes', () => {
    const text =
      'Mais l’opérateur avait encore l’intention de corriger le tir en 2020. ” Nous n’avons eu aucune action.';
    const end = text.indexOf('”') + 1;
    const span = trimUnbalancedQuotes(text, { start: 0, end });
    expect(text.slice(span.start, span.end)).toBe(
      'Mais l’opérateur avait encore l’intention de corriger le tir en 2020.',
    );
    const quoted = '« Nous préférons recentrer notre offre », confie le directeur.';
    expect(trimUnbalancedQuotes(quoted, { start: 0, end: quoted.length })).toEqual({ start: 0, end: quoted.length });
    const opening = '« Le service ferme.';
    expect(opening.slice(trimUnbalancedQuotes(opening, { start: 0, end: opening.length }).start)).toBe(
      'Le service ferme.',
    );
  });

  it('counts a named product in units, and a product named elsewhere is not counted', () => {
    const text =
      'Ventes d’enceintes\n\n' +
      'Au premier trimestre, il s’est vendu plus de Home que jamais : 3,1 millions d’unités.\n\n' +
      'Le Pod, vendu depuis le 18 juin en trois coloris, arrive en France ce trimestre.\n';
    const index = indexOf(text);
    expect(ask(index, 'Combien de Home vendus au premier trimestre ?').results[0]?.quote).toMatch(/3,1 millions/u);
    expect(ask(index, 'Combien de Pod vendus au premier trimestre ?').answered).toBe(false);
  });

  it('reads who said a quotation opened before the passage began', () => {
    const before =
      'Le site a brûlé dans la nuit, et les datacenters voisins sont touchés ' +
      'selon les premières constatations des secours sur place. ';
    const quote =
      '« Tout le monde est sain et sauf. Le feu a détruit le bâtiment Zorb2. Une partie de Zorb1 est détruite. ' +
      'Pas d’impact sur Zorb4 », a tweeté Octave Klaba.';
    const text = `L’incendie du site\n\n${before.repeat(6)}${quote}\n`;
    const index = indexOf(text);
    expect(index.corpus.passages.length).toBeGreaterThan(1);
    const answer = ask(index, 'Qui a tweeté que la partie de Zorb1 était détruite ?');
    expect(answer.results[0]!.quote).toMatch(/Octave Klaba/u);
  });

  it('never quotes a sub-heading alone when a sentence answers', () => {
    const text =
      'Le casque Zorblax\n\nLe prix du casque Zorblax\n\n' +
      'Le casque Zorblax est vendu au prix de 149 euros depuis mars dans les boutiques de la marque.\n';
    const answer = ask(indexOf(text), 'prix du casque Zorblax');
    expect(answer.results[0]!.quote).toMatch(/149 euros/u);
  });
});
