// GET /tokens, GET /users/{uuid|me}/tokens, DELETE /users/{uuid|me}/tokens/{client_id}: the
// refresh tokens of the caller's tenant tree. Neither their value nor its digest ever leaves.

import type * as api from '../../api/types.js';
import type {RefreshTokenListing} from '../../domain/types.js';
import type {Services} from '../../services/index.js';
import type {RefreshTokenMatch} from '../../services/refresh-tokens.js';
import {utcIsoWithOffset} from '../../services/time-format.js';
import {listFilters, listQuery, type ListQuery} from '../list-params.js';
import {InvalidListParam} from '../request-errors.js';
import {route, type QueryParser, type Route} from '../route.js';

const RESOURCE = 'tokens';
// Upstream names `users` as the resource of every invalid-list-param answer.
const refreshTokenList = listQuery('users', ['created_at', 'client_id', 'mobile'], 'created_at');

/** A date-time to the second; a space stands for the `+` of an offset sent unencoded. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+ -]\d{2}:\d{2})?$/i;

// Upstream's exact-match filters.
const refreshTokenFilters = listFilters<{clientId?: string; mobile?: boolean; createdAt?: string}>('users', {
  client_id: {key: 'clientId', schema: {type: 'string', description: 'Only the refresh token of this client'}},
  mobile: {key: 'mobile', schema: {type: 'boolean', description: 'Only mobile (or only other) refresh tokens'}},
  created_at: {
    key: 'createdAt',
    schema: {type: 'string', pattern: DATE_TIME, description: 'Only refresh tokens created at this second (ISO 8601; UTC without offset)'},
  },
});

/** The filters of the query string, `created_at` as whole seconds; a bad value is a 400 like any list parameter. */
const refreshTokenMatch: QueryParser<RefreshTokenMatch> = {
  parameters: refreshTokenFilters.parameters,
  parse(query) {
    const {clientId, mobile, createdAt} = refreshTokenFilters.parse(query);
    if (createdAt === undefined) return {clientId, mobile};
    // Without an offset the time is UTC, as upstream's database session.
    const hasOffset = /(Z|[+ -]\d{2}:\d{2})$/i.test(createdAt.slice('YYYY-MM-DDTHH:MM:SS'.length));
    const millis = Date.parse(hasOffset ? createdAt.replace(' ', '+') : `${createdAt}Z`);
    if (Number.isNaN(millis)) {
      throw new InvalidListParam('created_at', {constraint_id: 'type', constraint: 'datetime', message: 'Not a valid datetime.'}, 'users');
    }
    return {clientId, mobile, createdAt: Math.floor(millis / 1000)};
  },
};

const listing = {list: refreshTokenList, match: refreshTokenMatch};

/** Upstream's fields in upstream's order; `metadata` is what backends persist, and wazo_user persists nothing. */
function refreshTokenBody(token: RefreshTokenListing): api.RefreshToken {
  return {
    client_id: token.clientId,
    created_at: utcIsoWithOffset(token.createdAt),
    mobile: token.mobile,
    user_uuid: token.userUuid,
    tenant_uuid: token.tenantUuid,
    metadata: {},
  };
}

async function listOfUser(services: Services, tenantUuid: string, userUuid: string, query: {list: ListQuery; match: RefreshTokenMatch}) {
  const {total, filtered, items} = await services.refreshTokens.listOfUser(tenantUuid, userUuid, query.match, query.list);
  return {status: 200, body: {total, filtered, items: items.map(refreshTokenBody)}};
}

const listResponses = {
  200: 'The refresh tokens',
  400: 'Invalid list parameter',
  401: 'Missing or insufficient token',
  404: 'No such user in this subtree',
};
const deleteResponses = {
  204: 'Withdrawn: it cannot log in any more; the tokens it produced stay valid',
  401: 'Missing or insufficient token',
  404: 'No such user in this subtree, or no refresh token for this client',
};

export const refreshTokenRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/tokens',
    tag: 'token',
    summary: 'Lists the refresh tokens of the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.tokens.read',
    resource: RESOURCE,
    query: listing,
    responses: {200: 'The refresh tokens', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse, ...list} = query.list;
      const {total, filtered, items} = await services.refreshTokens.list(tenantUuid, query.match, list, recurse);
      return {status: 200, body: {total, filtered, items: items.map(refreshTokenBody)}};
    },
  }),
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/tokens',
    tag: 'token',
    summary: 'Lists the refresh tokens of a user',
    access: 'auth.users.{user_uuid}.tokens.read',
    resource: RESOURCE,
    query: listing,
    responses: listResponses,
    handle: ({params, query, tenantUuid, services}) => listOfUser(services, tenantUuid, params.user_uuid, query),
  }),
  route({
    method: 'GET',
    path: '/users/me/tokens',
    tag: 'token',
    summary: "Lists the caller's own refresh tokens",
    access: 'auth.users.me.tokens.read',
    resource: RESOURCE,
    query: listing,
    responses: listResponses,
    handle: ({query, tenantUuid, token, services}) => listOfUser(services, tenantUuid, token.record.authId, query),
  }),
  route({
    method: 'DELETE',
    path: '/users/{user_uuid:uuid}/tokens/{client_id}',
    tag: 'token',
    summary: "Withdraws a user's refresh token; the access tokens it produced stay valid",
    access: 'auth.users.{user_uuid}.tokens.{client_id}.delete',
    resource: RESOURCE,
    responses: deleteResponses,
    async handle({params, tenantUuid, services}) {
      await services.refreshTokens.delete(tenantUuid, params.user_uuid, params.client_id);
      return {status: 204};
    },
  }),
  route({
    method: 'DELETE',
    path: '/users/me/tokens/{client_id}',
    tag: 'token',
    summary: "Withdraws one of the caller's refresh tokens; the access tokens it produced stay valid",
    access: 'auth.users.me.tokens.{client_id}.delete',
    resource: RESOURCE,
    responses: deleteResponses,
    async handle({params, tenantUuid, token, services}) {
      await services.refreshTokens.delete(tenantUuid, token.record.authId, params.client_id);
      return {status: 204};
    },
  }),
];
