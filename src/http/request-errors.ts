// The errors of a request itself, beside the domain's (src/domain/errors.ts): no such route, a
// body that cannot be read or fails its schema, a token that does not open the route. Each has a
// code that errors.ts answers.

import {CodedError} from '../domain/errors.js';
import type {FieldError, FieldErrors} from './schema.js';

export class RouteNotFound extends CodedError {
  readonly code = 'route-not-found';
}

export class MethodNotAllowed extends CodedError {
  readonly code = 'method-not-allowed';
  constructor(readonly allow: readonly string[]) {
    super(`Allowed: ${allow.join(', ')}`);
  }
}

/** Not JSON, or nested too deep to be read. */
export class UnreadableBody extends CodedError {
  readonly code = 'unreadable-body';
}

/** Nested deeper than MAX_JSON_NESTING: answered as any unreadable body, but paced (refusal-pace.ts). */
export class TooDeeplyNested extends UnreadableBody {}

export class BodyTooLarge extends CodedError {
  readonly code = 'body-too-large';
}

/** A component the daemon needs fails (HEAD /status). */
export class ServiceUnavailable extends CodedError {
  readonly code = 'service-unavailable';
}

/** The body fails its schema. */
export class InvalidBody extends CodedError {
  readonly code = 'invalid-body';
  constructor(readonly errors: FieldErrors) {
    super('The body fails its schema');
  }
}

/** The body breaks a rule across its fields (a login's), which marshmallow reports under `_schema`. */
export class BodyRuleBroken extends CodedError {
  readonly code = 'body-rule-broken';
  constructor(readonly rule: string) {
    super(rule);
  }
}

/**
 * GET /users/password/reset's query is invalid: a field's message, or (the fields together) a
 * list of messages, as upstream's PasswordResetException words them.
 */
export class InvalidResetQuery extends CodedError {
  readonly code = 'invalid-reset-query';
  constructor(readonly reported: string | string[]) {
    super(Array.isArray(reported) ? reported.join(' ') : reported);
  }
}

/** A query parameter of a list is invalid; `resource` is the one upstream names for that list. */
export class InvalidListParam extends CodedError {
  readonly code = 'invalid-list-param';
  constructor(
    readonly parameter: string,
    readonly error: FieldError,
    readonly resource: string,
  ) {
    super(error.message);
  }
}

/** No identity provider has this name. */
export class InvalidAuthenticationMethod extends CodedError {
  readonly code = 'invalid-authentication-method';
  constructor(
    readonly field: 'authentication_method' | 'default_authentication_method',
    readonly value: string,
  ) {
    super(`Invalid ${field.replaceAll('_', ' ')} ${value}`);
  }
}

/** The guard's refusal: no live token, or one that does not grant the route's access. */
export class Unauthorized extends CodedError {
  readonly code = 'unauthorized';
  constructor(
    readonly details: {
      invalid_token: string;
      reason: 'not_found_or_expired' | 'missing_permission_or_invalid_tenant';
      required_access: string;
      tenant_uuid?: string | null;
    },
  ) {
    super('Unauthorized');
  }
}

/** `Wazo-Tenant` names no tenant of the token's tree (the access itself is granted). */
export class TenantOutsideTree extends CodedError {
  readonly code = 'tenant-outside-tree';
  constructor(readonly tenant: string) {
    super(`Unauthorized tenant ${tenant}`);
  }
}

/** A route reserved to tokens of the top tenant (upstream's required_top_tenant), whatever Wazo-Tenant says. */
export class TopTenantOnly extends CodedError {
  readonly code = 'top-tenant-only';
}

/** A body field passes its schema but not a rule of the route's (a certificate that does not parse). */
export class BodyFieldInvalid extends CodedError {
  readonly code = 'body-field-invalid';
  constructor(readonly field: string) {
    super(`Invalid value supplied for field: ${field}`);
  }
}

/** No identity provider serves this authentication method (upstream's UnknownIDPType). */
export class UnknownIdpType extends CodedError {
  readonly code = 'unknown-idp-type';
  constructor(readonly idpType: string) {
    super(`No such IDP type: "${idpType}"`);
  }
}
