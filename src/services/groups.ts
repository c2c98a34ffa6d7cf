// Groups: users of one tenant who hold policies together, always within the caller's tenant tree.
// Each tenant has an all-users group: all its users are members, and only its policies change.
// The configuration adds policies to every all-users group and ordinary groups to every tenant.

import {randomUUID} from 'node:crypto';
import type {AccessCheck} from '../acl/index.js';
import type {Logger} from '../log.js';
import {
  type DefaultGroup,
  type Group,
  type GroupFilters,
  type GroupMemberFilters,
  type GroupPolicyFilters,
  type ListParams,
  type ListResult,
  type Policy,
  type User,
} from '../domain/types.js';
import {ConflictError, DuplicateGroup, ReadOnlyGroup, TenantMismatch, UnknownGroup} from '../domain/errors.js';
import {type Store} from '../store/store.js';
import {viewFrom, type PolicyRef, type PolicyService, type PolicyView} from './policies.js';
import {readThenWrite} from './config-writes.js';
import type {TenantService} from './tenants.js';
import type {UserService} from './users.js';

/** What the configuration gives every tenant. */
export interface TenantProvisions {
  /** `all_users_policies`: policy slug -> whether each all-users group holds it. */
  allUsersPolicies: Record<string, boolean>;
  /** `tenant_default_groups`: group slug -> the policies it holds. */
  defaultGroups: Record<string, DefaultGroup | null>;
}

export interface NewGroup {
  name: string;
  /** Derived from the name when null. */
  slug: string | null;
}

const SLUG_MAX = 80;
const RANDOM_SLUG_LENGTH = 3;
const RANDOM_SLUG_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Upstream's name (and slug) of a tenant's all-users group; clients look it up by this name. */
function allUsersGroupName(tenantUuid: string): string {
  return `wazo-all-users-tenant-${tenantUuid}`;
}

function slugFromName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, SLUG_MAX);
}

function randomSlug(): string {
  const pick = () => RANDOM_SLUG_CHARACTERS[Math.floor(Math.random() * RANDOM_SLUG_CHARACTERS.length)];
  return Array.from({length: RANDOM_SLUG_LENGTH}, pick).join('');
}

function assertWritable(group: Group): void {
  if (group.systemManaged) throw new ReadOnlyGroup(group.uuid);
}

export class GroupService {
  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    private readonly users: UserService,
    private readonly policies: PolicyService,
    private readonly provisions: TenantProvisions,
    private readonly log: Logger,
  ) {}

  /** In the scoping tenant. */
  async create(scopeTenantUuid: string, input: NewGroup): Promise<Group> {
    const slug = input.slug ?? (await this.freeSlug(scopeTenantUuid, input.name));
    return duplicatesAsDuplicateGroup(input.name, () =>
      this.store.groups.create({uuid: randomUUID(), tenantUuid: scopeTenantUuid, name: input.name, slug, systemManaged: false}),
    );
  }

  async list(scopeTenantUuid: string, params: ListParams, recurse: boolean, filters: GroupFilters): Promise<ListResult<Group>> {
    return this.store.groups.list(await this.tenants.visibleTenants(scopeTenantUuid, recurse), params, filters);
  }

  /** The group, when it belongs to the scoping tenant or one below it. */
  async get(scopeTenantUuid: string, uuid: string): Promise<Group> {
    const group = await this.store.groups.get(uuid);
    if (!group || !(await this.tenants.covers(scopeTenantUuid, group.tenantUuid))) throw new UnknownGroup(uuid);
    return group;
  }

  /** The slug never changes. */
  async rename(scopeTenantUuid: string, uuid: string, name: string): Promise<Group> {
    assertWritable(await this.get(scopeTenantUuid, uuid));
    const renamed = await duplicatesAsDuplicateGroup(name, () => this.store.groups.rename(uuid, name));
    if (!renamed) throw new UnknownGroup(uuid);
    return renamed;
  }

  async delete(scopeTenantUuid: string, uuid: string): Promise<void> {
    assertWritable(await this.get(scopeTenantUuid, uuid));
    await this.store.groups.delete(uuid);
  }

  /** The group's policies the scoping tenant can see, as it sees them (inherited ones read-only). */
  async listPolicies(scopeTenantUuid: string, uuid: string, params: ListParams, filters: GroupPolicyFilters): Promise<ListResult<PolicyView>> {
    await this.get(scopeTenantUuid, uuid);
    const tenantUuids = await this.store.tenants.subtree(scopeTenantUuid);
    const sharedFrom = await this.tenants.lineage(scopeTenantUuid);
    const result = await this.store.groups.listPolicies(uuid, {tenantUuids, sharedFrom}, params, filters);
    const top = await this.tenants.top();
    return {...result, items: result.items.map((policy) => viewFrom(policy, scopeTenantUuid, tenantUuids, top))};
  }

  /** The caller must hold every access of the policy, as to give it to a user. */
  async addPolicy(scopeTenantUuid: string, uuid: string, ref: PolicyRef, check: AccessCheck): Promise<void> {
    // Upstream looks a slug up before the group, a uuid after it.
    if ('slug' in ref) await this.policies.find(scopeTenantUuid, ref);
    await this.get(scopeTenantUuid, uuid);
    const policy = await this.policies.findGrantable(scopeTenantUuid, ref, check);
    await this.store.groups.addPolicy(uuid, policy.uuid);
  }

  /** Removing a policy the group lacks succeeds; the caller must be able to withdraw its every access. */
  async removePolicy(scopeTenantUuid: string, uuid: string, ref: PolicyRef, check: AccessCheck): Promise<void> {
    if ('slug' in ref) await this.policies.find(scopeTenantUuid, ref);
    await this.get(scopeTenantUuid, uuid);
    const policy = await this.policies.findWithdrawable(scopeTenantUuid, ref, check);
    await this.store.groups.removePolicy(uuid, policy.uuid);
  }

  async listUsers(scopeTenantUuid: string, uuid: string, params: ListParams, filters: GroupMemberFilters): Promise<ListResult<User>> {
    await this.get(scopeTenantUuid, uuid);
    return this.store.groups.listUsers(uuid, params, filters);
  }

  /** Adding a member twice changes nothing. */
  async addUser(scopeTenantUuid: string, uuid: string, userUuid: string): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const group = await this.get(scopeTenantUuid, uuid);
    if (user.tenantUuid !== group.tenantUuid) throw new TenantMismatch(user.tenantUuid, group.tenantUuid);
    assertWritable(group);
    await this.store.groups.addUser(uuid, userUuid);
  }

  /** Removing a user who is no member succeeds, when the caller can see that user. */
  async removeUser(scopeTenantUuid: string, uuid: string, userUuid: string): Promise<void> {
    assertWritable(await this.get(scopeTenantUuid, uuid));
    await this.users.get(scopeTenantUuid, userUuid);
    await this.store.groups.removeUser(uuid, userUuid);
  }

  /** The groups of a user of the scoping subtree, its tenant's all-users group included. */
  async listOfUser(scopeTenantUuid: string, userUuid: string, params: ListParams, filters: GroupFilters): Promise<ListResult<Group>> {
    await this.users.get(scopeTenantUuid, userUuid);
    return this.store.groups.listOfUser(userUuid, params, filters);
  }

  /**
   * At start, in upstream's order: the configured default policies, then what every tenant gets
   * (tenants that predate groups or a configuration change included), then the withdrawn defaults go.
   */
  async applyConfiguration(): Promise<void> {
    await this.policies.applyDefaults();
    for (const tenantUuid of await this.store.tenants.subtree(await this.tenants.top())) await this.setUpTenant(tenantUuid);
    await this.policies.removeWithdrawnDefaults();
  }

  /** What every tenant has: its all-users group with the configured policies, and the configured default groups. */
  async setUpTenant(tenantUuid: string): Promise<void> {
    const name = allUsersGroupName(tenantUuid);
    // Stored only when the tenant has no all-users group yet.
    const candidate = {uuid: randomUUID(), tenantUuid, name, slug: name, systemManaged: true};
    const allUsers = await this.store.groups.ensureAllUsersGroup(candidate);
    await this.giveAllUsersPolicies(allUsers);
    for (const [slug, group] of Object.entries(this.provisions.defaultGroups)) {
      if (group) await this.setUpDefaultGroup(tenantUuid, slug, group);
    }
  }

  /** The all-users group holds the enabled `all_users_policies`, and no other config-managed policy. */
  private async giveAllUsersPolicies(allUsers: Group): Promise<void> {
    const wanted = new Set<string>();
    for (const [slug, enabled] of Object.entries(this.provisions.allUsersPolicies)) {
      if (!enabled) continue;
      const policy = await this.configuredPolicy(slug, 'all_users_policies');
      if (policy) wanted.add(policy.uuid);
    }
    for (const uuid of wanted) await this.store.groups.addPolicy(allUsers.uuid, uuid);
    // Seen from no tenant, a group's policies are only its config-managed ones.
    const nowhere = {tenantUuids: [], sharedFrom: []};
    const {items: held} = await this.store.groups.listPolicies(allUsers.uuid, nowhere, {});
    for (const policy of held) if (!wanted.has(policy.uuid)) await this.store.groups.removePolicy(allUsers.uuid, policy.uuid);
  }

  /** Makes the group, then gives it the policies set to true and takes those set to false. */
  private async setUpDefaultGroup(tenantUuid: string, slug: string, wanted: DefaultGroup): Promise<void> {
    const group = await this.writeDefaultGroup(tenantUuid, slug);
    for (const [policySlug, enabled] of Object.entries(wanted.policies)) {
      const policy = await this.configuredPolicy(policySlug, `tenant_default_groups.${slug}`);
      if (!policy) continue;
      if (enabled) await this.store.groups.addPolicy(group.uuid, policy.uuid);
      else await this.store.groups.removePolicy(group.uuid, policy.uuid);
    }
  }

  /** Creates the group, or gives it back its name (its slug) when it exists. It stays an ordinary, writable group. */
  private async writeDefaultGroup(tenantUuid: string, slug: string): Promise<Group> {
    return readThenWrite(
      () => this.store.groups.getBySlug(tenantUuid, slug),
      async (existing) =>
        existing
          ? ((await this.store.groups.rename(existing.uuid, slug)) ?? existing)
          : this.store.groups.create({uuid: randomUUID(), tenantUuid, name: slug, slug, systemManaged: false}),
      (message) => `tenant_default_groups.${slug}: ${message} by another group`,
    );
  }

  /** A policy the configuration names: the top tenant's with that slug. A missing one is skipped, as upstream. */
  private async configuredPolicy(slug: string, setting: string): Promise<Policy | undefined> {
    const policy = await this.store.policies.getBySlug(await this.tenants.top(), slug);
    if (!policy) this.log.error(`${setting}: no policy "${slug}" in the top tenant, skipped`);
    return policy;
  }

  private async freeSlug(tenantUuid: string, name: string): Promise<string> {
    let slug = slugFromName(name);
    while (!slug || (await this.store.groups.getBySlug(tenantUuid, slug))) slug = randomSlug();
    return slug;
  }
}

async function duplicatesAsDuplicateGroup<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError) throw new DuplicateGroup(name);
    throw error;
  }
}
