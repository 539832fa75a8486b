import { describe, expect, it } from 'vitest';
import { noAnswerText, renderAnswerText } from '../../src/wording/index.js';
import { answer, result } from '../answer-fixtures.js';

describe('terminal answer', () => {
  it('agrees the count of articles searched for 0, 1 and many', () => {
    expect(renderAnswerText(answer([result()], { articlesSearched: 1 }))).toContain(
      '(sujet djingo, 1 article consulté)',
    );
    expect(renderAnswerText(answer([result()], { articlesSearched: 3 }))).toContain(
      '(sujet djingo, 3 articles consultés)',
    );
    expect(renderAnswerText(answer([], { articlesSearched: 0 }))).toContain('(sujet djingo, aucun article consulté)');
  });

  it('says « dans le seul article » and « pas dans cet article » when one article was searched', () => {
    const one = noAnswerText(answer([], { articlesSearched: 1, unmatched: ['Japon'] }));
    expect(one).toContain('dans le seul article du sujet djingo.');
    expect(one).toContain('Ce mot n’apparaît pas dans cet article\u202f: «\u00a0Japon\u00a0».');
    expect(one).not.toMatch(/les 1 article|aucun d’eux/u);
    const many = noAnswerText(answer([], { articlesSearched: 3, unmatched: ['Japon', 'Tokyo'] }));
    expect(many).toContain('dans les 3 articles du sujet djingo.');
    expect(many).toContain('Ces mots n’apparaissent dans aucun d’eux\u202f:');
    const none = noAnswerText(answer([], { articlesSearched: 0, unmatched: ['Japon'] }));
    expect(none).toContain('il n’y a aucun article du sujet djingo à consulter.');
    expect(none).not.toMatch(/les 0|Ce mot/u);
  });

  it('agrees « ce sujet a » / « ces sujets ont » with the topics suggested', () => {
    expect(noAnswerText(answer([], { alsoAnsweredIn: ['xiaomi'] }))).toContain(
      '/xiaomi\u202f: ce sujet a une réponse.',
    );
    expect(noAnswerText(answer([], { alsoAnsweredIn: ['xiaomi', 'djingo'] }))).toContain(
      '/xiaomi ou /djingo\u202f: ces sujets ont une réponse.',
    );
  });

  it('suggests --topic, not the slash command, on the command line', () => {
    const text = renderAnswerText(answer([], { alsoAnsweredIn: ['xiaomi'] }));
    expect(text).toContain('Essayez plutôt --topic xiaomi\u202f: ce sujet a une réponse.');
    expect(text).not.toContain('/xiaomi');
  });

  it('answers an empty question with the « question vide » message, not the no-answer one', () => {
    // The example comes from the topics file; its plain space before « ? » becomes a narrow no-break one.
    const exampleQuestion = 'Combien coûtait l’enceinte Djingo ?';
    const text = renderAnswerText(answer([], { question: '?!', emptyQuestion: true, exampleQuestion }));
    expect(text).toBe(
      'Votre question est vide\u202f: écrivez quelques mots, par exemple «\u00a0Combien coûtait l’enceinte ' +
        'Djingo\u202f?\u00a0».',
    );
    expect(text).not.toContain('aucun passage');
    // No topics file, no example.
    const bare = renderAnswerText(answer([], { question: '?!', emptyQuestion: true }));
    expect(bare).toBe('Votre question est vide\u202f: écrivez quelques mots.');
  });

  it('says when only the beginning of a long question was read', () => {
    const text = renderAnswerText(answer([result()], { question: `${'mot '.repeat(200)}prix`, questionCut: true }));
    expect(text).toContain('Question trop longue\u202f: seuls les 500 premiers caractères ont été lus.');
    expect(text.split('\n')[0]!.length).toBeLessThan(600);
  });

  it('says it is not sure before the quote of a hedged answer', () => {
    const one = renderAnswerText(answer([result()], { hedged: true, confidence: 0.3 }));
    expect(one).toContain('Je ne suis pas sûr de la réponse… voici le passage le plus proche\u202f:\n\n1. «');
    const two = renderAnswerText(answer([result(), result({ article: 'b.txt' })], { hedged: true }));
    expect(two).toContain('voici les passages les plus proches\u202f:');
    expect(renderAnswerText(answer([result()]))).not.toContain('pas sûr');
  });

  it('adds no markup around matched words unless given one', () => {
    expect(renderAnswerText(answer([result()]))).toContain('«\u00a0Le prix est de 149 euros.\u00a0»');
    expect(renderAnswerText(answer([result()]), (s) => `[${s}]`)).toContain('Le [prix] est');
  });

  it('leaves a quote’s own quotation marks as they are, inside the guillemets', () => {
    const quote = 'Il a dit « fin en 2020. ” »';
    const text = renderAnswerText(answer([result({ quote, highlights: [] })]));
    expect(text).toContain(`«\u00a0${quote}\u00a0»`);
  });
});
