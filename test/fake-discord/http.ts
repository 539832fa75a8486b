/** HTTP helpers of the fake: body parsing (JSON and multipart/form-data), answers (JSON, raw bytes), route matching. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedFile, RouteMatcher } from './types.js';

export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
  /** The body could not be parsed (invalid JSON). */
  invalid: boolean;
}

export function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(text: string): { value: unknown; ok: boolean } {
  try {
    return { value: JSON.parse(text) as unknown, ok: true };
  } catch {
    return { value: text, ok: false };
  }
}

function headerParam(header: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}=(?:"([^"]*)"|([^;]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? '').trim();
}

/** Minimal multipart/form-data parser: enough for discord.js (payload_json + files[n]). */
export function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const files: RecordedFile[] = [];
  const fields: Record<string, string> = {};
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    if (raw.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    let part = raw.subarray(start, next);
    if (part.subarray(part.length - 2).toString() === '\r\n') part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headerText = headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString('utf8');
    const content = headerEnd === -1 ? part : part.subarray(headerEnd + 4);
    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    const field = headerParam(disposition, 'name') ?? '';
    const filename = headerParam(disposition, 'filename');
    if (filename !== undefined) {
      files.push({
        field,
        filename,
        contentType: headers['content-type'] ?? 'application/octet-stream',
        size: content.length,
      });
    } else {
      fields[field] = content.toString('utf8');
    }
    pos = next;
  }
  if (fields.payload_json !== undefined) {
    const parsed = parseJson(fields.payload_json);
    return { body: parsed.value, files, invalid: !parsed.ok };
  }
  return { body: Object.keys(fields).length > 0 ? fields : null, files, invalid: false };
}

export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { body: null, files: [], invalid: false };
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const boundary = headerParam(contentType ?? '', 'boundary');
    if (boundary) return parseMultipart(raw, boundary);
    return { body: null, files: [], invalid: true };
  }
  const text = raw.toString('utf8');
  if (type.includes('json') || type === '') {
    const parsed = parseJson(text);
    return { body: parsed.value, files: [], invalid: !parsed.ok };
  }
  return { body: text, files: [], invalid: false };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

/** Raw bytes (a CDN file); HEAD gets the headers only. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  raw: { data: Buffer; contentType: string },
  head: boolean,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded) return;
  res.writeHead(status, {
    'Content-Type': raw.contentType,
    'Content-Length': raw.data.length.toString(),
    ...headers,
  });
  res.end(head ? undefined : raw.data);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `"POST /interactions/:id/:token/callback"`, `"/webhooks/**"`, `"GET /gateway/bot"`. */
export function compilePattern(pattern: string): { method: string | null; re: RegExp } {
  const m = /^([A-Z]+)\s+(.*)$/.exec(pattern.trim());
  const method = m ? (m[1] ?? null) : null;
  const path = m ? (m[2] ?? '') : pattern.trim();
  const parts = path.split('/').map((seg, i, all) => {
    if (seg === '**' && i === all.length - 1) return '(?:/.*)?';
    if (seg === '*' || seg.startsWith(':')) return '/[^/]+';
    return i === 0 && seg === '' ? '' : `/${escapeRegex(seg)}`;
  });
  // The first element is '' for a leading slash; rebuild.
  const body = parts.join('').replace(/^\/\//, '/');
  return { method, re: new RegExp(`^${body}/?$`) };
}

export function matchRoute(
  matcher: RouteMatcher,
  req: { method: string; path: string; query: Record<string, string> },
): boolean {
  if (typeof matcher === 'function') return matcher(req);
  if (matcher instanceof RegExp) {
    matcher.lastIndex = 0;
    return matcher.test(req.path) || matcher.test(`${req.method} ${req.path}`);
  }
  const { method, re } = compilePattern(matcher);
  if (method && method !== req.method) return false;
  return re.test(req.path);
}
