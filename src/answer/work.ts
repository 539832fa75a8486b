import type { WorkMeter } from './types.js';

/**
 * Rough cost of each step of an answer, in WorkMeter units (about a microsecond each on the benchmark's machine,
 * fitted on autocomplete checks at 10,000 articles). Only proportions matter to a caller's budget.
 */
export const COST = {
  /** Analysing a question and deciding, whatever its length. */
  question: 220,
  /** Per character of the question. */
  questionChar: 1.2,
  /** Per vocabulary term looked at for word families. */
  termScanned: 1.5,
  /** Per typo correction looked up in the vocabulary. */
  correction: 300,
  /** Per hit of the postings scan read. */
  posting: 1.7,
  /** Per posting scanned for candidates. */
  postingScanned: 0.01,
  /** Per character of the candidate passages read. */
  charRead: 0.14,
} as const;

export function spend(work: WorkMeter | undefined, units: number): void {
  if (work) work.units += units;
}
