// Every answer an error gets, in one table: each code to its status and upstream's body shape.
// Services and handlers throw coded errors (src/domain/errors.ts, request-errors.ts); the server
// looks their code up here, and nothing else turns an error into an answer.

import type * as domain from '../domain/errors.js';
import type {CodedError} from '../domain/errors.js';
import {redactToken} from '../log.js';
import type {LiveToken} from '../services/tokens.js';
import type * as request from './request-errors.js';
import type {Reply} from './route.js';
import {firstErrors, firstMessage, pythonRepr, type FieldError, type FieldErrors} from './schema.js';

/** Python-style float seconds, as upstream's `timestamp` fields. */
function timestamp(): number {
  return Date.now() / 1000;
}

/** Token routes' shape: {"reason": [msg], "timestamp": [t], "status_code": N}. */
function reason(status: number, message: string, headers?: Record<string, string>): Reply {
  return {status, headers, body: {reason: [message], timestamp: [timestamp()], status_code: status}};
}

/** Resource routes' shape: {"message", "error_id", "details", "timestamp", "resource"}. */
function resourceError(status: number, errorId: string, message: string, details: Record<string, unknown>, resource?: string): Reply {
  return {status, body: {message, error_id: errorId, details, timestamp: timestamp(), resource}};
}

/** The framework's own errors (werkzeug's): {"message"} alone. */
function framework(status: number, message: string, headers?: Record<string, string>): Reply {
  return {status, headers, body: {message}};
}

const unknown = (resource: string, what: string, id: string) => resourceError(404, `unknown-${what}`, `No such ${what}: "${id}"`, {uuid: id}, resource);

const conflict = (resource: string, field: string, message: string) =>
  resourceError(409, 'conflict', 'Conflict detected', {[field]: {constraint_id: 'unique', message}}, resource);

function invalidData(resource: string, details: Record<string, FieldError>): Reply {
  const first = Object.values(details)[0];
  return resourceError(400, 'invalid-data', first?.message ?? 'Invalid data', details, resource);
}

const NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

const firstOf = (reported: unknown) => (Array.isArray(reported) ? reported[0] : reported) as Record<string, unknown>;

/** How a route words a body that fails its schema: upstream's resources each have their way. */
const BODY_ERRORS = {
  /** The first error of each field. */
  'each-field': (errors: FieldErrors, resource: string) => invalidData(resource, firstErrors(errors)),
  /** The first invalid field only. */
  'first-field': (errors: FieldErrors, resource: string) => {
    const [field, error] = Object.entries(firstErrors(errors))[0]!;
    return invalidData(resource, {[field]: error});
  },
  /** The first invalid field only, and of a nested one (a tenant's address, a domain name) its first part. */
  'first-part': (errors: FieldErrors, resource: string) => {
    const [field, reported] = Object.entries(errors)[0]!;
    const first = firstOf(reported);
    if ('message' in first) return resourceError(400, 'invalid-data', String(first.message), {[field]: first}, resource);
    const [part, partReported] = Object.entries(first)[0]!;
    const detail = firstOf(partReported) as unknown as FieldError;
    return resourceError(400, 'invalid-data', detail.message, {[field]: {[part]: detail}}, resource);
  },
  /** Every error, under the first message however deep. */
  'every-error': (errors: FieldErrors, resource: string) => resourceError(400, 'invalid-data', firstMessage(errors), errors, resource),
  /** The first message alone, without details (upstream's password reset exception drops them). */
  'message-only': (errors: FieldErrors, resource: string) => resourceError(400, 'invalid-data', firstMessage(errors), {}, resource),
  /** Upstream's idp users: its list-parameter error, the first message. */
  'list-param': (errors: FieldErrors, resource: string) => resourceError(400, 'invalid-list-param', firstMessage(errors), errors, resource),
  /** The policy code's words: the first invalid field's name. */
  'field-name': (errors: FieldErrors) => reason(400, `Invalid value supplied for field: ${Object.keys(errors)[0]}`),
  /** The token routes': marshmallow's error dict as Python prints it. */
  'python-repr': (errors: FieldErrors) => reason(400, pythonRepr(errors)),
};

export type BodyErrorStyle = keyof typeof BODY_ERRORS;

/** What an answer may tell of the request that failed. */
export interface FailedRequest {
  resource: string | undefined;
  invalidBody: BodyErrorStyle | undefined;
  params: Readonly<Record<string, string>>;
  /** The caller's token, on routes that require access. */
  token: LiveToken | undefined;
}

/** The coded errors a module declares: its classes whose instances have a literal code. */
type Declared<M> = {
  [K in keyof M]: M[K] extends abstract new (...args: never) => infer E ? (E extends CodedError ? (string extends E['code'] ? never : E) : never) : never;
}[keyof M];

type Known = Declared<typeof domain> | Declared<typeof request>;

/** Every code, and its answer: a code without one does not compile. */
const ANSWERS: {[E in Known as E['code']]: (error: E, at: FailedRequest) => Reply} = {
  // The framework's
  'route-not-found': () => ({status: 404, raw: {contentType: 'text/html; charset=utf-8', text: NOT_FOUND_PAGE}}),
  'method-not-allowed': (e) => framework(405, 'The method is not allowed for the requested URL.', {Allow: e.allow.join(', ')}),
  'unreadable-body': () => framework(400, 'The browser (or proxy) sent a request that this server could not understand.'),
  'body-too-large': () => framework(413, 'The data value transmitted exceeds the capacity limit.'),
  'service-unavailable': () => framework(503, 'The service is unavailable, try again later.'),
  'store-unavailable': () => framework(503, 'The service is unavailable, try again later.'),

  // Requests
  'invalid-body': (e, at) => BODY_ERRORS[at.invalidBody ?? 'each-field'](e.errors, at.resource ?? ''),
  'body-rule-broken': (e) => reason(400, pythonRepr({_schema: [e.rule]})),
  /** Upstream keeps the message (a list for the rule across fields) and drops the details. */
  'invalid-reset-query': (e) => ({status: 400, body: {message: e.reported, error_id: 'invalid-data', details: {}, timestamp: timestamp(), resource: 'reset'}}),
  'body-field-invalid': (e) => reason(400, `Invalid value supplied for field: ${e.field}`),
  'unknown-idp-type': (e) => resourceError(404, 'unknown-idp-type', `No such IDP type: "${e.idpType}"`, {idp_type: e.idpType}, 'idp'),
  'invalid-list-param': (e) => resourceError(400, 'invalid-list-param', e.error.message, {[e.parameter]: e.error}, e.resource),
  'invalid-authentication-method': (e, at) =>
    resourceError(400, 'invalid-data', `Invalid ${e.field.replaceAll('_', ' ')} ${e.value}`, {[e.field]: e.value}, at.resource),
  unauthorized: (e) => resourceError(401, 'unauthorized', 'Unauthorized', e.details),
  'tenant-outside-tree': (e) => resourceError(401, 'unauthorized-tenant', 'Unauthorized tenant', {tenant_uuid: e.tenant}),
  'top-tenant-only': (_, at) => resourceError(401, 'unauthorized', 'Unauthorized', {invalid_token: redactToken(at.token?.value ?? '')}),
  conflict: (e, at) => conflict(at.resource ?? '', e.field, `${e.field} "${e.value}" is already used`),

  // Logins and tokens: the token routes' shape
  'authentication-failed': () => reason(401, 'Authentication Failed'),
  'too-many-sessions': (e) => reason(429, `User ${e.userUuid} has exceeded the maximum number of active sessions`),
  /** Ours: upstream has no login throttling. */
  'login-throttled': (e) => reason(429, `Too many failed logins: try again in ${e.retryAfter} seconds`, {'Retry-After': String(e.retryAfter)}),
  /** A second is about forty hashes on one worker. */
  'hash-queue-full': () => reason(503, 'Too many logins in progress: try again later', {'Retry-After': '1'}),
  'unknown-token': () => reason(404, 'No such token'),
  'scope-not-granted': (e) => reason(403, `Unauthorized for ${e.scope}`),
  'tenant-not-covered': (e) => reason(403, `Unauthorized for tenant ${e.tenantUuid}`),
  'unknown-refresh-token': (e) =>
    resourceError(
      404,
      'cannot-find-refresh-token-matching-client-id',
      `unknown refresh_token for client_id "${e.clientId}"`,
      {client_id: e.clientId},
      'tokens',
    ),

  // Users
  'unknown-user': (e) => unknown('users', 'user', e.uuid),
  'user-conflict': (e) => conflict('users', e.field, `The ${e.field === 'uuid' ? 'uuid' : 'login'} "${e.value}" is already used`),
  'wrong-password': () => reason(401, 'Authentication Failed'),
  'password-managed-externally': (e) =>
    resourceError(405, 'password-managed-externally', `Unable to update externally managed password for user : "${e.uuid}"`, {uuid: e.uuid}, 'users'),
  'unknown-email': (e) => unknown('emails', 'email', e.uuid),
  'email-already-confirmed': (e) => resourceError(409, 'conflict', `This email already confirmed: "${e.uuid}"`, {uuid: e.uuid}, 'emails'),
  'invalid-email-list': (e) => invalidData('emails', {emails: {constraint_id: 'email_list', message: e.message}}),

  // Tenants
  'unknown-tenant': (e) => unknown('tenants', 'tenant', e.uuid),
  'unknown-contact': (e) => unknown('users', 'user', e.uuid),
  'tenant-conflict': (e) =>
    e.field === 'slug'
      ? conflict('tenants', 'slug', `The slug "${e.value}" is already used`)
      : resourceError(
          409,
          'tenant-identity-conflict',
          'Tenant Conflict detected',
          {uuid: {constraint_id: 'unique', message: `A tenant with identity uuid="${e.value}" already exists`}},
          'tenants',
        ),
  // Upstream spells this constraint key with a hyphen.
  'domain-names-taken': (e) =>
    resourceError(
      409,
      'conflict',
      'Conflict detected',
      {domain_names: {'constraint-id': 'unique', message: `Domain name : "${pythonRepr(e.names)}" is already in use, no duplicates allowed`}},
      'tenants',
    ),
  'self-parented-tenant': () =>
    resourceError(403, 'conflict', 'Conflict detected', {parent_uuid: {constraint_id: 'unique', msg: 'A master tenant already exist'}}, 'tenants'),
  'own-tenant-deletion': (e) =>
    resourceError(403, 'deleting-own-tenant-forbidden', `Deleting its own tenant is forbidden: "${e.uuid}"`, {tenant_uuid: e.uuid}, 'tenants'),
  'tenant-has-children': (e) =>
    resourceError(
      400,
      'unauthorized-tenant-with-children-delete',
      `Unauthorized delete of tenant : "${e.uuid}" ; since it has at least one child`,
      {uuid: e.uuid},
      'tenants',
    ),
  'parent-below-tenant': (e) =>
    resourceError(409, 'conflict', `Parent (${e.parentUuid}) is a descendent of tenant: "${e.uuid}"`, {uuid: e.uuid, parent_uuid: e.parentUuid}, 'tenants'),

  // Groups
  'unknown-group': (e) => unknown('groups', 'group', e.uuid),
  'read-only-group': (e) => resourceError(403, 'forbidden-group', `Forbidden group modification: "${e.uuid}"`, {uuid: e.uuid}, 'groups'),
  'duplicate-group': (e) => reason(409, `Group "${e.groupName}" already exists`),
  /** Upstream's spelling of the id and the message, which clients may match. */
  'tenant-mismatch': (e) =>
    resourceError(
      400,
      'missmatching-tenant',
      'Ressources are not in the same tenant',
      {user_tenant_uuid: e.userTenantUuid, group_tenant_uuid: e.groupTenantUuid},
      'groups',
    ),

  // Policies: upstream answers the policy code's own refusals in the token routes' shape
  'unknown-policy': (e) => reason(404, `No such policy ${e.id}`),
  'read-only-policy': (e) => reason(403, `Forbidden policy modification: "${e.uuid}"`),
  'duplicate-policy': (e) => reason(409, `Policy "${e.policyName}" already exists`),
  'duplicate-access': (e) => reason(409, `Policy already has access: "${e.access}"`),
  /** xivo's plain Unauthorized: no `reason`, no `tenant_uuid`, no `resource`; the token shown only by its end. */
  'access-not-grantable': (e, at) =>
    resourceError(401, 'unauthorized', 'Unauthorized', {invalid_token: redactToken(at.token?.value ?? ''), required_access: e.access}),
  /** The message names the limit's key; the field is the one access of /acl/{access}, or the ACL. */
  'acl-limit-exceeded': (e, at) => reason(400, `Invalid value supplied for field: ${at.params.access === undefined ? 'acl' : 'access'}: ${e.message}`),

  // SAML
  'saml-param-invalid': (e) => resourceError(400, 'invalid-data', e.field, {}, 'saml'),
  'saml-configuration-error': (e) => resourceError(500, 'configuration-error', e.message, {domain: e.domain}, 'saml'),
  'saml-processing-error': (e) => resourceError(e.status, 'processing-error', 'SAML processing failed', {error: e.error}, 'saml'),
  'saml-config-refused': (e) => resourceError(e.status, 'unknown-saml-config', e.message, {uuid: e.tenantUuid}, 'saml_config'),
  'unknown-saml-config': (e) => resourceError(404, 'unknown-saml-config', e.message, {uuid: e.tenantUuid}, 'saml_config'),
  'duplicate-saml-config': (e) => conflict('saml_config', 'tenant_uuid', e.message),
  /** Upstream names the resource `users` here (its list-parameter error reused). */
  'saml-config-field-invalid': (e) => resourceError(400, 'invalid-list-param', e.error.message, {[e.field]: e.error}, 'users'),

  // External auth: upstream names the resource after the type
  'unknown-external-auth': (e) => resourceError(404, 'unknown-external-auth', e.message, {type: e.type}, e.type),
  'unknown-external-auth-config': (e) => resourceError(404, 'unknown-external-auth', e.message, {type: e.type}, e.type),
  'unknown-external-auth-type': (e) => resourceError(404, 'unknown-external-auth-type', e.message, {type: e.type}, 'external'),
  'external-auth-already-exists': (e) => resourceError(409, 'conflict', e.message, {type: e.type}, e.type),
  'external-auth-config-already-exists': (e) => resourceError(409, 'conflict', e.message, {type: e.type}, e.type),
  /** Upstream lets the OAuth library's exception through: a 500, here with what failed. */
  'external-auth-unreadable': (e) => resourceError(503, 'external-auth-unreadable', e.message, {type: e.type}, e.type),
  'external-provider-failed': (e) => resourceError(502, 'external-provider-failed', e.message, {type: e.type}, e.type),
};

/** The table as the server reads it: by a code known only at run time, each entry taking its own error. */
const BY_CODE: Readonly<Partial<Record<string, (error: any, at: FailedRequest) => Reply>>> = ANSWERS;

/** The answer to a coded error; undefined for a code no one declared (a bug: answered 500). */
export function answerTo(error: CodedError, at: FailedRequest): Reply | undefined {
  return BY_CODE[error.code]?.(error, at);
}

/** What any other error gets, logged where it happened. */
export const INTERNAL_ERROR: Reply = framework(500, 'The server encountered an internal error and was unable to complete your request.');
