// /policies, /policies/{uuid or slug} and /policies/{…}/acl/{access}. Upstream answers the
// policy code's own refusals in the token routes' `reason` shape, and so do we.

import type * as api from '../../api/types.js';
import type {PolicyFilters} from '../../domain/types.js';
import type {Infer, ObjectSchema, Schema} from '../../schema/schema.js';
import type {PolicyRef, PolicyView} from '../../services/policies.js';
import {listFilters, listQuery} from '../list-params.js';
import {route, type PathParams, type Route} from '../route.js';

const RESOURCE = 'policies';
const policyList = listQuery(RESOURCE, ['name', 'slug', 'description', 'uuid'], 'name');

const text = (description: string) => ({type: 'string', description}) as const;

/** Upstream's exact-match filters of the policy list; `total` ignores them. */
const policyFilters = listFilters<PolicyFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the policy with this uuid')},
  name: {key: 'name', schema: text('Only the policy with this name')},
  slug: {key: 'slug', schema: text('Only the policy with this slug')},
  tenant_uuid: {key: 'tenantUuid', schema: text('Only the policies of this tenant')},
  user_uuid: {key: 'userUuid', schema: text('Only the policies this user holds itself')},
  group_uuid: {key: 'groupUuid', schema: text('Only the policies this group holds')},
  read_only: {key: 'readOnly', schema: {type: 'boolean', description: 'Only the read-only policies (true), or only the others'}},
});

const editable = {
  name: {type: 'string', minLength: 1, maxLength: 80, description: 'Unique in the tenant'},
  description: {type: 'string', nullable: true, description: 'Free text'},
  acl: {type: 'array', items: {type: 'string'}, default: [], description: 'ACL patterns; `!` in front denies'},
} as const satisfies Record<string, Schema>;

const newPolicy = {
  type: 'object',
  properties: {
    name: editable.name,
    slug: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: /^[a-zA-Z0-9_-]+$/,
      nullable: true,
      description: 'Unique in the tenant; derived from the name when absent. It never changes.',
    },
    description: editable.description,
    acl: editable.acl,
    shared: {type: 'boolean', default: false, description: 'Also seen, read-only, by the tenants below. It never changes.'},
  },
  required: ['name'],
} as const satisfies ObjectSchema;

// `slug` and `shared` are read-only: sent back from a GET, they are ignored.
const policyChanges = {type: 'object', properties: editable, required: ['name']} as const satisfies ObjectSchema;

/** Upstream's fields in upstream's order. */
export function policyBody(policy: PolicyView): api.Policy {
  return {
    uuid: policy.uuid,
    tenant_uuid: policy.tenantUuid,
    name: policy.name,
    slug: policy.slug,
    description: policy.description,
    acl: policy.acl,
    read_only: policy.readOnly,
    shared: policy.shared,
  };
}

/** A policy named in a path, by uuid or by slug. */
export type PolicyParams = PathParams<'{policy_uuid:uuid}' | '{policy_slug}'>;

/** The policy a request names in its path, by uuid or by slug. */
export function policyRef(params: PolicyParams): PolicyRef {
  return 'policy_uuid' in params ? {uuid: params.policy_uuid} : {slug: params.policy_slug};
}

function policyInput(body: Infer<typeof policyChanges>) {
  return {name: body.name, description: body.description ?? null, acl: body.acl};
}

type PolicyPath = '/policies/{policy_uuid:uuid}' | '/policies/{policy_slug}';

/** The same routes by uuid (looked up in the whole subtree) and by slug (in the scoping tenant only). */
function byUuidAndSlug(make: (path: PolicyPath, param: string) => Route): Route[] {
  return [make('/policies/{policy_uuid:uuid}', 'policy_uuid'), make('/policies/{policy_slug}', 'policy_slug')];
}

const readOne = (path: PolicyPath, param: string): Route =>
  route({
    method: 'GET',
    path,
    tag: 'policies',
    summary: 'Reads a policy',
    access: `auth.policies.{${param}}.read`,
    resource: RESOURCE,
    responses: {200: 'The policy', 401: 'Missing or insufficient token', 404: 'No such policy'},
    async handle({params, tenantUuid, services}) {
      return {status: 200, body: policyBody(await services.policies.find(tenantUuid, policyRef(params)))};
    },
  });

const replaceOne = (path: PolicyPath, param: string): Route =>
  route({
    method: 'PUT',
    path,
    tag: 'policies',
    summary: "Replaces a policy's name, description and ACL; omitted ones are cleared",
    access: `auth.policies.{${param}}.update`,
    resource: RESOURCE,
    body: policyChanges,
    invalidBody: 'field-name',
    responses: {
      200: 'The policy',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or an access the token may not grant or withdraw',
      403: 'Read-only policy',
      404: 'No such policy',
      409: 'Name already used',
    },
    async handle({body, params, tenantUuid, token, services}) {
      const policy = await services.policies.update(tenantUuid, policyRef(params), policyInput(body), token.check);
      return {status: 200, body: policyBody(policy)};
    },
  });

const deleteOne = (path: PolicyPath, param: string): Route =>
  route({
    method: 'DELETE',
    path,
    tag: 'policies',
    summary: 'Deletes a policy; the token must be able to withdraw each of its accesses',
    access: `auth.policies.{${param}}.delete`,
    resource: RESOURCE,
    responses: {
      204: 'Deleted',
      401: 'Missing or insufficient token, or an access the token may not withdraw',
      403: 'Read-only policy',
      404: 'No such policy',
    },
    async handle({params, tenantUuid, token, services}) {
      await services.policies.delete(tenantUuid, policyRef(params), token.check);
      return {status: 204};
    },
  });

const addAccess = (path: PolicyPath, param: string): Route =>
  route({
    method: 'PUT',
    path: `${path}/acl/{access}`,
    tag: 'policies',
    summary: 'Adds one access to a policy',
    access: `auth.policies.{${param}}.update`,
    resource: RESOURCE,
    responses: {
      204: 'Added',
      401: 'Missing or insufficient token, or an access the token may not grant',
      403: 'Read-only policy',
      404: 'No such policy',
      409: 'The policy already has this access',
    },
    async handle({params, tenantUuid, token, services}) {
      await services.policies.addAccess(tenantUuid, policyRef(params), params.access, token.check);
      return {status: 204};
    },
  });

const removeAccess = (path: PolicyPath, param: string): Route =>
  route({
    method: 'DELETE',
    path: `${path}/acl/{access}`,
    tag: 'policies',
    summary: 'Removes one access from a policy; removing one it lacks succeeds',
    access: `auth.policies.{${param}}.update`,
    resource: RESOURCE,
    responses: {
      204: 'Removed',
      401: 'Missing or insufficient token, or an access the token may not withdraw',
      403: 'Read-only policy',
      404: 'No such policy',
    },
    async handle({params, tenantUuid, token, services}) {
      await services.policies.removeAccess(tenantUuid, policyRef(params), params.access, token.check);
      return {status: 204};
    },
  });

export const policyRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/policies',
    tag: 'policies',
    summary: 'Creates a policy in the tenant the request acts in',
    access: 'auth.policies.create',
    resource: RESOURCE,
    body: newPolicy,
    invalidBody: 'field-name',
    responses: {
      200: 'The new policy',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or an access the token may not grant',
      409: 'Name or slug already used',
    },
    async handle({body, tenantUuid, token, services}) {
      const input = {...policyInput(body), slug: body.slug ?? null, shared: body.shared};
      return {status: 200, body: policyBody(await services.policies.create(tenantUuid, input, token.check))};
    },
  }),
  route({
    method: 'GET',
    path: '/policies',
    tag: 'policies',
    summary: 'Lists the policies of the tenant the request acts in, with those it inherits (read-only)',
    access: 'auth.policies.read',
    resource: RESOURCE,
    query: {list: policyList, filters: policyFilters},
    responses: {200: 'The policies', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse, ...params} = query.list;
      const {total, items} = await services.policies.list(tenantUuid, params, recurse, query.filters);
      // Upstream's policy list has no `filtered`.
      return {status: 200, body: {items: items.map(policyBody), total}};
    },
  }),
  ...byUuidAndSlug(readOne),
  ...byUuidAndSlug(replaceOne),
  ...byUuidAndSlug(deleteOne),
  ...byUuidAndSlug(addAccess),
  ...byUuidAndSlug(removeAccess),
];
