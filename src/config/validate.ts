// Turns the merged raw configuration into a typed DaemonConfig, rejecting wrong
// types with a ConfigError that names the key. Keys it does not know are ignored.

import { accessSync, constants } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { isAbsolute, join, resolve } from 'node:path';

import { parseCidr } from '../http/client-address.js';
import { AclLimitExceeded, assertPolicyAcl, type AclLimits } from '../acl/index.js';
import { DEFAULT_DB_FILENAME, defaultDataDir } from './defaults.js';
import { ConfigError } from './errors.js';
import { isMapping, type RawMapping } from './merge.js';
import { pluginSettings } from './plugins.js';
import type { DaemonConfig, DefaultGroup, DefaultPolicy, LogFormat, LoginThrottleConfig, LogLevel } from './types.js';

const LOG_LEVELS: readonly LogLevel[] = ['critical', 'error', 'warning', 'info', 'debug'];
const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function fail(path: string, expectation: string, value: unknown): never {
  throw new ConfigError(`config: ${path} must be ${expectation} (got ${describe(value)})`);
}

function field(raw: RawMapping, key: string): unknown {
  return Object.hasOwn(raw, key) ? raw[key] : undefined;
}

function mapping(value: unknown, path: string): RawMapping {
  if (!isMapping(value)) fail(path, 'a mapping', value);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value;
}

function integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    fail(path, `an integer ${range}`, value);
  }
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, 'a non-empty string', value);
  return value;
}

function optionalText(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value === '') fail(path, 'a non-empty string or null', value);
  return value;
}

function optionalPath(value: unknown, path: string): string | null {
  const given = optionalText(value, path);
  // Resolved now, as upstream's open() would against the start directory, so a
  // later chdir cannot change its meaning.
  return given === null ? null : resolve(given);
}

function textList(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'a list of strings', value);
  return value.map((item, i) => text(item, `${path}[${i}]`));
}

/** One of `choices`, in any case (upstream's files write `log_level: INFO`). */
function choice<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  const lowered = typeof value === 'string' ? value.toLowerCase() : '';
  const found = choices.find((c) => c === lowered);
  if (!found) fail(path, `one of ${choices.join(', ')}`, value);
  return found;
}

function prefix(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a URL path such as "/api/auth" or ""', value);
  const trimmed = value.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const normalised = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const segments = normalised.slice(1).split('/');
  const badSegment = segments.some((s) => s === '' || s === '.' || s === '..');
  if (badSegment || /[\s?#\\%]/.test(normalised) || /[\u0000-\u001f\u007f]/.test(normalised)) {
    fail(path, 'a URL path such as "/api/auth" or ""', value);
  }
  return normalised;
}

/** The file path of a `sqlite:///absolute/path.db` URI, or null for any other URI. */
export function sqlitePath(dbUri: string): string | null {
  if (!dbUri.toLowerCase().startsWith('sqlite://')) return null;
  return dbUri.slice('sqlite://'.length);
}

// db_uri may carry a password, so its errors never echo the value.
function dbUri(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ConfigError(`config: db_uri must be a string (got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value})`);
  }
  const file = sqlitePath(value);
  if (file !== null) {
    if (!isAbsolute(file)) {
      throw new ConfigError('config: db_uri must name an absolute sqlite path, as in "sqlite:///var/lib/wazo-auth/wazo-auth.db"');
    }
    return value;
  }
  if (/^postgres(ql)?(\+[a-z0-9_]+)?:\/\//i.test(value)) {
    if (!URL.canParse(value)) {
      throw new ConfigError('config: db_uri must be a valid URI, as in "postgresql://user:password@host:5432/database"');
    }
    return value;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  const got = scheme ? `a "${scheme}:" URI` : 'a string that is not a URI';
  throw new ConfigError(`config: db_uri must be "sqlite:///absolute/path.db" or a postgresql:// URI (got ${got})`);
}

function readable(file: string, path: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`config: ${path}: cannot read ${file} (${code})`);
  }
}

function defaultPolicies(value: unknown): Record<string, DefaultPolicy | null> {
  const raw = mapping(value, 'default_policies');
  const out: Record<string, DefaultPolicy | null> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const path = `default_policies.${name}`;
    let policy: DefaultPolicy | null = null;
    if (entry !== null) {
      const fields = mapping(entry, path);
      policy = { acl: textList(field(fields, 'acl'), `${path}.acl`) };
      if (Object.hasOwn(fields, 'description')) {
        const description = field(fields, 'description');
        if (description !== null && typeof description !== 'string') {
          fail(`${path}.description`, 'a string or null', description);
        }
        policy.description = description;
      }
      if (Object.hasOwn(fields, 'shared')) policy.shared = bool(field(fields, 'shared'), `${path}.shared`);
    }
    Object.defineProperty(out, name, { value: policy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The configured policies must fit the limits that the API enforces on any other policy. */
function withinLimits(policies: Record<string, DefaultPolicy | null>, limits: AclLimits): void {
  for (const [name, policy] of Object.entries(policies)) {
    try {
      if (policy) assertPolicyAcl([...new Set(policy.acl)], limits);
    } catch (error) {
      if (!(error instanceof AclLimitExceeded)) throw error;
      throw new ConfigError(`config: default_policies.${name}.acl: ${error.message}`);
    }
  }
}

// defineProperty keeps a key named "__proto__" an ordinary entry.
function setEntry<T>(out: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A mapping of names to true/false, as upstream's `all_users_policies` and a group's `policies`. */
function switches(value: unknown, path: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, enabled] of Object.entries(mapping(value, path))) setEntry(out, name, bool(enabled, `${path}.${name}`));
  return out;
}

/** A mapping of names to names, as upstream's (deprecated) `backend_policies`. */
function names(value: unknown, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(mapping(value, path))) {
    if (typeof name !== 'string' || !name) fail(`${path}.${key}`, 'a policy name', name);
    setEntry(out, key, name);
  }
  return out;
}

function defaultGroup(entry: unknown, path: string): DefaultGroup | null {
  if (entry === null) return null;
  const policies = field(mapping(entry, path), 'policies');
  return { policies: policies === undefined ? {} : switches(policies, `${path}.policies`) };
}

function defaultGroups(value: unknown): Record<string, DefaultGroup | null> {
  const out: Record<string, DefaultGroup | null> = {};
  for (const [slug, entry] of Object.entries(mapping(value, 'tenant_default_groups'))) {
    setEntry(out, slug, defaultGroup(entry, `tenant_default_groups.${slug}`));
  }
  return out;
}

function optionalInteger(value: unknown, path: string, min: number): number | null {
  return value === null || value === undefined ? null : integer(value, path, min);
}

function cidrs(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'a list of addresses or CIDRs such as "10.0.0.0/8"', value);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !parseCidr(item.trim())) fail(`${path}[${i}]`, 'an address or a CIDR such as "10.0.0.0/8"', item);
    return item.trim();
  });
}

const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

function tlsSettings(raw: RawMapping): { ciphers: string; tls_min_version: (typeof TLS_VERSIONS)[number] } {
  const ciphers = text(field(raw, 'ciphers'), 'rest_api.ciphers');
  const version = field(raw, 'tls_min_version');
  const minVersion = TLS_VERSIONS.find((v) => v === version);
  if (!minVersion) fail('rest_api.tls_min_version', `one of ${TLS_VERSIONS.join(', ')}`, version);
  try {
    createSecureContext({ ciphers, minVersion });
  } catch (error) {
    throw new ConfigError(`config: rest_api.ciphers: OpenSSL takes no cipher of ${describe(ciphers)} (${(error as Error).message})`);
  }
  return { ciphers, tls_min_version: minVersion };
}

function restApi(value: unknown): DaemonConfig['rest_api'] {
  const raw = mapping(value, 'rest_api');
  const cors = mapping(field(raw, 'cors'), 'rest_api.cors');
  const certificate = optionalPath(field(raw, 'certificate'), 'rest_api.certificate');
  const privateKey = optionalPath(field(raw, 'private_key'), 'rest_api.private_key');
  if ((certificate === null) !== (privateKey === null)) {
    const set = certificate === null ? 'rest_api.private_key' : 'rest_api.certificate';
    throw new ConfigError(`config: rest_api.certificate and rest_api.private_key must be set together (only ${set} is set)`);
  }
  if (certificate !== null && privateKey !== null) {
    readable(certificate, 'rest_api.certificate');
    readable(privateKey, 'rest_api.private_key');
  }
  const headersTimeout = integer(field(raw, 'headers_timeout_ms'), 'rest_api.headers_timeout_ms', 1);
  const requestTimeout = integer(field(raw, 'request_timeout_ms'), 'rest_api.request_timeout_ms', 0);
  // node:http refuses a headers timeout longer than a non-zero request timeout.
  if (requestTimeout > 0 && headersTimeout > requestTimeout) {
    throw new ConfigError(
      `config: rest_api.headers_timeout_ms must not exceed rest_api.request_timeout_ms (got ${headersTimeout} > ${requestTimeout})`,
    );
  }
  return {
    listen: text(field(raw, 'listen'), 'rest_api.listen'),
    port: integer(field(raw, 'port'), 'rest_api.port', 1, 65535),
    prefix: prefix(field(raw, 'prefix'), 'rest_api.prefix'),
    certificate,
    private_key: privateKey,
    cors: {
      enabled: bool(field(cors, 'enabled'), 'rest_api.cors.enabled'),
      allow_headers: textList(field(cors, 'allow_headers'), 'rest_api.cors.allow_headers'),
    },
    max_body_bytes: integer(field(raw, 'max_body_bytes'), 'rest_api.max_body_bytes', 1),
    headers_timeout_ms: headersTimeout,
    request_timeout_ms: requestTimeout,
    keep_alive_timeout_ms: integer(field(raw, 'keep_alive_timeout_ms'), 'rest_api.keep_alive_timeout_ms', 0),
    send_timeout_ms: integer(field(raw, 'send_timeout_ms'), 'rest_api.send_timeout_ms', 0),
    max_connections: optionalInteger(field(raw, 'max_connections'), 'rest_api.max_connections', 1),
    max_connections_per_address: integer(field(raw, 'max_connections_per_address'), 'rest_api.max_connections_per_address', 1),
    trusted_proxies: cidrs(field(raw, 'trusted_proxies'), 'rest_api.trusted_proxies'),
    num_proxies: optionalInteger(field(raw, 'num_proxies'), 'rest_api.num_proxies', 0),
    ...tlsSettings(raw),
  };
}

function loginThrottle(value: unknown): LoginThrottleConfig {
  const raw = mapping(value, 'login_throttle');
  const whole = (key: string, min: number) => integer(field(raw, key), `login_throttle.${key}`, min);
  const first = whole('first_delay_seconds', 1);
  const max = whole('max_delay_seconds', 1);
  if (max < first) {
    throw new ConfigError(`config: login_throttle.max_delay_seconds must not be below first_delay_seconds (got ${max} < ${first})`);
  }
  return {
    enabled: bool(field(raw, 'enabled'), 'login_throttle.enabled'),
    max_failures: whole('max_failures', 1),
    per_address_max_failures: whole('per_address_max_failures', 0),
    window_seconds: whole('window_seconds', 1),
    first_delay_seconds: first,
    max_delay_seconds: max,
  };
}

export interface ValidationContext {
  configFile: string | null;
  extraConfigFiles: string | null;
  env: NodeJS.ProcessEnv;
}

export function buildConfig(raw: RawMapping, context: ValidationContext): DaemonConfig {
  const debug = bool(field(raw, 'debug'), 'debug');
  const level = choice(field(raw, 'log_level'), 'log_level', LOG_LEVELS);

  const dataDirValue = field(raw, 'data_dir');
  let dataDir: string;
  if (dataDirValue === undefined || dataDirValue === null) {
    dataDir = defaultDataDir(context.env);
  } else {
    dataDir = text(dataDirValue, 'data_dir');
    if (!isAbsolute(dataDir)) fail('data_dir', 'an absolute path', dataDirValue);
  }
  const dbUriValue = field(raw, 'db_uri');
  const db =
    dbUriValue === undefined || dbUriValue === null
      ? `sqlite://${join(dataDir, DEFAULT_DB_FILENAME)}`
      : dbUri(dbUriValue);

  const uuidValue = field(raw, 'uuid');
  const envUuid = context.env['XIVO_UUID'];
  const uuid =
    uuidValue === undefined || uuidValue === null ? (envUuid ? envUuid : null) : text(uuidValue, 'uuid');

  const cleanupInterval = field(raw, 'token_cleanup_interval');
  if (typeof cleanupInterval !== 'number' || !Number.isFinite(cleanupInterval) || cleanupInterval < 0) {
    fail('token_cleanup_interval', 'a number of seconds >= 0', cleanupInterval);
  }

  const aclLimits: AclLimits = {
    // The daemon's own routes ask for accesses of up to about 100 characters (two uuids).
    maxAccessLength: integer(field(raw, 'max_acl_access_length'), 'max_acl_access_length', 128),
    maxPolicyEntries: integer(field(raw, 'max_policy_acl_entries'), 'max_policy_acl_entries', 1),
    maxTokenEntries: integer(field(raw, 'max_token_acl_entries'), 'max_token_acl_entries', 1),
  };
  const policies = defaultPolicies(field(raw, 'default_policies'));
  withinLimits(policies, aclLimits);

  return {
    config_file: context.configFile,
    extra_config_files: context.extraConfigFiles,
    debug,
    // Upstream's logging setup lets the debug flag override the level.
    log_level: debug ? 'debug' : level,
    log_filename: optionalPath(field(raw, 'log_filename'), 'log_filename'),
    log_format: choice(field(raw, 'log_format'), 'log_format', LOG_FORMATS),
    user: optionalText(field(raw, 'user'), 'user'),
    db_uri: db,
    db_pool_size: integer(field(raw, 'db_pool_size'), 'db_pool_size', 1, 1000),
    db_statement_timeout_ms: integer(field(raw, 'db_statement_timeout_ms'), 'db_statement_timeout_ms', 100),
    data_dir: dataDir,
    uuid,
    rest_api: restApi(field(raw, 'rest_api')),
    default_token_lifetime: integer(field(raw, 'default_token_lifetime'), 'default_token_lifetime', 1),
    max_user_concurrent_sessions: integer(field(raw, 'max_user_concurrent_sessions'), 'max_user_concurrent_sessions', 0),
    token_cleanup_interval: cleanupInterval,
    token_cleanup_batch_size: integer(field(raw, 'token_cleanup_batch_size'), 'token_cleanup_batch_size', 1),
    password_reset_expiration: integer(field(raw, 'password_reset_expiration'), 'password_reset_expiration', 1),
    password_hash_workers:
      field(raw, 'password_hash_workers') === null ? null : integer(field(raw, 'password_hash_workers'), 'password_hash_workers', 1, 256),
    max_pending_password_hashes:
      field(raw, 'max_pending_password_hashes') === null
        ? null
        : integer(field(raw, 'max_pending_password_hashes'), 'max_pending_password_hashes', 1),
    login_throttle: loginThrottle(field(raw, 'login_throttle')),
    default_policies: policies,
    all_users_policies: switches(field(raw, 'all_users_policies'), 'all_users_policies'),
    default_user_policy: optionalText(field(raw, 'default_user_policy'), 'default_user_policy'),
    backend_policies: names(field(raw, 'backend_policies'), 'backend_policies'),
    tenant_default_groups: defaultGroups(field(raw, 'tenant_default_groups')),
    max_acl_access_length: aclLimits.maxAccessLength,
    max_policy_acl_entries: aclLimits.maxPolicyEntries,
    max_token_acl_entries: aclLimits.maxTokenEntries,
    ...pluginSettings(raw),
  };
}
