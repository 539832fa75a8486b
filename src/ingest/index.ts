/**
 * Adding an article from Discord (`/ajouter`): a web page or a `.txt` attachment becomes a new seed file.
 *
 * The command needs three calls:
 *
 *   const existingFingerprints = corpusFingerprints(index.corpus);      // the articles already indexed
 *   const prepared = url
 *     ? await prepareFromUrl(url, { allowPrivate: config.allowPrivateFetch, existingFingerprints })
 *     : await prepareFromAttachment(attachment, { allowPrivate: config.allowPrivateFetch, existingFingerprints });
 *   if (!prepared.ok) return reply(prepared.message);                  // French, for the moderator
 *   const { file } = await writeNewSeed(config.seedsDir, prepared.fileName, prepared.text);
 *   // then rebuild the index, and report `prepared.title`, `file`, `prepared.paragraphs`
 *
 * Refusals are values (`{ ok: false, reason, message }`), never throws; writeNewSeed throws only on a file system
 * error (or a name that is not a plain seed name: only safeSeedFileName's names are accepted).
 *
 * - fetchPage: undici with a connect-time address check (every resolved address; literal IPs before connecting),
 *   http/https only, no credentials, redirects followed by hand (each hop checked again, 5 at most), 10 s for the
 *   whole transfer, 2 MiB at most (Content-Length and while reading), HTML (or text/plain) only, decoded with the
 *   header's or the page's charset.
 * - extractArticle: Readability over linkedom, after removing navigation, ads, banners, boxes and comments; null
 *   when the page holds no article.
 * - seedText / safeSeedFileName: the seed file text and a safe name from the title.
 * - checkNewSeed: the indexer's own rules (parseSeed): size, UTF-8, French, not a duplicate.
 * - writeNewSeed: a new file in the seeds folder, never overwriting one (temporary dot file, then link()).
 */
export { AddressPolicy, isPublicAddress, type PrivateAddressSetting } from './addresses.js';
export { checkNewSeed, corpusFingerprints, type SeedCheck, type SeedCheckReason } from './check-seed.js';
export { extractArticle, type ExtractedArticle, MIN_ARTICLE_CHARS, MIN_ARTICLE_PARAGRAPHS } from './extract.js';
export {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_REDIRECTS,
  type FetchedPage,
  type FetchOptions,
  type FetchRefusal,
  type FetchRefusalReason,
  fetchPage,
  type ResolveHost,
  USER_AGENT,
} from './fetch-page.js';
export {
  type AttachmentRef,
  type IngestRefusal,
  type IngestRefusalReason,
  type PrepareAttachmentOptions,
  type PreparedSeed,
  type PrepareOptions,
  type PrepareUrlOptions,
  prepareFromAttachment,
  prepareFromText,
  prepareFromUrl,
} from './prepare.js';
export { MAX_SLUG_CHARS, normalizeDate, safeSeedFileName, type SeedFields, seedText } from './seed-text.js';
export { MAX_NAME_TRIES, SeedWriteError, writeNewSeed } from './write-seed.js';
