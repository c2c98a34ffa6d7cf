// GET /groups/{uuid}/users, PUT|DELETE /groups/{uuid}/users/{uuid} and GET /users/{uuid}/groups:
// who belongs to which group. A user joins only groups of its own tenant.

import type {GroupFilters, GroupMemberFilters} from '../../domain/types.js';
import {listFilters, listQuery} from '../list-params.js';
import type {Route} from '../route.js';
import type {StringSchema} from '../schema.js';
import {asGroupAnswer, groupBody} from './groups.js';
import {asUserAnswer, userBody} from './users.js';

const memberList = listQuery('groups', ['username'], 'username');
const userGroupList = listQuery('users', ['name', 'uuid'], 'name');

const text = (description: string): StringSchema => ({type: 'string', description});

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
  {
    method: 'GET',
    path: '/groups/{group_uuid:uuid}/users',
    tag: 'groups',
    summary: "Lists a group's members: every user of its tenant for an all-users group",
    access: 'auth.groups.{group_uuid}.users.read',
    resource: 'groups',
    query: [...memberList.parameters, ...memberFilters.parameters],
    responses: {200: 'The members', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such group'},
    async handle(ctx) {
      const {recurse: _ignored, ...params} = memberList.parse(ctx.query);
      const filters = memberFilters.parse(ctx.query);
      const listing = ctx.services.groups.listUsers(ctx.tenantUuid!, ctx.params.group_uuid!, params, filters);
      const {total, filtered, items} = await asGroupAnswer(listing);
      return {status: 200, body: {items: items.map(userBody), total, filtered}};
    },
  },
  {
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
    async handle(ctx) {
      const adding = ctx.services.groups.addUser(ctx.tenantUuid!, ctx.params.group_uuid!, ctx.params.user_uuid!);
      await asUserAnswer(asGroupAnswer(adding));
      return {status: 204};
    },
  },
  {
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
    async handle(ctx) {
      const removing = ctx.services.groups.removeUser(ctx.tenantUuid!, ctx.params.group_uuid!, ctx.params.user_uuid!);
      await asUserAnswer(asGroupAnswer(removing));
      return {status: 204};
    },
  },
  {
    method: 'GET',
    path: '/users/{user_uuid:uuid}/groups',
    tag: 'users',
    summary: "Lists a user's groups, its tenant's all-users group included",
    access: 'auth.users.{user_uuid}.groups.read',
    resource: 'users',
    query: [...userGroupList.parameters, ...userGroupFilters.parameters],
    responses: {200: 'The groups', 400: 'Invalid list parameter', 401: 'Missing or insufficient token', 404: 'No such user'},
    async handle(ctx) {
      const {recurse: _ignored, ...params} = userGroupList.parse(ctx.query);
      const filters = userGroupFilters.parse(ctx.query);
      const listing = ctx.services.groups.listOfUser(ctx.tenantUuid!, ctx.params.user_uuid!, params, filters);
      const {total, filtered, items} = await asUserAnswer(listing);
      return {status: 200, body: {items: items.map(groupBody), total, filtered}};
    },
  },
];
