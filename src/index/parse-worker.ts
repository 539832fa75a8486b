import { parentPort } from 'node:worker_threads';
import { serveRequests } from '../lib/index.js';
import { parseListed, type ParsedChunk } from './parse.js';

/** A parsing thread of the build: reads, parses and analyzes seed files, so the main thread only has to index. */
serveRequests(parentPort, parseListed, (chunk: ParsedChunk) => [
  chunk.analyzed.offsets.buffer,
  chunk.analyzed.entries.buffer,
]);
