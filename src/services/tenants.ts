// Tenants: the tree that scopes every other resource. A caller acting in a tenant sees that
// tenant and the ones below it, never its parents.

import {randomUUID} from 'node:crypto';
import {ConflictError, type ListParams, type ListResult, type Store, type Tenant} from '../store/store.js';

export class UnknownTenant extends Error {
  constructor(readonly uuid: string) {
    super(`No such tenant: "${uuid}"`);
  }
}

const TOP_NAME = 'master';

/** The top tenant, created (named and slugged `master`, its own parent) when the store has none. */
export async function ensureTopTenant(store: Store): Promise<Tenant> {
  const existing = await store.tenants.top();
  if (existing) return existing;
  const uuid = randomUUID();
  const empty = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  try {
    return await store.tenants.create({
      uuid,
      name: TOP_NAME,
      slug: TOP_NAME,
      parentUuid: uuid,
      contactUuid: null,
      phone: null,
      address: empty,
      domainNames: [],
    });
  } catch (error) {
    // Another daemon sharing the database created it first.
    if (error instanceof ConflictError) return (await store.tenants.top())!;
    throw error;
  }
}

export class TenantService {
  /** The top tenant never changes once it exists. */
  private topUuid: string | undefined;

  constructor(private readonly store: Store) {}

  async ensureTop(): Promise<Tenant> {
    const top = await ensureTopTenant(this.store);
    this.topUuid = top.uuid;
    return top;
  }

  async top(): Promise<string> {
    this.topUuid ??= (await this.ensureTop()).uuid;
    return this.topUuid;
  }

  /** The scoping tenant alone, or with every tenant below it. */
  async visibleTenants(scopeTenantUuid: string, recurse: boolean): Promise<string[]> {
    return recurse ? this.store.tenants.subtree(scopeTenantUuid) : [scopeTenantUuid];
  }

  async covers(scopeTenantUuid: string, tenantUuid: string): Promise<boolean> {
    return tenantUuid === scopeTenantUuid || (await this.store.tenants.subtree(scopeTenantUuid)).includes(tenantUuid);
  }

  /** The tenant and its parents up to the top tenant, nearest first. */
  async lineage(tenantUuid: string): Promise<string[]> {
    const chain: string[] = [];
    let current = await this.store.tenants.get(tenantUuid);
    while (current && !chain.includes(current.uuid)) {
      chain.push(current.uuid);
      if (current.parentUuid === current.uuid) break;
      current = await this.store.tenants.get(current.parentUuid);
    }
    return chain;
  }

  async get(scopeTenantUuid: string, uuid: string): Promise<Tenant> {
    const tenant = (await this.covers(scopeTenantUuid, uuid)) ? await this.store.tenants.get(uuid) : undefined;
    if (!tenant) throw new UnknownTenant(uuid);
    return tenant;
  }

  /** Always the whole subtree of the scoping tenant: upstream ignores `recurse` here. */
  async list(scopeTenantUuid: string, params: ListParams): Promise<ListResult<Tenant>> {
    return this.store.tenants.list(await this.store.tenants.subtree(scopeTenantUuid), params);
  }
}
