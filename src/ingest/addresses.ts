import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses `/ajouter` may connect to. Public unicast addresses only, unless the ALLOW_PRIVATE_FETCH
 * setting allows every address (`true`) or some (a list: `127.0.0.1` for tests). Node's BlockList compares
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`, `::ffff:7f00:1`) with the IPv4 rules, whatever their spelling.
 */
export type PrivateAddressSetting = boolean | readonly string[];

/** IPv4 ranges that are not the public internet (IANA special-purpose registry). */
const SPECIAL_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

/**
 * Inside global unicast (2000::/3), the ranges that are not plain public hosts. Everything outside 2000::/3 is
 * refused as well: unspecified ::, loopback ::1, ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, NAT64
 * 64:ff9b::/96, discard 100::/64.
 */
const SPECIAL_V6: readonly [string, number][] = [
  ['2001::', 23], // IETF protocol assignments (Teredo 2001::/32, ORCHIDv2 …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: carries any IPv4 address, private ones included
  ['3fff::', 20], // documentation
];

function blockList(ranges: readonly [string, number][], type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of ranges) list.addSubnet(net, prefix, type);
  return list;
}

const specialV4 = blockList(SPECIAL_V4, 'ipv4');
const specialV6 = blockList(SPECIAL_V6, 'ipv6');
const globalV6 = blockList([['2000::', 3]], 'ipv6');
/** IPv4 addresses and their IPv4-mapped IPv6 spellings. */
const ipv4Like = blockList([['::ffff:0:0', 96]], 'ipv6');

const familyOf = (address: string): 'ipv4' | 'ipv6' | null => {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : null;
};

/** Whether an address belongs to the public internet (false for anything private, local, reserved or invalid). */
export function isPublicAddress(address: string): boolean {
  const type = familyOf(address);
  if (!type) return false;
  try {
    if (type === 'ipv4' || ipv4Like.check(address, 'ipv6')) return !specialV4.check(address, type);
    // A zone index (fe80::1%eth0) is link-local by nature; BlockList does not match it, globalV6 neither.
    return globalV6.check(address, 'ipv6') && !specialV6.check(address, 'ipv6');
  } catch {
    return false;
  }
}

/** The address rule of one fetch: `allows(address)` for every address a connection would go to. */
export class AddressPolicy {
  readonly #all: boolean;
  readonly #listed = new BlockList();

  constructor(setting: PrivateAddressSetting) {
    this.#all = setting === true;
    if (Array.isArray(setting)) {
      for (const address of setting) {
        const type = familyOf(address);
        if (type) this.#listed.addAddress(address, type);
      }
    }
  }

  allows(address: string): boolean {
    if (this.#all || isPublicAddress(address)) return true;
    const type = familyOf(address);
    if (!type) return false;
    try {
      return this.#listed.check(address, type);
    } catch {
      return false;
    }
  }
}
