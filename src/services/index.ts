// The daemon's domain services, built once at start and handed to every request.

import type {AclLimits} from '../acl/index.js';
import type {Clock} from '../clock.js';
import type {DaemonConfig} from '../config/index.js';
import type {Logger} from '../log.js';
import type {LogDestination} from '../log-destination.js';
import type {Store} from '../store/store.js';
import {AuditTrail} from './audit.js';
import type {DaemonMetrics} from './metrics.js';
import {AuthenticationService} from './authentication.js';
import {ConfigService} from './config.js';
import {EmailService} from './emails.js';
import {EventOutbox} from './events/outbox.js';
import {ExternalAuthService} from './external-auth.js';
import {OAuth2Accounts} from './oauth2-accounts.js';
import {GroupService, type TenantProvisions} from './groups.js';
import {LdapService} from './ldap.js';
import {LoginThrottle, type ThrottleSettings} from './login-throttle.js';
import {MailMessages} from './mail/messages.js';
import {MailOutbox} from './mail/outbox.js';
import {PasswordResetService} from './password-reset.js';
import {RegistrationService} from './registration.js';
import {PolicyService} from './policies.js';
import {RefreshTokenService} from './refresh-tokens.js';
import type {SecretBox} from './secret-box.js';
import {SamlService} from './saml.js';
import {SamlConfigService} from './saml-config.js';
import {SessionService} from './sessions.js';
import {TenantService} from './tenants.js';
import {TokenService, type TokenSettings} from './tokens.js';
import {UserService} from './users.js';
import type {Passwords} from './passwords.js';

export interface Services {
  config: DaemonConfig;
  store: Store;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  /** The identity providers and backends, installed by the plugins once loaded. */
  authentication: AuthenticationService;
  loginThrottle: LoginThrottle;
  tenants: TenantService;
  users: UserService;
  policies: PolicyService;
  groups: GroupService;
  sessions: SessionService;
  refreshTokens: RefreshTokenService;
  emails: EmailService;
  /** SAML logins and logouts (the saml identity provider and routes). */
  saml: SamlService;
  /** Each tenant's SAML identity provider (the saml_config routes). */
  samlConfigs: SamlConfigService;
  /** Mail off the request path: the queue, its SMTP delivery, and the mails' texts. */
  mail: MailOutbox;
  mailMessages: MailMessages;
  passwordReset: PasswordResetService;
  registration: RegistrationService;
  /** Tenants' LDAP directories: their configuration and the logins against them. */
  ldap: LdapService;
  /** Seals the secrets the daemon keeps and must read back (secrets.key). */
  secrets: SecretBox;
  /** Makes and checks password hashes (the hashing itself runs in the process's hash pool). */
  passwords: Passwords;
  /** GET|PATCH /config: the configuration as shown, and `debug` changed live. */
  liveConfig: ConfigService;
  /** The bus events of the changes, written with them. */
  events: EventOutbox;
  /** Accounts of other services linked to users, and tenants' settings for them (external auth plugins). */
  externalAuth: ExternalAuthService;
  /** Google and Microsoft accounts linked through OAuth2. */
  oauth2: OAuth2Accounts;
  /** Who changed what, from where: the log's info lines and `audit.file`. */
  audit: AuditTrail;
  /** GET /metrics' counters, when `metrics.enabled` (set by the daemon once the bus is up). */
  metrics?: DaemonMetrics;
}

function throttleSettings({login_throttle: t}: DaemonConfig): ThrottleSettings {
  return {
    enabled: t.enabled,
    maxFailures: t.max_failures,
    perAddressMaxFailures: t.per_address_max_failures,
    windowSeconds: t.window_seconds,
    firstDelaySeconds: t.first_delay_seconds,
    maxDelaySeconds: t.max_delay_seconds,
  };
}

export function aclLimitsOf(config: DaemonConfig): AclLimits {
  return {
    maxAccessLength: config.max_acl_access_length,
    maxPolicyEntries: config.max_policy_acl_entries,
    maxTokenEntries: config.max_token_acl_entries,
  };
}

function provisionsOf(config: DaemonConfig): TenantProvisions {
  return {allUsersPolicies: config.all_users_policies, defaultGroups: config.tenant_default_groups};
}

export function createServices(deps: {
  config: DaemonConfig;
  store: Store;
  clock: Clock;
  log: Logger;
  tokenSettings: TokenSettings;
  secrets: SecretBox;
  /** The audit trail's own file (`audit.file`), opened by the daemon. */
  auditFile?: LogDestination;
  passwords: Passwords;
}): Services {
  const loginThrottle = new LoginThrottle(deps.store.loginFailures, deps.clock, throttleSettings(deps.config), deps.tokenSettings.refreshTokenKey, deps.log);
  // origin_uuid: the configured service uuid (config `uuid` or XIVO_UUID), else the installation's.
  const events = new EventOutbox(deps.store, deps.clock, deps.config.uuid ?? deps.tokenSettings.xivoUuid, deps.config.amqp.uri !== null);
  const tenants = new TenantService(deps.store, events);
  const users = new UserService(deps.store, tenants, loginThrottle, events, deps.passwords);
  const authentication = new AuthenticationService(users, deps.log);
  const tokens = new TokenService(deps.store, deps.clock, deps.tokenSettings, loginThrottle, authentication, events);
  const policies = new PolicyService(deps.store, tenants, deps.config.default_policies, aclLimitsOf(deps.config));
  const groups = new GroupService(deps.store, tenants, users, policies, provisionsOf(deps.config), deps.log);
  const mail = new MailOutbox(deps.config.smtp, deps.log);
  const mailMessages = new MailMessages(deps.config);
  const externalAuth = new ExternalAuthService(deps.store, deps.secrets, users, tenants, events, deps.log);
  const oauth2 = new OAuth2Accounts(
    externalAuth,
    users,
    {
      providers: {google: deps.config.google, microsoft: deps.config.microsoft},
      wsUrlTemplate: deps.config.oauth2_synchronization_ws_url_template,
      redirectUrlTemplate: deps.config.oauth2_synchronization_redirect_url_template,
    },
    deps.clock,
    deps.log,
  );
  const emails = new EmailService(deps.store, users, {tokens, outbox: mail, messages: mailMessages, expiration: deps.config.email_confirmation_expiration});
  return {
    ...deps,
    tokens,
    authentication,
    loginThrottle,
    tenants,
    users,
    policies,
    groups,
    sessions: new SessionService(deps.store, tenants, users, events),
    refreshTokens: new RefreshTokenService(deps.store, tenants, users, events),
    emails,
    mail,
    mailMessages,
    passwordReset: new PasswordResetService(
      deps.store,
      tenants,
      users,
      tokens,
      mail,
      mailMessages,
      {expiration: deps.config.password_reset_expiration, mailInterval: deps.config.password_reset_mail_interval},
      deps.clock,
      deps.log,
    ),
    registration: new RegistrationService(tenants, groups, users, emails),
    ldap: new LdapService(deps.store, deps.secrets, deps.log),
    saml: new SamlService(deps.store, deps.clock, deps.config.saml, deps.log),
    samlConfigs: new SamlConfigService(deps.store, deps.config.saml.acs_url_template),
    liveConfig: new ConfigService(deps.config, deps.log),
    events,
    externalAuth,
    oauth2,
    audit: new AuditTrail(deps.log, deps.clock, deps.auditFile),
  };
}
