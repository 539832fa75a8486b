/**
 * Web-page furniture that scraped articles carry and that is not the article: rules as data, one line each.
 * A rule matches a whole trimmed line (short lines only, so a real paragraph that happens to start with the same
 * words is never dropped).
 */
export type FurnitureEffect =
  /** Not article text: dropped. */
  | 'drop'
  /** Dropped, and every paragraph after it is a reader comment. */
  | 'comments'
  /** Dropped; its `publisher` group names the site that published the article. */
  | 'publisher';

export interface FurnitureRule {
  pattern: RegExp;
  effect: FurnitureEffect;
}

/** Lines longer than this are article text, whatever they start with. */
const MAX_FURNITURE_LINE = 200;

const FURNITURE_RULES: readonly FurnitureRule[] = [
  {
    pattern: new RegExp(
      String.raw`^(?:📍\s*)?pour ne (?:rien )?manquer (?:aucune|aucun|toute l['’])\s*actualit[ée]s? (?:de` +
        String.raw`|d['’])\s*(?<publisher>[^,]+?),? suivez-nous\b`,
      'iu',
    ),
    effect: 'publisher',
  },
  {
    pattern: new RegExp(
      '^(?:suivez|retrouvez)(?:-nous)? .*(?:google actualit[ée]s|whatsapp|facebook|twitter|instagram' +
        String.raw`|linkedin|newsletter)\b`,
      'iu',
    ),
    effect: 'drop',
  },
  { pattern: /^passer au contenu(?: principal)?$/iu, effect: 'drop' },
  { pattern: /^aller au contenu(?: principal)?$/iu, effect: 'drop' },
  { pattern: /^newsletter\b/iu, effect: 'drop' },
  { pattern: /^(?:abonnez-vous|inscrivez-vous|s['’]abonner|je m['’]abonne)\b/iu, effect: 'drop' },
  { pattern: /^recevez (?:chaque|tous les)\b/iu, effect: 'drop' },
  { pattern: /^laisser un commentaire$/iu, effect: 'drop' },
  { pattern: /^(?:ajouter|r[ée]diger|[ée]crire) un commentaire$/iu, effect: 'drop' },
  { pattern: /^votre adresse (?:e-?mail|de messagerie) ne sera pas publi[ée]e\b/iu, effect: 'drop' },
  { pattern: /^les champs obligatoires sont indiqu[ée]s\b/iu, effect: 'drop' },
  { pattern: /^(?:enregistrer|sauvegarder) mon nom\b/iu, effect: 'drop' },
  { pattern: /^(?:r[ée]pondre|signaler|partager|partager cet article|tweet|imprimer|publicit[ée])$/iu, effect: 'drop' },
  { pattern: /^partager (?:sur|via) \S+$/iu, effect: 'drop' },
  { pattern: /^(?:[àa] lire aussi|lire aussi|sur le m[êe]me sujet)\s*:?$/iu, effect: 'drop' },
  { pattern: /^(?:\d+|aucun|un) (?:commentaires?|r[ée]actions?)$/iu, effect: 'comments' },
  { pattern: /^(?:commentaires?|r[ée]actions?)(?: \(\d+\))?$/iu, effect: 'comments' },
  { pattern: /^\d+ r[ée]ponses? [àa] /iu, effect: 'comments' },
];

export interface FurnitureMatch {
  effect: FurnitureEffect;
  publisher?: string;
}

export function matchFurniture(line: string): FurnitureMatch | null {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_FURNITURE_LINE) return null;
  for (const rule of FURNITURE_RULES) {
    const m = rule.pattern.exec(trimmed);
    if (!m) continue;
    const publisher = m.groups?.['publisher']?.trim();
    return publisher ? { effect: rule.effect, publisher } : { effect: rule.effect };
  }
  return null;
}
