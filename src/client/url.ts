// The daemon's address as an operator types it, reduced to one canonical form.

import {ClientOptionError} from './errors.js';

/**
 * The daemon's root, `scheme://host[:port][/prefix]`, from what a user types:
 * `https://auth.example.com:9497`, `https://pbx.example.com/api/auth/`, `.../api/auth/0.1`.
 * The API version is left out (the client adds `/0.1`), so that the same daemon always gives the
 * same string, which profiles can store and compare. Without a scheme, https is assumed: wazo-auth
 * is served over TLS outside a developer's machine.
 */
export function normalizeUrl(input: string): string {
  const typed = input.trim();
  if (!typed) throw new ClientOptionError('the daemon URL is empty');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new ClientOptionError(`not a URL: ${JSON.stringify(typed)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientOptionError(`the daemon URL must be http:// or https://, not ${url.protocol}//`);
  }
  // A password in a URL ends up in shell history and process lists.
  if (url.username || url.password) throw new ClientOptionError('the daemon URL must not hold credentials');
  if (url.search || url.hash) throw new ClientOptionError('the daemon URL must not have a query string or a fragment');
  const prefix = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/0\.1$/, '')
    .replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${prefix}`;
}
