// Tenants: the one the request acts in and those below it; their domains and their parent.

import {segment, type Transport} from './transport.js';
import type {Domain, ListParams, ListResult, NewTenant, Tenant, TenantChanges, TenantFilters} from './types.js';

const tenant = (uuid: string) => `/tenants/${segment(uuid)}`;

export class Tenants {
  constructor(private readonly transport: Transport) {}

  /** The acting tenant and every tenant below it; sorted by name unless `order` says slug. */
  list(params: Omit<ListParams, 'recurse'> & TenantFilters = {}): Promise<ListResult<Tenant>> {
    return this.transport.json('GET', '/tenants', {query: {...params}});
  }

  get(uuid: string): Promise<Tenant> {
    return this.transport.json('GET', tenant(uuid));
  }

  /** Below the tenant the request acts in (the client's `tenant`, else the token's). */
  create(fields: NewTenant = {}): Promise<Tenant> {
    return this.transport.json('POST', '/tenants', {body: fields});
  }

  /** Replaces the tenant's fields: those left out are cleared; slug and parent stay. */
  update(uuid: string, fields: TenantChanges): Promise<Tenant> {
    return this.transport.json('PUT', tenant(uuid), {body: fields});
  }

  /** Deletes the tenant with its users, policies and sessions; ApiError 400 when tenants are below it. */
  delete(uuid: string): Promise<void> {
    return this.transport.empty('DELETE', tenant(uuid));
  }

  domains(uuid: string): Promise<ListResult<Domain>> {
    return this.transport.json('GET', `${tenant(uuid)}/domains`);
  }

  /** Moves the tenant below `parentUuid`; ApiError 409 when that is the tenant itself or below it. */
  setParent(uuid: string, parentUuid: string): Promise<void> {
    return this.transport.empty('PUT', `${tenant(uuid)}/parent/${segment(parentUuid)}`);
  }
}
