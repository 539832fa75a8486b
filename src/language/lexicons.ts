import { readFileSync } from 'node:fs';

/**
 * The word lists the project owns, kept as data files in `lexicons/` and validated when first read: a broken list
 * fails loudly at start-up rather than silently answering worse.
 */

function readLexicon(name: string): Record<string, unknown> {
  const raw: unknown = JSON.parse(readFileSync(new URL(`./lexicons/${name}`, import.meta.url), 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`lexicon ${name}: an object is expected`);
  return raw as Record<string, unknown>;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`${what}: a list of strings is expected`);
  return value as string[];
}

function stringMap(value: unknown, what: string): Map<string, string> {
  if (typeof value !== 'object' || value === null) throw new Error(`${what}: an object is expected`);
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Error(`${what}.${k}: a string is expected`);
    out.set(k, v);
  }
  return out;
}

/** Lower case, no accents, typographic apostrophes as `'`: the form lexicon keys are written in. */
export function lexiconKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘ʼ]/gu, "'");
}

const polite = readLexicon('polite.json');
/** Greetings, thanks and fillers: no subject in them. */
export const POLITE_WORDS: ReadonlySet<string> = new Set(stringList(polite['words'], 'polite.words').map(lexiconKey));
/** Polite phrases, longest first so « merci d'avance » goes before « d'avance ». */
export const POLITE_PHRASES: readonly string[] = stringList(polite['phrases'], 'polite.phrases')
  .map(lexiconKey)
  .sort((a, b) => b.length - a.length);

/** Informal and SMS forms → the standard words they stand for. */
export const INFORMAL: ReadonlyMap<string, string> = stringMap(readLexicon('informal.json')['map'], 'informal.map');

const english = readLexicon('english-french.json')['map'];
if (typeof english !== 'object' || english === null) throw new Error('english-french.map: an object is expected');
/** English question word → French words an article would use. */
export const ENGLISH_TO_FRENCH: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(english).map(([k, v]) => [k, stringList(v, `english-french.map.${k}`)]),
);

const numbers = readLexicon('numbers.json');
/** Number words → digits. */
export const NUMBER_WORDS: ReadonlyMap<string, string> = stringMap(numbers['words'], 'numbers.words');
const families = readLexicon('families.json');
export interface FamilyRules {
  minRoot: number;
  maxSteps: number;
  /** [suffix, replacement], longest suffix first. */
  suffixes: readonly (readonly [string, string])[];
}
export const FAMILY_RULES: FamilyRules = {
  minRoot: typeof families['minRoot'] === 'number' ? families['minRoot'] : 4,
  maxSteps: typeof families['maxSteps'] === 'number' ? families['maxSteps'] : 2,
  suffixes: (Array.isArray(families['suffixes']) ? families['suffixes'] : [])
    .map((pair: unknown, i: number) => {
      const [s, r] = stringList(pair, `families.suffixes[${i}]`);
      if (s === undefined || r === undefined)
        throw new Error(`families.suffixes[${i}]: [suffix, replacement] expected`);
      return [s, r] as const;
    })
    .sort((a, b) => b[0].length - a[0].length),
};

/** Groups of words that stand for one another in questions. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = (() => {
  const groups = readLexicon('synonyms.json')['groups'];
  if (!Array.isArray(groups)) throw new Error('synonyms.groups: a list is expected');
  return groups.map((g: unknown, i: number) => stringList(g, `synonyms.groups[${i}]`));
})();
