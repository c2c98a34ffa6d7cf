// The persistence interface every store implementation passes (test/store/contract.ts).
// Asynchronous throughout so that a networked database fits behind it unchanged.

import type {
  LdapConfig,
  Tenant,
  NewTenant,
  TenantDomain,
  TenantFilters,
  Email,
  User,
  UserCredentials,
  Policy,
  Session,
  SessionListing,
  TokenRecord,
  RefreshToken,
  RefreshTokenListing,
  RefreshTokenFilter,
  ListParams,
  ListResult,
  Group,
  GroupFilters,
  GroupMemberFilters,
  GroupPolicyFilters,
  PolicyFilters,
  UserFilters,
  UserPolicyFilters,
} from '../domain/types.js';

export type TenantDeletion = 'deleted' | 'not-found' | 'has-children';

/** The sessions a listing or a deletion may reach: those of these tenants, of this user only when given. */
export interface SessionScope {
  tenantUuids: string[];
  userUuid?: string;
}

export interface TenantStore {
  /** Throws ConflictError('uuid' | 'slug' | 'domain_names'); domain names are unique whatever their case. */
  create(tenant: NewTenant): Promise<Tenant>;
  get(uuid: string): Promise<Tenant | undefined>;
  /** The tenant that is its own parent, if any. */
  top(): Promise<Tenant | undefined>;
  /** The uuids of the tenant and of every tenant below it. */
  subtree(uuid: string): Promise<string[]>;
  /** `search` looks for its words, in order, in the name, the slug or a domain name. Orders: name, slug, uuid. */
  list(tenantUuids: string[], params: ListParams & TenantFilters): Promise<ListResult<Tenant>>;
  /** Whether a tenant has this slug (case-sensitive, as the slug's unique constraint). */
  slugTaken(slug: string): Promise<boolean>;
  /**
   * Replaces name, contact, phone, address, domain names and default authentication method; slug
   * and parent stay. A domain name kept keeps its uuid. Throws ConflictError('domain_names');
   * undefined when there is no such tenant.
   */
  update(tenant: Tenant): Promise<Tenant | undefined>;
  /** Moves the tenant below `parentUuid`; false, changing nothing, when that is the tenant itself or below it. */
  setParent(uuid: string, parentUuid: string): Promise<boolean>;
  /**
   * Removes the tenant with all it holds (users, policies, domains, sessions and their tokens);
   * refuses while a tenant is below it.
   */
  delete(uuid: string): Promise<TenantDeletion>;
  /** The tenant's domain names with their uuids, oldest first. */
  domains(uuid: string): Promise<TenantDomain[]>;
}

export interface UserStore {
  /** Throws ConflictError('username' | 'email') when the login is taken (case-insensitive). */
  create(user: User, passwordHash: string | null): Promise<User>;
  get(uuid: string): Promise<User | undefined>;
  /** By username or confirmed e-mail address, case-insensitive. */
  findByLogin(login: string): Promise<UserCredentials | undefined>;
  /** Whether the login is a username or an e-mail address, confirmed or not, of a user other than `exceptUserUuid`; case-insensitive. */
  loginTaken(login: string, exceptUserUuid?: string): Promise<boolean>;
  /** Replaces username, firstname, lastname, purpose, enabled, authenticationMethod. */
  update(user: User): Promise<User>;
  setPasswordHash(uuid: string, passwordHash: string | null): Promise<void>;
  /** Removes the user with its policy and group links, sessions, tokens and refresh tokens. */
  delete(uuid: string): Promise<boolean>;
  list(tenantUuids: string[], params: ListParams, filters?: UserFilters): Promise<ListResult<User>>;
  addPolicy(userUuid: string, policyUuid: string): Promise<void>;
  removePolicy(userUuid: string, policyUuid: string): Promise<void>;
  listPolicies(userUuid: string, params: ListParams, filters?: UserPolicyFilters): Promise<ListResult<Policy>>;
  /**
   * Every access of the policies of the user's groups (its tenant's all-users group included;
   * groups by name, each group's policies in the order they were given), then of the user's own
   * policies in the order they were given; each access once, where it first appears.
   */
  acl(userUuid: string): Promise<string[]>;
  /** Replaces the user's e-mail addresses; ConflictError('email') when one belongs to another user (case-insensitive). */
  setEmails(userUuid: string, emails: Email[]): Promise<void>;
  /** The uuid of the user holding the e-mail address with this uuid. */
  emailOwner(emailUuid: string): Promise<string | undefined>;
  /** Marks the address confirmed, which makes it a login. */
  confirmEmail(emailUuid: string): Promise<void>;
}

export interface PolicyStore {
  /** Throws ConflictError('name' | 'slug') on a duplicate within the tenant. */
  create(policy: Policy): Promise<Policy>;
  get(uuid: string): Promise<Policy | undefined>;
  getBySlug(tenantUuid: string, slug: string): Promise<Policy | undefined>;
  /** The oldest policy with exactly this name, in any tenant. */
  findByName(name: string): Promise<Policy | undefined>;
  /** Replaces name, description, acl and shared; slug and tenant never change. */
  update(policy: Policy): Promise<Policy>;
  /** Gives the policy another slug (also its name): our older bootstrap's policy becoming upstream's master policy. */
  rename(uuid: string, slug: string): Promise<void>;
  delete(uuid: string): Promise<boolean>;
  /**
   * Policies of these tenants, plus the shared policies of `sharedFrom` tenants, plus with
   * `withConfigManaged` the config-managed ones, which every tenant sees.
   */
  list(tenantUuids: string[], params: ListParams & {sharedFrom?: string[]; withConfigManaged?: boolean}, filters?: PolicyFilters): Promise<ListResult<Policy>>;
}

export interface TokenStore {
  /** Stores the session and its first token together. */
  create(session: Session, token: TokenRecord): Promise<void>;
  findByDigest(digest: string): Promise<TokenRecord | undefined>;
  /** Removes the token and its session; returns what was removed. */
  deleteByDigest(digest: string): Promise<TokenRecord | undefined>;
  /** Removes up to `limit` tokens expired before `now` (seconds) with their sessions; returns the sessions removed. */
  deleteExpired(now: number, limit: number): Promise<Session[]>;
  /** Sessions of the user, expired or not, as long as they are stored; counting stops at `atMost` when given. */
  countSessions(userUuid: string, atMost?: number): Promise<number>;
  /** Sessions whose token has not expired at `now` (seconds), every user's. */
  countLiveSessions(now: number): Promise<number>;
  /** Removes the user's sessions and their tokens; returns the sessions removed. */
  deleteSessionsOfUser(userUuid: string): Promise<Session[]>;
  /** Removes the sessions (and tokens) whose token came from this refresh token; returns the sessions removed. */
  deleteByRefreshToken(refreshTokenUuid: string): Promise<Session[]>;
  /** Sessions with their token's details, expired ones included until removed. Orders: created_at, expires_at, mobile; `search` looks in the user uuid, address and user agent. */
  listSessions(scope: SessionScope, params: ListParams): Promise<ListResult<SessionListing>>;
  /** Removes the session with its tokens when it lies in `scope`; returns it, or undefined when nothing was removed. */
  deleteSession(uuid: string, scope: SessionScope): Promise<Session | undefined>;
}

export interface RefreshTokenStore {
  create(token: RefreshToken): Promise<RefreshToken>;
  findByDigest(digest: string): Promise<RefreshToken | undefined>;
  findByClient(userUuid: string, clientId: string): Promise<RefreshToken | undefined>;
  /** The user's refresh tokens, oldest first; only the mobile (or non-mobile) ones when `mobile` is given. */
  listByUser(userUuid: string, options?: {mobile?: boolean}): Promise<RefreshToken[]>;
  deleteByClient(userUuid: string, clientId: string): Promise<boolean>;
  /** The token now answers to the value of `digest` only (a token imported from upstream); undefined if gone. */
  setDigest(uuid: string, digest: string): Promise<RefreshToken | undefined>;
  /** Orders: created_at, client_id, mobile; `search` looks in client_id. */
  list(filter: RefreshTokenFilter, params: ListParams): Promise<ListResult<RefreshTokenListing>>;
}

/** The policies a listing of a group's policies may show, as PolicyStore.list selects them. */
export interface PolicyVisibility {
  tenantUuids: string[];
  /** Tenants whose shared policies are seen too; config-managed policies are seen everywhere. */
  sharedFrom: string[];
}

export interface GroupStore {
  /** Throws ConflictError('uuid' | 'name' | 'slug'): names are unique within a tenant, slugs too, regardless of case. */
  create(group: Group): Promise<Group>;
  /** The tenant's all-users group, created as `group` when the tenant has none; safe when two daemons race. */
  ensureAllUsersGroup(group: Group): Promise<Group>;
  get(uuid: string): Promise<Group | undefined>;
  /** Regardless of case. */
  getBySlug(tenantUuid: string, slug: string): Promise<Group | undefined>;
  /** Throws ConflictError('name'); undefined when there is no such group. */
  rename(uuid: string, name: string): Promise<Group | undefined>;
  /** Removes the group with its member and policy links. */
  delete(uuid: string): Promise<boolean>;
  /** Groups of these tenants. Orders: name, slug, uuid, read_only; `search` looks in the name. */
  list(tenantUuids: string[], params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>>;
  /** The user's groups, its tenant's all-users group included; orders and search as list(). */
  listOfUser(userUuid: string, params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>>;
  /** Linking twice changes nothing. */
  addUser(groupUuid: string, userUuid: string): Promise<void>;
  /** Whether a link was removed. */
  removeUser(groupUuid: string, userUuid: string): Promise<boolean>;
  /** The members: every user of the tenant for its all-users group. Orders and search as UserStore.list. */
  listUsers(groupUuid: string, params: ListParams, filters?: GroupMemberFilters): Promise<ListResult<User>>;
  /** Linking twice changes nothing. */
  addPolicy(groupUuid: string, policyUuid: string): Promise<void>;
  /** Whether a link was removed. */
  removePolicy(groupUuid: string, policyUuid: string): Promise<boolean>;
  /** The group's policies among the visible ones. Orders and search as PolicyStore.list. */
  listPolicies(groupUuid: string, visible: PolicyVisibility, params: ListParams, filters?: GroupPolicyFilters): Promise<ListResult<Policy>>;
}

/** Small named values that belong to the installation, such as its uuid. */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key has one; returns the value kept. */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** Which count: failed logins of one login from one address, or of any login from one address. */
export interface LoginFailureKey {
  /** A keyed digest of the lower-cased login; '' for the address's own count. */
  loginDigest: string;
  /** The client address, or its /64 network for IPv6. */
  address: string;
}

/** Failed logins counted under one key. Times are milliseconds since the epoch. */
export interface LoginFailureCount extends LoginFailureKey {
  failures: number;
  lastFailureAt: number;
  /** When the count may be forgotten. */
  expiresAt: number;
}

/**
 * What to store for each key read: a new count, null to forget it, undefined to leave it; and
 * what the caller gets back.
 */
export interface LoginFailureDecision<T> {
  counts: (LoginFailureCount | null | undefined)[];
  result: T;
}

/** The counts behind login throttling, shared by the daemons of one database. */
export interface LoginFailureStore {
  /** The counts of `keys`, in order (undefined: none kept); expired ones included. */
  find(keys: LoginFailureKey[]): Promise<(LoginFailureCount | undefined)[]>;
  /**
   * Reads the counts of `keys` (undefined: none kept), stores what `decide` makes of them, and
   * returns its result; one transaction that locks the keys, so that daemons sharing the
   * database count every attempt once. `decide` must not throw.
   */
  change<T>(keys: LoginFailureKey[], decide: (counts: (LoginFailureCount | undefined)[]) => LoginFailureDecision<T>): Promise<T>;
  /** The counts of these login digests, every address, those expired from `now` on left out. */
  listByLogins(loginDigests: string[], now: number): Promise<LoginFailureCount[]>;
  /** Forgets the counts of these login digests; returns how many. */
  deleteByLogins(loginDigests: string[]): Promise<number>;
  /** Forgets up to `limit` counts expired before `now`; returns how many. */
  deleteExpired(now: number, limit: number): Promise<number>;
}

/** A bus message waiting in the outbox: routing key, AMQP headers and the event's own data. */
export interface NewOutboxMessage {
  routingKey: string;
  headers: Record<string, unknown>;
  data: Record<string, unknown>;
}

export interface OutboxMessage extends NewOutboxMessage {
  /** Increasing in the order the changes were made: the publishing order. */
  id: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** A session whose token expires within the notice window and has had no notice yet. */
export interface ExpiringSession {
  sessionUuid: string;
  tenantUuid: string;
  userUuid: string;
}

/**
 * The bus events waiting to be published, written in the transaction of the change that caused
 * them. Kept apart from the other stores so that it ports to another engine alone.
 */
export interface OutboxStore {
  /**
   * Runs `change` (store calls only) and records the messages `messages` makes of its result in
   * the same transaction: both are kept or neither is. `messages` must not throw.
   */
  atomically<T>(change: () => Promise<T>, messages: (result: T) => NewOutboxMessage[]): Promise<T>;
  /**
   * Hands the oldest `limit` messages, in order, to `publish` and removes them once it resolves;
   * nothing is removed when it throws. One drain at a time across the daemons of a database
   * (0 when another holds it): this is what keeps each message published once and in order.
   */
  drain(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number>;
  /** Messages waiting. */
  depth(): Promise<number>;
  /** Drops the messages created before `before` (ms) and the oldest beyond `keep`; returns how many. */
  trim(before: number, keep: number): Promise<number>;
  /**
   * Marks, once ever per session, up to `limit` sessions whose token expires in [now, horizon)
   * (seconds, fractions allowed), and records `messages` of them in the same transaction; daemons sharing the
   * database mark each session once between them. Returns the sessions marked.
   */
  noticeExpiring(now: number, horizon: number, limit: number, messages: (sessions: ExpiringSession[]) => NewOutboxMessage[]): Promise<ExpiringSession[]>;
  /** Forgets the notices of sessions whose token expired before `now` (seconds). */
  forgetNotices(now: number): Promise<number>;
}

/** A tenant's SAML identity provider (upstream's auth_saml_config): one per tenant. */
export interface SamlConfigRecord {
  tenantUuid: string;
  /** One of the tenant's domains: the domain users name at POST /saml/sso. */
  domainUuid: string;
  /** The service provider's entity id the identity provider knows this tenant by. */
  entityId: string;
  /** The identity provider's metadata XML, as uploaded. */
  idpMetadata: string;
  acsUrl: string;
}

export interface SamlConfigStore {
  get(tenantUuid: string): Promise<SamlConfigRecord | undefined>;
  /** The configuration whose domain has this name (any case), with the domain's name as stored. */
  findByDomainName(name: string): Promise<(SamlConfigRecord & {domainName: string}) | undefined>;
  /** Throws ConflictError('tenant_uuid') when the tenant has one. */
  create(config: SamlConfigRecord): Promise<SamlConfigRecord>;
  /** Replaces every field but the tenant; undefined when the tenant has none. */
  update(config: SamlConfigRecord): Promise<SamlConfigRecord | undefined>;
  delete(tenantUuid: string): Promise<boolean>;
}

/**
 * Where a SAML login stands: sent to the provider; its answer being checked (by one daemon
 * only); checked and waiting for the token exchange; exchanged (kept for single logout);
 * a logout request sent to the provider.
 */
export type SamlSessionState = 'pending' | 'checking' | 'authenticated' | 'used' | 'logging-out';

/** One SAML login, from POST /saml/sso to its logout (upstream's auth_saml_session). */
export interface SamlSession {
  /** The ID of our AuthnRequest: the provider's answer names it in InResponseTo. */
  requestId: string;
  /** The digest of the saml_session_id (which is never stored), sent to the provider as RelayState; a logout's own RelayState later. */
  relayState: string;
  tenantUuid: string;
  domain: string;
  redirectUrl: string;
  state: SamlSessionState;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** When the session is forgotten (ms). */
  expiresAt: number;
  /** What the provider said the user is (the `name` attribute). */
  login: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  sessionIndex: string | null;
  /** The token's session and refresh token, once exchanged: logout finds the SAML session by them. */
  tokenSessionUuid: string | null;
  refreshTokenUuid: string | null;
  /** The ID of our LogoutRequest, which the provider's LogoutResponse names. */
  logoutRequestId: string | null;
}

export type SamlSessionChanges = Partial<Omit<SamlSession, 'requestId' | 'tenantUuid' | 'domain' | 'redirectUrl' | 'createdAt'>>;

/** SAML logins in progress, shared by the daemons of one database. */
export interface SamlSessionStore {
  create(session: SamlSession): Promise<void>;
  findByRelayState(relayState: string): Promise<SamlSession | undefined>;
  /**
   * Applies `changes` to the session while it is in state `from` and not expired at `now`; the
   * session after, or undefined when it was not (another request took it first: one winner).
   */
  transition(requestId: string, from: SamlSessionState, now: number, changes: SamlSessionChanges): Promise<SamlSession | undefined>;
  /** The exchanged session of a token: by its refresh token when it has one, else by its session. */
  findExchanged(tokenSessionUuid: string, refreshTokenUuid: string | null): Promise<SamlSession | undefined>;
  delete(requestId: string): Promise<boolean>;
  /** Forgets up to `limit` sessions expired at `now`; returns how many. */
  deleteExpired(now: number, limit: number): Promise<number>;
  /** The user whose confirmed e-mail address this is (case-insensitive): SAML tries it before a username. */
  userByConfirmedEmail(address: string): Promise<string | undefined>;
}

/** Each tenant's LDAP directory: one configuration per tenant, gone with its tenant. */
export interface LdapConfigStore {
  get(tenantUuid: string): Promise<LdapConfig | undefined>;
  /** Creates or replaces the tenant's configuration. */
  put(config: LdapConfig): Promise<void>;
  /** Whether there was one. */
  delete(tenantUuid: string): Promise<boolean>;
  /** The tenant a login names: by one of its domain names (any case), or by its uuid or exact slug. */
  findTenant(ref: {domainName: string} | {tenantId: string}): Promise<string | undefined>;
}

/**
 * What users linked of other services (one row per user and type, gone with the user) and each
 * tenant's settings for them (one per tenant and type, gone with the tenant). The data is sealed
 * by the service: the store never sees it in clear.
 */
export interface ExternalAuthStore {
  userData(userUuid: string, type: string): Promise<string | undefined>;
  /** Adds the user's data of this type; ConflictError('type') when there is some already. */
  createUserData(userUuid: string, type: string, sealed: string): Promise<void>;
  /** Replaces the user's data of this type; false when there is none. */
  updateUserData(userUuid: string, type: string, sealed: string): Promise<boolean>;
  /** Whether there was some. */
  deleteUserData(userUuid: string, type: string): Promise<boolean>;
  /** The types the user has data of. */
  typesOfUser(userUuid: string): Promise<string[]>;
  /** The users of these tenants having data of this type, by uuid, a page of them and their count. */
  connectedUsers(type: string, tenantUuids: readonly string[], page: {limit: number | null; offset: number}): Promise<{uuids: string[]; total: number}>;
  config(tenantUuid: string, type: string): Promise<string | undefined>;
  /** ConflictError('type') when the tenant has one of this type already. */
  createConfig(tenantUuid: string, type: string, sealed: string): Promise<void>;
  /** False when the tenant has none of this type. */
  updateConfig(tenantUuid: string, type: string, sealed: string): Promise<boolean>;
  deleteConfig(tenantUuid: string, type: string): Promise<boolean>;
}

export interface Store {
  readonly tenants: TenantStore;
  readonly users: UserStore;
  readonly policies: PolicyStore;
  readonly tokens: TokenStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly groups: GroupStore;
  readonly meta: MetaStore;
  readonly loginFailures: LoginFailureStore;
  readonly ldapConfigs: LdapConfigStore;
  readonly outbox: OutboxStore;
  readonly samlConfigs: SamlConfigStore;
  readonly samlSessions: SamlSessionStore;
  readonly externalAuth: ExternalAuthStore;
  close(): Promise<void>;
}
