// POST /token, GET|HEAD|DELETE /token/{token}, POST /token/{token}/scopes/check.
// The token is its own credential on these routes: no X-Auth-Token is needed.

import type {IncomingHttpHeaders} from 'node:http';
import {LoginThrottled} from '../../services/login-throttle.js';
import {HashQueueFull} from '../../services/passwords.js';
import {performance} from 'node:perf_hooks';
import {AclLimitExceeded} from '../../acl/index.js';
import {AuthenticationFailed, TooManySessions, type LiveToken} from '../../services/tokens.js';
import type {TokenRecord} from '../../domain/types.js';
import {toJson} from '../json.js';
import {errors} from '../errors.js';
import type {RequestContext, Route} from '../route.js';
import {pythonRepr, type FieldErrors, type ObjectSchema} from '../schema.js';
import {clientValue, redactToken} from '../../log.js';

const TEN_YEARS = 315_360_000;
const LOGIN_BODY_BYTES = 64 * 1024;

const tokenRequest: ObjectSchema = {
  type: 'object',
  properties: {
    backend: {type: 'string', default: 'wazo_user', description: 'Ignored, as upstream since 24.08: every login goes through wazo_user and gets its policy'},
    expiration: {type: 'integer', minimum: 1, maximum: TEN_YEARS, description: 'Lifetime of the token in seconds'},
    access_type: {type: 'string', enum: ['online', 'offline'], description: '`offline` also returns a refresh token'},
    client_id: {type: 'string', minLength: 1, maxLength: 1024, description: 'Names the refresh token of an offline login'},
    refresh_token: {type: 'string', description: 'Logs in with a refresh token instead of a password'},
    tenant_id: {type: 'string'},
    domain_name: {type: 'string'},
  },
};

const scopesRequest: ObjectSchema = {
  type: 'object',
  properties: {
    scopes: {type: 'array', items: {type: 'string'}, description: 'The accesses to check'},
    tenant_uuid: {type: 'string', nullable: true, description: 'A tenant the token must cover'},
  },
  required: ['scopes'],
};

const invalidTokenRequest = (e: FieldErrors) => errors.invalidTokenRequest(pythonRepr(e));

/** Cross-field rules, reported as marshmallow's `_schema` errors. */
function schemaRule(body: Record<string, unknown>): string | undefined {
  if (body.access_type === 'offline' && body.refresh_token) return 'cannot use the "access_type" "offline" with a refresh token';
  if (body.access_type === 'offline' && !body.client_id) return '"client_id" must be specified when using "access_type" is "offline"';
  if (body.tenant_id && body.domain_name) return '"tenant_id" and "domain_name" must be mutually exclusive';
  if (body.refresh_token && !body.client_id) return '"client_id" must be specified when using a "refresh_token"';
  return undefined;
}

/** Basic credentials, decoded as UTF-8 or else Latin-1 (what browsers' btoa sends). */
export function basicCredentials(headers: IncomingHttpHeaders): {login: string; password: string} | undefined {
  const authorization = headers.authorization;
  if (!authorization?.startsWith('Basic ')) return undefined;
  const bytes = Buffer.from(authorization.slice(6).trim(), 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  const colon = text.indexOf(':');
  if (colon === -1) return undefined;
  const login = text.slice(0, colon);
  const password = text.slice(colon + 1);
  return login && password ? {login, password} : undefined;
}

/** Who a failed login claimed to be, quoted so that a hostile login cannot forge log lines. */
function claimedLogin(body: Record<string, unknown>, credentials: {login: string} | undefined): string {
  if (body.refresh_token) return `a refresh token of client "${clientValue(String(body.client_id))}"`;
  return credentials ? `"${clientValue(credentials.login)}"` : 'no credentials';
}


async function liveToken(ctx: RequestContext): Promise<LiveToken> {
  const token = await ctx.services.tokens.find(ctx.params.token!);
  if (!token) throw errors.noSuchToken();
  return token;
}

/** `?scope=` and `?tenant=`, checked in upstream's order. */
async function checkedToken(ctx: RequestContext): Promise<LiveToken> {
  const token = await liveToken(ctx);
  const scope = ctx.query.get('scope');
  if (scope !== null && !token.check.grants(scope)) throw errors.unauthorizedScope(scope);
  const tenant = ctx.query.get('tenant');
  if (tenant && !(await ctx.services.tokens.coversTenant(token, tenant))) throw errors.unauthorizedTenant(tenant);
  return token;
}

/** A stored token never changes: its GET answer is written once, then served from memory. */
const viewTexts = new WeakMap<TokenRecord, string>();

const tokenPath = '/token/{token:uuid}';
const scopeQuery = [
  {name: 'scope', schema: {type: 'string', description: 'An access the token must grant'} as const},
  {name: 'tenant', schema: {type: 'string', description: 'A tenant the token must cover'} as const},
];

export const tokenRoutes: Route[] = [
  {
    method: 'POST',
    path: '/token',
    tag: 'token',
    summary: 'Log in: creates a token from HTTP Basic credentials or a refresh token',
    body: tokenRequest,
    // Credentials and a few options: an anonymous caller gets no more room than that.
    maxBodyBytes: LOGIN_BODY_BYTES,
    noStore: true,
    falsyBodyIsEmpty: true,
    invalidBody: invalidTokenRequest,
    responses: {
      200: 'The new token',
      400: 'Invalid request',
      401: 'Authentication failed',
      429: 'Too many sessions, or too many failed logins from this address (`Retry-After` says when to try again)',
      503: 'Too many logins in progress (`Retry-After`)',
    },
    async handle(ctx) {
      const body = ctx.body;
      const rule = schemaRule(body);
      if (rule) throw errors.invalidTokenRequest(pythonRepr({_schema: [rule]}));
      const sessionType = ctx.headers['wazo-session-type'];
      const credentials = body.refresh_token ? undefined : basicCredentials(ctx.headers);
      try {
        const {data, sessionsRevoked, login} = await ctx.services.tokens.login({
          credentials,
          refreshToken: (body.refresh_token as string | undefined) || undefined,
          clientId: body.client_id as string | undefined,
          accessType: body.access_type === 'offline' ? 'offline' : 'online',
          expiration: body.expiration as number | undefined,
          mobile: typeof sessionType === 'string' && sessionType.toLowerCase() === 'mobile',
          remoteAddr: ctx.remoteAddr,
          userAgent: ctx.userAgent,
        });
        ctx.services.log.info(
          `Successful login: "${clientValue(login)}" got token ${redactToken(data.token as string)} from ${clientValue(ctx.remoteAddr)} using agent "${clientValue(ctx.userAgent)}"`,
        );
        return {status: 200, body: {data}, headers: {'Wazo-Sessions-Revoked': String(sessionsRevoked)}};
      } catch (error) {
        if (error instanceof AuthenticationFailed) {
          ctx.services.log.info(`Failed login: ${claimedLogin(body, credentials)} from ${clientValue(ctx.remoteAddr)} using agent "${clientValue(ctx.userAgent)}"`);
          throw errors.authenticationFailed();
        }
        if (error instanceof TooManySessions) throw errors.tooManySessions(error.userUuid);
        if (error instanceof LoginThrottled) throw errors.loginThrottled(error.retryAfter);
        if (error instanceof HashQueueFull) throw errors.loginsBusy();
        if (error instanceof AclLimitExceeded) {
          ctx.services.log.warning(`Refused login: ${claimedLogin(body, credentials)}: ${error.message}`);
          throw errors.aclLimitExceeded('acl', error.message);
        }
        throw error;
      }
    },
  },
  {
    method: 'GET',
    path: tokenPath,
    tag: 'token',
    summary: "Reads a token's data; checks an access or a tenant on the way",
    query: scopeQuery,
    noStore: true,
    responses: {200: 'The token', 403: 'The scope or tenant is not granted', 404: 'No such token'},
    async handle(ctx) {
      const token = await checkedToken(ctx);
      let text = viewTexts.get(token.record);
      if (!text) viewTexts.set(token.record, (text = toJson({data: ctx.services.tokens.view(token)})));
      return {status: 200, raw: {contentType: 'application/json', text}};
    },
  },
  {
    method: 'HEAD',
    path: tokenPath,
    tag: 'token',
    summary: 'Checks a token, and an access or a tenant, without a body',
    query: scopeQuery,
    responses: {204: 'Valid', 403: 'The scope or tenant is not granted', 404: 'No such token'},
    async handle(ctx) {
      await checkedToken(ctx);
      return {status: 204};
    },
  },
  {
    method: 'DELETE',
    path: tokenPath,
    tag: 'token',
    summary: 'Revokes a token; revoking an unknown token succeeds too',
    responses: {200: 'Revoked'},
    async handle(ctx) {
      await ctx.services.tokens.revoke(ctx.params.token!);
      return {status: 200, body: {data: {message: 'success'}}};
    },
  },
  {
    method: 'POST',
    path: `${tokenPath}/scopes/check`,
    tag: 'token',
    summary: 'Tells, for each access, whether the token grants it',
    body: scopesRequest,
    invalidBody: invalidTokenRequest,
    responses: {200: 'One boolean per access', 403: 'The tenant is not granted', 404: 'No such token'},
    async handle(ctx) {
      const token = await liveToken(ctx);
      const scopes: Record<string, boolean> = {};
      let since = performance.now();
      for (const scope of ctx.body.scopes as string[]) {
        scopes[scope] = token.check.grants(scope);
        // A long list against a large ACL must not hold the other requests up.
        if (performance.now() - since > 5) {
          await new Promise((resolve) => setImmediate(resolve));
          since = performance.now();
        }
      }
      const tenant = ctx.body.tenant_uuid as string | null | undefined;
      if (tenant && !(await ctx.services.tokens.coversTenant(token, tenant))) throw errors.unauthorizedTenant(tenant);
      return {status: 200, body: {scopes}};
    },
  },
];
