// What the audit trail (src/services/audit.ts) records of a request that changed something: built
// from the route's declaration and the request as the server parsed it. Values of the fields sent
// are shown only for names known to carry no secret; any other field, a password among them,
// appears by its name alone. A token in the path is never shown.

import type {AuditEntry} from '../services/audit.js';
import type {Reply, Route, ServerRequest} from './route.js';

/**
 * Fields whose values say what changed and are never secrets, at any depth of a body. Not `value`:
 * free-form bodies (external-auth settings) may name a secret so.
 */
const SHOWN = new Set([
  'uuid',
  'name',
  'slug',
  'description',
  'acl',
  'shared',
  'username',
  'firstname',
  'lastname',
  'purpose',
  'enabled',
  'authentication_method',
  'parent_uuid',
  'tenant_uuid',
  'domain_names',
  'emails',
  'address',
  'main',
  'confirmed',
  'contact',
  'phone',
  'line_1',
  'line_2',
  'city',
  'state',
  'country',
  'zip_code',
  'users',
  'host',
  'port',
  'protocol_version',
  'protocol_security',
  'user_base_dn',
  'user_login_attribute',
  'user_email_attribute',
  'search_filters',
  'bind_dn',
  'entity_id',
  'domain_uuid',
  'acs_url',
  'operations',
  'op',
  'path',
]);

/** Path parameters that are credentials: recorded as present, never by value. */
const SECRET_PARAMS = new Set(['token']);

/** Logins, SAML's login steps and checks change no administrative state: not recorded. */
export function isAudited(route: Route, status: number): boolean {
  return route.method !== 'GET' && route.method !== 'HEAD' && route.audit !== false && status >= 200 && status < 300;
}

/** The shown fields of a value, recursively; the names of the others. */
function split(value: unknown, hidden: string[], prefix = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => split(item, hidden, prefix));
  if (value === null || typeof value !== 'object') return value;
  const shown: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SHOWN.has(key)) shown[key] = split(item, hidden, `${prefix}${key}.`);
    else if (!hidden.includes(prefix + key)) hidden.push(prefix + key);
  }
  return shown;
}

export function auditEntry(route: Route, ctx: ServerRequest, reply: Reply, apiRoot: string): AuditEntry {
  const hidden: string[] = [];
  const fields = ctx.body === undefined ? {} : (split(ctx.body, hidden) as Record<string, unknown>);
  if (ctx.form !== undefined) hidden.push('(form)');
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.params)) params[key] = SECRET_PARAMS.has(key) ? '(not shown)' : value;
  const created = (reply.body as {uuid?: unknown} | undefined)?.uuid;
  const token = ctx.token;
  return {
    actor: token ? {user_uuid: token.record.authId, session_uuid: token.record.sessionUuid, tenant_uuid: token.tenantUuid} : null,
    remote_addr: ctx.remoteAddr,
    tenant_uuid: ctx.tenantUuid ?? null,
    method: route.method,
    route: apiRoot + route.path.replace(/\{([^}:]+):[^}]+\}/g, '{$1}'),
    params,
    fields,
    hidden,
    status: reply.status,
    ...(route.method === 'POST' && typeof created === 'string' ? {created_uuid: created} : {}),
  };
}
