// What the views read and change, each a few calls through the Connection: components never
// call the daemon, hooks call these.

import {ApiError, type Group, type Policy, type Session, type Tenant, type ThrottleEntry, type User} from '../client/index.js';
import type {Connection} from './connection.js';

/** A session with the names an operator reads instead of uuids. */
export type SessionRow = Session & {username: string; tenantName: string; own: boolean};

/**
 * A user with the policies it holds itself, the groups it is in, and the failed logins counted
 * against it (undefined: the token may not read them).
 */
export type UserRow = User & {tenantName: string; policies: Policy[]; groups: Group[]; throttle: ThrottleEntry[] | undefined};

export type PolicyRow = Policy & {tenantName: string};

/** A group with how many users it has and the policies it gives them. */
export type GroupRow = Group & {tenantName: string; members: number; policies: Policy[]};

/** A tenant with whether it has an LDAP directory (undefined: the token may not read it). */
export type TenantRow = Tenant & {ldap: boolean | undefined};

/** Calls at once at most, for the listings that fan out (users of each policy, members of each group). */
const FAN_OUT = 8;

/** Names of users and tenants by uuid, reloaded when a uuid it does not know shows up. */
export class Directory {
  private users = new Map<string, string>();
  private tenants = new Map<string, Tenant>();

  constructor(private readonly connection: Connection) {}

  username(uuid: string): string {
    return this.users.get(uuid) ?? uuid.slice(0, 8);
  }

  tenantName(uuid: string): string {
    const tenant = this.tenants.get(uuid);
    return tenant ? (tenant.name ?? tenant.slug) : uuid.slice(0, 8);
  }

  /** Reloads when any of the uuids is unknown; users without a username keep their uuid's start. */
  async know(userUuids: Iterable<string>, tenantUuids: Iterable<string>): Promise<void> {
    const missing = (uuids: Iterable<string>, known: Map<string, unknown>) => [...uuids].some((uuid) => !known.has(uuid));
    await Promise.all([missing(userUuids, this.users) ? this.loadUsers() : undefined, missing(tenantUuids, this.tenants) ? this.loadTenants() : undefined]);
  }

  /** Every tenant of the token's tree, whatever the scope. */
  async loadTenants(): Promise<Tenant[]> {
    const {items} = await this.connection.runHome((c) => c.tenants.list());
    for (const tenant of items) this.tenants.set(tenant.uuid, tenant);
    return items;
  }

  private async loadUsers(): Promise<void> {
    const {items} = await this.connection.run((c) => c.users.list({recurse: true}));
    for (const user of items) this.users.set(user.uuid, user.username ?? user.uuid.slice(0, 8));
  }
}

/** Every tenant of the token's tree, each with whether its users have a directory to log in against. */
export async function listTenants(connection: Connection, directory: Directory): Promise<TenantRow[]> {
  const tenants = await directory.loadTenants();
  const ldap = new Map<string, boolean | undefined>();
  await mapLimit(tenants, FAN_OUT, async (tenant) => {
    try {
      ldap.set(tenant.uuid, (await connection.runHome((c) => c.ldap.get({tenant: tenant.uuid}))).host !== null);
    } catch (error) {
      if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) throw error;
    }
  });
  return tenants.map((tenant) => ({...tenant, ldap: ldap.get(tenant.uuid)}));
}

export async function listSessions(connection: Connection, directory: Directory): Promise<SessionRow[]> {
  const {items} = await connection.run((c) => c.sessions.list({recurse: true}));
  await directory.know(
    items.map((s) => s.user_uuid),
    items.map((s) => s.tenant_uuid),
  );
  return items.map((session) => ({
    ...session,
    username: directory.username(session.user_uuid),
    tenantName: directory.tenantName(session.tenant_uuid),
    own: session.uuid === connection.ownSession,
  }));
}

export function revokeSession(connection: Connection, session: Session): Promise<void> {
  return connection.run((c) => c.sessions.delete(session.uuid));
}

/** Ends every session of the user but the dashboard's own; returns how many ended and whether the own one was kept. */
export async function revokeUserSessions(connection: Connection, userUuid: string): Promise<{revoked: number; keptOwn: boolean}> {
  const {items} = await connection.run((c) => c.users.listSessions(userUuid));
  const others = items.filter((s) => s.uuid !== connection.ownSession);
  await mapLimit(others, FAN_OUT, (s) => connection.run((c) => c.users.deleteSession(userUuid, s.uuid)));
  return {revoked: others.length, keptOwn: others.length < items.length};
}

export async function listPolicies(connection: Connection, directory: Directory): Promise<PolicyRow[]> {
  const {items} = await connection.run((c) => c.policies.list({recurse: true}));
  await directory.know(
    [],
    items.map((p) => p.tenant_uuid),
  );
  return items.map((policy) => ({...policy, tenantName: directory.tenantName(policy.tenant_uuid)}));
}

export function getPolicy(connection: Connection, uuid: string): Promise<Policy> {
  return connection.run((c) => c.policies.get(uuid));
}

export function createPolicy(connection: Connection, name: string): Promise<Policy> {
  return connection.run((c) => c.policies.create({name}));
}

/** The API renames with a whole PUT: the policy is read again just before, to keep its latest ACL. */
export async function renamePolicy(connection: Connection, uuid: string, name: string): Promise<Policy> {
  const policy = await getPolicy(connection, uuid);
  return connection.run((c) => c.policies.update(uuid, {name, description: policy.description, acl: policy.acl}));
}

export function addAccess(connection: Connection, uuid: string, access: string): Promise<void> {
  return connection.run((c) => c.policies.addAccess(uuid, access));
}

export function removeAccess(connection: Connection, uuid: string, access: string): Promise<void> {
  return connection.run((c) => c.policies.removeAccess(uuid, access));
}

/**
 * Users with their policies and groups, from a listing of each policy's holders and each group's
 * members: a handful of policies and groups serve thousands of users in a few calls.
 */
export async function listUsers(connection: Connection, directory: Directory): Promise<UserRow[]> {
  const [users, policies, groups, throttled] = await Promise.all([
    connection.run((c) => c.users.list({recurse: true})),
    connection.run((c) => c.policies.list({recurse: true})),
    connection.run((c) => c.groups.list({recurse: true})),
    unlessRefused(connection.run((c) => c.users.throttled({recurse: true}))),
  ]);
  await directory.know(
    [],
    users.items.map((u) => u.tenant_uuid),
  );
  const held = new Map<string, {policies: Policy[]; groups: Group[]}>(users.items.map((u) => [u.uuid, {policies: [], groups: []}]));
  await Promise.all([
    mapLimit(policies.items, FAN_OUT, async (policy) => {
      const {items} = await connection.run((c) => c.users.list({recurse: true, policy_uuid: policy.uuid}));
      for (const user of items) held.get(user.uuid)?.policies.push(policy);
    }),
    mapLimit(groups.items, FAN_OUT, async (group) => {
      const {items} = await connection.run((c) => c.groups.listUsers(group.uuid));
      for (const user of items) held.get(user.uuid)?.groups.push(group);
    }),
  ]);
  // The calls end in any order: sort what each user holds so that a row reads the same every refresh.
  const byName = (a: {name: string}, b: {name: string}) => a.name.localeCompare(b.name);
  const throttle = (uuid: string) => throttled && throttled.items.filter((entry) => entry.user_uuid === uuid);
  return users.items.map((user) => {
    const {policies, groups} = held.get(user.uuid)!;
    return {
      ...user,
      tenantName: directory.tenantName(user.tenant_uuid),
      policies: policies.sort(byName),
      groups: groups.sort(byName),
      throttle: throttle(user.uuid),
    };
  });
}

/** Every group of the scope, each with its member count and its policies (two calls per group). */
export async function listGroups(connection: Connection, directory: Directory): Promise<GroupRow[]> {
  const {items} = await connection.run((c) => c.groups.list({recurse: true}));
  await directory.know(
    [],
    items.map((g) => g.tenant_uuid),
  );
  const held = new Map<string, {members: number; policies: Policy[]}>();
  await mapLimit(items, FAN_OUT, async (group) => {
    const [members, policies] = await Promise.all([
      connection.run((c) => c.groups.listUsers(group.uuid, {limit: 1})),
      connection.run((c) => c.groups.listPolicies(group.uuid)),
    ]);
    held.set(group.uuid, {members: members.total, policies: policies.items.sort((a, b) => a.name.localeCompare(b.name))});
  });
  return items.map((group) => ({...group, tenantName: directory.tenantName(group.tenant_uuid), ...held.get(group.uuid)!}));
}

/** The failed logins counted against a user's logins are forgotten: it logs in again at once. */
export function unlockUser(connection: Connection, uuid: string): Promise<void> {
  return connection.run((c) => c.users.unlock(uuid));
}

/** What the token may not read is unknown, not an error of the view. */
async function unlessRefused<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/** One user with what it holds, for its detail view. */
export async function getUser(connection: Connection, directory: Directory, uuid: string): Promise<UserRow> {
  const [user, policies, groups, throttle] = await Promise.all([
    connection.run((c) => c.users.get(uuid)),
    connection.run((c) => c.users.listPolicies(uuid)),
    connection.run((c) => c.users.listGroups(uuid)),
    unlessRefused(connection.run((c) => c.users.throttle(uuid))),
  ]);
  await directory.know([], [user.tenant_uuid]);
  return {...user, tenantName: directory.tenantName(user.tenant_uuid), policies: policies.items, groups: groups.items, throttle: throttle?.items};
}

export function attachPolicy(connection: Connection, userUuid: string, policyUuid: string): Promise<void> {
  return connection.run((c) => c.users.addPolicy(userUuid, policyUuid));
}

export function detachPolicy(connection: Connection, userUuid: string, policyUuid: string): Promise<void> {
  return connection.run((c) => c.users.removePolicy(userUuid, policyUuid));
}

/** Runs `task` over `items`, at most `limit` at once. */
async function mapLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}
