import { describe, expect, it } from 'vitest';
import { detectArticleLanguage, FUNCTION_WORDS_CHARS, plainlyFrench } from '../../src/corpus/language.js';

// Texts in the other candidate languages: no window of them as long as detection reads for function words may be
// decided French by its function words alone. (franc itself, asked next, calls the Catalan one and the English
// one quoting French "French": that is its margin rule, older than this shortcut and left as it is.)
const NOT_FRENCH: [string, string][] = [
  [
    'eng',
    'The operator said on Tuesday that its new fibre offer would reach every large city before the end of the year. ' +
      'Customers who signed up during the first month will pay less for a whole year, and those who already have a ' +
      'box will be offered the upgrade for free. The company also said that it was in talks with the regulator ' +
      'about the price of access to its network, which rivals say is far too high for a market of this size. ' +
      'Analysts expect the move to put pressure on the other three operators, who have all raised their prices ' +
      'since the spring and will now have to explain why their customers should pay more for the same service.',
  ],
  [
    'spa',
    'La empresa anunció el martes que su nueva oferta de fibra llegará a todas las grandes ciudades antes de fin ' +
      'de año. Los clientes que se suscriban durante el primer mes pagarán menos durante todo un año, y los que ya ' +
      'tienen un router recibirán la mejora gratis. La compañía también dijo que estaba en conversaciones con el ' +
      'regulador sobre el precio de acceso a su red, que según sus rivales es demasiado alto para un mercado de ' +
      'este tamaño. Los analistas esperan que la medida presione a los otros tres operadores, que han subido sus ' +
      'precios desde la primavera y ahora tendrán que explicar por qué sus clientes deberían pagar más.',
  ],
  [
    'cat',
    "L'operador va anunciar dimarts que la seva nova oferta de fibra arribarà a totes les grans ciutats abans de " +
      "final d'any. Els clients que s'hi apuntin durant el primer mes pagaran menys durant un any sencer, i els que " +
      'ja tenen un router rebran la millora de franc. La companyia també va dir que estava en converses amb el ' +
      "regulador sobre el preu d'accés a la seva xarxa, que segons els rivals és massa alt per a un mercat " +
      'd’aquesta mida. Els analistes esperen que la mesura pressioni els altres tres operadors, que han apujat els ' +
      'preus des de la primavera i ara hauran d’explicar per què els seus clients haurien de pagar més pel mateix.',
  ],
  [
    'ita',
    "L'operatore ha annunciato martedì che la sua nuova offerta in fibra arriverà in tutte le grandi città prima " +
      "della fine dell'anno. I clienti che si abbonano durante il primo mese pagheranno meno per un anno intero, e " +
      'chi ha già un modem riceverà l’aggiornamento gratis. La società ha anche detto di essere in trattative con ' +
      "l'autorità sul prezzo di accesso alla sua rete, che secondo i concorrenti è troppo alto per un mercato di " +
      'queste dimensioni. Gli analisti si aspettano che la mossa metta pressione sugli altri tre operatori, che ' +
      'hanno alzato i prezzi dalla primavera e ora dovranno spiegare perché i loro clienti dovrebbero pagare di più.',
  ],
  [
    'por',
    'A operadora anunciou na terça-feira que a sua nova oferta de fibra chegará a todas as grandes cidades antes ' +
      'do fim do ano. Os clientes que aderirem durante o primeiro mês pagarão menos durante um ano inteiro, e os ' +
      'que já têm um router receberão a atualização de graça. A empresa disse também que estava em conversações ' +
      'com o regulador sobre o preço de acesso à sua rede, que segundo os rivais é demasiado alto para um mercado ' +
      'desta dimensão. Os analistas esperam que a medida pressione os outros três operadores, que subiram os ' +
      'preços desde a primavera e agora terão de explicar por que os seus clientes deveriam pagar mais.',
  ],
  [
    'deu',
    'Der Betreiber kündigte am Dienstag an, dass sein neues Glasfaserangebot vor Ende des Jahres alle großen ' +
      'Städte erreichen wird. Kunden, die sich im ersten Monat anmelden, zahlen ein ganzes Jahr lang weniger, und ' +
      'wer bereits einen Router hat, bekommt das Upgrade kostenlos. Das Unternehmen sagte außerdem, dass es mit ' +
      'der Regulierungsbehörde über den Preis für den Zugang zu seinem Netz verhandle, den die Konkurrenten für ' +
      'einen Markt dieser Größe viel zu hoch finden. Analysten erwarten, dass der Schritt die anderen drei ' +
      'Betreiber unter Druck setzt, die ihre Preise seit dem Frühjahr erhöht haben und nun erklären müssen, warum.',
  ],
  [
    'eng',
    // English about France, with French names and a short French quote in the sampled part.
    'The French operator Free said on Tuesday that its new offer, which it calls « la box la plus complète », ' +
      'would reach every large city before the end of the year. Customers in Paris, Lyon and Marseille who sign up ' +
      'during the first month will pay less for a whole year, the company said in a statement, quoting its chief ' +
      'executive: « Nous sommes dans une phase de conquête ». Rivals such as Orange, SFR and Bouygues Télécom have ' +
      'all raised their prices since the spring, and analysts expect them to answer with offers of their own ' +
      'before Christmas, when most households choose a new provider for the following year and its bills.',
  ],
];

describe('detectArticleLanguage', () => {
  it.each(NOT_FRENCH)('never takes a %s text for plainly French', (_code, text) => {
    expect(text.length).toBeGreaterThan(600);
    // Windows as long as detection reads for function words, over the text twice: some hold all its words.
    const twice = `${text} ${text}`;
    for (let at = 0; at + FUNCTION_WORDS_CHARS <= twice.length; at += 25)
      expect(plainlyFrench(twice.slice(at, at + FUNCTION_WORDS_CHARS))).toBe(false);
  });

  it('still asks franc about the others', () => {
    expect(NOT_FRENCH.slice(0, 2).map(([, text]) => detectArticleLanguage(text))).toEqual(['eng', 'spa']);
  });

  it('calls French a French text, long or short', () => {
    const long =
      "L'opérateur a annoncé mardi que sa nouvelle offre fibre arrivera dans toutes les grandes villes avant la fin " +
      "de l'année. Les clients qui s'abonnent pendant le premier mois paieront moins cher pendant un an, et ceux qui " +
      'ont déjà une box recevront la mise à jour gratuitement. La société a aussi dit être en discussion avec le ' +
      "régulateur sur le prix d'accès à son réseau, que ses concurrents jugent bien trop élevé pour un marché de " +
      'cette taille. Les analystes pensent que cela mettra la pression sur les trois autres opérateurs.';
    expect(detectArticleLanguage(long)).toBe('fra');
    // Decided by its function words, without franc.
    expect(plainlyFrench(long.slice(100, 400))).toBe(true);
    expect(detectArticleLanguage('La box arrive dans les magasins avec une offre pour les abonnés.')).toBe('fra');
  });
});
