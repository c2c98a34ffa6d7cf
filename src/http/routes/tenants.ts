// /tenants, /tenants/{uuid}, its domains and its parent: the scoping tenant and the tenants below
// it, which a caller reads, creates, changes, moves and deletes; nothing above or beside it.

import type * as api from '../../api/types.js';
import type {AuthenticationMethod, Tenant, TenantFilters} from '../../domain/types.js';
import type {Infer, ObjectSchema, Schema} from '../../schema/schema.js';
import type {TenantFields} from '../../services/tenants.js';
import {listQuery} from '../list-params.js';
import {InvalidAuthenticationMethod, InvalidListParam} from '../request-errors.js';
import {route, type QueryParser, type Route} from '../route.js';

const RESOURCE = 'tenants';
const tenantList = listQuery(RESOURCE, ['name', 'slug'], 'name');
const MAX_LISTED_UUIDS = 25;
/** Upstream's identity providers: its own two and its ldap and saml plugins. */
const METHODS: ReadonlySet<string> = new Set<AuthenticationMethod>(['native', 'default', 'ldap', 'saml']);
const isMethod = (method: string): method is AuthenticationMethod => METHODS.has(method);

// Labels of letters, digits and inner hyphens; 2 to 63 of them, at most 253 characters, one final dot allowed.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const DOMAIN_NAME = new RegExp(`^(?=.{1,253}\\.?$)(?:${LABEL}\\.){1,62}${LABEL}\\.?$`);

const text = (minLength: number, maxLength: number, description?: string) =>
  ({type: 'string', minLength, maxLength, nullable: true, ...(description ? {description} : {})}) as const;

const address = {
  type: 'object',
  description: 'Postal address; omitted parts are cleared',
  falsyIsEmpty: true,
  properties: {
    line_1: text(1, 256),
    line_2: text(1, 256),
    city: text(1, 128),
    state: text(1, 128),
    country: text(1, 128),
    zip_code: text(1, 16),
  },
} as const satisfies ObjectSchema;

// In upstream's order: its first invalid field is the one reported.
const editable = {
  name: text(1, 128, 'Free text; not unique'),
  contact: {type: 'string', format: 'uuid', nullable: true, description: 'A user the caller can see'},
  phone: text(1, 32, 'Contact phone number'),
  default_authentication_method: {
    type: 'string',
    default: 'native',
    description: `How users whose own method is \`default\` log in: one of ${[...METHODS].join(', ')}`,
  },
  domain_names: {
    type: 'array',
    items: {type: 'string', pattern: DOMAIN_NAME},
    default: [],
    description: 'Domain names, each used by one tenant only (whatever the case)',
  },
  address,
} as const satisfies Record<string, Schema>;

const newTenant = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', nullable: true, description: 'Chosen by the daemon when absent'},
    name: editable.name,
    slug: {
      type: 'string',
      minLength: 1,
      maxLength: 10,
      pattern: /^[a-zA-Z0-9_]+$/,
      nullable: true,
      description: 'Unique; derived from the name when absent. It never changes.',
    },
    contact: editable.contact,
    phone: editable.phone,
    default_authentication_method: editable.default_authentication_method,
    domain_names: editable.domain_names,
    address,
  },
} as const satisfies ObjectSchema;

// `uuid`, `slug` and `parent_uuid` are not changed by a PUT: sent back from a GET, they are ignored.
// Upstream still checks that a `uuid` sent is one, before any other field.
const tenantChanges = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', nullable: true, description: 'Ignored: a tenant keeps its uuid'},
    ...editable,
  },
} as const satisfies ObjectSchema;

/** Upstream's exact-match filters; `uuids` may be repeated, up to 25 times. */
const tenantFilters: QueryParser<TenantFilters> = {
  parameters: [
    {name: 'uuid', schema: {type: 'string', description: 'Only the tenant with this uuid'}},
    {
      name: 'uuids',
      schema: {
        type: 'array',
        items: {type: 'string'},
        maxItems: MAX_LISTED_UUIDS,
        description: 'Only these tenants: the parameter once per uuid',
      },
    },
    {name: 'name', schema: {type: 'string', description: 'Only the tenants of exactly this name'}},
    {name: 'slug', schema: {type: 'string', description: 'Only the tenant of this slug'}},
    {name: 'domain_name', schema: {type: 'string', description: 'Only the tenant that has this domain name'}},
  ],
  parse(query) {
    const uuids = query.getAll('uuids');
    if (uuids.length > MAX_LISTED_UUIDS) {
      const message = `Longer than maximum length ${MAX_LISTED_UUIDS}.`;
      throw new InvalidListParam('uuids', {constraint_id: 'length', constraint: {min: null, max: MAX_LISTED_UUIDS}, message}, RESOURCE);
    }
    return {
      uuid: query.get('uuid') ?? undefined,
      uuids: uuids.length ? uuids : undefined,
      name: query.get('name') ?? undefined,
      slug: query.get('slug') ?? undefined,
      // An empty domain name filters nothing, as upstream.
      domainName: query.get('domain_name') || undefined,
    };
  },
};

/** Upstream's fields in upstream's order. */
export function tenantBody(tenant: Tenant): api.Tenant {
  return {
    uuid: tenant.uuid,
    parent_uuid: tenant.parentUuid,
    name: tenant.name,
    slug: tenant.slug,
    contact: tenant.contactUuid,
    phone: tenant.phone,
    default_authentication_method: tenant.defaultAuthenticationMethod,
    domain_names: tenant.domainNames,
    address: tenant.address,
  };
}

/** The fields shared by creation and replacement; omitted ones are cleared, as upstream's PUT. */
function fieldsOf(body: Infer<typeof tenantChanges>): TenantFields {
  const method = body.default_authentication_method;
  if (!isMethod(method)) throw new InvalidAuthenticationMethod('default_authentication_method', method);
  const given = body.address ?? {};
  return {
    name: body.name ?? null,
    contactUuid: body.contact ?? null,
    phone: body.phone ?? null,
    address: {
      line_1: given.line_1 ?? null,
      line_2: given.line_2 ?? null,
      city: given.city ?? null,
      state: given.state ?? null,
      country: given.country ?? null,
      zip_code: given.zip_code ?? null,
    },
    domainNames: body.domain_names,
    defaultAuthenticationMethod: method,
  };
}

const tenantPath = '/tenants/{tenant_uuid:uuid}';

export const tenantRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/tenants',
    tag: 'tenants',
    summary: 'Lists the tenant the request acts in and every tenant below it',
    access: 'auth.tenants.read',
    resource: RESOURCE,
    query: {list: tenantList, filters: tenantFilters},
    responses: {200: 'The tenants', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse: _ignored, ...list} = query.list;
      const {total, filtered, items} = await services.tenants.list(tenantUuid, {...list, ...query.filters});
      return {status: 200, body: {filtered, total, items: items.map(tenantBody)}};
    },
  }),
  route({
    method: 'POST',
    path: '/tenants',
    tag: 'tenants',
    summary: 'Creates a tenant below the tenant the request acts in',
    access: 'auth.tenants.create',
    resource: RESOURCE,
    body: newTenant,
    falsyBodyIsEmpty: true,
    invalidBody: 'first-part',
    responses: {
      200: 'The new tenant',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      403: "The uuid asked for is the acting tenant's own",
      404: 'No such contact user',
      409: 'Uuid, slug or domain name already used',
    },
    async handle({body, tenantUuid, services}) {
      const tenant = await services.tenants.create(tenantUuid, {...fieldsOf(body), uuid: body.uuid ?? undefined, slug: body.slug ?? null});
      // Every tenant has the group of all its users (upstream's wazo-all-users-tenant-<uuid>) and the configured groups.
      await services.groups.setUpTenant(tenant.uuid);
      return {status: 200, body: tenantBody(tenant)};
    },
  }),
  route({
    method: 'GET',
    path: tenantPath,
    tag: 'tenants',
    summary: 'Reads a tenant of the subtree the request acts in',
    access: 'auth.tenants.{tenant_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The tenant', 401: 'Missing or insufficient token', 404: 'No such tenant in this subtree'},
    async handle({params, tenantUuid, services}) {
      return {status: 200, body: tenantBody(await services.tenants.get(tenantUuid, params.tenant_uuid))};
    },
  }),
  route({
    method: 'PUT',
    path: tenantPath,
    tag: 'tenants',
    summary: "Replaces a tenant's fields; omitted ones are cleared, the slug and the parent stay",
    access: 'auth.tenants.{tenant_uuid}.update',
    resource: RESOURCE,
    body: tenantChanges,
    falsyBodyIsEmpty: true,
    invalidBody: 'first-part',
    responses: {
      200: 'The tenant',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      404: 'No such tenant in this subtree, or no such contact user',
      409: 'Domain name used by another tenant',
    },
    async handle({body, params, tenantUuid, services}) {
      const tenant = await services.tenants.update(tenantUuid, params.tenant_uuid, fieldsOf(body));
      return {status: 200, body: tenantBody(tenant)};
    },
  }),
  route({
    method: 'DELETE',
    path: tenantPath,
    tag: 'tenants',
    summary: 'Deletes a tenant with its users, policies and sessions; never one with tenants below it',
    access: 'auth.tenants.{tenant_uuid}.delete',
    resource: RESOURCE,
    responses: {
      204: 'Deleted',
      400: 'The tenant has tenants below it',
      401: 'Missing or insufficient token',
      403: 'The tenant is the one the request acts in',
      404: 'No such tenant in this subtree',
    },
    async handle({params, tenantUuid, services}) {
      await services.tenants.delete(tenantUuid, params.tenant_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: `${tenantPath}/domains`,
    tag: 'tenants',
    summary: "Lists a tenant's domain names with their uuids",
    access: 'auth.tenants.{tenant_uuid}.domains.read',
    resource: RESOURCE,
    responses: {200: 'The domain names', 401: 'Missing or insufficient token', 404: 'No such tenant in this subtree'},
    async handle({params, tenantUuid, services}) {
      const domains = await services.tenants.domains(tenantUuid, params.tenant_uuid);
      const items: api.Domain[] = domains.map((d) => ({name: d.name, uuid: d.uuid}));
      return {status: 200, body: {total: domains.length, items}};
    },
  }),
  route({
    method: 'PUT',
    path: `${tenantPath}/parent/{parent_tenant_uuid:uuid}`,
    tag: 'tenants',
    summary: 'Moves a tenant below another tenant of the subtree the request acts in',
    access: 'auth.tenants.{tenant_uuid}.parent.{parent_tenant_uuid}.update',
    resource: RESOURCE,
    responses: {
      204: 'Moved',
      401: 'Missing or insufficient token',
      404: 'No such tenant, or parent, in this subtree',
      409: 'The parent is the tenant itself or below it (the top tenant never moves)',
    },
    async handle({params, tenantUuid, services}) {
      await services.tenants.setParent(tenantUuid, params.tenant_uuid, params.parent_tenant_uuid);
      return {status: 204};
    },
  }),
];
