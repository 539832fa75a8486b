import { parentPort } from 'node:worker_threads';
import { serveRequests } from '../lib/index.js';
import type { SeedListing } from '../corpus/index.js';
import { OrderedParser, type ParsedChunk } from './parse.js';

/** A parsing thread of the build: reads, parses and analyzes seed files, so the main thread only has to index. */
const parser = new OrderedParser();
serveRequests(
  parentPort,
  async (entries: readonly SeedListing[]) => parser.parse(entries),
  (chunk: ParsedChunk) => [chunk.analyzed.offsets.buffer, chunk.analyzed.entries.buffer],
);
