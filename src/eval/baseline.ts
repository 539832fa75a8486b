import MiniSearch from 'minisearch';

/**
 * The floor every change to retrieval is measured against: plain MiniSearch with its default options over the
 * paragraphs of the same seed files (blank-line separated blocks, as they are). An answer is its best paragraphs;
 * it answers whenever any paragraph shares a word.
 */

export interface PlainParagraphs {
  files: string[];
  /** [file index, paragraph text]; the position is the MiniSearch id. */
  paragraphs: [number, string][];
}

export interface PlainDoc {
  id: number;
  text: string;
}

export interface PlainIndex {
  mini: MiniSearch<PlainDoc>;
  data: PlainParagraphs;
}

/**
 * Paragraphs of one seed file, read the plainest way: blocks separated by blank lines, as they are (the header lines
 * and the title make the first block). This reproduces the anchor figures of the issues (40/70 first, 53/70 in the
 * top 3 on the dev set).
 */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n\s*\n/u)
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

export function parsePlain(seeds: readonly { file: string; text: string }[]): PlainParagraphs {
  const data: PlainParagraphs = { files: [], paragraphs: [] };
  seeds.forEach((s, f) => {
    data.files.push(s.file);
    for (const p of paragraphsOf(s.text)) data.paragraphs.push([f, p]);
  });
  return data;
}

export function buildPlain(data: PlainParagraphs): MiniSearch<PlainDoc> {
  const mini = new MiniSearch<PlainDoc>({ fields: ['text'] });
  mini.addAll(data.paragraphs.map(([, text], id) => ({ id, text })));
  return mini;
}

/** The top `limit` paragraphs of default `search(q)`. */
export function searchPlain(index: PlainIndex, q: string, limit: number): string[] {
  return index.mini
    .search(q)
    .slice(0, limit)
    .map((r) => index.data.paragraphs[r.id as number]![1]);
}
