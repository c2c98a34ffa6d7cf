// The one-way digest under which token and refresh-token values are stored and looked up.
// Only the digest reaches the store, so a leaked database file grants nothing.
import {hash} from 'node:crypto';

/** Hex SHA-256 of the lower-cased value: token values are UUIDs, accepted in any case. */
export function tokenDigest(value: string): string {
  // The one-shot hash: this runs on every token check.
  return hash('sha256', value.toLowerCase(), 'hex');
}
