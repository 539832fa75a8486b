/**
 * Fault injection: answers (429, 5xx, reset connections) and delays that tests put in front of the fake's own
 * handling, matched by route and used up a given number of times.
 */
import { createHash } from 'node:crypto';
import { matchRoute } from './http.js';
import type { RestResult } from './records.js';
import type { FaultSpec, RecordedRequest, RouteMatcher } from './types.js';

interface FaultRule {
  matcher: RouteMatcher;
  spec: FaultSpec;
  remaining: number;
}

interface DelayRule {
  matcher: RouteMatcher;
  ms: number;
  remaining: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  500: '500: Internal Server Error',
  502: '502: Bad Gateway',
  503: '503: Service Unavailable',
  504: '504: Gateway Timeout',
};

/** Uses up the first rule matching the request (removed once its count reaches 0). */
function take<T extends { matcher: RouteMatcher; remaining: number }>(rules: T[], rec: RecordedRequest): T | undefined {
  const i = rules.findIndex((r) => matchRoute(r.matcher, { method: rec.method, path: rec.path, query: rec.query }));
  if (i === -1) return undefined;
  const rule = rules[i];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(i, 1);
  return rule;
}

export class FaultInjector {
  private readonly faults: FaultRule[] = [];
  private readonly delays: DelayRule[] = [];

  failNext(matcher: RouteMatcher, spec: FaultSpec): void {
    this.faults.push({ matcher, spec, remaining: spec.times ?? 1 });
  }

  delayNext(matcher: RouteMatcher, ms: number, times = 1): void {
    this.delays.push({ matcher, ms, remaining: times });
  }

  clear(): void {
    this.faults.length = 0;
    this.delays.length = 0;
  }

  /** How long to hold this request before handling it; undefined when no delay rule matches. */
  takeDelay(rec: RecordedRequest): number | undefined {
    return take(this.delays, rec)?.ms;
  }

  /** The fault to apply to this request instead of handling it, if a rule matches. */
  takeFault(rec: RecordedRequest): FaultSpec | undefined {
    return take(this.faults, rec)?.spec;
  }
}

/** The answer for a fault; a 429 carries Discord's rate-limit headers, which discord.js reads to wait. */
export function faultResult(spec: FaultSpec, rec: RecordedRequest): RestResult {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.status === 429) {
    const retryAfter = spec.retryAfter ?? 0.1;
    const scope = spec.scope ?? (spec.global ? 'global' : 'user');
    const route = `${rec.method} ${rec.path.replace(/\d{17,20}/g, ':id')}`;
    const bucket = createHash('sha1').update(route).digest('hex').slice(0, 16);
    Object.assign(headers, {
      'Retry-After': String(retryAfter),
      'X-RateLimit-Limit': '5',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': String(retryAfter),
      'X-RateLimit-Bucket': bucket,
      'X-RateLimit-Scope': scope,
      ...(spec.global ? { 'X-RateLimit-Global': 'true' } : {}),
      ...spec.headers,
    });
    return {
      status: 429,
      body: spec.body ?? {
        message: 'You are being rate limited.',
        retry_after: retryAfter,
        global: spec.global === true,
        code: 0,
      },
      headers,
    };
  }
  return {
    status: spec.status,
    body: spec.body ?? { message: DEFAULT_MESSAGES[spec.status] ?? `${spec.status}: Injected fault`, code: 0 },
    headers,
  };
}
