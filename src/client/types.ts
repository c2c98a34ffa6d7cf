// What the API sends and takes, with the API's own field names (snake_case): these objects are
// what `--json` prints and what YAML files describe, so they are passed through unrenamed. Type
// aliases rather than interfaces, so that they are assignable to Record<string, unknown>.

/** A page of a list: `total` counts the items the caller may see, `filtered` those matching the search and filters. */
export type ListResult<T> = {
  total: number;
  /** Absent from the policy list and from a tenant's domains, as upstream. */
  filtered?: number;
  items: T[];
};

/** Paging and sorting, common to every list. */
export type ListParams = {
  /** At most this many items; all when absent. */
  limit?: number;
  offset?: number;
  /** The field to sort by; each list has its own choice. */
  order?: string;
  direction?: 'asc' | 'desc';
  /** Words found in the searchable fields, in order. */
  search?: string;
  /** Include the tenants below the one the request acts in. */
  recurse?: boolean;
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

/** `POST /token` options, beyond the credentials. */
export type TokenOptions = {
  backend?: string;
  /** Lifetime in seconds; the daemon's default_token_lifetime when absent. */
  expiration?: number;
  /** `offline` also returns a refresh token, named by `clientId`. */
  accessType?: 'online' | 'offline';
  clientId?: string;
  /** `mobile` marks the session (and its refresh token) as a mobile one. */
  sessionType?: 'mobile';
  tenantId?: string;
  domainName?: string;
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

export type RefreshTokenFilters = {
  client_id?: string;
  mobile?: boolean;
  /** ISO 8601, to the second; UTC without an offset. */
  created_at?: string;
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

/** The fields a PUT replaces: those left out are cleared. */
export type UserChanges = {
  username?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  purpose?: Purpose;
  enabled?: boolean;
  /** default, native, ldap or saml. */
  authentication_method?: string;
};

export type NewUser = UserChanges & {
  uuid?: string;
  password?: string | null;
  /** Becomes the main address, confirmed. */
  email_address?: string | null;
};

/** A user's own fields (GroupMemberFilters), and what it holds. */
export type UserFilters = GroupMemberFilters & {
  group_uuid?: string;
  policy_uuid?: string;
  policy_slug?: string;
  has_policy_uuid?: string;
  has_policy_slug?: string;
};

export type EmailChange = {
  address: string;
  main?: boolean;
  /** Only through the admin route; null or absent keeps what the address had. */
  confirmed?: boolean | null;
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

/** The fields a PUT replaces: a left-out description or ACL is cleared. */
export type PolicyChanges = {
  name: string;
  description?: string | null;
  acl?: string[];
};

export type NewPolicy = PolicyChanges & {
  /** Derived from the name when absent; never changes. */
  slug?: string | null;
  shared?: boolean;
};

export type PolicyFilters = {
  uuid?: string;
  name?: string;
  slug?: string;
  tenant_uuid?: string;
  user_uuid?: string;
  group_uuid?: string;
  read_only?: boolean;
};

/** Filters of the policies of one user or one group. */
export type HeldPolicyFilters = {
  uuid?: string;
  name?: string;
  tenant_uuid?: string;
  user_uuid?: string;
  group_uuid?: string;
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

/** The fields a PUT replaces: those left out are cleared; the slug and the parent stay. */
export type TenantChanges = {
  name?: string | null;
  contact?: string | null;
  phone?: string | null;
  default_authentication_method?: string;
  domain_names?: string[];
  address?: Partial<TenantAddress> | null;
};

export type NewTenant = TenantChanges & {
  uuid?: string | null;
  /** Derived from the name when absent; never changes. */
  slug?: string | null;
};

export type TenantFilters = {
  uuid?: string;
  /** At most 25. */
  uuids?: string[];
  name?: string;
  slug?: string;
  domain_name?: string;
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

export type NewGroup = {
  name: string;
  /** Derived from the name when absent; never changes. */
  slug?: string | null;
};

export type GroupFilters = {
  uuid?: string;
  name?: string;
  slug?: string;
  user_uuid?: string;
  read_only?: boolean;
  policy_uuid?: string;
  policy_slug?: string;
};

/** Exact-match filters on a user's own fields, for any list of users. */
export type GroupMemberFilters = {
  uuid?: string;
  username?: string;
  firstname?: string;
  lastname?: string;
  purpose?: string;
  email_address?: string;
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

/** The one change the daemon takes live: debug logging on or off. */
export type ConfigOperation = {
  op: 'replace';
  path: '/debug';
  value: boolean;
};
