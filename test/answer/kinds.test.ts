import { describe, expect, it } from 'vitest';
import { cueStrength, meetsCue, VAGUE_STRENGTH } from '../../src/answer/kinds.js';

describe('the kind of answer a sentence holds', () => {
  it('dates, at the precision asked', () => {
    expect(meetsCue('date', 'L’enceinte est sortie en novembre 2019.')).toBe(true);
    expect(meetsCue('year', 'L’enceinte est sortie en novembre 2019.')).toBe(true);
    expect(meetsCue('year', 'L’enceinte est sortie en novembre.')).toBe(false);
    expect(meetsCue('day', 'Rendez-vous est pris jeudi 28 mai à 11h00.')).toBe(true);
    expect(meetsCue('day', 'Bouygues présentera sa box jeudi prochain.')).toBe(false);
    expect(meetsCue('time', 'Le site est revenu à partir de 10 heures.')).toBe(true);
    expect(meetsCue('time', 'Le feu a été circonscrit vers 5h30.')).toBe(true);
    expect(meetsCue('duration', 'Le remboursement sera effectué sous 30 jours.')).toBe(true);
    // « été » is summer only with an article: « il a été nommé » holds no date.
    expect(meetsCue('date', 'Il a été nommé directeur.')).toBe(false);
    expect(meetsCue('date', 'Les résultats seront connus avant l’été.')).toBe(true);
    // A weekday alone answers « quand » only vaguely.
    expect(cueStrength('date', 'Le choix a été entériné vendredi.')).toBe(VAGUE_STRENGTH);
    expect(cueStrength('date', 'Elle arrive le 4 avril 2022.')).toBe(1);
  });

  it('a price for a price, a number of things for « combien de »', () => {
    expect(meetsCue('price', 'Elle coûte 149,99 euros.')).toBe(true);
    expect(meetsCue('price', 'Les frais d’envoi sont gratuits.')).toBe(true);
    expect(meetsCue('price', 'Elle a trouvé un millier de preneurs.')).toBe(false);
    expect(meetsCue('count', 'Un millier d’enceintes ont trouvé preneur.')).toBe(true);
    expect(meetsCue('count', 'L’usine créera 300 emplois.')).toBe(true);
    expect(meetsCue('count', 'Elle coûte 149 €.')).toBe(false);
    // « un » is an article far more often than a number.
    expect(meetsCue('count', 'La Freebox Pop est un gros succès.')).toBe(false);
    expect(meetsCue('percent', 'Ils représentent 4,74 % des abonnés.')).toBe(true);
  });

  it('a new name for « qui », a place for « où », a cause for « pourquoi »', () => {
    const asked = (w: string): boolean => w === 'Orange';
    expect(meetsCue('person', 'Le PDG d’Orange, Stéphane Richard, l’a dit.', asked)).toBe(true);
    expect(meetsCue('person', 'Orange a fermé le service.', asked)).toBe(false);
    expect(meetsCue('person', 'Le service a fermé, a indiqué Orange.', asked)).toBe(false);
    expect(meetsCue('place', 'Huawei installe son usine à Brumath.')).toBe(true);
    expect(meetsCue('cause', 'Le service ferme car il n’a pas trouvé son public.')).toBe(true);
    expect(meetsCue('cause', 'Le service ferme demain.')).toBe(false);
    expect(meetsCue('instance', 'Il est équipé d’un Snapdragon 855+.')).toBe(true);
    expect(meetsCue(null, 'N’importe quoi.')).toBe(true);
  });
});
