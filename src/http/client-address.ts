// Who a request comes from: the socket's peer, or, when that peer is a trusted proxy, the
// address its X-Forwarded-For names; and the key under which connections from one client count.

import {BlockList, isIP} from 'node:net';
import {parseCidr, plainAddress} from '../ip-address.js';

/** A forwarded hop as nginx writes it, possibly bracketed; undefined when it is not an address. */
function hopAddress(text: string): string | undefined {
  let hop = text.trim();
  if (hop.startsWith('[') && hop.endsWith(']')) hop = hop.slice(1, -1);
  hop = plainAddress(hop);
  return isIP(hop) ? hop : undefined;
}

export interface ClientAddresses {
  isTrusted(address: string): boolean;
  /** The client's address for a request that came from `peer` with this X-Forwarded-For. */
  clientOf(peer: string, forwarded: string | string[] | undefined): string;
}

/**
 * Without `numProxies`, as nginx's real_ip_recursive: from a trusted peer, the right-most
 * forwarded address that is not a trusted proxy (the left-most when all are). With it, as
 * upstream's ProxyFix(x_for=numProxies) but only from a trusted peer: the numProxies-th address
 * from the right, or the peer when there are fewer.
 */
export function clientAddresses(trustedProxies: readonly string[], numProxies: number | null): ClientAddresses {
  const trusted = new BlockList();
  for (const text of trustedProxies) {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`not an address or CIDR: ${text}`);
    trusted.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  const isTrusted = (address: string) => {
    const version = isIP(address);
    return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
  return {
    isTrusted,
    clientOf(peer, forwarded) {
      let client = plainAddress(peer);
      if (!forwarded || !isTrusted(client)) return client;
      const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',');
      if (numProxies !== null) {
        if (numProxies === 0 || hops.length < numProxies) return client;
        return hopAddress(hops[hops.length - numProxies]!) ?? client;
      }
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hopAddress(hops[i]!);
        // A hop a trusted proxy could not name leaves that proxy as the client.
        if (hop === undefined) return client;
        client = hop;
        if (!isTrusted(hop)) return client;
      }
      return client;
    },
  };
}

/** Under what connections from one client count: its IPv4 address, or its IPv6 /64 (what one host is usually given). */
export function addressKey(address: string): string {
  const plain = plainAddress(address);
  if (isIP(plain) !== 6) return plain;
  const groups = ipv6Groups(plain.replace(/%.*$/, ''));
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` and a dotted IPv4 tail expanded. */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const gap = address.indexOf('::');
  if (gap === -1) return parse(address);
  const head = parse(address.slice(0, gap));
  const tail = parse(address.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
