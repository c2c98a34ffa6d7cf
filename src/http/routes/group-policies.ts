// GET /groups/{uuid}/policies and PUT|DELETE /groups/{uuid}/policies/{uuid or slug}: the policies
// a group gives its members. Giving or taking one needs its every access, as for a user.

import type {GroupPolicyFilters} from '../../domain/types.js';
import {listFilters, listQuery} from '../list-params.js';
import type {Route} from '../route.js';
import type {StringSchema} from '../schema.js';
import {asGroupAnswer} from './groups.js';
import {asPolicyAnswer, policyBody, policyRef} from './policies.js';

const RESOURCE = 'groups';
const groupPolicyList = listQuery(RESOURCE, ['name', 'description', 'uuid'], 'name');

const text = (description: string): StringSchema => ({type: 'string', description});

const groupPolicyFilters = listFilters<GroupPolicyFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the policy with this uuid')},
  name: {key: 'name', schema: text('Only the policy with this name')},
  tenant_uuid: {key: 'tenantUuid', schema: text('Only the policies of this tenant')},
  user_uuid: {key: 'userUuid', schema: text('Only the policies this user also holds itself')},
  group_uuid: {key: 'groupUuid', schema: text('Only the policies this group also holds')},
});

const link = (path: string, param: string): Route => ({
  method: 'PUT',
  path,
  tag: 'groups',
  summary: "Gives a policy to a group's members; giving it again changes nothing",
  access: `auth.groups.{group_uuid}.policies.{${param}}.create`,
  resource: RESOURCE,
  responses: {
    204: 'The group holds the policy',
    401: 'Missing or insufficient token, or an access of the policy the token may not grant',
    404: 'No such group or policy',
  },
  async handle(ctx) {
    const adding = ctx.services.groups.addPolicy(ctx.tenantUuid!, ctx.params.group_uuid!, policyRef(ctx), ctx.token!.check);
    await asPolicyAnswer(ctx, asGroupAnswer(adding));
    return {status: 204};
  },
});

const unlink = (path: string, param: string): Route => ({
  method: 'DELETE',
  path,
  tag: 'groups',
  summary: 'Takes a policy from a group; taking one the group lacks succeeds',
  access: `auth.groups.{group_uuid}.policies.{${param}}.delete`,
  resource: RESOURCE,
  responses: {
    204: 'The group does not hold the policy',
    401: 'Missing or insufficient token, or an access of the policy the token may not withdraw',
    404: 'No such group or policy',
  },
  async handle(ctx) {
    const removing = ctx.services.groups.removePolicy(ctx.tenantUuid!, ctx.params.group_uuid!, policyRef(ctx), ctx.token!.check);
    await asPolicyAnswer(ctx, asGroupAnswer(removing));
    return {status: 204};
  },
});

const byUuid = '/groups/{group_uuid:uuid}/policies/{policy_uuid:uuid}';
const bySlug = '/groups/{group_uuid:uuid}/policies/{policy_slug}';

export const groupPolicyRoutes: Route[] = [
  {
    method: 'GET',
    path: '/groups/{group_uuid:uuid}/policies',
    tag: 'groups',
    summary: 'Lists the policies of a group, as the tenant the request acts in sees them',
    access: 'auth.groups.{group_uuid}.policies.read',
    resource: RESOURCE,
    query: [...groupPolicyList.parameters, ...groupPolicyFilters.parameters],
    responses: {200: 'The policies', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such group'},
    async handle(ctx) {
      const {recurse: _ignored, ...params} = groupPolicyList.parse(ctx.query);
      const filters = groupPolicyFilters.parse(ctx.query);
      const listing = ctx.services.groups.listPolicies(ctx.tenantUuid!, ctx.params.group_uuid!, params, filters);
      const {total, filtered, items} = await asGroupAnswer(listing);
      return {status: 200, body: {items: items.map(policyBody), total, filtered}};
    },
  },
  link(byUuid, 'policy_uuid'),
  link(bySlug, 'policy_slug'),
  unlink(byUuid, 'policy_uuid'),
  unlink(bySlug, 'policy_slug'),
];
