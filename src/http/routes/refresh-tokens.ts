// GET /tokens, GET /users/{uuid|me}/tokens, DELETE /users/{uuid|me}/tokens/{client_id}: the
// refresh tokens of the caller's tenant tree. Neither their value nor its digest ever leaves.

import {UnknownRefreshToken, type RefreshTokenMatch} from '../../services/refresh-tokens.js';
import {utcIsoWithOffset} from '../../services/time-format.js';
import type {RefreshTokenListing} from '../../domain/types.js';
import {errors} from '../errors.js';
import {invalidListParam, listFilters, listQuery} from '../list-params.js';
import type {QueryParameter, RequestContext, Route} from '../route.js';
import {asUserAnswer} from './users.js';

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
const listParameters: QueryParameter[] = [...refreshTokenList.parameters, ...refreshTokenFilters.parameters];

/** The filters of the query string, `created_at` as whole seconds; a bad value is a 400 like any list parameter. */
function parseMatch(query: URLSearchParams): RefreshTokenMatch {
  const {clientId, mobile, createdAt} = refreshTokenFilters.parse(query);
  if (createdAt === undefined) return {clientId, mobile};
  // Without an offset the time is UTC, as upstream's database session.
  const hasOffset = /(Z|[+ -]\d{2}:\d{2})$/i.test(createdAt.slice('YYYY-MM-DDTHH:MM:SS'.length));
  const millis = Date.parse(hasOffset ? createdAt.replace(' ', '+') : `${createdAt}Z`);
  if (Number.isNaN(millis)) {
    throw invalidListParam({created_at: {constraint_id: 'type', constraint: 'datetime', message: 'Not a valid datetime.'}}, 'users');
  }
  return {clientId, mobile, createdAt: Math.floor(millis / 1000)};
}

/** Upstream's fields in upstream's order; `metadata` is what backends persist, and wazo_user persists nothing. */
function refreshTokenBody(token: RefreshTokenListing): Record<string, unknown> {
  return {
    client_id: token.clientId,
    created_at: utcIsoWithOffset(token.createdAt),
    mobile: token.mobile,
    user_uuid: token.userUuid,
    tenant_uuid: token.tenantUuid,
    metadata: {},
  };
}

/** The user a `me` route acts on: the caller's own. */
const self = (ctx: RequestContext) => ctx.token!.record.authId;

async function listOfUser(ctx: RequestContext, userUuid: string) {
  const params = refreshTokenList.parse(ctx.query);
  const match = parseMatch(ctx.query);
  const {total, filtered, items} = await asUserAnswer(
    ctx.services.refreshTokens.listOfUser(ctx.tenantUuid!, userUuid, match, params),
  );
  return {status: 200, body: {total, filtered, items: items.map(refreshTokenBody)}};
}

async function deleteOfUser(ctx: RequestContext, userUuid: string) {
  const clientId = ctx.params.client_id!;
  try {
    await asUserAnswer(ctx.services.refreshTokens.delete(ctx.tenantUuid!, userUuid, clientId));
  } catch (error) {
    if (error instanceof UnknownRefreshToken) throw errors.unknownRefreshToken(error.clientId);
    throw error;
  }
  return {status: 204};
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
  {
    method: 'GET',
    path: '/tokens',
    tag: 'token',
    summary: 'Lists the refresh tokens of the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.tokens.read',
    resource: RESOURCE,
    query: listParameters,
    responses: {200: 'The refresh tokens', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse, ...params} = refreshTokenList.parse(ctx.query);
      const match = parseMatch(ctx.query);
      const {total, filtered, items} = await ctx.services.refreshTokens.list(ctx.tenantUuid!, match, params, recurse);
      return {status: 200, body: {total, filtered, items: items.map(refreshTokenBody)}};
    },
  },
  {
    method: 'GET',
    path: '/users/{user_uuid:uuid}/tokens',
    tag: 'token',
    summary: 'Lists the refresh tokens of a user',
    access: 'auth.users.{user_uuid}.tokens.read',
    resource: RESOURCE,
    query: listParameters,
    responses: listResponses,
    handle: (ctx) => listOfUser(ctx, ctx.params.user_uuid!),
  },
  {
    method: 'GET',
    path: '/users/me/tokens',
    tag: 'token',
    summary: "Lists the caller's own refresh tokens",
    access: 'auth.users.me.tokens.read',
    resource: RESOURCE,
    query: listParameters,
    responses: listResponses,
    handle: (ctx) => listOfUser(ctx, self(ctx)),
  },
  {
    method: 'DELETE',
    path: '/users/{user_uuid:uuid}/tokens/{client_id}',
    tag: 'token',
    summary: "Withdraws a user's refresh token; the access tokens it produced stay valid",
    access: 'auth.users.{user_uuid}.tokens.{client_id}.delete',
    resource: RESOURCE,
    responses: deleteResponses,
    handle: (ctx) => deleteOfUser(ctx, ctx.params.user_uuid!),
  },
  {
    method: 'DELETE',
    path: '/users/me/tokens/{client_id}',
    tag: 'token',
    summary: "Withdraws one of the caller's refresh tokens; the access tokens it produced stay valid",
    access: 'auth.users.me.tokens.{client_id}.delete',
    resource: RESOURCE,
    responses: deleteResponses,
    handle: (ctx) => deleteOfUser(ctx, self(ctx)),
  },
];
