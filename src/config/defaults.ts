// Built-in configuration values, the lowest layer. Values taken from upstream
// wazo-auth where it has the same setting; the rest fit a daemon run without root.

import {homedir} from 'node:os';
import {isAbsolute, join} from 'node:path';

import type {RawMapping} from './merge.js';
import {pluginDefaults} from './plugins.js';

/** The headers upstream allows in CORS preflight requests. */
export const DEFAULT_CORS_ALLOW_HEADERS: readonly string[] = ['Content-Type', 'Authorization', 'X-Auth-Token', 'Wazo-Tenant', 'Wazo-Session-Type'];

/** TLS 1.3's suites, then TLS 1.2's with forward secrecy (ECDHE) and AEAD only. */
export const DEFAULT_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Upstream's folder of mail templates. */
const TEMPLATES = '/var/lib/wazo-auth/templates';

// data_dir, db_uri and uuid are absent: their defaults depend on the environment.
export function defaultLayer(): RawMapping {
  return {
    debug: false,
    log_level: 'info',
    log_filename: null,
    log_format: 'text',
    user: null,
    db_pool_size: 10,
    db_statement_timeout_ms: 5_000,
    // Upstream's: how long a start waits for PostgreSQL.
    db_connect_retry_timeout_seconds: 300,
    // Upstream's default is false (its package runs wazo-auth-upgrade-db); ours migrates its own
    // database, which an embedded SQLite file needs on its first start.
    db_upgrade_on_startup: true,
    // Upstream's: the user a daemon makes at start, as bootstrap would (src/services/bootstrap.ts).
    bootstrap_user_on_startup: false,
    bootstrap_user_username: null,
    bootstrap_user_password: null,
    bootstrap_user_purpose: null,
    bootstrap_user_policy_slug: null,
    // Ours: administrative changes as JSON lines to a file of their own, besides the log's info lines.
    audit: {file: null},
    // Ours: Prometheus metrics on a listener of their own, off unless enabled.
    metrics: {enabled: false, listen: '127.0.0.1', port: 9597},
    rest_api: {
      listen: '127.0.0.1',
      port: 9497,
      prefix: '',
      certificate: null,
      private_key: null,
      cors: {enabled: true, allow_headers: [...DEFAULT_CORS_ALLOW_HEADERS]},
      max_body_bytes: 1024 * 1024,
      headers_timeout_ms: 20_000,
      request_timeout_ms: 30_000,
      keep_alive_timeout_ms: 5_000,
      send_timeout_ms: 30_000,
      max_connections: null,
      max_connections_per_address: 64,
      // Wazo's nginx runs on the same host.
      trusted_proxies: ['127.0.0.0/8', '::1/128'],
      num_proxies: null,
      ciphers: DEFAULT_CIPHERS,
      tls_min_version: 'TLSv1.2',
    },
    default_token_lifetime: 7200,
    max_user_concurrent_sessions: 100,
    token_cleanup_interval: 60,
    token_cleanup_batch_size: 5000,
    password_hash_workers: null,
    max_pending_password_hashes: null,
    login_throttle: {
      enabled: true,
      max_failures: 5,
      per_address_max_failures: 50,
      // Vault's lockout counter reset and Keycloak's maximum wait.
      window_seconds: 900,
      first_delay_seconds: 60,
      max_delay_seconds: 900,
    },
    // Upstream's mail keys and defaults; the templates' paths fall back to built-in texts when
    // the files do not exist (src/services/mail/templates.ts).
    password_reset_expiration: 172_800,
    // Upstream's: the SP key pair at these paths (wazo-auth saml keygen makes one).
    saml: {
      domains: {},
      acs_url_template: 'https://{{STACK_URL}}/api/auth/0.1/saml/acs',
      saml_login_timeout_seconds: 600,
      saml_session_lifetime_seconds: 604_800,
      xmlsec_binary: '/usr/bin/xmlsec1',
      key_file: '/var/lib/wazo-auth/saml/server.key',
      cert_file: '/var/lib/wazo-auth/saml/server.crt',
      xml_files_dir: '/var/lib/wazo-auth/saml/',
    },
    // Upstream's: where a user's OAuth2 consent comes back (wazo's oauth2 synchronization service).
    oauth2_synchronization_ws_url_template: 'wss://oauth.wazo.io/ws/{state}',
    oauth2_synchronization_redirect_url_template: 'https://oauth.wazo.io/{auth_type}/authorize',
    // Upstream's config.yml; null redirect_uri and websocket_host come from the templates above.
    google: {
      authorization_base_url: 'https://accounts.google.com/o/oauth2/v2/auth',
      token_url: 'https://www.googleapis.com/oauth2/v4/token',
      scope: ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/contacts'],
      redirect_uri: null,
      websocket_host: null,
    },
    microsoft: {
      authorization_base_url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      token_url: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
      scope: ['offline_access', 'Contacts.Read'],
      redirect_uri: null,
      websocket_host: null,
    },
    // Ours: the least time between two reset mails to one user (0: no limit, as upstream).
    password_reset_mail_interval: 60,
    password_reset_from_name: 'wazo-auth',
    password_reset_from_address: 'noreply@wazo.community',
    password_reset_email_template: `${TEMPLATES}/password_reset_email.jinja`,
    password_reset_email_subject_template: `${TEMPLATES}/password_reset_email_subject.jinja`,
    email_confirmation_expiration: 172_800,
    email_confirmation_template: `${TEMPLATES}/email_confirmation.jinja`,
    email_confirmation_subject_template: `${TEMPLATES}/email_confirmation_subject.jinja`,
    email_confirmation_from_name: 'wazo-auth',
    email_confirmation_from_address: 'noreply@wazo.community',
    email_confirmation_get_response_body_template: `${TEMPLATES}/email_confirmation_get_body.jinja`,
    email_confirmation_get_mimetype: 'text/html',
    smtp: {
      hostname: 'localhost',
      port: 25,
      // Ours, off by default as upstream's plain SMTP: implicit TLS (port 465) or a required
      // STARTTLS, a login, a CA to trust, and how long and how often a mail is tried.
      tls: false,
      starttls: false,
      username: null,
      password: null,
      ca_certificate: null,
      timeout: 4,
      attempts: 3,
      retry_delay: 30,
    },
    // Ours: where the links of mails point; null takes the request's Host and X-Script-Name as upstream.
    email_links: {hostname: null, port: null, prefix: null},
    amqp: {
      uri: 'amqp://guest:guest@localhost:5672/',
      exchange_name: 'xivo',
      exchange_type: 'topic',
      // Ours: how long and how many events wait for an unreachable broker.
      outbox_max_age: 86_400,
      outbox_max_events: 100_000,
    },
    // Upstream ships none: the Wazo set comes from a conf.d file of wazo-auth-keys.
    default_policies: {},
    all_users_policies: {},
    default_user_policy: null,
    backend_policies: {},
    // Upstream has no such limits. Wazo's stock policies hold at most 60 accesses of at most 52
    // characters (wazo-auth-keys); these leave room and keep a hostile policy cheap.
    max_acl_access_length: 256,
    max_policy_acl_entries: 500,
    max_token_acl_entries: 1000,
    tenant_default_groups: {},
    ...pluginDefaults(),
  };
}

export const DEFAULT_DB_FILENAME = 'wazo-auth.db';

/**
 * Where the daemon keeps its database and key file when not told otherwise:
 * /var/lib/wazo-auth for root (as an installed service), else the user's XDG data folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  if (uid === 0) return '/var/lib/wazo-auth';
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env['XDG_DATA_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'wazo-auth');
  const home = env['HOME'] && isAbsolute(env['HOME']) ? env['HOME'] : homedir();
  return join(home, '.local', 'share', 'wazo-auth');
}
