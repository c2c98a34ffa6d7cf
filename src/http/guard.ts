// The access guard of protected routes: finds the caller's token, checks the route's required
// access, then resolves the tenant it acts in. Every refusal is upstream's 401.

import type {IncomingHttpHeaders} from 'node:http';
import {requiredAccessFor} from '../acl/index.js';
import {redactToken} from '../log.js';
import type {Services} from '../services/index.js';
import type {LiveToken} from '../services/tokens.js';
import {TenantOutsideTree, Unauthorized} from './request-errors.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function guard(
  services: Services,
  accessTemplate: string,
  params: Readonly<Record<string, string>>,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): Promise<{token: LiveToken; tenantUuid: string}> {
  const presented = header(headers, 'x-auth-token') ?? query.get('token') ?? '';
  const requiredAccess = requiredAccessFor(accessTemplate, params);
  const token = UUID.test(presented) ? await services.tokens.find(presented.toLowerCase()) : undefined;
  // Upstream echoes the whole token; a live token is a secret, so only its end is shown.
  const shown = presented ? redactToken(presented) : '';
  if (!token) {
    throw new Unauthorized({invalid_token: shown, reason: 'not_found_or_expired', required_access: requiredAccess});
  }
  // Upstream takes an empty Wazo-Tenant for none.
  const wanted = header(headers, 'wazo-tenant') || undefined;
  // As upstream, the access is checked whatever tenant is asked for; the tenant comes after.
  if (!token.tenantUuid || !token.check.grants(requiredAccess)) {
    throw new Unauthorized({
      invalid_token: shown,
      reason: 'missing_permission_or_invalid_tenant',
      required_access: requiredAccess,
      tenant_uuid: wanted ?? null,
    });
  }
  return {token, tenantUuid: await actingTenant(services, token, token.tenantUuid, wanted)};
}

/** The token's own tenant, or the one `Wazo-Tenant` names when it is that tenant or below it. */
async function actingTenant(services: Services, token: LiveToken, own: string, wanted: string | undefined): Promise<string> {
  if (wanted === undefined) return own;
  const tenantUuid = wanted.toLowerCase();
  if (!UUID.test(wanted) || !(await services.tokens.coversTenant(token, tenantUuid))) throw new TenantOutsideTree(wanted);
  return tenantUuid;
}
