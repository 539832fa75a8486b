/**
 * Numbers in French text: a decimal comma, thousands grouped with a narrow no-break space, and nouns that agree
 * with their count (singular for 0 and 1, plural from 2).
 */

/** `1234.5` → `1 234,5` (narrow no-break space); `fractionDigits` fixes the decimals (`1.25`, 1 → `1,3`). */
export function formatNumber(n: number, fractionDigits?: number): string {
  const fixed = fractionDigits === undefined ? String(n) : n.toFixed(fractionDigits);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(fixed);
  if (!m) return fixed.replace('.', ',');
  const int = m[2]!.replace(/\B(?=(\d{3})+$)/gu, '\u202f');
  return `${m[1]}${int}${m[3] ? `,${m[3]}` : ''}`;
}

/**
 * The plural of a phrase: an s on every word not already ending in s, x or z (« article consulté » → « articles
 * consultés »).
 */
function pluralOf(one: string): string {
  return one
    .split(' ')
    .map((w) => (w === '' || /[sxz]$/iu.test(w) ? w : `${w}s`))
    .join(' ');
}

/**
 * The form of `one` that agrees with `n`: singular below 2 (French: « 0 article », « 1,5 million »), plural from 2.
 * `many` is the plural when adding s to every word is wrong (« Ces mots n’apparaissent »).
 */
export function agree(n: number, one: string, many: string = pluralOf(one)): string {
  return Math.abs(n) >= 2 ? many : one;
}

/**
 * A count and its noun, agreed: « aucun article consulté », « 1 article consulté », « 3 articles consultés ».
 * `none` says zero (« aucune » for a feminine noun; null keeps « 0 », as in « 0 modifié » among other counts).
 */
export function count(n: number, one: string, options: { many?: string; none?: string | null } = {}): string {
  if (n === 0 && options.none !== null) return `${options.none ?? 'aucun'} ${one}`;
  return `${formatNumber(n)} ${agree(n, one, options.many)}`;
}
