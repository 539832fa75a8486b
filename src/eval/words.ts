import { guillemets, NBSP } from '../wording/index.js';

/** French typography for the evaluation's own messages and tables, on the bot's own spaces and guillemets. */
export { NBSP, NNBSP } from '../wording/index.js';

/** « text », with no-break spaces inside the guillemets. */
export const quoted = guillemets;

/** A number with a comma decimal: 47,1 ; 0,740. */
export function decimal(x: number, digits: number): string {
  return x.toFixed(digits).replace('.', ',');
}

/** A ratio as a French percentage (47,1 %), or – when there is nothing to count. */
export function percent(a: number, b: number): string {
  return b === 0 ? '–' : `${decimal((100 * a) / b, 1)}${NBSP}%`;
}

/** `n` and the noun phrase, singular for 0 and 1 as French wants (1 réponse prudente, 21 réponses prudentes). */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n <= 1 ? one : many}`;
}

/**
 * A mistake in what was asked for (an unknown set, seeds that do not pair with the files): the command line shows
 * usage.
 */
export class EvalUsageError extends Error {}
