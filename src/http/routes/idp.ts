// GET /idp, PUT /idp/{idp_type}/users, PUT|DELETE /idp/{idp_type}/users/{user_uuid}: the
// authentication methods users may be given, and giving them (upstream's idp plugin).

import type * as api from '../../api/types.js';
import type {Services} from '../../services/index.js';
import {UnknownIdpType} from '../request-errors.js';
import {route, type Route} from '../route.js';

const usersBody = {
  type: 'object',
  properties: {
    users: {
      type: 'array',
      items: {type: 'object', properties: {uuid: {type: 'string', description: 'A user of the subtree the request acts in'}}, required: ['uuid']},
      description: 'The users to assign',
    },
  },
  required: ['users'],
} as const;

function assertIdpType(services: Services, type: string): void {
  if (!services.authentication.authenticationMethods().includes(type)) throw new UnknownIdpType(type);
}

const userPath = '/idp/{idp_type}/users/{user_uuid:uuid}';

export const idpRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/idp',
    tag: 'idp',
    summary: "Lists the authentication methods users may be given: the loaded identity providers', and default",
    access: 'auth.idp.read',
    responses: {200: 'The methods', 401: 'Missing or insufficient token'},
    handle({services}) {
      const items = services.authentication.authenticationMethods();
      const body: api.IdpList = {total: items.length, filtered: items.length, items};
      return {status: 200, body};
    },
  }),
  route({
    method: 'PUT',
    path: '/idp/{idp_type}/users',
    tag: 'idp',
    summary: 'Gives users of the subtree the request acts in this authentication method; all or none',
    access: 'auth.idp.{idp_type}.users.update',
    resource: 'users',
    body: usersBody,
    invalidBody: 'list-param',
    async beforeBody({params, services}) {
      assertIdpType(services, params.idp_type);
    },
    responses: {204: 'Assigned', 400: 'Invalid body', 401: 'Missing or insufficient token', 404: 'No such method, or a user not in this subtree'},
    async handle({params, body, tenantUuid, services}) {
      // Every user is checked before any changes: a 404 leaves them all as they were.
      for (const {uuid} of body.users) await services.users.get(tenantUuid, uuid);
      for (const {uuid} of body.users) await services.users.setAuthenticationMethod(tenantUuid, uuid, params.idp_type);
      return {status: 204};
    },
  }),
  route({
    method: 'PUT',
    path: userPath,
    tag: 'idp',
    summary: 'Gives a user of the subtree the request acts in this authentication method',
    access: 'auth.idp.{idp_type}.users.{user_uuid}.create',
    responses: {204: 'Assigned', 401: 'Missing or insufficient token', 404: 'No such method, or no such user in this subtree'},
    async handle({params, tenantUuid, services}) {
      assertIdpType(services, params.idp_type);
      await services.users.setAuthenticationMethod(tenantUuid, params.user_uuid, params.idp_type);
      return {status: 204};
    },
  }),
  route({
    method: 'DELETE',
    path: userPath,
    tag: 'idp',
    summary: "Puts a user of this authentication method back to its tenant's default; another method stays",
    access: 'auth.idp.{idp_type}.users.{user_uuid}.delete',
    responses: {204: 'Done', 401: 'Missing or insufficient token', 404: 'No such method, or no such user in this subtree'},
    async handle({params, tenantUuid, services}) {
      assertIdpType(services, params.idp_type);
      const user = await services.users.get(tenantUuid, params.user_uuid);
      if (user.authenticationMethod === params.idp_type) await services.users.setAuthenticationMethod(tenantUuid, user.uuid, 'default');
      return {status: 204};
    },
  }),
];
