// POST|GET /groups and GET|PUT|DELETE /groups/{uuid}: the groups of the tenant the request acts
// in and of the tenants below it. Each tenant's all-users group is read-only here.

import {DuplicateGroup, ReadOnlyGroup, TenantMismatch, UnknownGroup} from '../../services/groups.js';
import type {Group, GroupFilters} from '../../domain/types.js';
import {errors} from '../errors.js';
import {listFilters, listQuery} from '../list-params.js';
import type {Route} from '../route.js';
import {firstErrors, type FieldErrors, type ObjectSchema, type StringSchema} from '../schema.js';

const RESOURCE = 'groups';
const groupList = listQuery(RESOURCE, ['name', 'slug', 'uuid', 'read_only'], 'name');

const text = (description: string): StringSchema => ({type: 'string', description});

/** Upstream's exact-match filters of group lists. */
export const groupFilters = listFilters<GroupFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the group with this uuid')},
  name: {key: 'name', schema: text('Only the group with this name')},
  slug: {key: 'slug', schema: text('Only the group with this slug')},
  user_uuid: {key: 'userUuid', schema: text('Only the groups of this user')},
  read_only: {key: 'readOnly', schema: {type: 'boolean', description: 'Only the all-users groups (true), or only the others'}},
  policy_uuid: {key: 'policyUuid', schema: text('Only the groups holding this policy')},
  policy_slug: {key: 'policySlug', schema: text('Only the groups holding a policy with this slug')},
});

const groupName: StringSchema = {type: 'string', minLength: 1, maxLength: 128, description: 'Unique in the tenant'};

const newGroup: ObjectSchema = {
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
};

// The other fields are read-only: sent back from a GET, they are ignored.
const groupChanges: ObjectSchema = {type: 'object', properties: {name: groupName}, required: ['name']};

/** Upstream's 400 names only the first invalid field. */
function invalidGroup(fieldErrors: FieldErrors) {
  const [field, error] = Object.entries(firstErrors(fieldErrors))[0]!;
  return errors.invalidData(RESOURCE, {[field]: error});
}

/** Upstream's fields in upstream's order, as reads and lists show a group. */
export function groupBody(group: Group): Record<string, unknown> {
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
function writtenGroupBody(group: Group): Record<string, unknown> {
  return {
    uuid: group.uuid,
    tenant_uuid: group.tenantUuid,
    name: group.name,
    slug: group.slug,
    read_only: group.systemManaged,
    system_managed: group.systemManaged,
  };
}

/** The group service's refusals as upstream's answers; other errors pass through. */
export async function asGroupAnswer<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownGroup) throw errors.unknown(RESOURCE, 'group', error.uuid);
    if (error instanceof ReadOnlyGroup) throw errors.readOnlyGroup(error.uuid);
    if (error instanceof DuplicateGroup) throw errors.groupConflict(error.groupName);
    if (error instanceof TenantMismatch) throw errors.tenantMismatch(error.userTenantUuid, error.groupTenantUuid);
    throw error;
  }
}

const groupPath = '/groups/{group_uuid:uuid}';

export const groupRoutes: Route[] = [
  {
    method: 'POST',
    path: '/groups',
    tag: 'groups',
    summary: 'Creates a group in the tenant the request acts in',
    access: 'auth.groups.create',
    resource: RESOURCE,
    body: newGroup,
    falsyBodyIsEmpty: true,
    invalidBody: invalidGroup,
    responses: {200: 'The new group', 400: 'Invalid body', 401: 'Missing or insufficient token', 409: 'Name or slug already used'},
    async handle(ctx) {
      const input = {name: ctx.body.name as string, slug: (ctx.body.slug as string | null | undefined) ?? null};
      const group = await asGroupAnswer(ctx.services.groups.create(ctx.tenantUuid!, input));
      return {status: 200, body: writtenGroupBody(group)};
    },
  },
  {
    method: 'GET',
    path: '/groups',
    tag: 'groups',
    summary: 'Lists the groups of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.groups.read',
    resource: RESOURCE,
    query: [...groupList.parameters, ...groupFilters.parameters],
    responses: {200: 'The groups', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse, ...params} = groupList.parse(ctx.query);
      const filters = groupFilters.parse(ctx.query);
      const {total, filtered, items} = await ctx.services.groups.list(ctx.tenantUuid!, params, recurse, filters);
      return {status: 200, body: {filtered, total, items: items.map(groupBody)}};
    },
  },
  {
    method: 'GET',
    path: groupPath,
    tag: 'groups',
    summary: 'Reads a group',
    access: 'auth.groups.{group_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The group', 401: 'Missing or insufficient token', 404: 'No such group in this subtree'},
    async handle(ctx) {
      const group = await asGroupAnswer(ctx.services.groups.get(ctx.tenantUuid!, ctx.params.group_uuid!));
      return {status: 200, body: groupBody(group)};
    },
  },
  {
    method: 'PUT',
    path: groupPath,
    tag: 'groups',
    summary: 'Renames a group; its slug never changes',
    access: 'auth.groups.{group_uuid}.update',
    resource: RESOURCE,
    // An unknown group is a 404 whatever the body, as upstream.
    async beforeBody(ctx) {
      await asGroupAnswer(ctx.services.groups.get(ctx.tenantUuid!, ctx.params.group_uuid!));
    },
    body: groupChanges,
    falsyBodyIsEmpty: true,
    invalidBody: invalidGroup,
    responses: {
      200: 'The group',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      403: 'An all-users group',
      404: 'No such group in this subtree',
      409: 'Name already used',
    },
    async handle(ctx) {
      const renaming = ctx.services.groups.rename(ctx.tenantUuid!, ctx.params.group_uuid!, ctx.body.name as string);
      return {status: 200, body: writtenGroupBody(await asGroupAnswer(renaming))};
    },
  },
  {
    method: 'DELETE',
    path: groupPath,
    tag: 'groups',
    summary: 'Deletes a group; its members keep their own policies',
    access: 'auth.groups.{group_uuid}.delete',
    resource: RESOURCE,
    responses: {204: 'Deleted', 401: 'Missing or insufficient token', 403: 'An all-users group', 404: 'No such group in this subtree'},
    async handle(ctx) {
      await asGroupAnswer(ctx.services.groups.delete(ctx.tenantUuid!, ctx.params.group_uuid!));
      return {status: 204};
    },
  },
];
