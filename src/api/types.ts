// What the API answers, with its own field names (snake_case), shared by the routes' serializers
// and the client: one declaration, so the two cannot drift apart. Type aliases rather than
// interfaces, so that they are assignable to Record<string, unknown>.

/** A page of a list: `total` counts the items the caller may see, `filtered` those matching the search and filters. */
export type ListResult<T> = {
  total: number;
  /** Absent from the policy list and from a tenant's domains, as upstream. */
  filtered?: number;
  items: T[];
};

export type TokenMetadata = {
  uuid: string;
  tenant_uuid: string;
  auth_id: string;
  pbx_user_uuid: string | null;
  xivo_uuid: string;
  purpose: string;
  [key: string]: unknown;
};

export type Token = {
  token: string;
  auth_id: string;
  xivo_user_uuid: string | null;
  xivo_uuid: string;
  /** Local time, no offset (upstream's). */
  issued_at: string;
  expires_at: string;
  utc_issued_at: string;
  utc_expires_at: string;
  acl: string[];
  metadata: TokenMetadata;
  session_uuid: string;
  remote_addr: string;
  user_agent: string;
  /** Only in the answer to an `offline` login. */
  refresh_token?: string;
};

/** For each access asked about, whether the token grants it. */
export type ScopeCheck = Record<string, boolean>;

export type RefreshToken = {
  client_id: string;
  created_at: string;
  mobile: boolean;
  user_uuid: string;
  tenant_uuid: string;
  metadata: Record<string, unknown>;
};

export type Email = {
  uuid: string;
  address: string;
  main: boolean;
  confirmed: boolean;
};

export type Purpose = 'user' | 'internal' | 'external_api';

export type User = {
  username: string | null;
  uuid: string;
  enabled: boolean;
  emails: Email[];
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  tenant_uuid: string;
  authentication_method: string;
};

export type Policy = {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: string[];
  read_only: boolean;
  shared: boolean;
};

export type TenantAddress = {
  line_1: string | null;
  line_2: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  zip_code: string | null;
};

export type Tenant = {
  uuid: string;
  parent_uuid: string;
  name: string | null;
  slug: string;
  /** A user's uuid. */
  contact: string | null;
  phone: string | null;
  default_authentication_method: string;
  domain_names: string[];
  address: TenantAddress;
};

export type Domain = {
  name: string;
  uuid: string;
};

export type Group = {
  uuid: string;
  name: string;
  slug: string;
  tenant_uuid: string;
  system_managed: boolean;
  read_only: boolean;
};

export type Session = {
  uuid: string;
  mobile: boolean;
  tenant_uuid: string;
  user_uuid: string;
  created_at: string;
  expires_at: string;
  remote_addr: string;
  user_agent: string;
};

/**
 * Failed logins counted against one of a user's logins from one client address (an IPv6 address
 * counts by its /64 network). `retry_after`: seconds before the next attempt is judged, 0 now.
 *
 * @example {login: 'alice', address: '203.0.113.7', failures: 5, last_failure_at: '2026-12-01T10:00:00+00:00', retry_after: 60}
 */
export type ThrottleEntry = {
  login: string;
  address: string;
  failures: number;
  last_failure_at: string;
  retry_after: number;
};

/** A count of GET /throttle: whose login it is, too. */
export type UserThrottleEntry = ThrottleEntry & {user_uuid: string};

/** The running configuration, passwords masked. */
export type DaemonConfig = Record<string, unknown>;

/** GET /bus/status (ours): each component's state, the bus publisher's with the outbox. */
export type ServiceStatus = {
  rest_api: {status: 'ok'};
  database: {status: 'ok' | 'fail'};
  /** `disabled` when `amqp.uri` is null; `fail` while the broker cannot be reached. */
  bus_publisher: {status: 'ok' | 'fail' | 'disabled'; outbox_depth: number | null; published: number; dropped: number};
};

/** GET|PUT /backends/ldap: a tenant's LDAP directory; every field null when it has none. The bind password is never shown. */
export type LdapConfig = {
  tenant_uuid: string | null;
  host: string | null;
  port: number | null;
  protocol_version: number | null;
  /** null (plain LDAP), `ldaps` or `tls` (StartTLS). */
  protocol_security: 'ldaps' | 'tls' | null;
  bind_dn: string | null;
  user_base_dn: string | null;
  user_login_attribute: string | null;
  user_email_attribute: string | null;
  search_filters: string | null;
  /** Ours: PEM certificates the directory's must chain to; null: the system's CAs. */
  ca_certificates: string | null;
};

/** PUT /backends/ldap. Fields left out keep their value, but for protocol_version (3). */
export type LdapConfigEdit = {
  host: string;
  port: number;
  protocol_version?: number;
  protocol_security?: 'ldaps' | 'tls' | null;
  bind_dn?: string | null;
  /** Sealed at rest; null removes it. */
  bind_password?: string | null;
  user_base_dn: string;
  user_login_attribute: string;
  user_email_attribute: string;
  search_filters?: string | null;
  ca_certificates?: string | null;
};

/** GET /idp: the authentication methods users may be given. */
export type IdpList = {total: number; filtered: number; items: string[]};
/** GET|POST|PUT /backends/saml: a tenant's SAML identity provider (its metadata at /backends/saml/metadata). */
export type SamlConfig = {
  domain_uuid: string;
  entity_id: string;
  tenant_uuid: string;
  acs_url: string;
};

/** POST /saml/sso. */
export type SamlLogin = {
  location: string;
  saml_session_id: string;
};
