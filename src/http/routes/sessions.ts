// GET /sessions, DELETE /sessions/{uuid}, GET /users/{uuid}/sessions and
// DELETE /users/{uuid}/sessions/{uuid}: the sessions of the caller's tenant tree.

import type * as api from '../../api/types.js';
import type {SessionListing} from '../../domain/types.js';
import {utcIsoWithOffset} from '../../services/time-format.js';
import {listQuery} from '../list-params.js';
import {route, type Route} from '../route.js';

// Upstream sorts by `mobile` only; the times are ours, for dashboards. Upstream names `users`
// as the resource of every invalid-list-param answer.
const sessionList = listQuery('users', ['created_at', 'expires_at', 'mobile'], 'created_at');

/** Upstream's fields in upstream's order, then what the session's token tells (ours). */
function sessionBody(session: SessionListing): api.Session {
  return {
    uuid: session.uuid,
    mobile: session.mobile,
    tenant_uuid: session.tenantUuid,
    user_uuid: session.userUuid,
    created_at: utcIsoWithOffset(session.createdAt),
    expires_at: utcIsoWithOffset(session.expiresAt),
    remote_addr: session.remoteAddr,
    user_agent: session.userAgent,
  };
}

const userSessions = '/users/{user_uuid:uuid}/sessions';

export const sessionRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/sessions',
    tag: 'sessions',
    summary: 'Lists the sessions of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.sessions.read',
    resource: 'sessions',
    query: {list: sessionList},
    responses: {200: 'The sessions', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse, ...list} = query.list;
      const {total, filtered, items} = await services.sessions.list(tenantUuid, list, recurse);
      return {status: 200, body: {filtered, total, items: items.map(sessionBody)}};
    },
  }),
  route({
    method: 'DELETE',
    path: '/sessions/{session_uuid:uuid}',
    tag: 'sessions',
    summary: "Ends a session and revokes its token; a session unknown or outside the caller's tree is left alone",
    access: 'auth.sessions.{session_uuid}.delete',
    resource: 'sessions',
    responses: {204: 'Ended, or nothing to end', 401: 'Missing or insufficient token'},
    async handle({params, tenantUuid, services}) {
      await services.sessions.delete(tenantUuid, params.session_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: userSessions,
    tag: 'sessions',
    summary: 'Lists the sessions of a user',
    access: 'auth.users.{user_uuid}.sessions.read',
    resource: 'sessions',
    query: {list: sessionList},
    responses: {
      200: 'The sessions',
      400: 'Invalid list parameter',
      401: 'Missing or insufficient token',
      404: 'No such user in this subtree',
    },
    async handle({params, query, tenantUuid, services}) {
      // `recurse` is accepted, as upstream, and means nothing for one user.
      const {total, filtered, items} = await services.sessions.listOfUser(tenantUuid, params.user_uuid, query.list);
      return {status: 200, body: {filtered, total, items: items.map(sessionBody)}};
    },
  }),
  route({
    method: 'DELETE',
    path: `${userSessions}/{session_uuid:uuid}`,
    tag: 'sessions',
    summary: "Ends one of the user's sessions and revokes its token; any other session is left alone",
    access: 'auth.users.{user_uuid}.sessions.{session_uuid}.delete',
    resource: 'sessions',
    responses: {204: 'Ended, or nothing to end', 401: 'Missing or insufficient token', 404: 'No such user in this subtree'},
    async handle({params, tenantUuid, services}) {
      await services.sessions.deleteOfUser(tenantUuid, params.user_uuid, params.session_uuid);
      return {status: 204};
    },
  }),
];
