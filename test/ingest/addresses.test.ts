import { describe, expect, it } from 'vitest';
import { AddressPolicy, isPublicAddress } from '../../src/ingest/index.js';

const PRIVATE = [
  '0.0.0.0',
  '10.1.2.3',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.0.0.2',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.2.10',
  '192.168.1.1',
  '198.18.0.1',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:a9fe:a9fe',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'ff02::1',
  '64:ff9b::a00:1',
  '2001:db8::1',
  '2002:7f00:1::1',
  'not an address',
  '',
];
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '100.63.255.255',
  '100.128.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '192.169.0.1',
  '93.184.215.14',
  '::ffff:8.8.8.8',
  '2a00:1450:4007:80c::200e',
  '2606:4700::6810:84e5',
];

describe('isPublicAddress', () => {
  it.each(PRIVATE)('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(PUBLIC)('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('AddressPolicy (ALLOW_PRIVATE_FETCH)', () => {
  it('false: public addresses only', () => {
    const policy = new AddressPolicy(false);
    expect(policy.allows('8.8.8.8')).toBe(true);
    expect(policy.allows('127.0.0.1')).toBe(false);
  });

  it('true: every address', () => {
    const policy = new AddressPolicy(true);
    for (const address of ['127.0.0.1', '10.0.0.1', '::1', 'fe80::1']) expect(policy.allows(address)).toBe(true);
  });

  it('a list: those addresses (in any IPv6 spelling) and the public ones, no other private one', () => {
    const policy = new AddressPolicy(['127.0.0.1', '::1']);
    expect(policy.allows('127.0.0.1')).toBe(true);
    expect(policy.allows('::ffff:127.0.0.1')).toBe(true);
    expect(policy.allows('0:0:0:0:0:0:0:1')).toBe(true);
    expect(policy.allows('8.8.8.8')).toBe(true);
    expect(policy.allows('127.0.0.2')).toBe(false);
    expect(policy.allows('10.0.0.1')).toBe(false);
    expect(policy.allows('fe80::1')).toBe(false);
  });
});
