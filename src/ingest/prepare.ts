import { MAX_SEED_BYTES } from '../corpus/index.js';
import { NNBSP } from '../wording/index.js';
import { checkNewSeed, type SeedCheck, type SeedCheckReason, seedTooLarge } from './check-seed.js';
import { extractArticle } from './extract.js';
import { type FetchOptions, type FetchRefusalReason, fetchPage } from './fetch-page.js';
import { safeSeedFileName, seedText } from './seed-text.js';

/** A seed ready to be written with writeNewSeed(seedsDir, fileName, text). */
export interface PreparedSeed {
  ok: true;
  /** Derived from the title (safeSeedFileName); writeNewSeed numbers it if the name is taken. */
  fileName: string;
  /** The whole seed file. */
  text: string;
  /** The title as the index will show it. */
  title: string;
  /** Article paragraphs the index will hold. */
  paragraphs: number;
  /** The page's final address (after redirects); null for an attachment. */
  url: string | null;
}

export type IngestRefusalReason = FetchRefusalReason | SeedCheckReason;

/** Why nothing is added; `message` is French, ready for the moderator. */
export interface IngestRefusal {
  ok: false;
  reason: IngestRefusalReason;
  message: string;
}

export interface PrepareOptions {
  /** Fingerprints of the articles already indexed: corpusFingerprints(index.corpus). */
  existingFingerprints: ReadonlySet<string>;
}

export type PrepareUrlOptions = PrepareOptions & Omit<FetchOptions, 'accept'>;
export type PrepareAttachmentOptions = PrepareOptions & Omit<FetchOptions, 'accept' | 'maxBytes'>;

const refuse = (reason: IngestRefusalReason, message: string): IngestRefusal => ({ ok: false, reason, message });

/** `www.mediaspecs.fr` → `mediaspecs.fr`: the publisher when the page does not name itself. */
const siteOf = (url: string): string => new URL(url).hostname.replace(/^www\./u, '');

/**
 * A web page to a seed: fetch (fetchPage's limits and address rule), extract the article (extractArticle), write
 * the seed text with ` url` = the final address, ` source` = the site's name or its host, ` date` when the page
 * gives one, then check it as the indexer will (checkNewSeed).
 */
export async function prepareFromUrl(url: string, options: PrepareUrlOptions): Promise<PreparedSeed | IngestRefusal> {
  const { existingFingerprints, ...fetchOptions } = options;
  const page = await fetchPage(url, { ...fetchOptions, accept: 'html' });
  if (!page.ok) return page;
  const article = extractArticle(page.body, page.url);
  if (!article) {
    return refuse(
      'no-article',
      `Aucun article trouvé sur cette page${NNBSP}: c’est peut-être une page d’accueil, une liste de titres ou une ` +
        'page de connexion. Donnez l’adresse de l’article lui-même.',
    );
  }
  const text = seedText({
    title: article.title,
    source: article.siteName ?? siteOf(page.url),
    date: article.publishedTime,
    url: page.url,
    paragraphs: article.paragraphs,
  });
  return prepared(text, checkNewSeed(text, 'page.txt', existingFingerprints), page.url);
}

/**
 * A `.txt` file (an attachment's bytes) to a seed: kept as written, checked as the indexer will. The file name
 * comes from the title the index will show (the ` title` line, or the first line or sentence).
 */
export function prepareFromText(
  bytes: Uint8Array,
  originalName: string,
  options: PrepareOptions,
): PreparedSeed | IngestRefusal {
  if (!/\.txt$/iu.test(originalName)) {
    return refuse('not-text', `Fichier refusé${NNBSP}: seuls les fichiers texte .txt sont acceptés.`);
  }
  // Valid UTF-8 once checked; the decoder drops a byte order mark, as the parser does.
  return prepared(
    new TextDecoder('utf-8').decode(bytes),
    checkNewSeed(bytes, originalName, options.existingFingerprints),
    null,
  );
}

/** A Discord attachment as discord.js gives it (`interaction.options.getAttachment(…)`: name, url, size). */
export interface AttachmentRef {
  name: string;
  url: string;
  size?: number | null;
}

/**
 * An attachment to a seed: refused before any download when its name or announced size is wrong, then fetched
 * like a page (`accept: 'text'`, at most MAX_SEED_BYTES, same address rule: Discord's CDN is public, the fake
 * Discord of the tests needs ALLOW_PRIVATE_FETCH=127.0.0.1) and prepared with prepareFromText.
 */
export async function prepareFromAttachment(
  attachment: AttachmentRef,
  options: PrepareAttachmentOptions,
): Promise<PreparedSeed | IngestRefusal> {
  if (!/\.txt$/iu.test(attachment.name)) {
    return refuse('not-text', `Fichier refusé${NNBSP}: seuls les fichiers texte .txt sont acceptés.`);
  }
  if (attachment.size != null && attachment.size > MAX_SEED_BYTES) {
    return seedTooLarge();
  }
  const { existingFingerprints, ...fetchOptions } = options;
  const file = await fetchPage(attachment.url, { ...fetchOptions, accept: 'text', maxBytes: MAX_SEED_BYTES });
  if (!file.ok) return file.reason === 'too-large' ? seedTooLarge() : file;
  return prepareFromText(file.bytes, attachment.name, { existingFingerprints });
}

function prepared(text: string, check: SeedCheck, url: string | null): PreparedSeed | IngestRefusal {
  if (!check.ok) return check;
  const { title, paragraphs } = check;
  return { ok: true, fileName: safeSeedFileName(title), text, title, paragraphs, url };
}
