import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this folder. From TypeScript sources (tsx), a small JavaScript bootstrap
 * registers tsx inside the worker first: Node 20 does not carry a loader's hooks into worker threads.
 */
export function startWorker(entry: URL, data: Record<string, unknown> = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: { ...data, entry: entry.href } });
  }
  return new Worker(entry, { workerData: data });
}

/** The URL of a sibling module, `.ts` from sources and `.js` once compiled. */
export function siblingModule(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
