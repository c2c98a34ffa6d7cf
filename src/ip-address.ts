// Address syntax the configuration checks and the HTTP server uses: pure, so both may share it.

import {isIP} from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = plainAddress(slash === -1 ? text : text.slice(0, slash));
  const version = isIP(address);
  if (!version) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  return {address, prefix: Number(prefixText), family: version === 4 ? 'ipv4' : 'ipv6'};
}

/** An IPv4 client seen through a dual-stack socket (`::ffff:1.2.3.4`) is named as IPv4, once. */
export function plainAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
