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
    // A date, a year, a time or a price holds a number without counting anything; the whole number goes with it.
    expect(meetsCue('count', 'Apple lancera son HomePod le 18 juin.')).toBe(false);
    expect(meetsCue('count', 'On est loin des 349 € que demandera Apple.')).toBe(false);
    expect(meetsCue('count', 'Elle est sortie en 2019 et coûte 99,99 euros.')).toBe(false);
    expect(meetsCue('count', 'Amazon arrive avec trois Echo le 18 juin.')).toBe(true);
  });

  it('« début » and « fin » are dates only with what they begin or end', () => {
    expect(meetsCue('date', 'Ils ont annoncé leur participation dès le début.')).toBe(false);
    expect(meetsCue('date', 'La box a été annoncée début juillet.')).toBe(true);
    expect(meetsCue('date', 'Le service ferme fin 2021.')).toBe(true);
    expect(meetsCue('date', 'Ils ont passé le cap à la fin du mois.')).toBe(true);
  });

  it('a new name for « qui », a place for « où », a cause for « pourquoi »', () => {
    const asked = (w: string): boolean => w === 'Orange';
    expect(meetsCue('person', 'Le PDG d’Orange, Stéphane Richard, l’a dit.', asked)).toBe(true);
    expect(meetsCue('person', 'Orange a fermé le service.', asked)).toBe(false);
    expect(meetsCue('person', 'Le service a fermé, a indiqué Orange.', asked)).toBe(false);
    // A code is a thing's name, not who did it; a role alone answers less well than a name.
    expect(meetsCue('person', 'Une partie de SBG1 est détruite.', asked)).toBe(false);
    expect(cueStrength('person', 'Le fondateur de la société explique que le site est détruit.', asked)).toBe(
      VAGUE_STRENGTH,
    );
    expect(cueStrength('person', 'Le site est détruit, a tweeté Octave Klaba.', asked)).toBe(1);
    expect(meetsCue('place', 'Huawei installe son usine à Brumath.')).toBe(true);
    expect(meetsCue('cause', 'Le service ferme car il n’a pas trouvé son public.')).toBe(true);
    expect(meetsCue('cause', 'Le service ferme demain.')).toBe(false);
    // What someone is condemned or fined for is the cause; the amount of a fine is not.
    expect(meetsCue('cause', 'Il a été condamné en novembre pour complicité de détournement.')).toBe(true);
    expect(meetsCue('cause', 'Il a été reconnu coupable de détournement.')).toBe(true);
    expect(meetsCue('cause', 'L’Autorité a infligé une amende de 150 millions d’euros.')).toBe(false);
    expect(meetsCue('instance', 'Il est équipé d’un Snapdragon 855+.')).toBe(true);
    expect(meetsCue(null, 'N’importe quoi.')).toBe(true);
  });
});
