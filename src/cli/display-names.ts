// The names a table shows in place of uuids: a session's username and tenant, a tenant's parent,
// a group's tenant. Fetched in as few requests as the API allows; a name the caller may not read
// stays its uuid.

import type {AuthClient, Group} from '../client/index.js';
import {unlessRefused} from './failure.js';

/** The most uuids one tenant list takes (upstream's limit on `uuids`). */
const TENANTS_A_REQUEST = 25;
/** Up to this many users are read one by one; more, and the caller's whole user tree is listed once. */
const USERS_ONE_BY_ONE = 25;
const PAGE = 500;

/** A uuid → name lookup that answers the uuid itself for what it does not know. */
export type Names = (uuid: string) => string;

const lookup =
  (names: ReadonlyMap<string, string>): Names =>
  (uuid) =>
    names.get(uuid) || uuid;

/** The names of these tenants: those of `known` (e.g. the page being shown), the others in one request per 25. */
export async function tenantNames(client: AuthClient, uuids: Iterable<string>, known: readonly {uuid: string; name: string | null}[] = []): Promise<Names> {
  const names = new Map(known.flatMap((tenant) => (tenant.name ? [[tenant.uuid, tenant.name] as const] : [])));
  const missing = [...new Set(uuids)].filter((uuid) => !names.has(uuid));
  const chunks = Array.from({length: Math.ceil(missing.length / TENANTS_A_REQUEST)}, (_, i) =>
    missing.slice(i * TENANTS_A_REQUEST, (i + 1) * TENANTS_A_REQUEST),
  );
  const answers = await Promise.all(chunks.map((chunk) => unlessRefused(client.tenants.list({uuids: chunk}), 'unauthorized', 'forbidden')));
  for (const answer of answers) for (const tenant of answer?.items ?? []) if (tenant.name) names.set(tenant.uuid, tenant.name);
  return lookup(names);
}

/** The usernames of these users: read one by one when they are few, else from one listing of every user below the caller's tenant. */
export async function usernames(client: AuthClient, uuids: Iterable<string>): Promise<Names> {
  const wanted = [...new Set(uuids)];
  const names = new Map<string, string>();
  if (wanted.length <= USERS_ONE_BY_ONE) {
    const users = await Promise.all(wanted.map((uuid) => unlessRefused(client.users.get(uuid), 'unauthorized', 'forbidden', 'not-found')));
    for (const user of users) if (user?.username) names.set(user.uuid, user.username);
    return lookup(names);
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = await unlessRefused(client.users.list({recurse: true, limit: PAGE, offset}), 'unauthorized', 'forbidden');
    for (const user of page?.items ?? []) if (user.username) names.set(user.uuid, user.username);
    if (!page || page.items.length < PAGE) return lookup(names);
  }
}

const ALL_USERS = /^wazo-all-users-tenant-[0-9a-f-]{36}$/;

/** A group's name for reading: the group every tenant has of all its users reads "all users" (its tenant is in another column). */
export function groupName(group: Pick<Group, 'name' | 'system_managed'>): string {
  return group.system_managed && ALL_USERS.test(group.name) ? '(all users)' : group.name;
}
