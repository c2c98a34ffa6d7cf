// The compiled ACLs the daemon keeps for its tokens. The ACL language (src/acl) stays pure; the
// memory the daemon spends on it is decided here, next to the tokens that use it.

import {AccessCheck, type AccessContext} from '../acl/index.js';
import {BoundedMap} from '../bounded-map.js';

/**
 * A compiled ACL weighs about a kilobyte per pattern: one per token, 100 000 live tokens held
 * 1.5 GB and made every garbage collection slow. Tokens of one user, or of users with the same
 * policies, share one instead; 4 096 at most are kept, the oldest forgotten first (the tokens
 * already holding it keep it).
 */
export class SharedAccessChecks {
  private readonly checks: BoundedMap<string, AccessCheck>;

  constructor(limit = 4096) {
    this.checks = new BoundedMap(limit);
  }

  /** The check of `acl` in `context`, compiled once for every ACL and context that make the same key. */
  of(acl: readonly string[], context: AccessContext, maxAccessLength = Infinity): AccessCheck {
    const key = AccessCheck.sharingKey(acl, context, maxAccessLength);
    let check = this.checks.get(key);
    if (!check) this.checks.set(key, (check = new AccessCheck(acl, context, maxAccessLength)));
    return check;
  }
}
