// GET /groups/{uuid}/users, PUT|DELETE /groups/{uuid}/users/{uuid} and GET /users/{uuid}/groups:
// who belongs to which group. A user joins only groups of its own tenant.

import type {GroupFilters, GroupMemberFilters} from '../../domain/types.js';
import {listFilters, listQuery} from '../list-params.js';
import {route, type Route} from '../route.js';
import {groupBody} from './groups.js';
import {userBody} from './users.js';

const memberList = listQuery('groups', ['username'], 'username');
const userGroupList = listQuery('users', ['name', 'uuid'], 'name');

const text = (description: string) => ({type: 'string', description}) as const;

const memberFilters = listFilters<GroupMemberFilters>('groups', {
  uuid: {key: 'uuid', schema: text('Only the user with this uuid')},
  username: {key: 'username', schema: text('Only the user with this username')},
  firstname: {key: 'firstname', schema: text('Only the users with this first name')},
  lastname: {key: 'lastname', schema: text('Only the users with this last name')},
  purpose: {key: 'purpose', schema: text('Only the users with this purpose')},
  email_address: {key: 'emailAddress', schema: text('Only the user with this e-mail address')},
});

const userGroupFilters = listFilters<GroupFilters>('users', {
  uuid: {key: 'uuid', schema: text('Only the group with this uuid')},
  name: {key: 'name', schema: text('Only the group with this name')},
  user_uuid: {key: 'userUuid', schema: text('Only the groups this other user belongs to as well')},
});

const memberPath = '/groups/{group_uuid:uuid}/users/{user_uuid:uuid}';

export const userGroupRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/groups/{group_uuid:uuid}/users',
    tag: 'groups',
    summary: "Lists a group's members: every user of its tenant for an all-users group",
    access: 'auth.groups.{group_uuid}.users.read',
    resource: 'groups',
    query: {list: memberList, filters: memberFilters},
    responses: {200: 'The members', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such group'},
    async handle({params, query, tenantUuid, services}) {
      const {recurse: _ignored, ...list} = query.list;
      const {total, filtered, items} = await services.groups.listUsers(tenantUuid, params.group_uuid, list, query.filters);
      return {status: 200, body: {items: items.map(userBody), total, filtered}};
    },
  }),
  route({
    method: 'PUT',
    path: memberPath,
    tag: 'groups',
    summary: 'Adds a user of the same tenant to a group; adding it again changes nothing',
    access: 'auth.groups.{group_uuid}.users.{user_uuid}.create',
    resource: 'groups',
    responses: {
      204: 'The user is a member',
      400: 'The user and the group are of different tenants',
      401: 'Missing or insufficient token',
      403: 'An all-users group',
      404: 'No such group or user in this subtree',
    },
    async handle({params, tenantUuid, services}) {
      await services.groups.addUser(tenantUuid, params.group_uuid, params.user_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'DELETE',
    path: memberPath,
    tag: 'groups',
    summary: 'Removes a user from a group; removing one who is no member succeeds',
    access: 'auth.groups.{group_uuid}.users.{user_uuid}.delete',
    resource: 'groups',
    responses: {
      204: 'The user is no member',
      401: 'Missing or insufficient token',
      403: 'An all-users group',
      404: 'No such group or user in this subtree',
    },
    async handle({params, tenantUuid, services}) {
      await services.groups.removeUser(tenantUuid, params.group_uuid, params.user_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/groups',
    tag: 'users',
    summary: "Lists a user's groups, its tenant's all-users group included",
    access: 'auth.users.{user_uuid}.groups.read',
    resource: 'users',
    query: {list: userGroupList, filters: userGroupFilters},
    responses: {200: 'The groups', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such user'},
    async handle({params, query, tenantUuid, services}) {
      const {recurse: _ignored, ...list} = query.list;
      const {total, filtered, items} = await services.groups.listOfUser(tenantUuid, params.user_uuid, list, query.filters);
      return {status: 200, body: {items: items.map(groupBody), total, filtered}};
    },
  }),
];
