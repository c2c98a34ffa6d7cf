// /tenants, /tenants/{uuid}, its domains and its parent: the scoping tenant and the tenants below
// it, which a caller reads, creates, changes, moves and deletes; nothing above or beside it.

import {
  DomainNamesTaken,
  OwnTenantDeletion,
  ParentBelowTenant,
  SelfParentedTenant,
  TenantConflict,
  TenantHasChildren,
  UnknownContact,
  UnknownTenant,
  type TenantFields,
} from '../../services/tenants.js';
import type {AuthenticationMethod, Tenant, TenantAddress, TenantFilters} from '../../domain/types.js';
import {apiError, errors, type HttpError} from '../errors.js';
import {listQuery} from '../list-params.js';
import type {QueryParameter, Route} from '../route.js';
import {pythonRepr, type FieldError, type FieldErrors, type ObjectSchema, type Schema} from '../schema.js';

const RESOURCE = 'tenants';
const tenantList = listQuery(RESOURCE, ['name', 'slug'], 'name');
const MAX_LISTED_UUIDS = 25;
/** Upstream's identity providers: its own two and its ldap and saml plugins. */
const METHODS: readonly AuthenticationMethod[] = ['native', 'default', 'ldap', 'saml'];

// Labels of letters, digits and inner hyphens; 2 to 63 of them, at most 253 characters, one final dot allowed.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const DOMAIN_NAME = new RegExp(`^(?=.{1,253}\\.?$)(?:${LABEL}\\.){1,62}${LABEL}\\.?$`);

const text = (minLength: number, maxLength: number, description?: string): Schema => ({
  type: 'string',
  minLength,
  maxLength,
  nullable: true,
  ...(description ? {description} : {}),
});

const address: ObjectSchema = {
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
};

// In upstream's order: its first invalid field is the one reported.
const editable: ObjectSchema['properties'] = {
  name: text(1, 128, 'Free text; not unique'),
  contact: {type: 'string', format: 'uuid', nullable: true, description: 'A user the caller can see'},
  phone: text(1, 32, 'Contact phone number'),
  default_authentication_method: {
    type: 'string',
    default: 'native',
    description: `How users whose own method is \`default\` log in: one of ${METHODS.join(', ')}`,
  },
  domain_names: {
    type: 'array',
    items: {type: 'string', pattern: DOMAIN_NAME},
    default: [],
    description: 'Domain names, each used by one tenant only (whatever the case)',
  },
  address,
};

const newTenant: ObjectSchema = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', nullable: true, description: 'Chosen by the daemon when absent'},
    name: editable.name!,
    slug: {
      type: 'string',
      minLength: 1,
      maxLength: 10,
      pattern: /^[a-zA-Z0-9_]+$/,
      nullable: true,
      description: 'Unique; derived from the name when absent. It never changes.',
    },
    contact: editable.contact!,
    phone: editable.phone!,
    default_authentication_method: editable.default_authentication_method!,
    domain_names: editable.domain_names!,
    address,
  },
};

// `uuid`, `slug` and `parent_uuid` are not changed by a PUT: sent back from a GET, they are ignored.
// Upstream still checks that a `uuid` sent is one, before any other field.
const tenantChanges: ObjectSchema = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', nullable: true, description: 'Ignored: a tenant keeps its uuid'},
    ...editable,
  },
};

const filterParameters: QueryParameter[] = [
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
];

type Reported = FieldErrors[string];

const firstOf = (reported: Reported): FieldError | Record<string, unknown> =>
  Array.isArray(reported) ? reported[0]! : reported;

/** Upstream reports the first invalid field only, and for a nested one (address, a domain name) its first part. */
function invalidTenant(fieldErrors: FieldErrors): HttpError {
  const [field, reported] = Object.entries(fieldErrors)[0]!;
  const first = firstOf(reported);
  if ('message' in first) return apiError(400, 'invalid-data', first.message as string, {[field]: first}, RESOURCE);
  const [part, partReported] = Object.entries(first)[0]!;
  const detail = firstOf(partReported as Reported) as FieldError;
  return apiError(400, 'invalid-data', detail.message, {[field]: {[part]: detail}}, RESOURCE);
}

/** Upstream's fields in upstream's order. */
export function tenantBody(tenant: Tenant): Record<string, unknown> {
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

function addressOf(body: Record<string, unknown>): TenantAddress {
  const given = (body.address ?? {}) as Partial<TenantAddress>;
  return {
    line_1: given.line_1 ?? null,
    line_2: given.line_2 ?? null,
    city: given.city ?? null,
    state: given.state ?? null,
    country: given.country ?? null,
    zip_code: given.zip_code ?? null,
  };
}

/** The fields shared by creation and replacement; omitted ones are cleared, as upstream's PUT. */
function fieldsOf(body: Record<string, unknown>): TenantFields {
  const method = body.default_authentication_method as string;
  if (!METHODS.includes(method as AuthenticationMethod)) {
    throw apiError(400, 'invalid-data', `Invalid default authentication method ${method}`, {default_authentication_method: method}, RESOURCE);
  }
  return {
    name: (body.name as string | null | undefined) ?? null,
    contactUuid: (body.contact as string | null | undefined) ?? null,
    phone: (body.phone as string | null | undefined) ?? null,
    address: addressOf(body),
    domainNames: body.domain_names as string[],
    defaultAuthenticationMethod: method as AuthenticationMethod,
  };
}

/** Upstream's exact-match filters; `uuids` may be repeated, up to 25 times. */
function filtersOf(query: URLSearchParams): TenantFilters {
  const uuids = query.getAll('uuids');
  if (uuids.length > MAX_LISTED_UUIDS) {
    const message = `Longer than maximum length ${MAX_LISTED_UUIDS}.`;
    const detail = {constraint_id: 'length', constraint: {min: null, max: MAX_LISTED_UUIDS}, message};
    throw apiError(400, 'invalid-list-param', message, {uuids: detail}, RESOURCE);
  }
  return {
    uuid: query.get('uuid') ?? undefined,
    uuids: uuids.length ? uuids : undefined,
    name: query.get('name') ?? undefined,
    slug: query.get('slug') ?? undefined,
    // An empty domain name filters nothing, as upstream.
    domainName: query.get('domain_name') || undefined,
  };
}

/** The service's refusals as upstream's answers. */
async function asTenantAnswer<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw tenantAnswer(error);
  }
}

function tenantAnswer(error: unknown): unknown {
  if (error instanceof UnknownTenant) return errors.unknown(RESOURCE, 'tenant', error.uuid);
  if (error instanceof UnknownContact) return errors.unknown('users', 'user', error.uuid);
  if (error instanceof TenantConflict && error.field === 'slug') {
    return errors.conflict(RESOURCE, 'slug', `The slug "${error.value}" is already used`);
  }
  if (error instanceof TenantConflict) {
    const message = `A tenant with identity uuid="${error.value}" already exists`;
    return apiError(409, 'tenant-identity-conflict', 'Tenant Conflict detected', {uuid: {constraint_id: 'unique', message}}, RESOURCE);
  }
  if (error instanceof DomainNamesTaken) {
    const message = `Domain name : "${pythonRepr(error.names)}" is already in use, no duplicates allowed`;
    // Upstream spells this constraint key with a hyphen.
    return apiError(409, 'conflict', 'Conflict detected', {domain_names: {'constraint-id': 'unique', message}}, RESOURCE);
  }
  if (error instanceof SelfParentedTenant) {
    const details = {parent_uuid: {constraint_id: 'unique', msg: 'A master tenant already exist'}};
    return apiError(403, 'conflict', 'Conflict detected', details, RESOURCE);
  }
  if (error instanceof OwnTenantDeletion) {
    return apiError(403, 'deleting-own-tenant-forbidden', error.message, {tenant_uuid: error.uuid}, RESOURCE);
  }
  if (error instanceof TenantHasChildren) {
    const message = `Unauthorized delete of tenant : "${error.uuid}" ; since it has at least one child`;
    return apiError(400, 'unauthorized-tenant-with-children-delete', message, {uuid: error.uuid}, RESOURCE);
  }
  if (error instanceof ParentBelowTenant) {
    return apiError(409, 'conflict', error.message, {uuid: error.uuid, parent_uuid: error.parentUuid}, RESOURCE);
  }
  return error;
}

const tenantPath = '/tenants/{tenant_uuid:uuid}';

export const tenantRoutes: Route[] = [
  {
    method: 'GET',
    path: '/tenants',
    tag: 'tenants',
    summary: 'Lists the tenant the request acts in and every tenant below it',
    access: 'auth.tenants.read',
    resource: RESOURCE,
    query: [...tenantList.parameters, ...filterParameters],
    responses: {200: 'The tenants', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse: _ignored, ...params} = tenantList.parse(ctx.query);
      const {total, filtered, items} = await ctx.services.tenants.list(ctx.tenantUuid!, {...params, ...filtersOf(ctx.query)});
      return {status: 200, body: {filtered, total, items: items.map(tenantBody)}};
    },
  },
  {
    method: 'POST',
    path: '/tenants',
    tag: 'tenants',
    summary: 'Creates a tenant below the tenant the request acts in',
    access: 'auth.tenants.create',
    resource: RESOURCE,
    body: newTenant,
    falsyBodyIsEmpty: true,
    invalidBody: invalidTenant,
    responses: {
      200: 'The new tenant',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      403: 'The uuid asked for is the acting tenant\'s own',
      404: 'No such contact user',
      409: 'Uuid, slug or domain name already used',
    },
    async handle(ctx) {
      const body = ctx.body;
      const input = {...fieldsOf(body), uuid: (body.uuid as string | null | undefined) ?? undefined, slug: (body.slug as string | null | undefined) ?? null};
      const tenant = await asTenantAnswer(ctx.services.tenants.create(ctx.tenantUuid!, input));
      // Every tenant has the group of all its users (upstream's wazo-all-users-tenant-<uuid>) and the configured groups.
      await ctx.services.groups.setUpTenant(tenant.uuid);
      return {status: 200, body: tenantBody(tenant)};
    },
  },
  {
    method: 'GET',
    path: tenantPath,
    tag: 'tenants',
    summary: 'Reads a tenant of the subtree the request acts in',
    access: 'auth.tenants.{tenant_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The tenant', 401: 'Missing or insufficient token', 404: 'No such tenant in this subtree'},
    async handle(ctx) {
      const tenant = await asTenantAnswer(ctx.services.tenants.get(ctx.tenantUuid!, ctx.params.tenant_uuid!));
      return {status: 200, body: tenantBody(tenant)};
    },
  },
  {
    method: 'PUT',
    path: tenantPath,
    tag: 'tenants',
    summary: 'Replaces a tenant\'s fields; omitted ones are cleared, the slug and the parent stay',
    access: 'auth.tenants.{tenant_uuid}.update',
    resource: RESOURCE,
    body: tenantChanges,
    falsyBodyIsEmpty: true,
    invalidBody: invalidTenant,
    responses: {
      200: 'The tenant',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      404: 'No such tenant in this subtree, or no such contact user',
      409: 'Domain name used by another tenant',
    },
    async handle(ctx) {
      const fields = fieldsOf(ctx.body);
      const tenant = await asTenantAnswer(ctx.services.tenants.update(ctx.tenantUuid!, ctx.params.tenant_uuid!, fields));
      return {status: 200, body: tenantBody(tenant)};
    },
  },
  {
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
    async handle(ctx) {
      await asTenantAnswer(ctx.services.tenants.delete(ctx.tenantUuid!, ctx.params.tenant_uuid!));
      return {status: 204};
    },
  },
  {
    method: 'GET',
    path: `${tenantPath}/domains`,
    tag: 'tenants',
    summary: 'Lists a tenant\'s domain names with their uuids',
    access: 'auth.tenants.{tenant_uuid}.domains.read',
    resource: RESOURCE,
    responses: {200: 'The domain names', 401: 'Missing or insufficient token', 404: 'No such tenant in this subtree'},
    async handle(ctx) {
      const domains = await asTenantAnswer(ctx.services.tenants.domains(ctx.tenantUuid!, ctx.params.tenant_uuid!));
      return {status: 200, body: {total: domains.length, items: domains.map((d) => ({name: d.name, uuid: d.uuid}))}};
    },
  },
  {
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
    async handle(ctx) {
      const {tenant_uuid, parent_tenant_uuid} = ctx.params;
      await asTenantAnswer(ctx.services.tenants.setParent(ctx.tenantUuid!, tenant_uuid!, parent_tenant_uuid!));
      return {status: 204};
    },
  },
];
