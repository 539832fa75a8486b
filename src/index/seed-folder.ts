import { listSeeds, readTopics, type SeedListing, type TopicsRead } from '../corpus/index.js';
import { runWorkerOnce, siblingModule } from '../lib/index.js';
import type { Log } from '../logger.js';
import type { BuiltIndex } from './build.js';
import { fingerprintSeeds } from './fingerprint.js';

/** Where a seeds folder is, and where its hash cache lives. */
export interface SeedFolderOptions {
  seedsDir: string;
  dataDir?: string;
  log?: Log;
}

/** A seeds folder as a build sees it: its listing, its topics file and their fingerprint. */
export interface SeedFolder {
  listing: SeedListing[];
  topics: TopicsRead;
  fingerprint: string;
}

/**
 * Reads a seeds folder and fingerprints it. Throws when the folder cannot be read or the topics file is invalid (a
 * TopicsFileError, in French).
 */
export async function readSeedFolder(options: SeedFolderOptions): Promise<SeedFolder> {
  const { listing, topics } = await readSeedListing(options);
  return { listing, topics, fingerprint: await fingerprintOf(listing, topics, options) };
}

/** The listing and topics file of a seeds folder, not yet fingerprinted (a build that is done anyway hashes). */
export async function readSeedListing(
  options: Pick<SeedFolderOptions, 'seedsDir'>,
): Promise<{ listing: SeedListing[]; topics: TopicsRead }> {
  // The listing first: a folder that cannot be read fails with its own reason, not as an unreadable topics file.
  const listing = await listSeeds(options.seedsDir);
  const topics = await readTopics(options.seedsDir);
  return { listing, topics };
}

/**
 * The seeds' fingerprint; with a build of them, from the hashes its parsing threads took of the files they read
 * (only the others are read here, unless their stamp is cached).
 */
export async function fingerprintOf(
  listing: readonly SeedListing[],
  topics: TopicsRead,
  options: Pick<SeedFolderOptions, 'dataDir' | 'log'>,
  built?: BuiltIndex,
): Promise<string> {
  const { dataDir, log } = options;
  return (await fingerprintSeeds(listing, { dataDir, log, topicsText: topics.text, known: built?.hashes })).fingerprint;
}

/** What the seed-folder thread posts: the folder, and the warnings it would have logged; null if it failed. */
export interface SeedFolderMessage {
  folder: SeedFolder | null;
  warnings: { obj: object; msg?: string }[];
}

/**
 * `readSeedFolder` on a thread of its own, so that it runs beside the snapshot's load rather than before it (at
 * 100,000 seeds, a `stat` per file and the hash cache take 1.5 to 2 s of the main thread). When no thread can start
 * or it fails, the folder is read on this thread: an error then comes with its own type (a TopicsFileError).
 */
export async function readSeedFolderAside(options: SeedFolderOptions): Promise<SeedFolder> {
  const message = await runWorkerOnce<SeedFolderMessage>(siblingModule('seed-folder-worker', import.meta.url), {
    seedsDir: options.seedsDir,
    dataDir: options.dataDir ?? null,
  });
  if (!message?.folder) return readSeedFolder(options);
  for (const { obj, msg } of message.warnings) options.log?.warn(obj, msg);
  return message.folder;
}
