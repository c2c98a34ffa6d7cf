// The persistence interface every store implementation passes (test/store/contract.ts).
// Asynchronous throughout so that a networked database fits behind it unchanged.

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

export interface Session {
  uuid: string;
  tenantUuid: string;
  userUuid: string;
  mobile: boolean;
  createdAt: number;
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

export interface TenantStore {
  create(tenant: Tenant): Promise<Tenant>;
  get(uuid: string): Promise<Tenant | undefined>;
  /** The tenant that is its own parent, if any. */
  top(): Promise<Tenant | undefined>;
  /** The uuids of the tenant and of every tenant below it. */
  subtree(uuid: string): Promise<string[]>;
  list(tenantUuids: string[], params: ListParams): Promise<ListResult<Tenant>>;
}

export interface UserStore {
  /** Throws ConflictError('username' | 'email') when the login is taken (case-insensitive). */
  create(user: User, passwordHash: string | null): Promise<User>;
  get(uuid: string): Promise<User | undefined>;
  /** By username or confirmed e-mail address, case-insensitive. */
  findByLogin(login: string): Promise<UserCredentials | undefined>;
  /** Replaces username, firstname, lastname, purpose, enabled, authenticationMethod. */
  update(user: User): Promise<User>;
  setPasswordHash(uuid: string, passwordHash: string | null): Promise<void>;
  /** Removes the user with its policy links, sessions, tokens and refresh tokens. */
  delete(uuid: string): Promise<boolean>;
  list(tenantUuids: string[], params: ListParams): Promise<ListResult<User>>;
  addPolicy(userUuid: string, policyUuid: string): Promise<void>;
  removePolicy(userUuid: string, policyUuid: string): Promise<void>;
  listPolicies(userUuid: string, params: ListParams): Promise<ListResult<Policy>>;
  /** Every access of the user's policies, in order, without duplicates. */
  acl(userUuid: string): Promise<string[]>;
}

export interface PolicyStore {
  /** Throws ConflictError('name' | 'slug') on a duplicate within the tenant. */
  create(policy: Policy): Promise<Policy>;
  get(uuid: string): Promise<Policy | undefined>;
  getBySlug(tenantUuid: string, slug: string): Promise<Policy | undefined>;
  /** Replaces name, description, acl and shared; slug and tenant never change. */
  update(policy: Policy): Promise<Policy>;
  delete(uuid: string): Promise<boolean>;
  /** Policies of these tenants, plus the shared policies of `sharedFrom` tenants. */
  list(tenantUuids: string[], params: ListParams & {sharedFrom?: string[]}): Promise<ListResult<Policy>>;
}

export interface TokenStore {
  /** Stores the session and its first token together. */
  create(session: Session, token: TokenRecord): Promise<void>;
  findByDigest(digest: string): Promise<TokenRecord | undefined>;
  /** Removes the token and its session; returns what was removed. */
  deleteByDigest(digest: string): Promise<TokenRecord | undefined>;
  /** Removes up to `limit` tokens expired before `now` (seconds) with their sessions. */
  deleteExpired(now: number, limit: number): Promise<number>;
  /** Sessions of the user, expired or not, as long as they are stored. */
  countSessions(userUuid: string): Promise<number>;
  /** Removes the user's sessions and their tokens; returns how many sessions. */
  deleteSessionsOfUser(userUuid: string): Promise<number>;
  /** Removes the sessions (and tokens) whose token came from this refresh token; returns how many sessions. */
  deleteByRefreshToken(refreshTokenUuid: string): Promise<number>;
}

export interface RefreshTokenStore {
  create(token: RefreshToken): Promise<RefreshToken>;
  findByDigest(digest: string): Promise<RefreshToken | undefined>;
  findByClient(userUuid: string, clientId: string): Promise<RefreshToken | undefined>;
  /** The user's refresh tokens, oldest first; only the mobile (or non-mobile) ones when `mobile` is given. */
  listByUser(userUuid: string, options?: {mobile?: boolean}): Promise<RefreshToken[]>;
  deleteByClient(userUuid: string, clientId: string): Promise<boolean>;
}

/** Small named values that belong to the installation, such as its uuid. */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key has one; returns the value kept. */
  setIfAbsent(key: string, value: string): Promise<string>;
}

export interface Store {
  readonly tenants: TenantStore;
  readonly users: UserStore;
  readonly policies: PolicyStore;
  readonly tokens: TokenStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly meta: MetaStore;
  close(): Promise<void>;
}

/** A unique constraint was hit; `field` names the API field at fault. */
export class ConflictError extends Error {
  constructor(readonly field: string, readonly value: string) {
    super(`${field} "${value}" is already used`);
    this.name = 'ConflictError';
  }
}
