// Every error the domain raises, whatever layer finds it, each with a code. The HTTP layer
// turns each code into upstream's answer in one table (src/http/errors.ts); nothing else maps them.

/** An error with a code, declared once. */
export abstract class CodedError extends Error {
  abstract readonly code: string;

  constructor(message?: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = new.target.name;
  }
}

// Storage

/** A unique constraint was hit; `field` names the API field at fault. */
export class ConflictError extends CodedError {
  readonly code = 'conflict';
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field} "${value}" is already used`);
  }
}

/**
 * The database cannot be reached or did not answer in time (down, restarting, unreachable,
 * statement timeout): the request may succeed later.
 */
export class StoreUnavailable extends CodedError {
  readonly code = 'store-unavailable';
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
  }
}

// Logins and tokens

export class AuthenticationFailed extends CodedError {
  readonly code = 'authentication-failed';
}

export class TooManySessions extends CodedError {
  readonly code = 'too-many-sessions';
  constructor(readonly userUuid: string) {
    super(`User ${userUuid} has exceeded the maximum number of active sessions`);
  }
}

/** A login refused before any password is checked; `retryAfter` in whole seconds. */
export class LoginThrottled extends CodedError {
  readonly code = 'login-throttled';
  constructor(readonly retryAfter: number) {
    super(`too many failed logins: retry in ${retryAfter} s`);
  }
}

/** A bounded password hash (a login's) found the hash queue full. */
export class HashQueueFull extends CodedError {
  readonly code = 'hash-queue-full';
  constructor() {
    super('too many password hashes running or waiting');
  }
}

/** No live token has this value: unknown, expired or revoked. */
export class UnknownToken extends CodedError {
  readonly code = 'unknown-token';
}

/** The token does not grant an access it was checked for. */
export class ScopeNotGranted extends CodedError {
  readonly code = 'scope-not-granted';
  constructor(readonly scope: string) {
    super(`The token does not grant ${scope}`);
  }
}

/** The token's tenant is neither this tenant nor above it. */
export class TenantNotCovered extends CodedError {
  readonly code = 'tenant-not-covered';
  constructor(readonly tenantUuid: string) {
    super(`The token does not cover tenant ${tenantUuid}`);
  }
}

export class UnknownRefreshToken extends CodedError {
  readonly code = 'unknown-refresh-token';
  constructor(readonly clientId: string) {
    super(`No refresh token for client_id "${clientId}"`);
  }
}

// Users and their e-mail addresses

export class UnknownUser extends CodedError {
  readonly code = 'unknown-user';
  constructor(readonly uuid: string) {
    super(`No such user: "${uuid}"`);
  }
}

/** A login (username or e-mail address) or a uuid already belongs to a user. */
export class UserConflict extends CodedError {
  readonly code = 'user-conflict';
  constructor(
    readonly field: 'username' | 'email_address' | 'uuid',
    readonly value: string,
  ) {
    super(`${field} "${value}" is already used`);
  }
}

/** The old password given to change a password is wrong, or the user cannot log in at all. */
export class WrongPassword extends CodedError {
  readonly code = 'wrong-password';
}

/** Users of an external identity provider have no password here. */
export class PasswordManagedExternally extends CodedError {
  readonly code = 'password-managed-externally';
  constructor(readonly uuid: string) {
    super(`The password of user ${uuid} is managed externally`);
  }
}

export class UnknownEmail extends CodedError {
  readonly code = 'unknown-email';
  constructor(readonly uuid: string) {
    super(`No such email: "${uuid}"`);
  }
}

/** A confirmation mail asked for an address that needs none. */
export class EmailAlreadyConfirmed extends CodedError {
  readonly code = 'email-already-confirmed';
  constructor(readonly uuid: string) {
    super(`This email already confirmed: "${uuid}"`);
  }
}

/** A list of addresses breaks a rule of the whole list (not of one address). */
export class InvalidEmailList extends CodedError {
  readonly code = 'invalid-email-list';
}

// Tenants

export class UnknownTenant extends CodedError {
  readonly code = 'unknown-tenant';
  constructor(readonly uuid: string) {
    super(`No such tenant: "${uuid}"`);
  }
}

/** The contact named is no user the caller can see. */
export class UnknownContact extends CodedError {
  readonly code = 'unknown-contact';
  constructor(readonly uuid: string) {
    super(`No such user: "${uuid}"`);
  }
}

export class TenantConflict extends CodedError {
  readonly code = 'tenant-conflict';
  constructor(
    readonly field: 'uuid' | 'slug',
    readonly value: string,
  ) {
    super(`A tenant with ${field} "${value}" already exists`);
  }
}

/** One of the names belongs to another tenant; `names` is the whole list asked for. */
export class DomainNamesTaken extends CodedError {
  readonly code = 'domain-names-taken';
  constructor(readonly names: string[]) {
    super(`A domain name of ${names.join(', ')} belongs to another tenant`);
  }
}

/** A new tenant would be its own parent, which only the top tenant is. */
export class SelfParentedTenant extends CodedError {
  readonly code = 'self-parented-tenant';
  constructor(readonly uuid: string) {
    super(`Tenant ${uuid} cannot be its own parent: there is a top tenant already`);
  }
}

/** A caller may not delete the tenant it acts in. */
export class OwnTenantDeletion extends CodedError {
  readonly code = 'own-tenant-deletion';
  constructor(readonly uuid: string) {
    super(`Deleting its own tenant is forbidden: "${uuid}"`);
  }
}

export class TenantHasChildren extends CodedError {
  readonly code = 'tenant-has-children';
  constructor(readonly uuid: string) {
    super(`Tenant ${uuid} has tenants below it`);
  }
}

/** The new parent is the tenant itself or below it: the tree would become a loop. */
export class ParentBelowTenant extends CodedError {
  readonly code = 'parent-below-tenant';
  constructor(
    readonly uuid: string,
    readonly parentUuid: string,
  ) {
    super(`Parent (${parentUuid}) is a descendent of tenant: "${uuid}"`);
  }
}

// Groups

export class UnknownGroup extends CodedError {
  readonly code = 'unknown-group';
  constructor(readonly uuid: string) {
    super(`No such group: "${uuid}"`);
  }
}

/** The all-users group keeps its name and members and cannot be deleted. */
export class ReadOnlyGroup extends CodedError {
  readonly code = 'read-only-group';
  constructor(readonly uuid: string) {
    super(`Group ${uuid} is managed by the system`);
  }
}

/** The name or the slug is already used in the tenant. */
export class DuplicateGroup extends CodedError {
  readonly code = 'duplicate-group';
  constructor(readonly groupName: string) {
    super(`Group "${groupName}" already exists`);
  }
}

/** A user may only join a group of its own tenant. */
export class TenantMismatch extends CodedError {
  readonly code = 'tenant-mismatch';
  constructor(
    readonly userTenantUuid: string,
    readonly groupTenantUuid: string,
  ) {
    super(`User of tenant ${userTenantUuid} cannot join a group of tenant ${groupTenantUuid}`);
  }
}

// Policies and ACLs

export class UnknownPolicy extends CodedError {
  readonly code = 'unknown-policy';
  constructor(readonly id: string) {
    super(`No such policy: ${id}`);
  }
}

/** Config-managed policies, and shared policies seen from below their tenant, cannot change. */
export class ReadOnlyPolicy extends CodedError {
  readonly code = 'read-only-policy';
  constructor(readonly uuid: string) {
    super(`Policy ${uuid} is read-only`);
  }
}

export class DuplicatePolicy extends CodedError {
  readonly code = 'duplicate-policy';
  constructor(readonly policyName: string) {
    super(`Policy "${policyName}" already exists`);
  }
}

export class DuplicateAccess extends CodedError {
  readonly code = 'duplicate-access';
  constructor(readonly access: string) {
    super(`Policy already has access: "${access}"`);
  }
}

/** The caller's own ACL does not let it add (or withdraw) this access. */
export class AccessNotGrantable extends CodedError {
  readonly code = 'access-not-grantable';
  constructor(readonly access: string) {
    super(`Not allowed to grant or withdraw "${access}"`);
  }
}

export type AclLimitKey = 'max_acl_access_length' | 'max_policy_acl_entries' | 'max_token_acl_entries';

/** An ACL beyond one of the limits; `message` names the configuration key and its value. */
export class AclLimitExceeded extends CodedError {
  readonly code = 'acl-limit-exceeded';
  constructor(
    readonly key: AclLimitKey,
    message: string,
  ) {
    super(message);
  }
}

// SAML: upstream's bodies, resource `saml` for the login routes and `saml_config` for the configuration

/** A login route's parameter is missing or invalid; upstream's message is the field's name. */
export class SamlParamInvalid extends CodedError {
  readonly code = 'saml-param-invalid';
  constructor(readonly field: string) {
    super(field);
  }
}

/** No usable SAML configuration for a domain (none, or the provider's metadata or our key pair is unusable). */
export class SamlConfigurationError extends CodedError {
  readonly code = 'saml-configuration-error';
  constructor(
    readonly domain: string,
    message = 'SAML client for domain not found or failed',
  ) {
    super(message);
  }
}

/** A SAML exchange failed where no redirect can tell the application; `status` as upstream gives it. */
export class SamlProcessingError extends CodedError {
  readonly code = 'saml-processing-error';
  constructor(
    readonly error: string,
    readonly status = 500,
  ) {
    super(`SAML processing failed: ${error}`);
  }
}

/** A tenant's SAML configuration refused (upstream's SAMLConfigParameterException). */
export class SamlConfigRefused extends CodedError {
  readonly code = 'saml-config-refused';
  constructor(
    readonly tenantUuid: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class UnknownSamlConfig extends CodedError {
  readonly code = 'unknown-saml-config';
  constructor(readonly tenantUuid: string) {
    super(`No SAML IDP config found for this tenant: "${tenantUuid}"`);
  }
}

export class DuplicateSamlConfig extends CodedError {
  readonly code = 'duplicate-saml-config';
  constructor(readonly tenantUuid: string) {
    super('Duplicated SAML config exists');
  }
}

/** A field of the configuration form fails its schema (upstream's InvalidListParamException, resource and all). */
export class SamlConfigFieldInvalid extends CodedError {
  readonly code = 'saml-config-field-invalid';
  constructor(
    readonly field: string,
    readonly error: {message: string; [key: string]: unknown},
  ) {
    super(error.message);
  }
}

// External auth (accounts of other services linked to users, and tenants' settings for them)

export class UnknownExternalAuth extends CodedError {
  readonly code = 'unknown-external-auth';
  constructor(readonly type: string) {
    super(`No such external auth: "${type}"`);
  }
}

export class UnknownExternalAuthConfig extends CodedError {
  readonly code = 'unknown-external-auth-config';
  constructor(readonly type: string) {
    super(`No config found for this external auth type: "${type}"`);
  }
}

/** No external auth plugin of this name is loaded. */
export class UnknownExternalAuthType extends CodedError {
  readonly code = 'unknown-external-auth-type';
  constructor(readonly type: string) {
    super(`No such auth type: "${type}"`);
  }
}

export class ExternalAuthAlreadyExists extends CodedError {
  readonly code = 'external-auth-already-exists';
  constructor(readonly type: string) {
    super(`This external authentication method has already been set: "${type}"`);
  }
}

export class ExternalAuthConfigAlreadyExists extends CodedError {
  readonly code = 'external-auth-config-already-exists';
  constructor(readonly type: string) {
    super(`This external authentication config has already been set: "${type}"`);
  }
}

/**
 * Stored external auth data or settings that this daemon's secrets key does not open (another
 * daemon's secrets.key, or an altered row): only writing them again, or the right key file, mends
 * it. Answered as an outage (503), as the store's: the server, not the request, is at fault.
 */
export class ExternalAuthUnreadable extends CodedError {
  readonly code = 'external-auth-unreadable';
  constructor(
    readonly type: string,
    readonly what: 'config' | 'user data',
  ) {
    super(
      what === 'config'
        ? `The stored config of this external auth type cannot be read with this server's secrets key: "${type}"; set it again`
        : `The stored data of this external auth type cannot be read with this server's secrets key: "${type}"; set it again`,
    );
  }
}

/**
 * An OAuth2 provider could not be reached, or answered something other than tokens; `reason`
 * says which, without any token or secret.
 */
export class ExternalProviderFailed extends CodedError {
  readonly code = 'external-provider-failed';
  constructor(
    readonly type: string,
    readonly reason: string,
  ) {
    super(`The ${type} token endpoint failed: ${reason}`);
  }
}
