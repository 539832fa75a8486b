import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A timestamp older than this is a replay, however well signed. */
export const MAX_SIGNATURE_AGE_S = 5 * 60;
/** How far ahead of this machine's clock Discord's may be. */
export const MAX_CLOCK_AHEAD_S = 60;

/** Why a request was refused (for the log; the caller only answers 401). */
export type SignatureProblem = 'missing' | 'malformed' | 'too-old' | 'in-the-future' | 'bad-signature';

/** The application's public key (64 hex characters, as the developer portal shows it) as a Node key. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex characters');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

/**
 * Checks a request as Discord signs it: `X-Signature-Ed25519` is the Ed25519 signature, in hex, of the
 * `X-Signature-Timestamp` value (Unix seconds) followed by the exact body bytes. A timestamp more than
 * MAX_SIGNATURE_AGE_S old, or more than MAX_CLOCK_AHEAD_S ahead, is refused even when the signature holds, so a
 * captured request cannot be replayed later. Null when the request is Discord's.
 */
export function checkSignature(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: Buffer,
  nowMs: number,
): SignatureProblem | null {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return 'missing';
  // Buffer.from(…, 'hex') stops silently at the first bad character: the form is checked first.
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  const age = nowMs / 1000 - Number(timestamp);
  if (age > MAX_SIGNATURE_AGE_S) return 'too-old';
  if (age < -MAX_CLOCK_AHEAD_S) return 'in-the-future';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? null : 'bad-signature';
}
