import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { NNBSP } from '../wording/index.js';
import { AddressPolicy, type PrivateAddressSetting } from './addresses.js';
import { decodeBody, parseContentType } from './decode-body.js';

/** What a fetch brings back: the page after redirects, decoded, and its bytes as received (decompressed). */
export interface FetchedPage {
  ok: true;
  /** The final address, after redirects. */
  url: string;
  body: string;
  bytes: Uint8Array;
  /** The media type without parameters (`text/html`). */
  contentType: string;
}

export type FetchRefusalReason =
  | 'scheme'
  | 'private-address'
  | 'too-large'
  | 'timeout'
  | 'http-status'
  | 'not-html'
  | 'not-text'
  | 'too-many-redirects'
  | 'network';

/** Why a page was not fetched; `message` is French, for the moderator. */
export interface FetchRefusal {
  ok: false;
  reason: FetchRefusalReason;
  message: string;
}

/** Resolves a host name to every address it has (tests replace DNS with this). */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface FetchOptions {
  /** The ALLOW_PRIVATE_FETCH setting: false (public addresses only), true (any), or the addresses allowed. */
  allowPrivate: PrivateAddressSetting;
  /** Time allowed for the whole transfer, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Largest body accepted, decompressed (default 2 MiB). */
  maxBytes?: number;
  /** Redirects followed at most (default 5). */
  maxRedirects?: number;
  /** `html` (default): text/html or application/xhtml+xml; `text`: text/plain (a `.txt` attachment). */
  accept?: 'html' | 'text';
  /** DNS for tests (a name that resolves to a private address, without a real DNS). Default: the system's. */
  resolveHost?: ResolveHost;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_FETCH_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Who is asking, for the sites' logs: the bot, by name, fetching for a moderator's `/ajouter`. */
export const USER_AGENT = 'DjingoBot/0.1 (Discord bot; /ajouter command)';

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Thrown by the connect-time lookup when every address of a name is refused; turned into a refusal. */
class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

const refusal = (reason: FetchRefusalReason, message: string): FetchRefusal => ({ ok: false, reason, message });

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',').replace(/,0$/u, '')} Mio`;
  return `${Math.max(1, Math.round(bytes / 1024))} Kio`;
}

const tooLarge = (maxBytes: number): FetchRefusal =>
  refusal('too-large', `Page refusée${NNBSP}: plus de ${formatSize(maxBytes)}, la limite.`);

const privateAddress = (host: string): FetchRefusal =>
  refusal(
    'private-address',
    `Adresse refusée${NNBSP}: ${host} désigne une adresse privée ou locale, pas une page publique du Web.`,
  );

/** Refuses what is not a plain http(s) address of the web: other schemes, credentials, private literal IPs. */
function checkUrl(raw: string, policy: AddressPolicy, base?: URL): { url: URL } | FetchRefusal {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return refusal('scheme', `Adresse refusée${NNBSP}: ce n’est pas une adresse Web valide.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refusal('scheme', `Adresse refusée${NNBSP}: seules les adresses http et https sont acceptées.`);
  }
  if (url.username || url.password) {
    return refusal(
      'scheme',
      `Adresse refusée${NNBSP}: une adresse avec identifiant ou mot de passe n’est pas acceptée.`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/u, '$1');
  // A literal IP is never looked up, so the connect-time check does not see it: it is checked here.
  if (isIP(host) !== 0 && !policy.allows(host)) return privateAddress(url.hostname);
  return { url };
}

/**
 * The lookup given to every connection: resolves all addresses of the name, keeps the allowed ones, fails when none
 * is left. It runs when the socket connects, so the addresses checked are those connected to (no DNS rebinding
 * between a check and the connection).
 */
function guardedLookup(policy: AddressPolicy, resolveHost: ResolveHost | undefined): LookupFunction {
  return (hostname, options, callback) => {
    const resolved: Promise<readonly LookupAddress[]> = resolveHost
      ? resolveHost(hostname)
      : new Promise((resolve, reject) => {
          dnsLookup(hostname, { ...options, all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
        });
    resolved.then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => (wanted === 0 || a.family === wanted) && policy.allows(a.address));
        const first = usable[0];
        if (!first) {
          callback(new PrivateAddressError(hostname, addresses[0]?.address ?? '?'), '', 0);
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** The error and its causes, outermost first (undici and fetch wrap the socket's error). */
function* causes(err: unknown): Generator<unknown> {
  for (let e = err, depth = 0; e && depth < 8; depth++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

function networkRefusal(err: unknown, host: string): FetchRefusal {
  for (const e of causes(err)) {
    if (e instanceof PrivateAddressError) return privateAddress(e.hostname);
    const code = (e as { code?: unknown }).code;
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return refusal('timeout', `Page refusée${NNBSP}: ${host} ne répond pas à temps.`);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return refusal('network', `Page inaccessible${NNBSP}: le nom ${host} est introuvable.`);
    }
    if (code === 'ECONNREFUSED') return refusal('network', `Page inaccessible${NNBSP}: ${host} refuse la connexion.`);
    if (typeof code === 'string' && /CERT|SSL|TLS/u.test(code)) {
      return refusal('network', `Page inaccessible${NNBSP}: le certificat HTTPS de ${host} n’est pas valide.`);
    }
  }
  const code = [...causes(err)].map((e) => (e as { code?: unknown }).code).find((c) => typeof c === 'string');
  return refusal('network', `Page inaccessible${NNBSP}: erreur réseau${code ? ` (${code})` : ''} avec ${host}.`);
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads a body to the limit; null when it goes past it (the stream is destroyed, the connection dropped). */
async function readLimited(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function typeRefusal(accept: 'html' | 'text', found: string | null): FetchRefusal {
  const what = found ? `du contenu ${found}` : 'un contenu sans type';
  return accept === 'html'
    ? refusal('not-html', `Page refusée${NNBSP}: l’adresse renvoie ${what}, pas une page HTML.`)
    : refusal('not-text', `Fichier refusé${NNBSP}: ${what}, pas du texte brut (.txt).`);
}

/**
 * Fetches one web page (or a `.txt` attachment with `accept: 'text'`) for `/ajouter`. Never throws for what the
 * page or the network does: every failure is a FetchRefusal with a French message.
 */
export async function fetchPage(raw: string, options: FetchOptions): Promise<FetchedPage | FetchRefusal> {
  const policy = new AddressPolicy(options.allowPrivate);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const accept = options.accept ?? 'html';
  const checked = checkUrl(raw, policy);
  if (!('url' in checked)) return checked;
  let url = checked.url;

  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('fetch deadline')), timeoutMs);
  const agent = new Agent({
    connect: { lookup: guardedLookup(policy, options.resolveHost), timeout: timeoutMs },
    // One connection per origin is enough, and nothing is kept once the fetch is over.
    connections: 1,
    pipelining: 0,
  });
  // Bodies may come compressed (gzip, deflate, br are accepted): the size limit applies to the decompressed bytes.
  const dispatcher = agent.compose(interceptors.decompress());
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await request(url, {
        dispatcher,
        method: 'GET',
        signal: abort.signal,
        headers: {
          'user-agent': USER_AGENT,
          accept: accept === 'html' ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' : 'text/plain,*/*;q=0.1',
          'accept-language': 'fr,fr-FR;q=0.9,en;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        },
      });
      const location = header(res.headers, 'location');
      if (REDIRECTS.has(res.statusCode) && location) {
        await res.body.dump().catch(() => undefined);
        if (redirects >= maxRedirects) {
          return refusal('too-many-redirects', `Page refusée${NNBSP}: plus de ${maxRedirects} redirections.`);
        }
        const next = checkUrl(location, policy, url);
        if (!('url' in next)) return next;
        url = next.url;
        continue;
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump().catch(() => undefined);
        return refusal('http-status', `Page inaccessible${NNBSP}: le site a répondu ${res.statusCode}.`);
      }
      const type = parseContentType(header(res.headers, 'content-type'));
      const wanted = accept === 'html' ? HTML_TYPES.has(type?.essence ?? '') : type?.essence === 'text/plain';
      if (!wanted) {
        res.body.destroy();
        return typeRefusal(accept, type?.essence ?? null);
      }
      const length = Number(header(res.headers, 'content-length'));
      const encoded = (header(res.headers, 'content-encoding') ?? 'identity') !== 'identity';
      if (!encoded && Number.isFinite(length) && length > maxBytes) {
        res.body.destroy();
        return tooLarge(maxBytes);
      }
      const bytes = await readLimited(res.body, maxBytes);
      if (!bytes) return tooLarge(maxBytes);
      return {
        ok: true,
        url: url.href,
        body: decodeBody(bytes, type?.charset ?? null, accept === 'html'),
        bytes,
        contentType: type!.essence,
      };
    }
  } catch (err) {
    if (abort.signal.aborted) {
      return refusal('timeout', `Page refusée${NNBSP}: pas entièrement reçue en ${Math.ceil(timeoutMs / 1000)} s.`);
    }
    return networkRefusal(err, url.host);
  } finally {
    clearTimeout(timer);
    abort.abort();
    await agent.destroy().catch(() => undefined);
  }
}
