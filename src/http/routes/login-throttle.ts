// GET|DELETE /users/{uuid}/throttle and GET /throttle: the failed logins counted against users'
// logins (username, e-mail addresses) per client address, and clearing them. Ours: upstream has
// no login throttling.

import type {ThrottleEntry} from '../../services/login-throttle.js';
import {utcIsoWithOffset} from '../../services/time-format.js';
import {invalidListParam} from '../list-params.js';
import type {Route} from '../route.js';
import {firstErrors, validate, type ObjectSchema} from '../schema.js';
import {asUserAnswer} from './users.js';

const recurseQuery: ObjectSchema = {
  type: 'object',
  properties: {recurse: {type: 'boolean', default: false, description: 'Include the users of the tenants below the scoping tenant'}},
};

function entryBody(entry: ThrottleEntry): Record<string, unknown> {
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
  {
    method: 'GET',
    path: '/users/{user_uuid:uuid}/throttle',
    tag: 'users',
    summary:
      "Lists the failed logins counted against the user's username and e-mail addresses, per client address (an IPv6 " +
      'address counts by its /64 network); `retry_after` is the seconds before the next attempt is judged, 0 when it is now',
    access: 'auth.users.{user_uuid}.throttle.read',
    resource: 'users',
    responses: {200: 'The counts, newest failure first', ...RESPONSES},
    async handle(ctx) {
      const entries = await asUserAnswer(ctx.services.users.throttleOf(ctx.tenantUuid!, ctx.params.user_uuid!));
      return {status: 200, body: {items: entries.map(entryBody), total: entries.length}};
    },
  },
  {
    method: 'DELETE',
    path: '/users/{user_uuid:uuid}/throttle',
    tag: 'users',
    summary: "Forgets the failed logins counted against the user's logins: they are judged again at once from every address",
    access: 'auth.users.{user_uuid}.throttle.delete',
    resource: 'users',
    responses: {204: 'Cleared', ...RESPONSES},
    async handle(ctx) {
      await asUserAnswer(ctx.services.users.unlock(ctx.tenantUuid!, ctx.params.user_uuid!));
      return {status: 204};
    },
  },
  {
    method: 'GET',
    path: '/throttle',
    tag: 'users',
    summary: 'Lists the failed logins counted against the logins of the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.throttle.read',
    resource: 'users',
    query: [{name: 'recurse', schema: recurseQuery.properties.recurse!}],
    responses: {200: 'The counts, newest failure first, each with its `user_uuid`', 400: 'Invalid `recurse`', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const given = ctx.query.get('recurse');
      const parsed = validate<{recurse: boolean}>(recurseQuery, given === null ? {} : {recurse: given});
      if (!parsed.ok) throw invalidListParam(firstErrors(parsed.errors), 'users');
      const entries = await ctx.services.users.throttled(ctx.tenantUuid!, parsed.value.recurse);
      return {
        status: 200,
        body: {items: entries.map((entry) => ({user_uuid: entry.userUuid, ...entryBody(entry)})), total: entries.length},
      };
    },
  },
];
