// Policies, named lists of ACL patterns: what a tenant sees of them (its own, the shared ones
// of its parents, the configuration's), the granting rules, and the config-managed defaults.

import {randomUUID} from 'node:crypto';
import {assertAccessLength, assertPolicyAcl, canAdd, canRemove, type AccessCheck, type AclLimits} from '../acl/index.js';
import {type DefaultPolicy, type ListParams, type ListResult, type Policy, type PolicyFilters} from '../domain/types.js';
import {AccessNotGrantable, ConflictError, DuplicateAccess, DuplicatePolicy, ReadOnlyPolicy, UnknownPolicy} from '../domain/errors.js';
import {type Store} from '../store/store.js';
import {MASTER_POLICY_SLUG} from './bootstrap.js';
import {readThenWrite} from './config-writes.js';
import type {TenantService} from './tenants.js';

/** A policy as a tenant sees it: inherited policies show the viewer's tenant, unshared, read-only. */
export interface PolicyView extends Policy {
  readOnly: boolean;
}

export type PolicyRef = {uuid: string} | {slug: string};

/** A policy as stored, and as the scoping tenant sees it. */
interface Located {
  policy: Policy;
  view: PolicyView;
}

export interface PolicyInput {
  name: string;
  description: string | null;
  acl: string[];
}

export interface NewPolicy extends PolicyInput {
  slug: string | null;
  shared: boolean;
}

const SLUG_MAX = 80;
const DEFAULT_DESCRIPTION = 'Automatically created';

/**
 * Bootstrap's master policy: read-only through the API, as a configured policy is, yet an
 * ordinary policy of the top tenant that no other tenant sees, as upstream's.
 */
function isMasterPolicy(policy: Policy, topUuid: string): boolean {
  return policy.tenantUuid === topUuid && policy.slug === MASTER_POLICY_SLUG;
}

/** What the scoping tenant sees of a policy, given the tenants it acts on (and the top tenant). */
export function viewFrom(policy: Policy, scopeTenantUuid: string, tenantUuids: readonly string[], topUuid: string): PolicyView {
  const owned = tenantUuids.includes(policy.tenantUuid);
  return {
    ...policy,
    tenantUuid: owned ? policy.tenantUuid : scopeTenantUuid,
    shared: policy.shared && owned,
    readOnly: policy.configManaged || (policy.shared && !owned) || isMasterPolicy(policy, topUuid),
  };
}

/** A policy seen from no tenant in particular, as the lists of a user's policies show them. */
export function plainView(policy: Policy, topUuid: string): PolicyView {
  return {...policy, readOnly: policy.configManaged || isMasterPolicy(policy, topUuid)};
}

function slugFromName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, SLUG_MAX);
}

function randomSlug(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({length: 3}, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}

function unique(acl: readonly string[]): string[] {
  return [...new Set(acl)];
}

export class PolicyService {
  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    /** The configuration's `default_policies`. */
    private readonly defaults: Record<string, DefaultPolicy | null>,
    private readonly limits: AclLimits,
  ) {}

  /** Every positive access of the new policy must be granted to the caller. */
  async create(scopeTenantUuid: string, input: NewPolicy, check: AccessCheck): Promise<PolicyView> {
    const acl = unique(input.acl);
    assertPolicyAcl(acl, this.limits);
    assertMayAdd(check, acl);
    const slug = input.slug ?? (await this.freeSlug(scopeTenantUuid, input.name));
    await this.assertNoInheritedDuplicate(scopeTenantUuid, input.name, slug);
    if (input.shared) await this.assertNoDuplicateBelow(scopeTenantUuid, input.name, slug);
    const created = await duplicatesAsDuplicatePolicy(input.name, () =>
      this.store.policies.create({
        uuid: randomUUID(),
        tenantUuid: scopeTenantUuid,
        name: input.name,
        slug,
        description: input.description,
        acl,
        shared: input.shared,
        configManaged: false,
      }),
    );
    return viewFrom(created, scopeTenantUuid, [scopeTenantUuid], await this.tenants.top());
  }

  /** What the scoping tenant sees: its own (and below with `recurse`), its parents' shared ones, the config-managed ones. */
  async list(scopeTenantUuid: string, params: ListParams, recurse: boolean, filters: PolicyFilters = {}): Promise<ListResult<PolicyView>> {
    const tenantUuids = await this.tenants.visibleTenants(scopeTenantUuid, recurse);
    const sharedFrom = await this.tenants.lineage(scopeTenantUuid);
    const result = await this.store.policies.list(tenantUuids, {...params, sharedFrom, withConfigManaged: true}, filters);
    const top = await this.tenants.top();
    return {...result, items: result.items.map((p) => viewFrom(p, scopeTenantUuid, tenantUuids, top))};
  }

  /** By uuid anywhere in the scoping subtree; by slug in the scoping tenant only; plus what it inherits. */
  async find(scopeTenantUuid: string, ref: PolicyRef): Promise<PolicyView> {
    return (await this.locate(scopeTenantUuid, ref)).view;
  }

  /** The policy, when the caller may give all of its accesses to someone. */
  async findGrantable(scopeTenantUuid: string, ref: PolicyRef, check: AccessCheck): Promise<PolicyView> {
    const policy = await this.find(scopeTenantUuid, ref);
    assertMayAdd(check, policy.acl);
    return policy;
  }

  /** The policy, when the caller may take all of its accesses away from someone. */
  async findWithdrawable(scopeTenantUuid: string, ref: PolicyRef, check: AccessCheck): Promise<PolicyView> {
    const policy = await this.find(scopeTenantUuid, ref);
    assertMayRemove(check, policy.acl);
    return policy;
  }

  /**
   * Replaces name, description and ACL. As upstream, the caller must be able to give every access
   * sent, those the policy already has included, and to withdraw every access left out.
   */
  async update(scopeTenantUuid: string, ref: PolicyRef, input: PolicyInput, check: AccessCheck): Promise<PolicyView> {
    const acl = unique(input.acl);
    assertPolicyAcl(acl, this.limits);
    assertMayAdd(check, acl);
    const {policy, view} = await this.locate(scopeTenantUuid, ref);
    assertMayRemove(
      check,
      policy.acl.filter((access) => !acl.includes(access)),
    );
    assertWritable(view);
    const updated = await duplicatesAsDuplicatePolicy(input.name, () =>
      this.store.policies.update({...policy, name: input.name, description: input.description, acl}),
    );
    return {...view, name: updated.name, description: updated.description, acl: updated.acl};
  }

  /** The caller must be able to withdraw every access of the policy. */
  async delete(scopeTenantUuid: string, ref: PolicyRef, check: AccessCheck): Promise<void> {
    const {policy, view} = await this.locate(scopeTenantUuid, ref);
    assertMayRemove(check, policy.acl);
    assertWritable(view);
    await this.store.policies.delete(policy.uuid);
  }

  async addAccess(scopeTenantUuid: string, ref: PolicyRef, access: string, check: AccessCheck): Promise<void> {
    assertAccessLength(access, this.limits);
    assertMayAdd(check, [access]);
    const {policy, view} = await this.locate(scopeTenantUuid, ref);
    assertWritable(view);
    if (policy.acl.includes(access)) throw new DuplicateAccess(access);
    const acl = [...policy.acl, access];
    assertPolicyAcl(acl, this.limits);
    await this.store.policies.update({...policy, acl});
  }

  /** Removing an access the policy does not have succeeds. */
  async removeAccess(scopeTenantUuid: string, ref: PolicyRef, access: string, check: AccessCheck): Promise<void> {
    assertMayRemove(check, [access]);
    const {policy, view} = await this.locate(scopeTenantUuid, ref);
    assertWritable(view);
    if (!policy.acl.includes(access)) return;
    await this.store.policies.update({...policy, acl: policy.acl.filter((a) => a !== access)});
  }

  /** Creates or overwrites the configured `default_policies` in the top tenant, each known by its slug (also its name). */
  async applyDefaults(): Promise<void> {
    const top = await this.tenants.top();
    for (const [slug, wanted] of this.configuredDefaults()) await this.syncDefault(top, slug, wanted);
  }

  /** Deletes the config-managed policies no longer configured, but not those a user or a group still holds. */
  async removeWithdrawnDefaults(): Promise<void> {
    const kept = new Set(this.configuredDefaults().map(([slug]) => slug));
    const everything = await this.store.policies.list([await this.tenants.top()], {});
    const orphans = everything.items.filter((p) => p.configManaged && !kept.has(p.slug));
    if (orphans.length === 0) return;
    const held = await this.heldPolicies();
    for (const orphan of orphans) if (!held.has(orphan.uuid)) await this.store.policies.delete(orphan.uuid);
  }

  private configuredDefaults(): [string, DefaultPolicy][] {
    return Object.entries(this.defaults).filter((entry): entry is [string, DefaultPolicy] => entry[1] !== null);
  }

  private async syncDefault(topUuid: string, slug: string, wanted: DefaultPolicy): Promise<void> {
    const fields = {
      name: slug,
      description: wanted.description === undefined ? DEFAULT_DESCRIPTION : wanted.description,
      acl: unique(wanted.acl),
      shared: wanted.shared ?? false,
    };
    await readThenWrite(
      () => this.store.policies.getBySlug(topUuid, slug),
      async (existing) => {
        if (existing) await this.store.policies.update({...existing, ...fields});
        else await this.store.policies.create({uuid: randomUUID(), tenantUuid: topUuid, slug, ...fields, configManaged: true});
      },
      (message) => `default_policies.${slug}: ${message} by another policy`,
    );
  }

  /**
   * Uuids of the policies some user or group holds. The store has no reverse lookup, so this reads
   * every user's and group's policies: it only runs at start when a configured policy was withdrawn.
   */
  private async heldPolicies(): Promise<Set<string>> {
    const everyTenant = await this.store.tenants.subtree(await this.tenants.top());
    const users = await this.store.users.list(everyTenant, {});
    const held = new Set<string>();
    for (const user of users.items) {
      for (const policy of (await this.store.users.listPolicies(user.uuid, {})).items) held.add(policy.uuid);
    }
    const visible = {tenantUuids: everyTenant, sharedFrom: everyTenant};
    for (const group of (await this.store.groups.list(everyTenant, {})).items) {
      for (const policy of (await this.store.groups.listPolicies(group.uuid, visible, {})).items) held.add(policy.uuid);
    }
    return held;
  }

  private async locate(scopeTenantUuid: string, ref: PolicyRef): Promise<Located> {
    const found = 'uuid' in ref ? await this.locateByUuid(scopeTenantUuid, ref.uuid) : await this.locateBySlug(scopeTenantUuid, ref.slug);
    if (!found) throw new UnknownPolicy('uuid' in ref ? ref.uuid : ref.slug);
    return found;
  }

  private async locateByUuid(scopeTenantUuid: string, uuid: string): Promise<Located | undefined> {
    const policy = await this.store.policies.get(uuid);
    if (!policy) return undefined;
    const tenantUuids = await this.tenants.visibleTenants(scopeTenantUuid, true);
    if (!tenantUuids.includes(policy.tenantUuid) && !(await this.inherits(scopeTenantUuid, policy))) return undefined;
    return {policy, view: viewFrom(policy, scopeTenantUuid, tenantUuids, await this.tenants.top())};
  }

  private async locateBySlug(scopeTenantUuid: string, slug: string): Promise<Located | undefined> {
    const top = await this.tenants.top();
    const located = (policy: Policy) => ({policy, view: viewFrom(policy, scopeTenantUuid, [scopeTenantUuid], top)});
    const own = await this.store.policies.getBySlug(scopeTenantUuid, slug);
    if (own) return located(own);
    for (const parent of (await this.tenants.lineage(scopeTenantUuid)).slice(1)) {
      const policy = await this.store.policies.getBySlug(parent, slug);
      if (policy && (policy.shared || policy.configManaged)) return located(policy);
    }
    return undefined;
  }

  /** Config-managed policies are seen everywhere, shared ones in the tenants below theirs. */
  private async inherits(scopeTenantUuid: string, policy: Policy): Promise<boolean> {
    if (policy.configManaged) return true;
    return policy.shared && (await this.tenants.lineage(scopeTenantUuid)).includes(policy.tenantUuid);
  }

  private async freeSlug(tenantUuid: string, name: string): Promise<string> {
    let slug = slugFromName(name);
    while (!slug || (await this.store.policies.getBySlug(tenantUuid, slug))) slug = randomSlug();
    return slug;
  }

  /** A shared policy of the tenant or of a parent already uses the name or the slug. */
  private async assertNoInheritedDuplicate(tenantUuid: string, name: string, slug: string): Promise<void> {
    if (await this.clash(await this.tenants.lineage(tenantUuid), name, slug, true)) throw new DuplicatePolicy(name);
  }

  /** A new shared policy would be seen in the tenants below, where a policy may already use the name or slug. */
  private async assertNoDuplicateBelow(tenantUuid: string, name: string, slug: string): Promise<void> {
    if (await this.clash(await this.store.tenants.subtree(tenantUuid), name, slug, false)) throw new DuplicatePolicy(name);
  }

  private async clash(tenantUuids: string[], name: string, slug: string, sharedOnly: boolean): Promise<boolean> {
    const sameSlug = (p: Policy) => p.slug.toLowerCase() === slug.toLowerCase();
    for (const search of [name, slug]) {
      const {items} = await this.store.policies.list(tenantUuids, {search});
      if (items.some((p) => (p.shared || !sharedOnly) && (p.name === name || sameSlug(p)))) return true;
    }
    return false;
  }
}

function assertWritable(policy: PolicyView): void {
  if (policy.readOnly) throw new ReadOnlyPolicy(policy.uuid);
}

function assertMayAdd(check: AccessCheck, accesses: readonly string[]): void {
  const refused = accesses.find((access) => !canAdd(check, access));
  if (refused !== undefined) throw new AccessNotGrantable(refused);
}

function assertMayRemove(check: AccessCheck, accesses: readonly string[]): void {
  const refused = accesses.find((access) => !canRemove(check, access));
  if (refused !== undefined) throw new AccessNotGrantable(refused);
}

async function duplicatesAsDuplicatePolicy(name: string, write: () => Promise<Policy>): Promise<Policy> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError) throw new DuplicatePolicy(name);
    throw error;
  }
}
