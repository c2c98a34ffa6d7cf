// Users of the wazo_user backend: creation, changes, passwords and the policies they hold,
// always within the tenant tree of the caller.

import {EventOutbox} from './events/outbox.js';
import {randomUUID} from 'node:crypto';
import {
  type AuthenticationMethod,
  type ListParams,
  type ListResult,
  type Policy,
  type Purpose,
  type User,
  type UserFilters,
  type UserPolicyFilters,
} from '../domain/types.js';
import {AuthenticationFailed, ConflictError, PasswordManagedExternally, UnknownUser, UserConflict, WrongPassword} from '../domain/errors.js';
import {type Store} from '../store/store.js';
import type {Passwords} from './passwords.js';
import type {LoginThrottle, ThrottleEntry} from './login-throttle.js';
import type {TenantService} from './tenants.js';

export interface UserFields {
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  enabled: boolean;
  authenticationMethod: AuthenticationMethod;
}

export interface NewUser extends UserFields {
  uuid?: string;
  password: string | null;
  emailAddress: string | null;
  /** Whether the address needs no confirmation; default true (an administrator gave it). */
  emailConfirmed?: boolean;
}

const EXTERNAL_METHODS: ReadonlySet<AuthenticationMethod> = new Set(['ldap', 'saml']);

/** A login's hash never waits behind a full queue: it is refused (503) instead. */
const BOUNDED = {bounded: true};

/** Upstream's default: service accounts log in natively, people as their tenant says. */
export function defaultAuthenticationMethod(purpose: string): AuthenticationMethod {
  return purpose === 'internal' || purpose === 'external_api' ? 'native' : 'default';
}

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    private readonly throttle: LoginThrottle,
    private readonly events: EventOutbox,
    private readonly passwords: Passwords,
  ) {}

  async create(tenantUuid: string, input: NewUser): Promise<User> {
    await this.assertLoginFree(input.username);
    await this.assertLoginFree(input.emailAddress, 'email_address');
    const user: User = {
      uuid: input.uuid ?? randomUUID(),
      tenantUuid,
      username: input.username,
      firstname: input.firstname,
      lastname: input.lastname,
      purpose: input.purpose,
      enabled: input.enabled,
      authenticationMethod: input.authenticationMethod,
      // An address given by an administrator needs no confirmation, as upstream.
      emails: input.emailAddress ? [{uuid: randomUUID(), address: input.emailAddress, main: true, confirmed: input.emailConfirmed ?? true}] : [],
    };
    const hash = input.password ? await this.passwords.hash(input.password) : null;
    return conflictsAsUserConflict(() => this.store.users.create(user, hash));
  }

  /** The user, when it belongs to the scoping tenant or one below it. */
  async get(scopeTenantUuid: string, uuid: string): Promise<User> {
    const user = await this.find(scopeTenantUuid, uuid);
    if (!user) throw new UnknownUser(uuid);
    return user;
  }

  /** As get(), undefined instead of UnknownUser. */
  async find(scopeTenantUuid: string, uuid: string): Promise<User | undefined> {
    const user = await this.store.users.get(uuid);
    return user && (await this.tenants.covers(scopeTenantUuid, user.tenantUuid)) ? user : undefined;
  }

  async list(scopeTenantUuid: string, params: ListParams, recurse: boolean, filters: UserFilters): Promise<ListResult<User>> {
    return this.store.users.list(await this.tenants.visibleTenants(scopeTenantUuid, recurse), params, filters);
  }

  /** Replaces the user's fields; disabling a user ends its sessions. */
  async update(scopeTenantUuid: string, uuid: string, fields: UserFields): Promise<User> {
    const user = await this.get(scopeTenantUuid, uuid);
    await this.assertLoginFree(fields.username, 'username', uuid);
    if (!fields.enabled) await this.endSessions(user);
    return conflictsAsUserConflict(() => this.store.users.update({...user, ...fields}));
  }

  /** Assigns the user to an identity provider (PUT /idp/{type}/users/{uuid}); nothing else changes. */
  async setAuthenticationMethod(scopeTenantUuid: string, uuid: string, method: string): Promise<User> {
    const user = await this.get(scopeTenantUuid, uuid);
    // A third party's provider names methods of its own: the column is free text, as upstream's.
    return this.store.users.update({...user, authenticationMethod: method as AuthenticationMethod});
  }

  /** Removes the user with its sessions and tokens; each session's end is announced. */
  async delete(scopeTenantUuid: string, uuid: string): Promise<void> {
    const user = await this.get(scopeTenantUuid, uuid);
    await this.events.record(
      async () => {
        const sessions = await this.store.tokens.deleteSessionsOfUser(uuid);
        await this.store.users.delete(uuid);
        return sessions;
      },
      (sessions, origin) =>
        EventOutbox.sessionsDeleted(
          sessions.map((session) => ({...session, tenantUuid: user.tenantUuid, userUuid: uuid})),
          origin,
        ),
    );
  }

  /**
   * The enabled user this login (username or e-mail address) and password open, or undefined: the
   * wazo_user backend's check. An unknown login spends a hash too; a legacy hash is upgraded.
   */
  async verifyPassword(login: string, password: string): Promise<User | undefined> {
    const found = await this.store.users.findByLogin(login);
    if (!found) {
      await this.passwords.verifyNothing(password, BOUNDED);
      return undefined;
    }
    const verdict = await this.passwords.verify(password, found.passwordHash, BOUNDED);
    if (!verdict.ok || !found.user.enabled) return undefined;
    if (verdict.needsRehash) await this.store.users.setPasswordHash(found.user.uuid, await this.passwords.hash(password));
    return found.user;
  }

  /** The user with this username or e-mail address, in any tenant, for identity providers that find users by login. */
  async findByLogin(login: string): Promise<User | undefined> {
    return (await this.store.users.findByLogin(login))?.user;
  }

  /** The accesses of the user's groups' policies (its tenant's all-users group included), then of its own. */
  async acl(user: User): Promise<string[]> {
    return this.store.users.acl(user.uuid);
  }

  /**
   * The method a user logs in with, as upstream decides it: its own, or its tenant's when it says
   * `default`. Only this method's identity provider may open a session for the user, and a password
   * is managed elsewhere when it is ldap or saml.
   */
  async effectiveAuthenticationMethod(user: User): Promise<AuthenticationMethod> {
    if (user.authenticationMethod !== 'default') return user.authenticationMethod;
    // A tenant goes with its users; `native` is upstream's column default should it be gone mid-way.
    return (await this.store.tenants.get(user.tenantUuid))?.defaultAuthenticationMethod ?? 'native';
  }

  /** Needs the current password, like upstream even for administrators; ends the user's sessions. */
  async changePassword(scopeTenantUuid: string, uuid: string, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.get(scopeTenantUuid, uuid);
    const login = user.username ?? user.emails.find((e) => e.main && e.confirmed)?.address;
    const credentials = login ? await this.store.users.findByLogin(login) : undefined;
    const stored = credentials?.user.uuid === uuid && user.enabled ? credentials.passwordHash : null;
    if (!(await this.passwords.verify(oldPassword, stored)).ok) throw new WrongPassword();
    if (EXTERNAL_METHODS.has(await this.effectiveAuthenticationMethod(user))) throw new PasswordManagedExternally(uuid);
    await this.store.users.setPasswordHash(uuid, await this.passwords.hash(newPassword));
    await this.endSessions(user);
  }

  /** Ends the user's sessions, each announced (auth_session_deleted). */
  private async endSessions(user: User): Promise<void> {
    await this.events.record(
      () => this.store.tokens.deleteSessionsOfUser(user.uuid),
      (sessions, origin) =>
        EventOutbox.sessionsDeleted(
          sessions.map((session) => ({...session, tenantUuid: user.tenantUuid, userUuid: user.uuid})),
          origin,
        ),
    );
  }

  /**
   * Sets (or with null removes) a password without the old one: POST /users/password/reset, with
   * the mail's token or an administrator's. As upstream: a user without a login cannot get one and
   * an externally managed password cannot be set, but it can be removed. Ends the user's sessions,
   * which revokes the mail's token too.
   */
  async setPassword(scopeTenantUuid: string, uuid: string, password: string | null): Promise<void> {
    const user = await this.get(scopeTenantUuid, uuid);
    if (password !== null) {
      if (!user.username && !user.emails.some((e) => e.main && e.confirmed)) throw new AuthenticationFailed();
      if (await this.usesExternalAuthentication(user)) throw new PasswordManagedExternally(uuid);
    }
    await this.store.users.setPasswordHash(uuid, password === null ? null : await this.passwords.hash(password));
    await this.endSessions(user);
  }

  /** Whether ldap or saml checks the user's password: upstream sends such users no reset mail. */
  async usesExternalAuthentication(user: User): Promise<boolean> {
    return EXTERNAL_METHODS.has(await this.effectiveAuthenticationMethod(user));
  }

  async listPolicies(scopeTenantUuid: string, uuid: string, params: ListParams, filters: UserPolicyFilters): Promise<ListResult<Policy>> {
    await this.get(scopeTenantUuid, uuid);
    return this.store.users.listPolicies(uuid, params, filters);
  }

  async addPolicy(scopeTenantUuid: string, uuid: string, policyUuid: string): Promise<void> {
    await this.get(scopeTenantUuid, uuid);
    await this.store.users.addPolicy(uuid, policyUuid);
  }

  async removePolicy(scopeTenantUuid: string, uuid: string, policyUuid: string): Promise<void> {
    await this.get(scopeTenantUuid, uuid);
    await this.store.users.removePolicy(uuid, policyUuid);
  }

  /** The failed logins counted for the user's logins (username and e-mail addresses), per client address. */
  async throttleOf(scopeTenantUuid: string, uuid: string): Promise<ThrottleEntry[]> {
    return this.throttle.entries(loginsOf(await this.get(scopeTenantUuid, uuid)));
  }

  /** Forgets them: the user's logins are judged again at once from every address. */
  async unlock(scopeTenantUuid: string, uuid: string): Promise<void> {
    await this.throttle.clear(loginsOf(await this.get(scopeTenantUuid, uuid)));
  }

  /** The counts of every user of the scoping tenant (and below it with `recurse`), most recent first. */
  async throttled(scopeTenantUuid: string, recurse: boolean): Promise<(ThrottleEntry & {userUuid: string})[]> {
    const {items} = await this.store.users.list(await this.tenants.visibleTenants(scopeTenantUuid, recurse), {limit: null});
    const owners = new Map(items.flatMap((user) => loginsOf(user).map((login) => [login, user.uuid] as const)));
    const entries = await this.throttle.entries([...owners.keys()]);
    return entries.map((entry) => ({...entry, userUuid: owners.get(entry.login)!}));
  }

  /** Upstream refuses a login that is any user's username or e-mail address, even an unconfirmed one. */
  async assertLoginFree(login: string | null, field: 'username' | 'email_address' = 'username', ignoredUser?: string): Promise<void> {
    if (login && (await this.store.users.loginTaken(login, ignoredUser))) throw new UserConflict(field, login);
  }
}

/** What the user may log in with, as counted: its username and its addresses (an unconfirmed one is tried as an unknown login). */
function loginsOf(user: User): string[] {
  return [...(user.username ? [user.username] : []), ...user.emails.map((email) => email.address)];
}

async function conflictsAsUserConflict(write: () => Promise<User>): Promise<User> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const field = error.field === 'email' ? 'email_address' : error.field === 'uuid' ? 'uuid' : 'username';
    throw new UserConflict(field, error.value);
  }
}
