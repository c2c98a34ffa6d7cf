// Every error the API answers, declared once with its status and upstream's body shape.
// Handlers throw these; the server turns them into responses in one place.

/** Python-style float seconds, as upstream's `timestamp` fields. */
export function timestamp(): number {
  return Date.now() / 1000;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    /** An HTML page instead of a JSON body (werkzeug's own errors). */
    readonly html = false,
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String(body.message) : `HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** Token routes' shape: {"reason": [msg], "timestamp": [t], "status_code": N}. */
function reason(status: number, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, {reason: [message], timestamp: [timestamp()], status_code: status}, headers);
}

/** Resource routes' shape: {"message", "error_id", "details", "timestamp", "resource"}. */
export function apiError(
  status: number,
  errorId: string,
  message: string,
  details: Record<string, unknown> = {},
  resource?: string,
): HttpError {
  return new HttpError(status, {message, error_id: errorId, details, timestamp: timestamp(), resource});
}

const NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

export const errors = {
  // framework level
  routeNotFound: () => new HttpError(404, NOT_FOUND_PAGE, {}, true),
  methodNotAllowed: (allow: string[]) =>
    new HttpError(405, {message: 'The method is not allowed for the requested URL.'}, {Allow: allow.join(', ')}),
  badRequestBody: () =>
    new HttpError(400, {message: 'The browser (or proxy) sent a request that this server could not understand.'}),
  payloadTooLarge: () =>
    new HttpError(413, {message: 'The data value transmitted exceeds the capacity limit.'}),
  internal: () =>
    new HttpError(500, {message: 'The server encountered an internal error and was unable to complete your request.'}),
  unavailable: () =>
    new HttpError(503, {message: 'The service is unavailable, try again later.'}),

  // token routes
  authenticationFailed: () => reason(401, 'Authentication Failed'),
  noSuchToken: () => reason(404, 'No such token'),
  unauthorizedScope: (scope: string) => reason(403, `Unauthorized for ${scope}`),
  unauthorizedTenant: (tenant: string) => reason(403, `Unauthorized for tenant ${tenant}`),
  tooManySessions: (userUuid: string) =>
    reason(429, `User ${userUuid} has exceeded the maximum number of active sessions`),
  /** Ours: upstream has no login throttling; the token routes' shape, with Retry-After. */
  loginThrottled: (retryAfter: number) =>
    reason(429, `Too many failed logins: try again in ${retryAfter} seconds`, {'Retry-After': String(retryAfter)}),
  /** The password hash queue is full: a second is about forty hashes on one worker. */
  loginsBusy: () => reason(503, 'Too many logins in progress: try again later', {'Retry-After': '1'}),
  /** Upstream puts the Python repr of the validation errors in `reason`. */
  invalidTokenRequest: (pythonRepr: string) => reason(400, pythonRepr),
  invalidPolicyAccess: (message: string) => reason(400, message),
  /** An ACL beyond a configured limit; the message names the limit's key. */
  aclLimitExceeded: (field: string, message: string) => reason(400, `Invalid value supplied for field: ${field}: ${message}`),
  policyAccessConflict: (access: string) => reason(409, `Policy already has access: "${access}"`),
  groupConflict: (name: string) => reason(409, `Group "${name}" already exists`),

  // resource routes
  unauthorized: (details: {
    invalid_token: string;
    reason: 'not_found_or_expired' | 'missing_permission_or_invalid_tenant';
    required_access: string;
    tenant_uuid?: string | null;
  }) => apiError(401, 'unauthorized', 'Unauthorized', details),
  /** `Wazo-Tenant` names no tenant of the token's tree (the access itself is granted). */
  tenantOutsideTree: (tenant: string) =>
    apiError(401, 'unauthorized-tenant', 'Unauthorized tenant', {tenant_uuid: tenant}),
  unknown: (resource: string, what: string, id: string, idField = 'uuid') =>
    apiError(404, `unknown-${what}`, `No such ${what}: "${id}"`, {[idField]: id}, resource),
  conflict: (resource: string, field: string, message: string) =>
    apiError(409, 'conflict', 'Conflict detected', {[field]: {constraint_id: 'unique', message}}, resource),
  invalidData: (resource: string, details: Record<string, {message: string}>) => {
    const first = Object.values(details)[0];
    return apiError(400, 'invalid-data', first?.message ?? 'Invalid data', details, resource);
  },

  // groups
  readOnlyGroup: (uuid: string) =>
    apiError(403, 'forbidden-group', `Forbidden group modification: "${uuid}"`, {uuid}, 'groups'),
  /** Upstream's spelling of the id and the message, which clients may match. */
  tenantMismatch: (userTenantUuid: string, groupTenantUuid: string) =>
    apiError(400, 'missmatching-tenant', 'Ressources are not in the same tenant', {user_tenant_uuid: userTenantUuid, group_tenant_uuid: groupTenantUuid}, 'groups'),

  // refresh tokens, config
  unknownRefreshToken: (clientId: string) =>
    apiError(404, 'cannot-find-refresh-token-matching-client-id', `unknown refresh_token for client_id "${clientId}"`, {client_id: clientId}, 'tokens'),
  /** A route reserved to tokens of the top tenant (upstream's required_top_tenant), whatever Wazo-Tenant says. */
  topTenantOnly: (shownToken: string) => apiError(401, 'unauthorized', 'Unauthorized', {invalid_token: shownToken}),
};
