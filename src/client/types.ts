// What the API sends and takes, with the API's own field names (snake_case): these objects are
// what `--json` prints and what YAML files describe, so they are passed through unrenamed. Type
// aliases rather than interfaces, so that they are assignable to Record<string, unknown>. What
// the daemon answers is declared once, in src/api, for its routes and for this client.

import type {Purpose, TenantAddress} from '../api/types.js';

export type {
  DaemonConfig,
  Domain,
  Email,
  Group,
  IdpList,
  LdapConfig,
  LdapConfigEdit,
  ListResult,
  Policy,
  Purpose,
  RefreshToken,
  SamlConfig,
  SamlLogin,
  ScopeCheck,
  Session,
  Tenant,
  TenantAddress,
  ThrottleEntry,
  Token,
  TokenMetadata,
  User,
  UserThrottleEntry,
} from '../api/types.js';

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

export type RefreshTokenFilters = {
  client_id?: string;
  mobile?: boolean;
  /** ISO 8601, to the second; UTC without an offset. */
  created_at?: string;
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

/** Who a forgotten-password mail is for: exactly one of them. */
export type PasswordResetLookup = {username: string} | {email: string} | {login: string};

/** POST /users/register (when the daemon enables it). */
export type Registration = {
  username?: string;
  password: string;
  firstname?: string | null;
  lastname?: string | null;
  /** Unconfirmed until the mailed link is followed. */
  email_address: string;
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

/** The one change the daemon takes live: debug logging on or off. */
export type ConfigOperation = {
  op: 'replace';
  path: '/debug';
  value: boolean;
};

/** One external auth type of a user's list: whether the user linked it; `data` is never a secret. */
export interface ExternalAuthEntry {
  type: string;
  enabled: boolean;
  data: Record<string, unknown>;
  plugin_info: Record<string, unknown>;
}
