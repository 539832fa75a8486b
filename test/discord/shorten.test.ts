import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shorten } from '../../src/discord/render/escape.js';

/** Text made of what titles and questions hold: words, capitals, punctuation, guillemets, spaces, an emoji. */
const piece = fc.constantFrom(
  'mot',
  'Orange',
  'Djingo',
  'enceinte',
  'a',
  'é',
  '149',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '…',
  '«',
  '»',
  '-',
  '—',
  ' ',
  ' ',
  ' ',
  '\n',
  '\u00a0',
  '😀',
);
const text = fc.array(piece, { minLength: 5, maxLength: 120, size: 'large' }).map((parts) => parts.join(''));

describe('shorten', () => {
  it('leaves text that fits as it is, its spaces made single, no-break spaces kept', () => {
    expect(shorten('Combien\u00a0?\u202f!', 40)).toBe('Combien\u00a0?\u202f!');
    expect(shorten('Combien coûtait l’enceinte ?', 40)).toBe('Combien coûtait l’enceinte ?');
    expect(shorten('  Deux\n\nlignes   ici ', 40)).toBe('Deux lignes ici');
    expect(shorten('x'.repeat(40), 40)).toBe('x'.repeat(40));
  });

  it('cuts after a whole sentence when one ends in the second half, with no ellipsis', () => {
    const two = 'Première phrase assez longue pour compter. Deuxième phrase qui dépasse la limite de beaucoup.';
    expect(shorten(two, 50)).toBe('Première phrase assez longue pour compter.');
    expect(shorten('Vraiment ?! Oui vraiment vraiment vraiment', 14)).toBe('Vraiment ?!');
    expect(shorten('Il a dit « bonjour ». Puis il est parti très loin', 25)).toBe('Il a dit « bonjour ».');
    // The last sentence that fits, not the first.
    expect(shorten('Un. Deux trois. Quatre cinq six sept huit neuf dix.', 28)).toBe('Un. Deux trois.');
  });

  it('cuts at a word otherwise, the ellipsis replacing the punctuation there', () => {
    // The only sentence end is in the first half: too little would be left.
    expect(shorten('Oui. Mais alors pourquoi tant de mots ici et là', 31)).toBe('Oui. Mais alors pourquoi tant…');
    // « doute. sans » does not end a sentence (no capital after it): the cut is at a word, without « .… ».
    expect(shorten('Il n’y a aucun doute. sans majuscule ensuite, et encore des mots', 30)).toBe(
      'Il n’y a aucun doute. sans…',
    );
    expect(shorten('mot, mot, mot, mot, mot, mot, mot, mot, mot, mot, mot', 20)).toBe('mot, mot, mot…');
    expect(shorten('Un texte… avec des points de suspension… et encore', 23)).toBe('Un texte… avec des…');
    expect(shorten('Le prix : 149 euros ; la date : mardi prochain', 12)).toBe('Le prix…');
    expect(shorten('Gros échec — clap de fin pour son enceinte', 13)).toBe('Gros échec…');
  });

  it('cuts inside a word only when no space is in the second half, and never splits an emoji', () => {
    expect(shorten('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(shorten('ab anticonstitutionnellement', 12)).toBe('ab anticons…');
    const emoji = shorten(`${'😀'.repeat(10)}`, 6);
    expect(emoji.isWellFormed()).toBe(true);
    expect(emoji).toBe('😀😀…');
  });

  it('is never over max, never ends with « .… », « ,… » or « …… », keeps the text’s start (property)', () => {
    let cut = 0;
    let sentences = 0;
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 80 }), (t, max) => {
        // Spaces made single; no-break spaces (French typography) are kept.
        const flat = t.replace(/[^\S\u00a0\u202f]+/gu, ' ').trim();
        const out = shorten(t, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.isWellFormed()).toBe(true);
        if (flat.length <= max) return void expect(out).toBe(flat);
        cut++;
        const rest = flat.slice(out.length);
        if (flat.startsWith(out) && /[.!?…»]$/u.test(out) && /^(?: \p{Lu}|\s*«)/u.test(rest)) {
          // A sentence cut: the text's start, verbatim, up to a sentence end, more than half of max.
          sentences++;
          expect(out.length).toBeGreaterThan(max / 2);
          expect(out).not.toMatch(/\s$/u);
        } else {
          // A word cut: what precedes the ellipsis is the text's start, its trailing punctuation and spaces dropped.
          expect(out.endsWith('…')).toBe(true);
          expect(flat.startsWith(out.slice(0, -1))).toBe(true);
          expect(out).not.toMatch(/[\s.,;:!?…]…$/u);
        }
      }),
      { seed: 7, numRuns: 3_000 },
    );
    // Both kinds of cut are drawn often: the property is not vacuous.
    expect(cut).toBeGreaterThan(2_000);
    expect(sentences).toBeGreaterThan(150);
  });
});
