/**
 * A small English → French lexicon for questions asked in English. The articles are French, so an English
 * question only matches through names and numbers unless its common words are carried over. Written by hand
 * because no offline package maps English query words to French ones; keep it to general news vocabulary.
 * Values are French words as written; they go through the French analyzer like any word.
 */
export const ENGLISH_TO_FRENCH: Readonly<Record<string, readonly string[]>> = {
  launch: ['lancer', 'lancement'], launched: ['lancer', 'lancement'], release: ['sortie', 'lancer'], released: ['sortie', 'lancer'],
  start: ['commencer', 'début'], started: ['commencer', 'début'], end: ['fin', 'terminer'], ends: ['fin', 'terminer'],
  stop: ['arrêt', 'arrêter'], stopped: ['arrêt', 'arrêter'], close: ['fermeture', 'fermer'], closed: ['fermeture', 'fermer'],
  shut: ['fermeture', 'arrêt'], shutdown: ['fermeture', 'arrêt'], discontinued: ['arrêt', 'fin'],
  price: ['prix', 'coût'], prices: ['prix'], cost: ['coût', 'prix'], costs: ['coût', 'prix'], cheap: ['prix'], expensive: ['prix', 'cher'],
  euros: ['euros'], sold: ['vendu', 'vente'], sell: ['vendre', 'vente'], sales: ['ventes'], sale: ['vente', 'soldes'],
  buy: ['acheter', 'achat'], bought: ['acheter', 'achat'], discount: ['réduction'], discounts: ['réductions'],
  refund: ['remboursement', 'rembourser'], refunded: ['remboursement', 'rembourser'], refunds: ['remboursement'],
  return: ['retour', 'renvoyer'], returned: ['retour'], delivery: ['livraison', 'envoi'], shipping: ['envoi', 'livraison'],
  free: ['gratuit'], days: ['jours'], day: ['jour'], weeks: ['semaines'], week: ['semaine'], months: ['mois'], month: ['mois'],
  years: ['ans', 'années'], year: ['an', 'année'], date: ['date'], today: ['aujourd’hui'], tomorrow: ['demain'],
  speaker: ['enceinte'], speakers: ['enceintes'], assistant: ['assistant'], voice: ['vocal'], smart: ['connectée'],
  connected: ['connecté'], phone: ['téléphone', 'smartphone'], phones: ['téléphones', 'smartphones'], smartphone: ['smartphone'],
  brand: ['marque'], brands: ['marques'], company: ['entreprise', 'groupe'], operator: ['opérateur'], carrier: ['opérateur'],
  customers: ['clients'], customer: ['client'], clients: ['clients'], subscribers: ['abonnés'], subscriber: ['abonné'],
  users: ['utilisateurs'], user: ['utilisateur'], owners: ['possesseurs', 'détenteurs'], people: ['personnes'],
  million: ['million'], millions: ['millions'], thousand: ['millier', 'mille'], thousands: ['milliers'], percent: ['%', 'pourcentage'],
  share: ['part'], market: ['marché'], failure: ['échec'], failed: ['échec'], success: ['succès'], fail: ['échec'],
  why: [], reason: ['raison'], reasons: ['raisons'], said: ['dit', 'déclaré'], says: ['dit', 'déclare'], announced: ['annoncé'],
  announce: ['annoncer'], ceo: ['pdg', 'patron'], boss: ['patron', 'pdg'], director: ['directeur'], head: ['directeur', 'chef'],
  france: ['france'], germany: ['allemagne'], french: ['français'], german: ['allemand'], chinese: ['chinois'], american: ['américain'],
  entry: ['entrée'], level: ['gamme'], range: ['gamme'], low: ['entrée'], high: ['haut'], model: ['modèle'], models: ['modèles'],
  store: ['boutique', 'magasin'], shop: ['boutique'], online: ['ligne'], offer: ['offre'], offers: ['offres'],
  service: ['service'], services: ['services'], app: ['application'], tv: ['télévision', 'tv'], home: ['maison'],
  first: ['premier'], last: ['dernier'], new: ['nouveau'], added: ['ajouté', 'intégré'], integrated: ['intégré'], built: ['intégré'],
  number: ['nombre'], count: ['nombre'], how: [], long: ['durée'], sold_out: [], competitors: ['concurrents'], competitor: ['concurrent'],
  relay: ['relais'], point: ['point'], drop: ['déposer'], send: ['envoyer'], sent: ['envoyé'], back: ['retour'],
};
