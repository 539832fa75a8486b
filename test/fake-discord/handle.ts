/** The handle returned for each interaction sent: what the bot answered, and waiting for its answers. */
import { DEFAULT_WAIT_MS, timeoutError, type RequestLog } from './records.js';
import { isCallbackPath, type FakeStore, type InteractionState } from './store.js';
import type { FakeMessage, HttpDeliveryRecord, InteractionHandle, JsonObject, RecordedRequest } from './types.js';

export class InteractionHandleImpl implements InteractionHandle {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
    private readonly state: InteractionState,
  ) {}

  get id(): string {
    return this.state.id;
  }
  get token(): string {
    return this.state.token;
  }
  get type(): number {
    return this.state.type;
  }
  get payload(): JsonObject {
    return this.state.payload;
  }
  get sentAt(): number {
    return this.state.sentAt;
  }
  get shardId(): number {
    return this.state.shardId;
  }
  get acknowledged(): boolean {
    return this.state.acknowledged;
  }
  get firstResponseLatencyMs(): number | undefined {
    const first = this.state.firstCallback;
    return first ? first.receivedAt - this.state.sentAt : undefined;
  }

  firstResponse(timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    const what = `the first response to interaction ${this.state.id}`;
    return this.waitFor((r) => isCallbackPath(r.path) && !r.injected, timeoutMs, what);
  }

  responses(): RecordedRequest[] {
    return [...this.state.requests];
  }

  waitFor(
    predicate: (req: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
    what?: string,
  ): Promise<RecordedRequest> {
    const id = this.state.id;
    const past = this.state.requests.find(predicate);
    if (past) return Promise.resolve(past);
    return this.log.nextRequest(
      (r) => r.interactionId === id && predicate(r),
      timeoutMs,
      what ?? `a matching request of interaction ${id}`,
    );
  }

  originalMessage(): FakeMessage | undefined {
    const id = this.state.originalMessageId;
    return id ? this.store.messages.get(id) : undefined;
  }

  httpResponse(timeoutMs = DEFAULT_WAIT_MS): Promise<HttpDeliveryRecord> {
    const delivery = this.state.http;
    if (!delivery) return Promise.reject(new Error(`fake-discord: interaction ${this.state.id} went by the gateway`));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(`the endpoint's answer to ${this.state.id}`, timeoutMs)), timeoutMs);
      timer.unref();
    });
    return Promise.race([delivery, timeout]).finally(() => clearTimeout(timer));
  }

  followUps(): FakeMessage[] {
    return this.state.followUpIds
      .map((id) => this.store.messages.get(id))
      .filter((m): m is FakeMessage => m !== undefined);
  }
}
