import { Worker, type Transferable } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this folder. From TypeScript sources (tsx), a small JavaScript bootstrap
 * registers tsx inside the worker first: Node 20 does not carry a loader's hooks into worker threads.
 */
function startWorker(entry: URL, data: Record<string, unknown> = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { ...data, entry: entry.href },
    });
  }
  return new Worker(entry, { workerData: data });
}

/** The URL of a sibling module, `.ts` from sources and `.js` once compiled. */
export function siblingModule(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}

/** A request to a worker, numbered so its reply finds its promise; `RequestWorker` speaks it on both sides. */
interface Request<Q> {
  id: number;
  request: Q;
}
type Reply<R> = { id: number; result: R } | { id: number; error: string };

/**
 * A worker thread answering requests one message each, in any order. Once it fails (an error, or it exits), every
 * pending and later request is rejected with that failure, so a caller can fall back to doing the work itself.
 */
export class RequestWorker<Q, R> {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | null = null;

  constructor(entry: URL, data: Record<string, unknown> = {}) {
    this.#worker = startWorker(entry, data);
    this.#worker.on('message', (m: Reply<R>) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if ('result' in m) p?.resolve(m.result);
      else p?.reject(new Error(m.error));
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`worker exited (${code})`)));
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  /**
   * Sends a request. With `deadlineMs`, a reply that has not come by then fails the worker (this request, every
   * pending and later one) and stops it without waiting: a thread held by a read the system never returns holds
   * no caller, nor the process's exit.
   */
  request(request: Q, deadlineMs?: number): Promise<R> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise<R>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settled = (): void => clearTimeout(timer);
      this.#pending.set(id, {
        resolve: (r) => (settled(), resolve(r)),
        reject: (e) => (settled(), reject(e)),
      });
      if (deadlineMs !== undefined) timer = setTimeout(() => this.#abandon(deadlineMs), deadlineMs);
      this.#worker.postMessage({ id, request } satisfies Request<Q>);
    });
  }

  #abandon(deadlineMs: number): void {
    this.#fail(new Error(`worker gave no answer within ${deadlineMs} ms`));
    this.#worker.unref();
    this.#worker.terminate().catch(() => {});
  }

  /** Stops the worker; one that failed is not waited for (it may be stuck). */
  async close(): Promise<void> {
    if (this.#failed) {
      this.#worker.unref();
      this.#worker.terminate().catch(() => {});
      return;
    }
    await this.#worker.terminate();
  }
}

/**
 * The worker side of `RequestWorker`: answers each request with `handle`, transferring what `transfer` lists.
 * Does nothing outside a worker thread.
 */
export function serveRequests<Q, R>(
  port: {
    on(event: 'message', listener: (m: Request<Q>) => void): unknown;
    postMessage(m: Reply<R>, transfer?: readonly Transferable[]): void;
  } | null,
  handle: (request: Q) => Promise<R>,
  transfer: (result: R) => Transferable[] = () => [],
): void {
  port?.on('message', ({ id, request }) => {
    handle(request).then(
      (result) => port.postMessage({ id, result }, transfer(result)),
      (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/**
 * Runs a worker that posts one message and resolves with it (the worker is then stopped); null when no worker can
 * start here or it fails before answering (the caller then does the work on its own thread). With a deadline, a
 * worker that has not answered by then is stopped and `late` is the answer: whatever holds it (a read that never
 * returns) holds no caller for ever.
 */
export function runWorkerOnce<T>(
  entry: URL,
  data: Record<string, unknown>,
  deadline?: { ms: number; late: T },
): Promise<T | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker(entry, data);
    } catch {
      resolve(null);
      return;
    }
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (value: T | null): void => {
      if (!settled) resolve(value);
      settled = true;
      clearTimeout(timer);
    };
    if (deadline) {
      timer = setTimeout(() => {
        settle(deadline.late);
        void worker.terminate();
      }, deadline.ms);
    }
    worker.once('message', (m: T) => {
      settle(m);
      void worker.terminate();
    });
    worker.once('error', () => settle(null));
    worker.once('exit', () => settle(null));
  });
}
