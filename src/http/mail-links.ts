// Where the links of a mail point: upstream's `hostname`, `port` and `prefix` template variables,
// from the request's Host and X-Script-Name headers as upstream reads them, or from
// `email_links` when set (a client chooses its Host header; a fixed name keeps links on it).

import type {IncomingHttpHeaders} from 'node:http';
import type {LinkParams} from '../services/mail/messages.js';

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** `email_links`: fixed values for the links, null to take the request's. */
export interface LinkSettings {
  hostname: string | null;
  port: number | null;
  prefix: string | null;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function linkParams(headers: IncomingHttpHeaders, configured: LinkSettings): LinkParams {
  if (configured.hostname) {
    return {
      hostname: configured.hostname,
      ...(configured.port ? {port: configured.port} : {}),
      ...(configured.prefix ? {prefix: configured.prefix} : {}),
    };
  }
  const params: LinkParams = {};
  // Anything but a host name or address and a port is left out rather than put in a link.
  const host = one(headers.host)?.trim();
  const match = host ? HOST.exec(host) : null;
  if (host && match) {
    params.hostname = match[1] === undefined ? host : host.slice(0, -(match[1].length + 1));
    const port = match[1] === undefined ? 0 : Number(match[1]);
    if (port > 0 && port < 65536) params.port = port;
  }
  const prefix = one(headers['x-script-name'])?.trim();
  if (prefix && PREFIX.test(prefix) && !prefix.split('/').some((part) => part === '.' || part === '..')) params.prefix = prefix;
  return params;
}
