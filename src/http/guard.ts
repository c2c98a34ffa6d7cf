// The access guard of protected routes: finds the caller's token, resolves the tenant it acts
// in and checks the route's required access. Every refusal is upstream's 401.

import type {IncomingHttpHeaders} from 'node:http';
import {requiredAccessFor} from '../acl/index.js';
import {redactToken} from '../log.js';
import type {Services} from '../services/index.js';
import type {LiveToken} from '../services/tokens.js';
import {errors} from './errors.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function guard(
  services: Services,
  accessTemplate: string,
  params: Record<string, string>,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): Promise<{token: LiveToken; tenantUuid: string}> {
  const presented = header(headers, 'x-auth-token') ?? query.get('token') ?? '';
  const requiredAccess = requiredAccessFor(accessTemplate, params);
  const token = UUID.test(presented) ? await services.tokens.find(presented.toLowerCase()) : undefined;
  // Upstream echoes the whole token; a live token is a secret, so only its end is shown.
  const shown = presented ? redactToken(presented) : '';
  if (!token) {
    throw errors.unauthorized({invalid_token: shown, reason: 'not_found_or_expired', required_access: requiredAccess});
  }
  const wanted = header(headers, 'wazo-tenant');
  const refuse = () =>
    errors.unauthorized({
      invalid_token: shown,
      reason: 'missing_permission_or_invalid_tenant',
      required_access: requiredAccess,
      tenant_uuid: wanted ?? null,
    });
  let tenantUuid = token.tenantUuid;
  if (wanted !== undefined) {
    if (!UUID.test(wanted) || !(await services.tokens.coversTenant(token, wanted.toLowerCase()))) throw refuse();
    tenantUuid = wanted.toLowerCase();
  }
  if (!tenantUuid || !token.check.grants(requiredAccess)) throw refuse();
  return {token, tenantUuid};
}
