// Shapes of the daemon configuration, as handed to the rest of the daemon once
// loaded and validated.

import type {DefaultGroup, DefaultPolicy, OAuth2ProviderSettings, SmtpSettings} from '../domain/types.js';
import type {PluginSettings} from './plugins.js';

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';
/** text: upstream's lines; json: one JSON object a line, for log shippers. */
export type LogFormat = 'text' | 'json';

// What the daemon provisions is the domain's (the services read it); the configuration names it.
export type {DefaultGroup, DefaultPolicy} from '../domain/types.js';

/** Failed logins counted per (login, client address) and per client address; see README "Login throttling". */
export interface LoginThrottleConfig {
  enabled: boolean;
  /** Failures of one login from one address before its attempts wait. */
  max_failures: number;
  /** Failures of any login from one address before every login from it waits; 0: not counted. */
  per_address_max_failures: number;
  /** A count is forgotten this long after its last failure or the end of its wait. */
  window_seconds: number;
  /** The first wait; each further failure doubles it. */
  first_delay_seconds: number;
  max_delay_seconds: number;
}

export interface DaemonConfig extends PluginSettings {
  /** Absolute path of the file given with -c, or null when running on defaults. */
  config_file: string | null;
  /** Absolute path of the conf.d folder that was read, or null. */
  extra_config_files: string | null;
  debug: boolean;
  /** Already 'debug' when `debug` is true. */
  log_level: LogLevel;
  /** null: log to stderr. */
  log_filename: string | null;
  log_format: LogFormat;
  /** Account to switch to after start, or null to stay as the invoking user. */
  user: string | null;
  /** `sqlite:///absolute/path.db`, or `postgresql://user:password@host:port/database?application_name=...`. */
  db_uri: string;
  /** PostgreSQL only: connections per daemon. */
  db_pool_size: number;
  /** PostgreSQL only: longest a statement, a connection attempt or a wait for a connection may take. */
  db_statement_timeout_ms: number;
  /** PostgreSQL only: seconds a start keeps trying to reach the database; 0 tries once. */
  db_connect_retry_timeout_seconds: number;
  /** Whether the daemon applies the missing schema steps itself; if not, it refuses a database that lacks some. */
  db_upgrade_on_startup: boolean;
  /** Upstream's: create this user at start when missing, as bootstrap does. */
  bootstrap_user_on_startup: boolean;
  bootstrap_user_username: string | null;
  bootstrap_user_password: string | null;
  bootstrap_user_purpose: 'user' | 'internal' | 'external_api' | null;
  bootstrap_user_policy_slug: string | null;
  /** The audit trail: each administrative change also as a JSON line in `file` (absolute; null: the log only). */
  audit: {file: string | null};
  /** GET /metrics (Prometheus) on a listener of its own. */
  metrics: {enabled: boolean; listen: string; port: number};
  /** Absolute folder holding the default database and the key file. */
  data_dir: string;
  /** The install's xivo_uuid: config key `uuid`, else env XIVO_UUID. */
  uuid: string | null;
  /** The bus: upstream's keys (a null `uri` turns it off), and the outbox's bounds. */
  amqp: {
    uri: string | null;
    exchange_name: string;
    exchange_type: 'topic' | 'direct' | 'fanout' | 'headers';
    /** Seconds an event may wait for the broker before it is dropped. */
    outbox_max_age: number;
    /** Events that may wait; beyond, the oldest are dropped. */
    outbox_max_events: number;
  };
  rest_api: {
    listen: string;
    port: number;
    /** '' or a path such as '/api/auth': leading '/', no trailing '/'. */
    prefix: string;
    certificate: string | null;
    private_key: string | null;
    cors: {enabled: boolean; allow_headers: string[]};
    max_body_bytes: number;
    headers_timeout_ms: number;
    /** 0: no limit. */
    request_timeout_ms: number;
    keep_alive_timeout_ms: number;
    /** Longest an answer may take to reach a client once written; 0: no limit. */
    send_timeout_ms: number;
    /** Connections open at once; null: derived from the open-file limit at start. */
    max_connections: number | null;
    /** Connections open at once from one client address (an IPv6 /64) that is not a trusted proxy. */
    max_connections_per_address: number;
    /** CIDRs whose X-Forwarded-For is believed. */
    trusted_proxies: string[];
    /** Upstream's key: when set, X-Forwarded-For's Nth address from the right is the client's (from a trusted peer only). */
    num_proxies: number | null;
    /** OpenSSL cipher list, TLS 1.3 suites (TLS_*) included. */
    ciphers: string;
    tls_min_version: 'TLSv1.2' | 'TLSv1.3';
  };
  /** Seconds. */
  default_token_lifetime: number;
  max_user_concurrent_sessions: number;
  /** Seconds between purges of expired tokens; below 1 disables the purge, as upstream. */
  token_cleanup_interval: number;
  token_cleanup_batch_size: number;
  /** Password hashes computed at once; null: one per core but one, leaving a core to token checks. */
  password_hash_workers: number | null;
  /** Login hashes running or waiting at most; beyond it a login answers 503. null: 4 × the workers. */
  max_pending_password_hashes: number | null;
  login_throttle: LoginThrottleConfig;
  saml: SamlConfigSection;
  /** The websocket a user's OAuth2 consent comes back on; `{state}` is the login's state. */
  oauth2_synchronization_ws_url_template: string;
  /** The redirect_uri given to the provider; `{auth_type}` is google or microsoft. */
  oauth2_synchronization_redirect_url_template: string;
  google: OAuth2ProviderSettings;
  microsoft: OAuth2ProviderSettings;
  /** Seconds a password reset token stays valid. */
  password_reset_expiration: number;
  /** Seconds: a user gets one reset mail per interval at most; 0: no limit. */
  password_reset_mail_interval: number;
  password_reset_from_name: string;
  password_reset_from_address: string;
  /** Jinja files (rendered with nunjucks); a path that does not exist uses the built-in text. */
  password_reset_email_template: string;
  password_reset_email_subject_template: string;
  /** Seconds an e-mail confirmation token stays valid. */
  email_confirmation_expiration: number;
  email_confirmation_template: string;
  email_confirmation_subject_template: string;
  email_confirmation_from_name: string;
  email_confirmation_from_address: string;
  /** The page a followed confirmation link answers, and its content type. */
  email_confirmation_get_response_body_template: string;
  email_confirmation_get_mimetype: string;
  smtp: SmtpSettings;
  /** Where mail links point; null values come from the request (Host, X-Script-Name) as upstream. */
  email_links: {hostname: string | null; port: number | null; prefix: string | null};
  /** A null value withdraws a policy that a lower-priority file declared. */
  default_policies: Record<string, DefaultPolicy | null>;
  /** Policy slug -> whether every tenant's all-users group holds it. */
  all_users_policies: Record<string, boolean>;
  /** Name of a policy whose ACL every wazo_user token gets first, as upstream (any tenant). */
  default_user_policy: string | null;
  /** Deprecated upstream key: a policy name per login backend, used instead of default_user_policy. */
  backend_policies: Record<string, string>;
  /** Characters in one ACL access: a policy cannot hold a longer one, and a longer required access is never granted. */
  max_acl_access_length: number;
  /** Accesses in one policy. */
  max_policy_acl_entries: number;
  /** Accesses in one token, from all its policies, each once: a login that would pass it is refused. */
  max_token_acl_entries: number;
  /** Group slug -> its policies; a null value withdraws a group that a lower-priority file declared. */
  tenant_default_groups: Record<string, DefaultGroup | null>;
}

/** Upstream's `saml` section. */
export interface SamlConfigSection {
  /** Upstream's per-domain settings of old; tenants' configurations live in the database now. */
  domains: Record<string, unknown>;
  /** What GET /backends/saml/acs_url_template answers: the ACS URL an administrator adapts. */
  acs_url_template: string;
  /** Seconds from POST /saml/sso within which the provider's answer and the token exchange must come. */
  saml_login_timeout_seconds: number;
  /** Seconds a SAML session stays known after its token was issued (for single logout). */
  saml_session_lifetime_seconds: number;
  /** Read by upstream's library only. */
  xmlsec_binary: string | null;
  /** The service provider's private key and certificate (PEM) that sign its requests. */
  key_file: string;
  cert_file: string;
  /** Read by upstream only. */
  xml_files_dir: string | null;
}

/**
 * Values from command line flags, shaped like the config file (nested mappings
 * allowed, e.g. `{rest_api: {port: 9497}}`). Keys set to undefined count as absent.
 * Validated like any other layer.
 */
export type ConfigOverrides = Record<string, unknown>;

export interface LoadOptions {
  /** The -c path. When absent, no file at all is read. */
  configFile?: string | null;
  overrides?: ConfigOverrides;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}
