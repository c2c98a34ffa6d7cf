// GET /groups/{uuid}/policies and PUT|DELETE /groups/{uuid}/policies/{uuid or slug}: the policies
// a group gives its members. Giving or taking one needs its every access, as for a user.

import type {GroupPolicyFilters} from '../../domain/types.js';
import {listFilters, listQuery} from '../list-params.js';
import {route, type Route} from '../route.js';
import {policyBody, policyRef} from './policies.js';

const RESOURCE = 'groups';
const groupPolicyList = listQuery(RESOURCE, ['name', 'description', 'uuid'], 'name');

const text = (description: string) => ({type: 'string', description}) as const;

const groupPolicyFilters = listFilters<GroupPolicyFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the policy with this uuid')},
  name: {key: 'name', schema: text('Only the policy with this name')},
  tenant_uuid: {key: 'tenantUuid', schema: text('Only the policies of this tenant')},
  user_uuid: {key: 'userUuid', schema: text('Only the policies this user also holds itself')},
  group_uuid: {key: 'groupUuid', schema: text('Only the policies this group also holds')},
});

const byUuid = '/groups/{group_uuid:uuid}/policies/{policy_uuid:uuid}';
const bySlug = '/groups/{group_uuid:uuid}/policies/{policy_slug}';
type GroupPolicyPath = typeof byUuid | typeof bySlug;

const link = (path: GroupPolicyPath, param: string): Route =>
  route({
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
    async handle({params, tenantUuid, token, services}) {
      await services.groups.addPolicy(tenantUuid, params.group_uuid, policyRef(params), token.check);
      return {status: 204};
    },
  });

const unlink = (path: GroupPolicyPath, param: string): Route =>
  route({
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
    async handle({params, tenantUuid, token, services}) {
      await services.groups.removePolicy(tenantUuid, params.group_uuid, policyRef(params), token.check);
      return {status: 204};
    },
  });

export const groupPolicyRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/groups/{group_uuid:uuid}/policies',
    tag: 'groups',
    summary: 'Lists the policies of a group, as the tenant the request acts in sees them',
    access: 'auth.groups.{group_uuid}.policies.read',
    resource: RESOURCE,
    query: {list: groupPolicyList, filters: groupPolicyFilters},
    responses: {200: 'The policies', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such group'},
    async handle({params, query, tenantUuid, services}) {
      const {recurse: _ignored, ...list} = query.list;
      const {total, filtered, items} = await services.groups.listPolicies(tenantUuid, params.group_uuid, list, query.filters);
      return {status: 200, body: {items: items.map(policyBody), total, filtered}};
    },
  }),
  link(byUuid, 'policy_uuid'),
  link(bySlug, 'policy_slug'),
  unlink(byUuid, 'policy_uuid'),
  unlink(bySlug, 'policy_slug'),
];
