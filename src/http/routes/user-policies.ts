// GET /users/{uuid}/policies and PUT|DELETE /users/{uuid}/policies/{uuid or slug}: which
// policies a user holds. Giving or taking a policy needs its every access, as for editing it.

import type {UserPolicyFilters} from '../../domain/types.js';
import {plainView} from '../../services/policies.js';
import {listFilters, listQuery} from '../list-params.js';
import {route, type Route} from '../route.js';
import {policyBody, policyRef} from './policies.js';

const userPolicyList = listQuery('users', ['name', 'description', 'uuid'], 'name');

const text = (description: string) => ({type: 'string', description}) as const;

/** Upstream's exact-match filters of a user's policies. */
const userPolicyFilters = listFilters<UserPolicyFilters>('users', {
  uuid: {key: 'uuid', schema: text('Only the policy with this uuid')},
  name: {key: 'name', schema: text('Only the policies with this name')},
  tenant_uuid: {key: 'tenantUuid', schema: text('Only the policies of this tenant')},
  user_uuid: {key: 'userUuid', schema: text('Only the policies this other user holds as well')},
  group_uuid: {key: 'groupUuid', schema: text('Only the policies this group holds as well')},
});

const byUuid = '/users/{user_uuid:uuid}/policies/{policy_uuid:uuid}';
const bySlug = '/users/{user_uuid:uuid}/policies/{policy_slug}';
type UserPolicyPath = typeof byUuid | typeof bySlug;

const link = (path: UserPolicyPath, param: string): Route =>
  route({
    method: 'PUT',
    path,
    tag: 'users',
    summary: 'Gives a policy to a user; giving it again changes nothing',
    access: `auth.users.{user_uuid}.policies.{${param}}.create`,
    resource: 'users',
    responses: {
      204: 'The user holds the policy',
      401: 'Missing or insufficient token, or an access of the policy the token may not grant',
      404: 'No such user or policy',
    },
    async handle({params, tenantUuid, token, services}) {
      const policy = await services.policies.findGrantable(tenantUuid, policyRef(params), token.check);
      await services.users.addPolicy(tenantUuid, params.user_uuid, policy.uuid);
      return {status: 204};
    },
  });

const unlink = (path: UserPolicyPath, param: string): Route =>
  route({
    method: 'DELETE',
    path,
    tag: 'users',
    summary: 'Takes a policy from a user; taking one the user lacks succeeds',
    access: `auth.users.{user_uuid}.policies.{${param}}.delete`,
    resource: 'users',
    responses: {
      204: 'The user does not hold the policy',
      401: 'Missing or insufficient token, or an access of the policy the token may not withdraw',
      404: 'No such user or policy',
    },
    async handle({params, tenantUuid, token, services}) {
      const policy = await services.policies.findWithdrawable(tenantUuid, policyRef(params), token.check);
      await services.users.removePolicy(tenantUuid, params.user_uuid, policy.uuid);
      return {status: 204};
    },
  });

export const userPolicyRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/policies',
    tag: 'users',
    summary: 'Lists the policies a user holds',
    access: 'auth.users.{user_uuid}.policies.read',
    resource: 'users',
    query: {list: userPolicyList, filters: userPolicyFilters},
    responses: {200: 'The policies', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such user'},
    async handle({params, query, tenantUuid, services}) {
      const {recurse: _ignored, ...list} = query.list;
      const {total, filtered, items} = await services.users.listPolicies(tenantUuid, params.user_uuid, list, query.filters);
      const top = await services.tenants.top();
      return {status: 200, body: {items: items.map((p) => policyBody(plainView(p, top))), total, filtered}};
    },
  }),
  link(byUuid, 'policy_uuid'),
  link(bySlug, 'policy_slug'),
  unlink(byUuid, 'policy_uuid'),
  unlink(bySlug, 'policy_slug'),
];
