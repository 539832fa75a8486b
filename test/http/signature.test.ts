import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, MAX_SIGNATURE_AGE_S, publicKeyFromHex } from '../../src/http/index.js';
import { publicKeyHex } from '../fake-discord/index.js';

const pair = generateKeyPairSync('ed25519');
const key = publicKeyFromHex(publicKeyHex(pair.publicKey));
const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;

/** Headers as Discord sends them for `body` at `timestamp`, signed with `privateKey`. */
function signed(body: string, timestamp = String(NOW_S), privateKey = pair.privateKey) {
  return { signature: sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'), timestamp };
}

describe('the Ed25519 check of Discord’s requests', () => {
  const body = '{"type":1,"id":"1","token":"t","application_id":"2","version":1}';

  it('accepts the exact body signed with the application’s key, at the time it says', () => {
    expect(checkSignature(key, signed(body), Buffer.from(body), NOW_MS)).toBeNull();
    // An upper-case key, as some copy it from the portal, is the same key.
    const upper = publicKeyFromHex(publicKeyHex(pair.publicKey).toUpperCase());
    expect(checkSignature(upper, signed(body), Buffer.from(body), NOW_MS)).toBeNull();
  });

  it('refuses another key, another body, another timestamp and a truncated signature', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(checkSignature(key, signed(body, String(NOW_S), other), Buffer.from(body), NOW_MS)).toBe('bad-signature');
    expect(checkSignature(key, signed(body), Buffer.from(`${body} `), NOW_MS)).toBe('bad-signature');
    const { signature } = signed(body);
    expect(checkSignature(key, { signature, timestamp: String(NOW_S - 1) }, Buffer.from(body), NOW_MS)).toBe(
      'bad-signature',
    );
    expect(
      checkSignature(key, { signature: signature.slice(0, 126), timestamp: String(NOW_S) }, Buffer.from(body), NOW_MS),
    ).toBe('malformed');
    expect(
      checkSignature(
        key,
        { signature: `zz${signature.slice(2)}`, timestamp: String(NOW_S) },
        Buffer.from(body),
        NOW_MS,
      ),
    ).toBe('malformed');
  });

  it('refuses a request without its headers', () => {
    const { signature, timestamp } = signed(body);
    expect(checkSignature(key, { signature: undefined, timestamp }, Buffer.from(body), NOW_MS)).toBe('missing');
    expect(checkSignature(key, { signature, timestamp: undefined }, Buffer.from(body), NOW_MS)).toBe('missing');
    expect(checkSignature(key, { signature, timestamp: 'hier' }, Buffer.from(body), NOW_MS)).toBe('malformed');
  });

  it('refuses a well-signed request replayed after five minutes, or dated ahead of the clock', () => {
    const almost = String(NOW_S - MAX_SIGNATURE_AGE_S + 1);
    expect(checkSignature(key, signed(body, almost), Buffer.from(body), NOW_MS)).toBeNull();
    const old = String(NOW_S - MAX_SIGNATURE_AGE_S - 1);
    expect(checkSignature(key, signed(body, old), Buffer.from(body), NOW_MS)).toBe('too-old');
    expect(checkSignature(key, signed(body, String(NOW_S + 5)), Buffer.from(body), NOW_MS)).toBeNull();
    expect(checkSignature(key, signed(body, String(NOW_S + 600)), Buffer.from(body), NOW_MS)).toBe('in-the-future');
  });

  it('takes only a 64-hex-character key', () => {
    expect(() => publicKeyFromHex('abc')).toThrow();
    expect(() => publicKeyFromHex('g'.repeat(64))).toThrow();
  });
});
