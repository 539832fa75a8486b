import { type Corpus, MAX_SEED_BYTES, parseSeed } from '../corpus/index.js';
import { guillemets, NNBSP } from '../wording/index.js';

export type SeedCheckReason = 'too-large' | 'not-utf8' | 'not-french' | 'duplicate' | 'no-article';

export type SeedCheck =
  | { ok: true; title: string; paragraphs: number }
  | { ok: false; reason: SeedCheckReason; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (reason: SeedCheckReason, message: string): SeedCheck => ({ ok: false, reason, message });

/** The refusal of a seed larger than MAX_SEED_BYTES (also for an attachment whose announced size is too large). */
export function seedTooLarge(): SeedCheck & { ok: false } {
  const mib = (MAX_SEED_BYTES / 1024 / 1024).toString().replace('.', ',');
  return {
    ok: false,
    reason: 'too-large',
    message: `Article refusé${NNBSP}: le fichier dépasse ${mib} Mio, la taille maximale d’un article.`,
  };
}

/** The fingerprints of the articles of a corpus (parseSeed's, kept on each article), for checkNewSeed. */
export function corpusFingerprints(corpus: Pick<Corpus, 'articles'>): Set<string> {
  return new Set(corpus.articles.map((a) => a.fingerprint));
}

/**
 * Whether a new seed would be indexed, by the indexer's own rules (parseSeed): at most MAX_SEED_BYTES, UTF-8, an
 * article paragraph, French (or too short to tell), and not the same article as one already indexed (same
 * fingerprint: title and article text, case and spacing aside). `text` may be the bytes of an attachment.
 */
export function checkNewSeed(
  text: string | Uint8Array,
  fileName: string,
  existingFingerprints: ReadonlySet<string>,
): SeedCheck {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (bytes.length > MAX_SEED_BYTES) return seedTooLarge();
  try {
    utf8.decode(bytes);
  } catch {
    return refuse('not-utf8', `Fichier refusé${NNBSP}: il n’est pas en UTF-8 (enregistrez-le en UTF-8).`);
  }
  const parsed = parseSeed(fileName, bytes);
  if (!parsed.ok) {
    // parseSeed's reasons are sentences; their words tell which rule refused the file.
    if (/français/u.test(parsed.reason)) return refuse('not-french', `Article refusé${NNBSP}: ${parsed.reason}.`);
    if (/binaire|UTF-8/u.test(parsed.reason)) return refuse('not-utf8', `Fichier refusé${NNBSP}: ${parsed.reason}.`);
    return refuse('no-article', `Article refusé${NNBSP}: ${parsed.reason}.`);
  }
  if (existingFingerprints.has(parsed.fingerprint)) {
    return refuse('duplicate', `Article refusé${NNBSP}: ${guillemets(parsed.article.title)} est déjà dans le corpus.`);
  }
  const paragraphs = new Set(parsed.passages.filter((p) => p.kind === 'article').map((p) => p.paragraph)).size;
  return { ok: true, title: parsed.article.title, paragraphs };
}
