// Turns the merged raw configuration into a typed DaemonConfig. One schema says what each key
// takes (src/schema, strictly: no coercion); a ConfigError names the key and what it must be.
// Then the rules a type cannot say: paths, the database URI, TLS, limits across keys.
// Keys it does not know are ignored here; src/config/unknown-keys.ts names them for a warning.

import {accessSync, constants} from 'node:fs';
import {createSecureContext} from 'node:tls';
import {isAbsolute, join, resolve} from 'node:path';

import {parseCidr} from '../ip-address.js';
import {assertPolicyAcl, type AclLimits} from '../acl/index.js';
import {AclLimitExceeded} from '../domain/errors.js';
import type {Infer, ObjectSchema, Schema} from '../schema/schema.js';
import {validate} from '../schema/validate.js';
import {described, expectation} from '../schema/wording.js';
import {DEFAULT_DB_FILENAME, defaultDataDir} from './defaults.js';
import {parseDbUri} from './database.js';
import {ConfigError} from './errors.js';
import type {RawMapping} from './merge.js';
import {checkPluginPackages, DEFAULT_IDP_PRIORITY} from './plugins.js';
import type {DaemonConfig, LogFormat, LogLevel} from './types.js';

const LOG_LEVELS: readonly LogLevel[] = ['critical', 'error', 'warning', 'info', 'debug'];
const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];
const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
const URL_PATH = 'a URL path such as "/api/auth" or ""';
const CIDR = 'an address or a CIDR such as "10.0.0.0/8"';

/** A mapping whose every key is required but `optional` ones. */
function mapping<const P extends Record<string, Schema>, const O extends keyof P = never>(properties: P, optional: readonly O[] = []) {
  // The keys' literal types are lost by Object.keys; they are exactly those of `properties`.
  const required = Object.keys(properties).filter((key) => !optional.includes(key as O)) as Exclude<keyof P & string, O>[];
  return {type: 'object', properties, required} as const satisfies ObjectSchema;
}

const text = {type: 'string', minLength: 1} as const;
const optionalText = {type: 'string', minLength: 1, nullable: true} as const;
const textList = {type: 'array', items: text} as const;
const integer = (minimum: number) => ({type: 'integer', minimum}) as const;
const bounded = (minimum: number, maximum: number) => ({type: 'integer', minimum, maximum}) as const;
const switches = {type: 'map', values: {type: 'boolean'}} as const;

const restApi = mapping(
  {
    listen: text,
    port: bounded(1, 65535),
    prefix: {type: 'string', expect: URL_PATH},
    certificate: optionalText,
    private_key: optionalText,
    cors: mapping({enabled: {type: 'boolean'}, allow_headers: textList}),
    max_body_bytes: integer(1),
    headers_timeout_ms: integer(1),
    request_timeout_ms: integer(0),
    keep_alive_timeout_ms: integer(0),
    send_timeout_ms: integer(0),
    max_connections: {...integer(1), nullable: true},
    max_connections_per_address: integer(1),
    trusted_proxies: {type: 'array', items: {type: 'string', expect: CIDR}, expect: 'a list of addresses or CIDRs such as "10.0.0.0/8"'},
    num_proxies: {...integer(0), nullable: true},
    ciphers: text,
    tls_min_version: {type: 'string', enum: TLS_VERSIONS},
  },
  ['max_connections', 'num_proxies'],
);

const loginThrottle = mapping({
  enabled: {type: 'boolean'},
  max_failures: integer(1),
  per_address_max_failures: integer(0),
  window_seconds: integer(1),
  first_delay_seconds: integer(1),
  max_delay_seconds: integer(1),
});

/** Upstream's `saml` section; `domains` and `xmlsec_binary` are read by upstream only (kept for its files). */
const saml = {
  type: 'object',
  properties: {
    domains: {type: 'map', values: {type: 'object', properties: {}}, default: {}},
    acs_url_template: text,
    saml_login_timeout_seconds: integer(1),
    saml_session_lifetime_seconds: integer(1),
    xmlsec_binary: optionalText,
    key_file: text,
    cert_file: text,
    xml_files_dir: optionalText,
  },
  required: ['acs_url_template', 'saml_login_timeout_seconds', 'saml_session_lifetime_seconds', 'key_file', 'cert_file'],
} as const satisfies ObjectSchema;
const emailAddress = {type: 'string', format: 'email'} as const;

const smtp = mapping(
  {
    hostname: text,
    port: bounded(1, 65535),
    tls: {type: 'boolean'},
    starttls: {type: 'boolean'},
    username: optionalText,
    password: optionalText,
    ca_certificate: optionalText,
    timeout: {type: 'number', minimum: 0.01, expect: 'a number of seconds > 0'},
    attempts: bounded(1, 20),
    retry_delay: {type: 'number', minimum: 0, expect: 'a number of seconds >= 0'},
  },
  ['username', 'password', 'ca_certificate'],
);

const emailLinks = mapping(
  {
    hostname: optionalText,
    port: {...bounded(1, 65535), nullable: true},
    prefix: {type: 'string', nullable: true, expect: URL_PATH},
  },
  ['hostname', 'port', 'prefix'],
);

const defaultPolicy = {
  ...mapping({acl: textList, description: {type: 'string', nullable: true}, shared: {type: 'boolean'}}, ['description', 'shared']),
  nullable: true,
} as const;

const defaultGroup = {
  type: 'object',
  nullable: true,
  properties: {policies: {...switches, default: {}}},
} as const satisfies ObjectSchema;

/** An identity provider's switch; upstream reads one that does not say it is enabled as off. */
const idpSwitch = {
  type: 'object',
  properties: {
    enabled: {type: 'boolean', default: false},
    priority: {type: 'integer', default: DEFAULT_IDP_PRIORITY},
  },
} as const satisfies ObjectSchema;

/** Upstream's bus section; a null `uri` turns the bus off. The outbox bounds are ours. */
const amqp = mapping({
  uri: {...optionalText, expect: 'an AMQP URI such as "amqp://guest:guest@localhost:5672/", or null'},
  exchange_name: text,
  exchange_type: {type: 'string', enum: ['topic', 'direct', 'fanout', 'headers']},
  outbox_max_age: integer(1),
  outbox_max_events: integer(1),
});

/** Upstream's `google` and `microsoft` sections: the OAuth2 provider's endpoints and the scope asked. */
const oauth2Provider = mapping(
  {
    authorization_base_url: text,
    token_url: text,
    scope: textList,
    // null: from oauth2_synchronization_redirect_url_template / oauth2_synchronization_ws_url_template
    redirect_uri: optionalText,
    websocket_host: optionalText,
  },
  ['redirect_uri', 'websocket_host'],
);

const audit = mapping({file: optionalText}, ['file']);
const metrics = mapping({enabled: {type: 'boolean'}, listen: text, port: bounded(1, 65535)});

/** Every key the daemon reads, `db_uri` aside (its errors must never echo it). */
export const CONFIG = mapping(
  {
    debug: {type: 'boolean'},
    log_level: {type: 'string', enum: LOG_LEVELS, anyCase: true},
    data_dir: optionalText,
    uuid: optionalText,
    log_filename: optionalText,
    log_format: {type: 'string', enum: LOG_FORMATS, anyCase: true},
    user: optionalText,
    db_pool_size: bounded(1, 1000),
    db_statement_timeout_ms: integer(100),
    db_connect_retry_timeout_seconds: {type: 'number', minimum: 0, expect: 'a number of seconds >= 0'},
    db_upgrade_on_startup: {type: 'boolean'},
    bootstrap_user_on_startup: {type: 'boolean'},
    bootstrap_user_username: optionalText,
    bootstrap_user_password: optionalText,
    bootstrap_user_purpose: {type: 'string', enum: ['user', 'internal', 'external_api'], nullable: true},
    bootstrap_user_policy_slug: optionalText,
    audit,
    metrics,
    rest_api: restApi,
    default_token_lifetime: integer(1),
    max_user_concurrent_sessions: integer(0),
    token_cleanup_interval: {type: 'number', minimum: 0, expect: 'a number of seconds >= 0'},
    token_cleanup_batch_size: integer(1),
    password_reset_expiration: integer(1),
    password_reset_mail_interval: {type: 'number', minimum: 0, expect: 'a number of seconds >= 0'},
    password_reset_from_name: text,
    password_reset_from_address: emailAddress,
    password_reset_email_template: text,
    password_reset_email_subject_template: text,
    email_confirmation_expiration: integer(1),
    email_confirmation_template: text,
    email_confirmation_subject_template: text,
    email_confirmation_from_name: text,
    email_confirmation_from_address: emailAddress,
    email_confirmation_get_response_body_template: text,
    email_confirmation_get_mimetype: text,
    smtp,
    email_links: emailLinks,
    password_hash_workers: {...bounded(1, 256), nullable: true},
    max_pending_password_hashes: {...integer(1), nullable: true},
    login_throttle: loginThrottle,
    amqp,
    saml,
    oauth2_synchronization_ws_url_template: text,
    oauth2_synchronization_redirect_url_template: text,
    google: oauth2Provider,
    microsoft: oauth2Provider,
    // The daemon's own routes ask for accesses of up to about 100 characters (two uuids).
    max_acl_access_length: integer(128),
    max_policy_acl_entries: integer(1),
    max_token_acl_entries: integer(1),
    default_policies: {type: 'map', values: defaultPolicy},
    all_users_policies: switches,
    default_user_policy: optionalText,
    /** Upstream's (deprecated) policy name per backend. */
    backend_policies: {type: 'map', values: {...text, expect: 'a policy name'}},
    tenant_default_groups: {type: 'map', values: defaultGroup},
    enabled_http_plugins: switches,
    enabled_backend_plugins: switches,
    enabled_metadata_plugins: switches,
    enabled_external_auth_plugins: switches,
    purpose_metadata_mapping: {type: 'map', values: {...textList, expect: 'a list of metadata plugin names'}},
    idp_plugins: {type: 'map', values: idpSwitch},
    plugin_packages: switches,
  },
  ['data_dir', 'uuid'],
);

type Checked = Infer<typeof CONFIG>;

/** Key and certificate paths resolved now: the daemon may change its directory later. */
function samlOf(section: Checked['saml']): DaemonConfig['saml'] {
  return {
    domains: section.domains ?? {},
    acs_url_template: section.acs_url_template,
    saml_login_timeout_seconds: section.saml_login_timeout_seconds,
    saml_session_lifetime_seconds: section.saml_session_lifetime_seconds,
    xmlsec_binary: section.xmlsec_binary ?? null,
    key_file: resolve(section.key_file),
    cert_file: resolve(section.cert_file),
    xml_files_dir: section.xml_files_dir ?? null,
  };
}

function fail(path: string, expectation: string, value: unknown): never {
  throw new ConfigError(`config: ${path} must be ${expectation} (got ${described(value)})`);
}

/** `rest_api.cors.allow_headers[1]` */
function keyPath(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function checked(raw: RawMapping): Checked {
  const result = validate(CONFIG, raw, {strict: true});
  if (result.ok) return result.value;
  const [{path, schema, value}] = result.issues;
  return fail(keyPath(path), expectation(schema), value);
}

function prefix(value: string, key = 'rest_api.prefix'): string {
  const trimmed = value.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const normalised = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const segments = normalised.slice(1).split('/');
  const badSegment = segments.some((s) => s === '' || s === '.' || s === '..');
  if (badSegment || /[\s?#\\%]/.test(normalised) || /[\u0000-\u001f\u007f]/.test(normalised)) {
    fail(key, URL_PATH, value);
  }
  return normalised;
}

// db_uri may carry a password, so its errors never echo the value.
function dbUri(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ConfigError(`config: db_uri must be a string (got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value})`);
  }
  parseDbUri(value);
  return value;
}

function readable(file: string, path: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`config: ${path}: cannot read ${file} (${code})`);
  }
}

/** The configured policies must fit the limits that the API enforces on any other policy. */
function withinLimits(policies: Checked['default_policies'], limits: AclLimits): void {
  for (const [name, policy] of Object.entries(policies)) {
    try {
      if (policy) assertPolicyAcl([...new Set(policy.acl)], limits);
    } catch (error) {
      if (!(error instanceof AclLimitExceeded)) throw error;
      throw new ConfigError(`config: default_policies.${name}.acl: ${error.message}`);
    }
  }
}

function tlsSettings(api: Checked['rest_api']): void {
  try {
    createSecureContext({ciphers: api.ciphers, minVersion: api.tls_min_version});
  } catch (error) {
    throw new ConfigError(`config: rest_api.ciphers: OpenSSL takes no cipher of ${described(api.ciphers)} (${(error as Error).message})`);
  }
}

function restApiOf(api: Checked['rest_api']): DaemonConfig['rest_api'] {
  // Resolved now, as upstream's open() would against the start directory, so a later chdir
  // cannot change their meaning.
  const certificate = api.certificate === null ? null : resolve(api.certificate);
  const privateKey = api.private_key === null ? null : resolve(api.private_key);
  if ((certificate === null) !== (privateKey === null)) {
    const set = certificate === null ? 'rest_api.private_key' : 'rest_api.certificate';
    throw new ConfigError(`config: rest_api.certificate and rest_api.private_key must be set together (only ${set} is set)`);
  }
  if (certificate !== null && privateKey !== null) {
    readable(certificate, 'rest_api.certificate');
    readable(privateKey, 'rest_api.private_key');
  }
  // node:http refuses a headers timeout longer than a non-zero request timeout.
  if (api.request_timeout_ms > 0 && api.headers_timeout_ms > api.request_timeout_ms) {
    throw new ConfigError(
      `config: rest_api.headers_timeout_ms must not exceed rest_api.request_timeout_ms (got ${api.headers_timeout_ms} > ${api.request_timeout_ms})`,
    );
  }
  const trustedProxies = api.trusted_proxies.map((item, i) => {
    if (!parseCidr(item.trim())) fail(`rest_api.trusted_proxies[${i}]`, CIDR, item);
    return item.trim();
  });
  tlsSettings(api);
  return {
    listen: api.listen,
    port: api.port,
    prefix: prefix(api.prefix),
    certificate,
    private_key: privateKey,
    cors: api.cors,
    max_body_bytes: api.max_body_bytes,
    headers_timeout_ms: api.headers_timeout_ms,
    request_timeout_ms: api.request_timeout_ms,
    keep_alive_timeout_ms: api.keep_alive_timeout_ms,
    send_timeout_ms: api.send_timeout_ms,
    max_connections: api.max_connections ?? null,
    max_connections_per_address: api.max_connections_per_address,
    trusted_proxies: trustedProxies,
    num_proxies: api.num_proxies ?? null,
    ciphers: api.ciphers,
    tls_min_version: api.tls_min_version,
  };
}

function smtpOf(settings: Checked['smtp']): DaemonConfig['smtp'] {
  if (settings.tls && settings.starttls) {
    throw new ConfigError('config: smtp.tls and smtp.starttls must not both be true (tls is TLS from the start, starttls an upgrade)');
  }
  if ((settings.username ?? null) === null && (settings.password ?? null) !== null) {
    throw new ConfigError('config: smtp.password is set without smtp.username');
  }
  const caCertificate = settings.ca_certificate == null ? null : resolve(settings.ca_certificate);
  if (caCertificate !== null) readable(caCertificate, 'smtp.ca_certificate');
  return {
    ...settings,
    username: settings.username ?? null,
    password: settings.password ?? null,
    ca_certificate: caCertificate,
  };
}

function emailLinksOf(links: Checked['email_links']): DaemonConfig['email_links'] {
  const linkPrefix = links.prefix == null ? null : prefix(links.prefix, 'email_links.prefix');
  return {hostname: links.hostname ?? null, port: links.port ?? null, prefix: linkPrefix};
}

function oauth2ProviderOf(section: Checked['google']): DaemonConfig['google'] {
  return {...section, redirect_uri: section.redirect_uri ?? null, websocket_host: section.websocket_host ?? null};
}

export interface ValidationContext {
  configFile: string | null;
  extraConfigFiles: string | null;
  env: NodeJS.ProcessEnv;
}

export function buildConfig(raw: RawMapping, context: ValidationContext): DaemonConfig {
  const config = checked(raw);
  const dataDir = config.data_dir ?? defaultDataDir(context.env);
  if (!isAbsolute(dataDir)) fail('data_dir', 'an absolute path', dataDir);
  const dbUriValue = Object.hasOwn(raw, 'db_uri') ? raw['db_uri'] : undefined;
  const db = dbUriValue === undefined || dbUriValue === null ? `sqlite://${join(dataDir, DEFAULT_DB_FILENAME)}` : dbUri(dbUriValue);
  const {login_throttle: throttle} = config;
  if (throttle.max_delay_seconds < throttle.first_delay_seconds) {
    throw new ConfigError(
      `config: login_throttle.max_delay_seconds must not be below first_delay_seconds (got ${throttle.max_delay_seconds} < ${throttle.first_delay_seconds})`,
    );
  }
  withinLimits(config.default_policies, {
    maxAccessLength: config.max_acl_access_length,
    maxPolicyEntries: config.max_policy_acl_entries,
    maxTokenEntries: config.max_token_acl_entries,
  });
  checkPluginPackages(config.plugin_packages);
  if (config.bootstrap_user_on_startup && (!config.bootstrap_user_username || !config.bootstrap_user_password)) {
    throw new ConfigError('config: bootstrap_user_on_startup needs bootstrap_user_username and bootstrap_user_password');
  }
  const envUuid = context.env['XIVO_UUID'];
  // In this order: GET /config shows it so.
  return {
    config_file: context.configFile,
    extra_config_files: context.extraConfigFiles,
    debug: config.debug,
    // Upstream's logging setup lets the debug flag override the level.
    log_level: config.debug ? 'debug' : config.log_level,
    log_filename: config.log_filename === null ? null : resolve(config.log_filename),
    log_format: config.log_format,
    user: config.user,
    db_uri: db,
    db_pool_size: config.db_pool_size,
    db_statement_timeout_ms: config.db_statement_timeout_ms,
    db_connect_retry_timeout_seconds: config.db_connect_retry_timeout_seconds,
    db_upgrade_on_startup: config.db_upgrade_on_startup,
    bootstrap_user_on_startup: config.bootstrap_user_on_startup,
    bootstrap_user_username: config.bootstrap_user_username,
    bootstrap_user_password: config.bootstrap_user_password,
    bootstrap_user_purpose: config.bootstrap_user_purpose,
    bootstrap_user_policy_slug: config.bootstrap_user_policy_slug,
    audit: {file: config.audit.file == null ? null : resolve(config.audit.file)},
    metrics: config.metrics,
    data_dir: dataDir,
    uuid: config.uuid ?? (envUuid ? envUuid : null),
    rest_api: restApiOf(config.rest_api),
    default_token_lifetime: config.default_token_lifetime,
    max_user_concurrent_sessions: config.max_user_concurrent_sessions,
    token_cleanup_interval: config.token_cleanup_interval,
    token_cleanup_batch_size: config.token_cleanup_batch_size,
    password_reset_expiration: config.password_reset_expiration,
    password_reset_mail_interval: config.password_reset_mail_interval,
    password_reset_from_name: config.password_reset_from_name,
    password_reset_from_address: config.password_reset_from_address,
    password_reset_email_template: config.password_reset_email_template,
    password_reset_email_subject_template: config.password_reset_email_subject_template,
    email_confirmation_expiration: config.email_confirmation_expiration,
    email_confirmation_template: config.email_confirmation_template,
    email_confirmation_subject_template: config.email_confirmation_subject_template,
    email_confirmation_from_name: config.email_confirmation_from_name,
    email_confirmation_from_address: config.email_confirmation_from_address,
    email_confirmation_get_response_body_template: config.email_confirmation_get_response_body_template,
    email_confirmation_get_mimetype: config.email_confirmation_get_mimetype,
    smtp: smtpOf(config.smtp),
    email_links: emailLinksOf(config.email_links),
    password_hash_workers: config.password_hash_workers,
    max_pending_password_hashes: config.max_pending_password_hashes,
    login_throttle: throttle,
    amqp: config.amqp,
    saml: samlOf(config.saml),
    oauth2_synchronization_ws_url_template: config.oauth2_synchronization_ws_url_template,
    oauth2_synchronization_redirect_url_template: config.oauth2_synchronization_redirect_url_template,
    google: oauth2ProviderOf(config.google),
    microsoft: oauth2ProviderOf(config.microsoft),
    default_policies: config.default_policies,
    all_users_policies: config.all_users_policies,
    default_user_policy: config.default_user_policy,
    backend_policies: config.backend_policies,
    tenant_default_groups: config.tenant_default_groups,
    max_acl_access_length: config.max_acl_access_length,
    max_policy_acl_entries: config.max_policy_acl_entries,
    max_token_acl_entries: config.max_token_acl_entries,
    enabled_http_plugins: config.enabled_http_plugins,
    enabled_backend_plugins: config.enabled_backend_plugins,
    enabled_metadata_plugins: config.enabled_metadata_plugins,
    enabled_external_auth_plugins: config.enabled_external_auth_plugins,
    purpose_metadata_mapping: config.purpose_metadata_mapping,
    idp_plugins: config.idp_plugins,
    plugin_packages: config.plugin_packages,
  };
}
