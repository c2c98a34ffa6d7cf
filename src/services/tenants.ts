// Tenants: the tree that scopes every other resource. A caller acting in a tenant sees that
// tenant and the ones below it, never its parents.

import {busEvents} from './events/bus-events.js';
import type {EventOutbox} from './events/outbox.js';
import {randomInt, randomUUID} from 'node:crypto';
import {
  type AuthenticationMethod,
  type ListParams,
  type ListResult,
  type Tenant,
  type TenantAddress,
  type TenantDomain,
  type TenantFilters,
} from '../domain/types.js';
import {
  ConflictError,
  DomainNamesTaken,
  OwnTenantDeletion,
  ParentBelowTenant,
  SelfParentedTenant,
  TenantConflict,
  TenantHasChildren,
  UnknownContact,
  UnknownTenant,
} from '../domain/errors.js';
import {type Store} from '../store/store.js';

/** What a tenant's administrator sets; omitted fields are cleared, as upstream's PUT. */
export interface TenantFields {
  name: string | null;
  contactUuid: string | null;
  phone: string | null;
  address: TenantAddress;
  domainNames: string[];
  defaultAuthenticationMethod: AuthenticationMethod;
}

export interface NewTenantInput extends TenantFields {
  uuid?: string;
  /** Derived from the name when null. */
  slug: string | null;
}

const SLUG_MAX_LENGTH = 10;
const RANDOM_SLUG_LENGTH = 3;
const RANDOM_SLUG_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomSlug(): string {
  let slug = '';
  for (let i = 0; i < RANDOM_SLUG_LENGTH; i++) slug += RANDOM_SLUG_CHARACTERS[randomInt(RANDOM_SLUG_CHARACTERS.length)];
  return slug;
}

/** Sorted without duplicates, as upstream stores them; the store compares names whatever their case. */
function uniqueDomainNames(names: string[]): string[] {
  const kept = new Map<string, string>();
  for (const name of [...names].sort()) {
    if (!kept.has(name.toLowerCase())) kept.set(name.toLowerCase(), name);
  }
  return [...kept.values()];
}

function asTenantError(error: unknown, domainNames: string[]): unknown {
  if (!(error instanceof ConflictError)) return error;
  if (error.field === 'domain_names') return new DomainNamesTaken(domainNames);
  return new TenantConflict(error.field === 'uuid' ? 'uuid' : 'slug', error.value);
}

const TOP_NAME = 'master';

/** The top tenant, created (named and slugged `master`, its own parent) when the store has none. */
/** The tenant and its parents up to the top tenant, nearest first; empty for an unknown tenant. */
export async function tenantLineage(store: Store, tenantUuid: string): Promise<string[]> {
  const chain: string[] = [];
  let current = await store.tenants.get(tenantUuid);
  // The store refuses loops; the check keeps the walk finite all the same.
  while (current && !chain.includes(current.uuid)) {
    chain.push(current.uuid);
    if (current.parentUuid === current.uuid) break;
    current = await store.tenants.get(current.parentUuid);
  }
  return chain;
}

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
      defaultAuthenticationMethod: 'native',
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

  constructor(
    private readonly store: Store,
    private readonly events: EventOutbox,
  ) {}

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

  /** Whether `tenantUuid` is the scoping tenant or below it: a walk up a few parents, not down the whole subtree. */
  async covers(scopeTenantUuid: string, tenantUuid: string): Promise<boolean> {
    return tenantUuid === scopeTenantUuid || (await tenantLineage(this.store, tenantUuid)).includes(scopeTenantUuid);
  }

  /** The tenant and its parents up to the top tenant, nearest first. */
  lineage(tenantUuid: string): Promise<string[]> {
    return tenantLineage(this.store, tenantUuid);
  }

  async get(scopeTenantUuid: string, uuid: string): Promise<Tenant> {
    const tenant = (await this.covers(scopeTenantUuid, uuid)) ? await this.store.tenants.get(uuid) : undefined;
    if (!tenant) throw new UnknownTenant(uuid);
    return tenant;
  }

  /** Always the whole subtree of the scoping tenant: upstream ignores `recurse` here. */
  async list(scopeTenantUuid: string, params: ListParams & TenantFilters): Promise<ListResult<Tenant>> {
    return this.store.tenants.list(await this.store.tenants.subtree(scopeTenantUuid), params);
  }

  /** A new tenant goes below the scoping tenant. */
  async create(scopeTenantUuid: string, input: NewTenantInput): Promise<Tenant> {
    const uuid = input.uuid ?? randomUUID();
    if (uuid === scopeTenantUuid) throw new SelfParentedTenant(uuid);
    await this.assertContact(scopeTenantUuid, input.contactUuid);
    const domainNames = uniqueDomainNames(input.domainNames);
    const slug = input.slug ?? (await this.deriveSlug(input.name));
    try {
      return await this.events.record(
        () => this.store.tenants.create({...input, uuid, slug, parentUuid: scopeTenantUuid, domainNames}),
        (tenant, origin) => [busEvents.tenantAdded({uuid: tenant.uuid, name: tenant.name, slug: tenant.slug, domain_names: tenant.domainNames}, origin)],
      );
    } catch (error) {
      throw asTenantError(error, domainNames);
    }
  }

  /** Replaces the tenant's fields; its slug and parent never change here. */
  async update(scopeTenantUuid: string, uuid: string, fields: TenantFields): Promise<Tenant> {
    const current = await this.get(scopeTenantUuid, uuid);
    await this.assertContact(scopeTenantUuid, fields.contactUuid);
    const domainNames = uniqueDomainNames(fields.domainNames);
    let updated: Tenant | undefined;
    try {
      updated = await this.events.record(
        () => this.store.tenants.update({...current, ...fields, domainNames}),
        (tenant, origin) => (tenant ? [busEvents.tenantUpdated(tenant.uuid, tenant.name, origin)] : []),
      );
    } catch (error) {
      throw asTenantError(error, domainNames);
    }
    if (!updated) throw new UnknownTenant(uuid);
    return updated;
  }

  /** Removes a tenant below the scoping one with its users, policies and sessions; never one with sub-tenants. */
  async delete(scopeTenantUuid: string, uuid: string): Promise<void> {
    if (uuid === scopeTenantUuid) throw new OwnTenantDeletion(uuid);
    await this.get(scopeTenantUuid, uuid);
    const outcome = await this.events.record(
      () => this.store.tenants.delete(uuid),
      (result, origin) => (result === 'deleted' ? [busEvents.tenantDeleted(uuid, origin)] : []),
    );
    if (outcome === 'not-found') throw new UnknownTenant(uuid);
    if (outcome === 'has-children') throw new TenantHasChildren(uuid);
  }

  async domains(scopeTenantUuid: string, uuid: string): Promise<TenantDomain[]> {
    await this.get(scopeTenantUuid, uuid);
    return this.store.tenants.domains(uuid);
  }

  /** Both tenants must be in the scoping subtree, and the parent not below the tenant: the top tenant never moves. */
  async setParent(scopeTenantUuid: string, uuid: string, parentUuid: string): Promise<void> {
    if (!(await this.covers(scopeTenantUuid, uuid))) throw new UnknownTenant(uuid);
    if (!(await this.covers(scopeTenantUuid, parentUuid))) throw new UnknownTenant(parentUuid);
    if (!(await this.store.tenants.setParent(uuid, parentUuid))) throw new ParentBelowTenant(uuid, parentUuid);
  }

  /**
   * A contact is a user of the caller's tree or of a tenant above it (a reseller's own staff,
   * as upstream allows); never one of a sibling tree, which would let the caller probe it.
   */
  private async assertContact(scopeTenantUuid: string, contactUuid: string | null): Promise<void> {
    if (!contactUuid) return;
    const user = await this.store.users.get(contactUuid);
    const related = user && ((await this.covers(scopeTenantUuid, user.tenantUuid)) || (await this.lineage(scopeTenantUuid)).includes(user.tenantUuid));
    if (!related) throw new UnknownContact(contactUuid);
  }

  /** Upstream's rule: the name's letters, digits and underscores, else three random characters, whichever is free. */
  private async deriveSlug(name: string | null): Promise<string> {
    const fromName = (name ?? '').replace(/[^a-zA-Z0-9_]/g, '').slice(0, SLUG_MAX_LENGTH);
    if (fromName && !(await this.store.tenants.slugTaken(fromName))) return fromName;
    for (;;) {
      const slug = randomSlug();
      if (!(await this.store.tenants.slugTaken(slug))) return slug;
    }
  }
}
