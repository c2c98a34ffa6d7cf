// GET /tenants and GET /tenants/{uuid}: the scoping tenant and the tenants below it.

import {UnknownTenant} from '../../services/tenants.js';
import type {Tenant} from '../../store/store.js';
import {errors} from '../errors.js';
import {listQuery} from '../list-params.js';
import type {Route} from '../route.js';

const RESOURCE = 'tenants';
const tenantList = listQuery(RESOURCE, ['name', 'slug'], 'name');

/** Upstream's fields in upstream's order; only the native method exists here. */
export function tenantBody(tenant: Tenant): Record<string, unknown> {
  return {
    uuid: tenant.uuid,
    parent_uuid: tenant.parentUuid,
    name: tenant.name,
    slug: tenant.slug,
    contact: tenant.contactUuid,
    phone: tenant.phone,
    default_authentication_method: 'native',
    domain_names: tenant.domainNames,
    address: tenant.address,
  };
}

async function unknownAs404<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownTenant) throw errors.unknown(RESOURCE, 'tenant', error.uuid);
    throw error;
  }
}

export const tenantRoutes: Route[] = [
  {
    method: 'GET',
    path: '/tenants',
    tag: 'tenants',
    summary: 'Lists the tenant the request acts in and every tenant below it',
    access: 'auth.tenants.read',
    resource: RESOURCE,
    query: tenantList.parameters,
    responses: {200: 'The tenants', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse: _ignored, ...params} = tenantList.parse(ctx.query);
      const {total, filtered, items} = await ctx.services.tenants.list(ctx.tenantUuid!, params);
      return {status: 200, body: {filtered, total, items: items.map(tenantBody)}};
    },
  },
  {
    method: 'GET',
    path: '/tenants/{tenant_uuid:uuid}',
    tag: 'tenants',
    summary: 'Reads a tenant of the subtree the request acts in',
    access: 'auth.tenants.{tenant_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The tenant', 401: 'Missing or insufficient token', 404: 'No such tenant in this subtree'},
    async handle(ctx) {
      const tenant = await unknownAs404(ctx.services.tenants.get(ctx.tenantUuid!, ctx.params.tenant_uuid!));
      return {status: 200, body: tenantBody(tenant)};
    },
  },
];
