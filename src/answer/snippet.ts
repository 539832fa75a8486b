import type { Span } from '../corpus/index.js';

/** A quote longer than this is cut at its ends, around the matched words. */
const MAX_QUOTE_CHARS = 420;

export interface Cut {
  start: number;
  end: number;
  cutBefore: boolean;
  cutAfter: boolean;
}

/**
 * Narrows [start, end) of `text` to at most `max` characters, keeping as many highlighted spans as fit, and cutting
 * only at word boundaries (white space). Never rewrites: the result is still a substring of the original.
 */
export function cutAroundHighlights(
  text: string,
  start: number,
  end: number,
  highlights: readonly Span[],
  max = MAX_QUOTE_CHARS,
): Cut {
  if (end - start <= max) return { start, end, cutBefore: false, cutAfter: false };
  // Best window: the one holding the most highlights, found by sliding over their starts.
  let bestFrom = start;
  let bestCount = -1;
  for (let i = 0; i < highlights.length; i++) {
    const from = Math.max(start, highlights[i]!.start - 40);
    let count = 0;
    for (let j = i; j < highlights.length && highlights[j]!.end <= from + max; j++) count++;
    if (count > bestCount) {
      bestCount = count;
      bestFrom = from;
    }
  }
  let from = Math.min(bestFrom, end - max);
  let to = from + max;
  // Snap inwards to white space so no word is cut in half.
  if (from > start) {
    const space = text.slice(from, to).search(/\s/u);
    from = space >= 0 ? from + space + 1 : from;
  }
  if (to < end) {
    const slice = text.slice(from, to);
    const lastSpace = Math.max(slice.lastIndexOf(' '), slice.lastIndexOf('\n'), slice.lastIndexOf('\u00a0'));
    if (lastSpace > 0) to = from + lastSpace;
  }
  while (from < to && /[\s,;:]/u.test(text[from] ?? '')) from++;
  while (to > from && /[\s,;:]/u.test(text[to - 1] ?? '')) to--;
  return { start: from, end: to, cutBefore: from > start, cutAfter: to < end };
}
