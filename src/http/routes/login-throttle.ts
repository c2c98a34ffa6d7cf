// GET|DELETE /users/{uuid}/throttle and GET /throttle: the failed logins counted against users'
// logins (username, e-mail addresses) per client address, and clearing them. Ours: upstream has
// no login throttling.

import type * as api from '../../api/types.js';
import type {ThrottleEntry} from '../../services/login-throttle.js';
import {utcIsoWithOffset} from '../../services/time-format.js';
import {recurseQuery} from '../list-params.js';
import {route, type Route} from '../route.js';

function entryBody(entry: ThrottleEntry): api.ThrottleEntry {
  return {
    login: entry.login,
    address: entry.address,
    failures: entry.failures,
    last_failure_at: utcIsoWithOffset(Math.floor(entry.lastFailureAt / 1000)),
    retry_after: entry.retryAfter,
  };
}

const RESPONSES = {
  401: 'Missing or insufficient token',
  404: 'No such user in this subtree',
};

export const loginThrottleRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/throttle',
    tag: 'users',
    summary:
      "Lists the failed logins counted against the user's username and e-mail addresses, per client address (an IPv6 " +
      'address counts by its /64 network); `retry_after` is the seconds before the next attempt is judged, 0 when it is now',
    access: 'auth.users.{user_uuid}.throttle.read',
    resource: 'users',
    responses: {200: 'The counts, newest failure first', ...RESPONSES},
    async handle({params, tenantUuid, services}) {
      const entries = await services.users.throttleOf(tenantUuid, params.user_uuid);
      return {status: 200, body: {items: entries.map(entryBody), total: entries.length}};
    },
  }),
  route({
    method: 'DELETE',
    path: '/users/{user_uuid:uuid}/throttle',
    tag: 'users',
    summary: "Forgets the failed logins counted against the user's logins: they are judged again at once from every address",
    access: 'auth.users.{user_uuid}.throttle.delete',
    resource: 'users',
    responses: {204: 'Cleared', ...RESPONSES},
    async handle({params, tenantUuid, services}) {
      await services.users.unlock(tenantUuid, params.user_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: '/throttle',
    tag: 'users',
    summary: 'Lists the failed logins counted against the logins of the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.throttle.read',
    resource: 'users',
    query: {list: recurseQuery('users', 'Include the users of the tenants below the scoping tenant')},
    responses: {200: 'The counts, newest failure first, each with its `user_uuid`', 400: 'Invalid `recurse`', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const entries = await services.users.throttled(tenantUuid, query.list.recurse);
      const items: api.UserThrottleEntry[] = entries.map((entry) => ({user_uuid: entry.userUuid, ...entryBody(entry)}));
      return {status: 200, body: {items, total: entries.length}};
    },
  }),
];
