// How large an ACL may grow, so that no policy or token costs unbounded time or memory: the
// length of one access, the entries of a policy, the entries of a token. A breach names its key.

import {AclLimitExceeded} from '../domain/errors.js';

/** The configuration's `max_acl_access_length`, `max_policy_acl_entries` and `max_token_acl_entries`. */
export interface AclLimits {
  /** Characters in one access, its `!` included. A longer required access is never granted. */
  maxAccessLength: number;
  maxPolicyEntries: number;
  maxTokenEntries: number;
}

export function assertAccessLength(access: string, limits: AclLimits): void {
  if (access.length <= limits.maxAccessLength) return;
  throw new AclLimitExceeded(
    'max_acl_access_length',
    `an access of ${access.length} characters is longer than max_acl_access_length (${limits.maxAccessLength})`,
  );
}

/** A policy's ACL, its accesses counted once each. */
export function assertPolicyAcl(acl: readonly string[], limits: AclLimits): void {
  if (acl.length > limits.maxPolicyEntries) {
    throw new AclLimitExceeded('max_policy_acl_entries', `an ACL of ${acl.length} accesses is more than max_policy_acl_entries (${limits.maxPolicyEntries})`);
  }
  for (const access of acl) assertAccessLength(access, limits);
}

/** The ACL a login would put in a token, its accesses counted once each. */
export function assertTokenAcl(acl: readonly string[], limits: AclLimits): void {
  if (acl.length <= limits.maxTokenEntries) return;
  throw new AclLimitExceeded(
    'max_token_acl_entries',
    `the token's ACL would hold ${acl.length} accesses, more than max_token_acl_entries (${limits.maxTokenEntries})`,
  );
}
