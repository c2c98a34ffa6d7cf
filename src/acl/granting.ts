// Which patterns a token may put into or take out of a policy: never more than it holds itself.

import type {AccessCheck} from './access-check.js';

/** A negative pattern only restricts, so anyone may add one; a positive one must already be granted. */
export function canAdd(check: AccessCheck, pattern: string): boolean {
  return pattern.startsWith('!') || check.covers(pattern);
}

/** Removing `!x` widens access to `x`, so it needs `x` granted too (a token cannot lift its own veto). */
export function canRemove(check: AccessCheck, pattern: string): boolean {
  return check.covers(pattern.startsWith('!') ? pattern.slice(1) : pattern);
}
