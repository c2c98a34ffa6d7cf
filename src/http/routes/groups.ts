// POST|GET /groups and GET|PUT|DELETE /groups/{uuid}: the groups of the tenant the request acts
// in and of the tenants below it. Each tenant's all-users group is read-only here.

import type * as api from '../../api/types.js';
import type {Group, GroupFilters} from '../../domain/types.js';
import type {ObjectSchema, StringSchema} from '../../schema/schema.js';
import {listFilters, listQuery} from '../list-params.js';
import {route, type Route} from '../route.js';

const RESOURCE = 'groups';
const groupList = listQuery(RESOURCE, ['name', 'slug', 'uuid', 'read_only'], 'name');

const text = (description: string) => ({type: 'string', description}) as const;

/** Upstream's exact-match filters of group lists. */
const groupFilters = listFilters<GroupFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the group with this uuid')},
  name: {key: 'name', schema: text('Only the group with this name')},
  slug: {key: 'slug', schema: text('Only the group with this slug')},
  user_uuid: {key: 'userUuid', schema: text('Only the groups of this user')},
  read_only: {key: 'readOnly', schema: {type: 'boolean', description: 'Only the all-users groups (true), or only the others'}},
  policy_uuid: {key: 'policyUuid', schema: text('Only the groups holding this policy')},
  policy_slug: {key: 'policySlug', schema: text('Only the groups holding a policy with this slug')},
});

const groupName = {type: 'string', minLength: 1, maxLength: 128, description: 'Unique in the tenant'} as const satisfies StringSchema;

const newGroup = {
  type: 'object',
  properties: {
    name: groupName,
    slug: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: /^[a-zA-Z0-9_-]+$/,
      nullable: true,
      description: 'Unique in the tenant whatever the case; derived from the name when absent. It never changes.',
    },
  },
  required: ['name'],
} as const satisfies ObjectSchema;

// The other fields are read-only: sent back from a GET, they are ignored.
const groupChanges = {type: 'object', properties: {name: groupName}, required: ['name']} as const satisfies ObjectSchema;

/** Upstream's fields in upstream's order, as reads and lists show a group. */
export function groupBody(group: Group): api.Group {
  return {
    uuid: group.uuid,
    name: group.name,
    slug: group.slug,
    tenant_uuid: group.tenantUuid,
    system_managed: group.systemManaged,
    read_only: group.systemManaged,
  };
}

/** Upstream answers a creation or a change with the same fields in another order. */
function writtenGroupBody(group: Group): api.Group {
  return {
    uuid: group.uuid,
    tenant_uuid: group.tenantUuid,
    name: group.name,
    slug: group.slug,
    read_only: group.systemManaged,
    system_managed: group.systemManaged,
  };
}

const groupPath = '/groups/{group_uuid:uuid}';

export const groupRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/groups',
    tag: 'groups',
    summary: 'Creates a group in the tenant the request acts in',
    access: 'auth.groups.create',
    resource: RESOURCE,
    body: newGroup,
    falsyBodyIsEmpty: true,
    invalidBody: 'first-field',
    responses: {200: 'The new group', 400: 'Invalid body', 401: 'Missing or insufficient token', 409: 'Name or slug already used'},
    async handle({body, tenantUuid, services}) {
      const group = await services.groups.create(tenantUuid, {name: body.name, slug: body.slug ?? null});
      return {status: 200, body: writtenGroupBody(group)};
    },
  }),
  route({
    method: 'GET',
    path: '/groups',
    tag: 'groups',
    summary: 'Lists the groups of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.groups.read',
    resource: RESOURCE,
    query: {list: groupList, filters: groupFilters},
    responses: {200: 'The groups', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse, ...params} = query.list;
      const {total, filtered, items} = await services.groups.list(tenantUuid, params, recurse, query.filters);
      return {status: 200, body: {filtered, total, items: items.map(groupBody)}};
    },
  }),
  route({
    method: 'GET',
    path: groupPath,
    tag: 'groups',
    summary: 'Reads a group',
    access: 'auth.groups.{group_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The group', 401: 'Missing or insufficient token', 404: 'No such group in this subtree'},
    async handle({params, tenantUuid, services}) {
      return {status: 200, body: groupBody(await services.groups.get(tenantUuid, params.group_uuid))};
    },
  }),
  route({
    method: 'PUT',
    path: groupPath,
    tag: 'groups',
    summary: 'Renames a group; its slug never changes',
    access: 'auth.groups.{group_uuid}.update',
    resource: RESOURCE,
    // An unknown group is a 404 whatever the body, as upstream.
    async beforeBody({params, tenantUuid, services}) {
      await services.groups.get(tenantUuid, params.group_uuid);
    },
    body: groupChanges,
    falsyBodyIsEmpty: true,
    invalidBody: 'first-field',
    responses: {
      200: 'The group',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      403: 'An all-users group',
      404: 'No such group in this subtree',
      409: 'Name already used',
    },
    async handle({body, params, tenantUuid, services}) {
      const group = await services.groups.rename(tenantUuid, params.group_uuid, body.name);
      return {status: 200, body: writtenGroupBody(group)};
    },
  }),
  route({
    method: 'DELETE',
    path: groupPath,
    tag: 'groups',
    summary: 'Deletes a group; its members keep their own policies',
    access: 'auth.groups.{group_uuid}.delete',
    resource: RESOURCE,
    responses: {204: 'Deleted', 401: 'Missing or insufficient token', 403: 'An all-users group', 404: 'No such group in this subtree'},
    async handle({params, tenantUuid, services}) {
      await services.groups.delete(tenantUuid, params.group_uuid);
      return {status: 204};
    },
  }),
];
