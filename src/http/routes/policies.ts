// /policies, /policies/{uuid or slug} and /policies/{…}/acl/{access}. Upstream answers the
// policy code's own refusals in the token routes' `reason` shape, and so do we.

import {
  AccessNotGrantable,
  DuplicateAccess,
  DuplicatePolicy,
  ReadOnlyPolicy,
  UnknownPolicy,
  type PolicyRef,
  type PolicyView,
} from '../../services/policies.js';
import {AclLimitExceeded} from '../../acl/index.js';
import type {PolicyFilters} from '../../domain/types.js';
import {apiError, errors, HttpError, timestamp} from '../errors.js';
import {listFilters, listQuery} from '../list-params.js';
import type {RequestContext, Route} from '../route.js';
import type {FieldErrors, ObjectSchema, StringSchema} from '../schema.js';
import {redactToken} from '../../log.js';

const RESOURCE = 'policies';
const policyList = listQuery(RESOURCE, ['name', 'slug', 'description', 'uuid'], 'name');

const text = (description: string): StringSchema => ({type: 'string', description});

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

const editable: ObjectSchema['properties'] = {
  name: {type: 'string', minLength: 1, maxLength: 80, description: 'Unique in the tenant'},
  description: {type: 'string', nullable: true, description: 'Free text'},
  acl: {type: 'array', items: {type: 'string'}, default: [], description: 'ACL patterns; `!` in front denies'},
};

const newPolicy: ObjectSchema = {
  type: 'object',
  properties: {
    name: editable.name!,
    slug: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: /^[a-zA-Z0-9_-]+$/,
      nullable: true,
      description: 'Unique in the tenant; derived from the name when absent. It never changes.',
    },
    description: editable.description!,
    acl: editable.acl!,
    shared: {type: 'boolean', default: false, description: 'Also seen, read-only, by the tenants below. It never changes.'},
  },
  required: ['name'],
};

// `slug` and `shared` are read-only: sent back from a GET, they are ignored.
const policyChanges: ObjectSchema = {type: 'object', properties: editable, required: ['name']};

/** The token routes' shape: {"reason": [msg], "timestamp": [t], "status_code": N}. */
function reasonError(status: number, message: string): HttpError {
  return new HttpError(status, {reason: [message], timestamp: [timestamp()], status_code: status});
}

/** Upstream names only the first invalid field. */
const invalidPolicy = (fieldErrors: FieldErrors) =>
  errors.invalidPolicyAccess(`Invalid value supplied for field: ${Object.keys(fieldErrors)[0]}`);

/** Upstream's fields in upstream's order. */
export function policyBody(policy: PolicyView): Record<string, unknown> {
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

/** The service's refusals as upstream's answers. */
export async function asPolicyAnswer<T>(ctx: RequestContext, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownPolicy) throw reasonError(404, `No such policy ${error.id}`);
    if (error instanceof ReadOnlyPolicy) throw reasonError(403, `Forbidden policy modification: "${error.uuid}"`);
    if (error instanceof DuplicatePolicy) throw reasonError(409, `Policy "${error.policyName}" already exists`);
    if (error instanceof DuplicateAccess) throw errors.policyAccessConflict(error.access);
    if (error instanceof AclLimitExceeded) throw errors.aclLimitExceeded(ctx.params.access === undefined ? 'acl' : 'access', error.message);
    if (error instanceof AccessNotGrantable) {
      // xivo's plain Unauthorized: no `reason`, no `tenant_uuid`, no `resource`; the token shown only by its end.
      throw apiError(401, 'unauthorized', 'Unauthorized', {invalid_token: redactToken(ctx.token!.value), required_access: error.access});
    }
    throw error;
  }
}

/** The policy a request names in its path, by uuid or by slug. */
export function policyRef(ctx: RequestContext): PolicyRef {
  return ctx.params.policy_uuid ? {uuid: ctx.params.policy_uuid} : {slug: ctx.params.policy_slug!};
}

function policyInput(body: Record<string, unknown>) {
  return {
    name: body.name as string,
    description: (body.description as string | null | undefined) ?? null,
    acl: body.acl as string[],
  };
}

/** The same routes by uuid (looked up in the whole subtree) and by slug (in the scoping tenant only). */
function byUuidAndSlug(make: (path: string, param: string) => Route): Route[] {
  return [make('/policies/{policy_uuid:uuid}', 'policy_uuid'), make('/policies/{policy_slug}', 'policy_slug')];
}

const readOne = (path: string, param: string): Route => ({
  method: 'GET',
  path,
  tag: 'policies',
  summary: 'Reads a policy',
  access: `auth.policies.{${param}}.read`,
  resource: RESOURCE,
  responses: {200: 'The policy', 401: 'Missing or insufficient token', 404: 'No such policy'},
  async handle(ctx) {
    const policy = await asPolicyAnswer(ctx, ctx.services.policies.find(ctx.tenantUuid!, policyRef(ctx)));
    return {status: 200, body: policyBody(policy)};
  },
});

const replaceOne = (path: string, param: string): Route => ({
  method: 'PUT',
  path,
  tag: 'policies',
  summary: "Replaces a policy's name, description and ACL; omitted ones are cleared",
  access: `auth.policies.{${param}}.update`,
  resource: RESOURCE,
  body: policyChanges,
  invalidBody: invalidPolicy,
  responses: {
    200: 'The policy',
    400: 'Invalid body',
    401: 'Missing or insufficient token, or an access the token may not grant or withdraw',
    403: 'Read-only policy',
    404: 'No such policy',
    409: 'Name already used',
  },
  async handle(ctx) {
    const change = ctx.services.policies.update(ctx.tenantUuid!, policyRef(ctx), policyInput(ctx.body), ctx.token!.check);
    return {status: 200, body: policyBody(await asPolicyAnswer(ctx, change))};
  },
});

const deleteOne = (path: string, param: string): Route => ({
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
  async handle(ctx) {
    await asPolicyAnswer(ctx, ctx.services.policies.delete(ctx.tenantUuid!, policyRef(ctx), ctx.token!.check));
    return {status: 204};
  },
});

const addAccess = (path: string, param: string): Route => ({
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
  async handle(ctx) {
    const policies = ctx.services.policies;
    await asPolicyAnswer(ctx, policies.addAccess(ctx.tenantUuid!, policyRef(ctx), ctx.params.access!, ctx.token!.check));
    return {status: 204};
  },
});

const removeAccess = (path: string, param: string): Route => ({
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
  async handle(ctx) {
    const policies = ctx.services.policies;
    await asPolicyAnswer(ctx, policies.removeAccess(ctx.tenantUuid!, policyRef(ctx), ctx.params.access!, ctx.token!.check));
    return {status: 204};
  },
});

export const policyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/policies',
    tag: 'policies',
    summary: 'Creates a policy in the tenant the request acts in',
    access: 'auth.policies.create',
    resource: RESOURCE,
    body: newPolicy,
    invalidBody: invalidPolicy,
    responses: {
      200: 'The new policy',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or an access the token may not grant',
      409: 'Name or slug already used',
    },
    async handle(ctx) {
      const body = ctx.body;
      const input = {...policyInput(body), slug: (body.slug as string | null | undefined) ?? null, shared: body.shared as boolean};
      const policy = await asPolicyAnswer(ctx, ctx.services.policies.create(ctx.tenantUuid!, input, ctx.token!.check));
      return {status: 200, body: policyBody(policy)};
    },
  },
  {
    method: 'GET',
    path: '/policies',
    tag: 'policies',
    summary: 'Lists the policies of the tenant the request acts in, with those it inherits (read-only)',
    access: 'auth.policies.read',
    resource: RESOURCE,
    query: [...policyList.parameters, ...policyFilters.parameters],
    responses: {200: 'The policies', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse, ...params} = policyList.parse(ctx.query);
      const filters = policyFilters.parse(ctx.query);
      const {total, items} = await ctx.services.policies.list(ctx.tenantUuid!, params, recurse, filters);
      // Upstream's policy list has no `filtered`.
      return {status: 200, body: {items: items.map(policyBody), total}};
    },
  },
  ...byUuidAndSlug(readOne),
  ...byUuidAndSlug(replaceOne),
  ...byUuidAndSlug(deleteOne),
  ...byUuidAndSlug(addAccess),
  ...byUuidAndSlug(removeAccess),
];
