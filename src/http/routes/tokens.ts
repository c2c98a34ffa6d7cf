// POST /token, GET|HEAD|DELETE /token/{token}, POST /token/{token}/scopes/check.
// The token is its own credential on these routes: no X-Auth-Token is needed.

import type {IncomingHttpHeaders} from 'node:http';
import {performance} from 'node:perf_hooks';
import type {ScopeCheck} from '../../api/types.js';
import {AclLimitExceeded, AuthenticationFailed, HashQueueFull, LoginThrottled, ScopeNotGranted, TenantNotCovered, UnknownToken} from '../../domain/errors.js';
import type {TokenRecord} from '../../domain/types.js';
import {clientValue, redactToken} from '../../log.js';
import type {Infer, ObjectSchema} from '../../schema/schema.js';
import type {Services} from '../../services/index.js';
import type {LoginOutcome} from '../../services/metrics.js';
import type {LiveToken} from '../../services/tokens.js';
import {toJson} from '../json.js';
import {BodyRuleBroken} from '../request-errors.js';
import {route, type QueryParser, type Route} from '../route.js';

const TEN_YEARS = 315_360_000;
const LOGIN_BODY_BYTES = 64 * 1024;

const tokenRequest = {
  type: 'object',
  properties: {
    backend: {type: 'string', default: 'wazo_user', description: 'Ignored, as upstream since 24.08: every login goes through wazo_user and gets its policy'},
    expiration: {type: 'integer', minimum: 1, maximum: TEN_YEARS, description: 'Lifetime of the token in seconds'},
    access_type: {type: 'string', enum: ['online', 'offline'], description: '`offline` also returns a refresh token'},
    client_id: {type: 'string', minLength: 1, maxLength: 1024, description: 'Names the refresh token of an offline login'},
    refresh_token: {type: 'string', description: 'Logs in with a refresh token instead of a password'},
    saml_session_id: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'Logs in with the SAML login of POST /saml/sso, once the identity provider has answered',
    },
    tenant_id: {
      type: 'string',
      description: 'With HTTP Basic credentials: log in against the LDAP directory of the tenant with this uuid or slug (deprecated upstream, use domain_name)',
    },
    domain_name: {type: 'string', description: 'With HTTP Basic credentials: log in against the LDAP directory of the tenant with this domain name'},
  },
} as const satisfies ObjectSchema;

const scopesRequest = {
  type: 'object',
  properties: {
    scopes: {type: 'array', items: {type: 'string'}, description: 'The accesses to check'},
    tenant_uuid: {type: 'string', nullable: true, description: 'A tenant the token must cover'},
  },
  required: ['scopes'],
} as const satisfies ObjectSchema;

type TokenRequest = Infer<typeof tokenRequest>;

/** Cross-field rules, reported as marshmallow's `_schema` errors. */
function schemaRule(body: TokenRequest): string | undefined {
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
function claimedLogin(body: TokenRequest, credentials: {login: string} | undefined): string {
  if (body.saml_session_id) return 'a saml_session_id';
  if (body.refresh_token) return `a refresh token of client "${clientValue(String(body.client_id))}"`;
  return credentials ? `"${clientValue(credentials.login)}"` : 'no credentials';
}

async function liveToken(services: Services, value: string): Promise<LiveToken> {
  const token = await services.tokens.find(value);
  if (!token) throw new UnknownToken();
  return token;
}

/** What a check asks besides the token's being live: an access, a tenant. */
interface Check {
  scope: string | null;
  tenant: string | null;
}

const checkQuery: QueryParser<Check> = {
  parameters: [
    {name: 'scope', schema: {type: 'string', description: 'An access the token must grant'}},
    {name: 'tenant', schema: {type: 'string', description: 'A tenant the token must cover'}},
  ],
  parse: (query) => ({scope: query.get('scope'), tenant: query.get('tenant')}),
};

/** `?scope=` and `?tenant=`, checked in upstream's order. */
async function checkedToken(services: Services, value: string, check: Check): Promise<LiveToken> {
  const metrics = services.metrics;
  if (!metrics) return checkToken(services, value, check);
  const started = performance.now();
  try {
    const token = await checkToken(services, value, check);
    metrics.tokenCheck('valid', (performance.now() - started) / 1000);
    return token;
  } catch (error) {
    const result = error instanceof ScopeNotGranted || error instanceof TenantNotCovered ? 'denied' : error instanceof UnknownToken ? 'invalid' : undefined;
    if (result) metrics.tokenCheck(result, (performance.now() - started) / 1000);
    throw error;
  }
}

async function checkToken(services: Services, value: string, {scope, tenant}: Check): Promise<LiveToken> {
  const token = await liveToken(services, value);
  if (scope !== null && !token.check.grants(scope)) throw new ScopeNotGranted(scope);
  if (tenant && !(await services.tokens.coversTenant(token, tenant))) throw new TenantNotCovered(tenant);
  return token;
}

function loginOutcome(error: unknown): LoginOutcome {
  if (error instanceof AuthenticationFailed) return 'failure';
  if (error instanceof LoginThrottled) return 'throttled';
  if (error instanceof HashQueueFull) return 'busy';
  return 'refused';
}

/** A stored token never changes: its GET answer is written once, then served from memory. */
const viewTexts = new WeakMap<TokenRecord, string>();

const tokenPath = '/token/{token:uuid}';

export const tokenRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/token',
    audit: false,
    tag: 'token',
    summary: 'Log in: creates a token from HTTP Basic credentials, a refresh token or a SAML login',
    body: tokenRequest,
    // Credentials and a few options: an anonymous caller gets no more room than that.
    maxBodyBytes: LOGIN_BODY_BYTES,
    noStore: true,
    falsyBodyIsEmpty: true,
    invalidBody: 'python-repr',
    responses: {
      200: 'The new token',
      400: 'Invalid request',
      401: 'Authentication failed',
      429: 'Too many sessions, or too many failed logins from this address (`Retry-After` says when to try again)',
      503: 'Too many logins in progress (`Retry-After`)',
    },
    async handle({body, headers, remoteAddr, userAgent, services}) {
      const rule = schemaRule(body);
      if (rule) throw new BodyRuleBroken(rule);
      const sessionType = headers['wazo-session-type'];
      const credentials = body.refresh_token ? undefined : basicCredentials(headers);
      try {
        const {data, sessionsRevoked, login} = await services.tokens.login({
          credentials,
          refreshToken: body.refresh_token || undefined,
          ...(body.saml_session_id === undefined ? {} : {samlSessionId: body.saml_session_id}),
          clientId: body.client_id,
          ...(body.tenant_id === undefined ? {} : {tenantId: body.tenant_id}),
          ...(body.domain_name === undefined ? {} : {domainName: body.domain_name}),
          accessType: body.access_type === 'offline' ? 'offline' : 'online',
          expiration: body.expiration,
          mobile: typeof sessionType === 'string' && sessionType.toLowerCase() === 'mobile',
          remoteAddr,
          userAgent,
        });
        if (body.saml_session_id !== undefined && typeof data.token === 'string') {
          const record = (await services.tokens.find(data.token))?.record;
          if (record) await services.saml.noteToken(body.saml_session_id, record.sessionUuid, record.refreshTokenUuid);
        }
        services.metrics?.login('success');
        services.log.info(
          `Successful login: "${clientValue(login)}" got token ${redactToken(String(data.token))} from ${clientValue(remoteAddr)} using agent "${clientValue(userAgent)}"`,
        );
        return {status: 200, body: {data}, headers: {'Wazo-Sessions-Revoked': String(sessionsRevoked)}};
      } catch (error) {
        services.metrics?.login(loginOutcome(error));
        // Logged here, where who claimed what is known; answered as any other error.
        if (error instanceof AuthenticationFailed) {
          services.log.info(`Failed login: ${claimedLogin(body, credentials)} from ${clientValue(remoteAddr)} using agent "${clientValue(userAgent)}"`);
        }
        if (error instanceof AclLimitExceeded) services.log.warning(`Refused login: ${claimedLogin(body, credentials)}: ${error.message}`);
        throw error;
      }
    },
  }),
  route({
    method: 'GET',
    path: tokenPath,
    tag: 'token',
    summary: "Reads a token's data; checks an access or a tenant on the way",
    query: {check: checkQuery},
    noStore: true,
    responses: {200: 'The token', 403: 'The scope or tenant is not granted', 404: 'No such token'},
    async handle({params, query, services}) {
      const token = await checkedToken(services, params.token, query.check);
      let text = viewTexts.get(token.record);
      if (!text) viewTexts.set(token.record, (text = toJson({data: services.tokens.view(token)})));
      return {status: 200, raw: {contentType: 'application/json', text}};
    },
  }),
  route({
    method: 'HEAD',
    path: tokenPath,
    tag: 'token',
    summary: 'Checks a token, and an access or a tenant, without a body',
    query: {check: checkQuery},
    responses: {204: 'Valid', 403: 'The scope or tenant is not granted', 404: 'No such token'},
    async handle({params, query, services}) {
      await checkedToken(services, params.token, query.check);
      return {status: 204};
    },
  }),
  route({
    method: 'DELETE',
    path: tokenPath,
    tag: 'token',
    summary: 'Revokes a token; revoking an unknown token succeeds too',
    responses: {200: 'Revoked'},
    async handle({params, services}) {
      await services.tokens.revoke(params.token);
      return {status: 200, body: {data: {message: 'success'}}};
    },
  }),
  route({
    method: 'POST',
    path: `${tokenPath}/scopes/check`,
    audit: false,
    tag: 'token',
    summary: 'Tells, for each access, whether the token grants it',
    body: scopesRequest,
    invalidBody: 'python-repr',
    responses: {200: 'One boolean per access', 403: 'The tenant is not granted', 404: 'No such token'},
    async handle({body, params, services}) {
      const token = await liveToken(services, params.token);
      const scopes: ScopeCheck = {};
      let since = performance.now();
      for (const scope of body.scopes) {
        scopes[scope] = token.check.grants(scope);
        // A long list against a large ACL must not hold the other requests up.
        if (performance.now() - since > 5) {
          await new Promise((resolve) => setImmediate(resolve));
          since = performance.now();
        }
      }
      const tenant = body.tenant_uuid;
      if (tenant && !(await services.tokens.coversTenant(token, tenant))) throw new TenantNotCovered(tenant);
      return {status: 200, body: {scopes}};
    },
  }),
];
