// One login against a tenant's LDAP directory (ldapts): find the user's entry (as the service
// account, or straight from the login when there is none), bind as that entry with the password
// given, and read its e-mail address, as upstream's ldap_user backend does. Every step is bounded
// in time; values put in a filter or a DN are escaped (RFC 4515, RFC 4514).

import {isIP} from 'node:net';
import type {ConnectionOptions} from 'node:tls';
import {Client, FilterParser, InvalidCredentialsError, ResultCodeError, SizeLimitExceededError, type Entry} from 'ldapts';
import type {LdapSecurity} from '../domain/types.js';

/** A configuration with its bind password opened, as a login needs it. */
export interface Directory {
  host: string;
  port: number;
  protocolSecurity: LdapSecurity;
  bindDn: string | null;
  bindPassword: string | null;
  userBaseDn: string;
  userLoginAttribute: string;
  userEmailAttribute: string;
  searchFilters: string | null;
  caCertificates: string | null;
}

export interface DirectoryTimeouts {
  /** TCP (and TLS) connection, in ms. */
  connectMs: number;
  /** Each bind or search, in ms. */
  operationMs: number;
  /** The whole login, in ms: a slow directory answering every step just in time still ends here. */
  totalMs: number;
}

/** Upstream's two seconds per step (OPT_NETWORK_TIMEOUT, OPT_TIMEOUT), and a bound on the sum. */
export const DEFAULT_TIMEOUTS: DirectoryTimeouts = {connectMs: 2_000, operationMs: 2_000, totalMs: 5_000};

/**
 * What a login got: the entry's e-mail address (lower-cased, as upstream); or a refusal the
 * directory gave (`reason` for the log, never shown to the client); or `unreachable`, when the
 * directory could not be asked (down, slow, TLS refused).
 */
export type DirectoryAnswer =
  | {ok: true; email: string; dn: string}
  /** `misconfigured`: the configuration, not the user, is at fault (a refused service bind, a broken filter). */
  | {ok: false; reason: string; misconfigured?: true}
  | {ok: false; unreachable: string};

/** RFC 4515: a value in a filter matches itself only (`*)(uid=*` is a literal string). */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x20 || byte >= 0x7f || c === '*' || c === '(' || c === ')' || c === '\\' ? `\\${byte.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

/** RFC 4514: an attribute value in a DN stays one value of one RDN. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  out = out.replace(/^([ #])/, '\\$1');
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Upstream's search_filters: `{username}`, `{user_login_attribute}`, `{user_email_attribute}` replaced by escaped values. */
export function searchFilter(directory: Pick<Directory, 'searchFilters' | 'userLoginAttribute' | 'userEmailAttribute'>, login: string): string {
  const template = directory.searchFilters || '{user_login_attribute}={username}';
  const values: Record<string, string> = {
    username: escapeFilterValue(login),
    user_login_attribute: escapeFilterValue(directory.userLoginAttribute),
    user_email_attribute: escapeFilterValue(directory.userEmailAttribute),
  };
  const filter = template.replace(/\{(username|user_login_attribute|user_email_attribute)\}/g, (_, name: string) => values[name]!);
  return filter.startsWith('(') ? filter : `(${filter})`;
}

/** Throws when `filter` is no RFC 4515 filter (ldapts alone lets a missing closing parenthesis pass). */
function parseFilter(filter: string): void {
  let depth = 0;
  for (const c of filter) {
    // Values are escaped: every parenthesis left is the filter's own.
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) break;
  }
  if (depth !== 0) throw new Error(`unbalanced parentheses in ${filter}`);
  FilterParser.parseString(filter);
}

/** Whether search_filters makes a filter whatever the login (checked when it is set, and before each search). */
export function validSearchFilters(template: string | null): boolean {
  try {
    parseFilter(searchFilter({searchFilters: template, userLoginAttribute: 'uid', userEmailAttribute: 'mail'}, 'x'));
    return true;
  } catch {
    return false;
  }
}

export function directoryUrl(directory: Pick<Directory, 'host' | 'port' | 'protocolSecurity'>): string {
  const host = isIP(directory.host) === 6 ? `[${directory.host}]` : directory.host;
  return `${directory.protocolSecurity === 'ldaps' ? 'ldaps' : 'ldap'}://${host}:${directory.port}`;
}

function tlsOptions(directory: Directory): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(directory.caCertificates ? {ca: directory.caCertificates} : {}),
    ...(isIP(directory.host) ? {} : {servername: directory.host}),
  };
}

function firstEmail(entry: Entry | undefined, attribute: string): string | undefined {
  if (!entry) return undefined;
  // Attribute names are case-insensitive; ldapts keys entries by the server's spelling.
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  const text = Buffer.isBuffer(first) ? first.toString('utf8') : first;
  return typeof text === 'string' && text ? text.toLowerCase() : undefined;
}

/** An LDAP result code (the directory answered); anything else is the directory being away. */
const answered = (error: unknown) => error instanceof ResultCodeError;

/**
 * Logs `login` in against the directory. Never throws: an error becomes a refusal or
 * `unreachable`. The connection is always closed, within `timeouts.totalMs`.
 */
export async function directoryLogin(
  directory: Directory,
  login: string,
  password: string,
  timeouts: DirectoryTimeouts = DEFAULT_TIMEOUTS,
): Promise<DirectoryAnswer> {
  // An empty password is an unauthenticated bind, which a directory accepts for anyone.
  if (!password) return {ok: false, reason: 'empty password'};
  const filter = searchFilter(directory, login);
  if (directory.bindDn && directory.bindPassword) {
    try {
      parseFilter(filter);
    } catch (error) {
      return {ok: false, reason: `search_filters does not make a valid filter (${(error as Error).message})`, misconfigured: true};
    }
  }
  const tls = tlsOptions(directory);
  const client = new Client({
    url: directoryUrl(directory),
    connectTimeout: timeouts.connectMs,
    timeout: timeouts.operationMs,
    ...(directory.protocolSecurity === 'ldaps' ? {tlsOptions: tls} : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeouts.totalMs} ms`)), timeouts.totalMs);
  });
  const steps = (async (): Promise<DirectoryAnswer> => {
    if (directory.protocolSecurity === 'tls') await client.startTLS(tls);
    let dn: string;
    let email: string | undefined;
    if (directory.bindDn && directory.bindPassword) {
      try {
        await client.bind(directory.bindDn, directory.bindPassword);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return {ok: false, reason: `the service bind as "${directory.bindDn}" was refused`, misconfigured: true};
        throw error;
      }
      let entries: Entry[];
      try {
        ({searchEntries: entries} = await client.search(directory.userBaseDn, {
          scope: 'sub',
          filter,
          attributes: [directory.userEmailAttribute],
          // Two are enough to tell that the login is ambiguous, which upstream refuses.
          sizeLimit: 2,
        }));
      } catch (error) {
        if (error instanceof SizeLimitExceededError) return {ok: false, reason: `more than one entry matches ${filter}`};
        throw error;
      }
      if (entries.length > 1) return {ok: false, reason: `more than one entry matches ${filter}`};
      const entry = entries[0];
      if (!entry) return {ok: false, reason: `no entry matches ${filter} below ${directory.userBaseDn}`};
      dn = entry.dn;
      email = firstEmail(entry, directory.userEmailAttribute);
    } else {
      dn = `${directory.userLoginAttribute}=${escapeDnValue(login)},${directory.userBaseDn}`;
    }
    try {
      await client.bind(dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return {ok: false, reason: `invalid credentials for "${dn}"`};
      throw error;
    }
    if (!email) {
      const {searchEntries} = await client.search(dn, {scope: 'base', filter: '(objectClass=*)', attributes: [directory.userEmailAttribute]});
      email = firstEmail(searchEntries[0], directory.userEmailAttribute);
    }
    if (!email) return {ok: false, reason: `"${dn}" has no ${directory.userEmailAttribute} it may read`};
    return {ok: true, email, dn};
  })();
  try {
    return await Promise.race([steps, deadline]);
  } catch (error) {
    const message = (error as Error).message || String(error);
    if (answered(error)) return {ok: false, reason: message};
    return {ok: false, unreachable: message};
  } finally {
    clearTimeout(timer);
    steps.catch(() => undefined);
    // unbind closes the socket even when the server does not answer; bounded all the same.
    await Promise.race([client.unbind().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 200).unref())]);
  }
}
