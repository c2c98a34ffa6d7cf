// The domain's shapes: what the services work on, the store keeps and the routes show.

export type Purpose = 'user' | 'internal' | 'external_api';

export type AuthenticationMethod = 'default' | 'native' | 'ldap' | 'saml';

export interface TenantAddress {
  line_1: string | null;
  line_2: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  zip_code: string | null;
}

export interface Tenant {
  uuid: string;
  name: string | null;
  slug: string;
  /** The top tenant is its own parent. */
  parentUuid: string;
  contactUuid: string | null;
  phone: string | null;
  address: TenantAddress;
  domainNames: string[];
  /** The method of the tenant's users whose own method is `default`. */
  defaultAuthenticationMethod: AuthenticationMethod;
}

/** A tenant to create: without a default authentication method it is `native`, upstream's column default. */
export type NewTenant = Omit<Tenant, 'defaultAuthenticationMethod'> & {defaultAuthenticationMethod?: AuthenticationMethod};

export interface TenantDomain {
  uuid: string;
  name: string;
}

/** Exact-match filters of tenant lists (upstream's query parameters): counted in `filtered`, not in `total`. */
export interface TenantFilters {
  uuid?: string;
  uuids?: string[];
  name?: string;
  slug?: string;
  /** One of the tenant's domain names. */
  domainName?: string;
}

export interface Email {
  uuid: string;
  address: string;
  main: boolean;
  confirmed: boolean;
}

export interface User {
  uuid: string;
  tenantUuid: string;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  enabled: boolean;
  authenticationMethod: AuthenticationMethod;
  emails: Email[];
}

/** A user with the stored password hash, for authentication only: never serialised. */
export interface UserCredentials {
  user: User;
  /** argon2id PHC string, or `pbkdf2-sha512$<hex salt>$<hex hash>` for hashes imported from upstream; null: no password. */
  passwordHash: string | null;
}

export interface Policy {
  uuid: string;
  tenantUuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: string[];
  shared: boolean;
  /** Managed by the configuration (`default_policies`): never changed through the API. */
  configManaged: boolean;
}

/** One entry of `default_policies`: a policy the daemon keeps in sync in the top tenant. */
export interface DefaultPolicy {
  acl: string[];
  description?: string | null;
  shared?: boolean;
}

/** One entry of `tenant_default_groups`: a group the daemon keeps in every tenant. */
export interface DefaultGroup {
  /** Policy slug -> whether the group holds it (false takes it away at the next start). */
  policies: Record<string, boolean>;
}

export interface Session {
  uuid: string;
  tenantUuid: string;
  userUuid: string;
  mobile: boolean;
  createdAt: number;
}

/** A session with what its token tells about it, for listings. */
export interface SessionListing extends Session {
  /** Integer seconds since the epoch. */
  expiresAt: number;
  remoteAddr: string;
  userAgent: string;
}

/** A token as stored: only the SHA-256 digest of its value is kept. */
export interface TokenRecord {
  digest: string;
  sessionUuid: string;
  authId: string;
  pbxUserUuid: string | null;
  xivoUuid: string;
  /** Integer seconds since the epoch, as upstream's columns. */
  issuedAt: number;
  expiresAt: number;
  acl: string[];
  metadata: Record<string, unknown>;
  userAgent: string;
  remoteAddr: string;
  refreshTokenUuid: string | null;
}

export interface RefreshToken {
  uuid: string;
  /** SHA-256 digest of the value handed to the client. */
  digest: string;
  clientId: string;
  userUuid: string;
  backend: string;
  login: string;
  userAgent: string;
  remoteAddr: string;
  mobile: boolean;
  createdAt: number;
}

/** A refresh token as listed: never its digest, with the tenant of its user. */
export interface RefreshTokenListing extends Omit<RefreshToken, 'digest'> {
  tenantUuid: string;
}

/**
 * Which refresh tokens a listing covers: those of users of `tenantUuids` (of `userUuid` only when
 * given); the other fields are upstream's exact-match filters, counted in `filtered`, not in `total`.
 */
export interface RefreshTokenFilter {
  tenantUuids: string[];
  userUuid?: string;
  clientId?: string;
  mobile?: boolean;
  /** Integer seconds since the epoch. */
  createdAt?: number;
}

/** Paging and ordering shared by every list; `order` is a field name the store knows. */
export interface ListParams {
  limit?: number | null;
  offset?: number;
  order?: string;
  direction?: 'asc' | 'desc';
  search?: string | null;
}

export interface ListResult<T> {
  total: number;
  filtered: number;
  items: T[];
}

export interface Group {
  uuid: string;
  tenantUuid: string;
  name: string;
  slug: string;
  /** The tenant's all-users group: every user of the tenant is a member; read-only through the API. */
  systemManaged: boolean;
}

/** Exact-match filters of group lists (upstream's query parameters): counted in `filtered`, not in `total`. */
export interface GroupFilters {
  uuid?: string;
  name?: string;
  /** Regardless of case. */
  slug?: string;
  /** Groups this user belongs to. */
  userUuid?: string;
  readOnly?: boolean;
  /** Groups holding this policy. */
  policyUuid?: string;
  policySlug?: string;
}

/** Exact-match filters of a group's members. */
export interface GroupMemberFilters {
  uuid?: string;
  username?: string;
  firstname?: string;
  lastname?: string;
  purpose?: string;
  /** One of the user's addresses. */
  emailAddress?: string;
}

/** Exact-match filters of a group's policies. */
export interface GroupPolicyFilters {
  uuid?: string;
  name?: string;
  tenantUuid?: string;
  /** Policies this user also holds directly. */
  userUuid?: string;
  /** Policies this group also holds. */
  groupUuid?: string;
}

/** Exact-match filters of policy lists (upstream's query parameters): they never change `total`. */
export interface PolicyFilters extends GroupPolicyFilters {
  /** Regardless of case, as slugs are unique. */
  slug?: string;
  /** Whether the listing tenants see it read-only: config-managed, or shared from a tenant above them. */
  readOnly?: boolean;
}

/** Exact-match filters of user lists (upstream's query parameters): counted in `filtered`, not in `total`. */
export interface UserFilters extends GroupMemberFilters {
  /** Members of this group, an all-users group included. */
  groupUuid?: string;
  /** Users holding this policy themselves. */
  policyUuid?: string;
  policySlug?: string;
  /** Users holding this policy themselves or through one of their groups. */
  hasPolicyUuid?: string;
  hasPolicySlug?: string;
}

/** Exact-match filters of a user's policies: upstream gives them the same as a group's. */
export type UserPolicyFilters = GroupPolicyFilters;

/** How the daemon talks to a directory: upstream's protocol_security (null: plain LDAP). */
export type LdapSecurity = 'ldaps' | 'tls' | null;

/** A tenant's LDAP directory, as upstream's auth_ldap_config, and the test CA it trusts. */
export interface LdapConfig {
  tenantUuid: string;
  host: string;
  port: number;
  protocolVersion: number;
  protocolSecurity: LdapSecurity;
  bindDn: string | null;
  /** The service account's password as SecretBox sealed it; never the password itself. */
  bindPasswordSealed: string | null;
  userBaseDn: string;
  userLoginAttribute: string;
  userEmailAttribute: string;
  searchFilters: string | null;
  /** PEM certificates the directory's own must chain to (ours); null: the system's CAs. */
  caCertificates: string | null;
}

/** Upstream's smtp.hostname and smtp.port, and our optional security, login and retries. */
export interface SmtpSettings {
  hostname: string;
  port: number;
  /** TLS from the first byte (SMTPS, usually port 465). */
  tls: boolean;
  /** STARTTLS required: a server that does not offer it gets no mail. */
  starttls: boolean;
  username: string | null;
  /** Secret: masked in GET /config, never logged. */
  password: string | null;
  /** Absolute path of a PEM file of CAs trusted for the server's certificate (beside the system's). */
  ca_certificate: string | null;
  /** Seconds for each of connecting, the greeting and every exchange (upstream: 4). */
  timeout: number;
  /** Tries per mail when the server is unreachable or answers a temporary failure. */
  attempts: number;
  /** Seconds between tries. */
  retry_delay: number;
}

/** Upstream's `google` and `microsoft` sections. */
export interface OAuth2ProviderSettings {
  /** Where the user is sent to consent. */
  authorization_base_url: string;
  /** Where codes and refresh tokens are exchanged for access tokens. */
  token_url: string;
  /** Asked when the request names none. */
  scope: string[];
  /** null: oauth2_synchronization_redirect_url_template. */
  redirect_uri: string | null;
  /** null: oauth2_synchronization_ws_url_template; else `<websocket_host>/ws/<state>`, as upstream. */
  websocket_host: string | null;
}
