// The policy view's "try" box: does the ACL grant an access, and which pattern decides.

import {AccessCheck, accessProblem} from '../../acl/index.js';

export interface TryResult {
  /** What to print after the access. */
  text: string;
  granted: boolean;
  /** The deciding pattern as written in the ACL, `!` included; null when none matches. */
  pattern: string | null;
}

/** Null for an empty text; otherwise the verdict, or why the text is no access. */
export function tryAccess(acl: readonly string[], access: string): TryResult | null {
  if (!access) return null;
  const problem = accessProblem(access, {allowNegative: false});
  if (problem) return {text: `not an access: ${problem}`, granted: false, pattern: null};
  const {granted, pattern} = new AccessCheck(acl).explain(access);
  if (pattern === null) return {text: 'not granted: no pattern matches', granted, pattern};
  return {text: granted ? `granted by ${pattern}` : `denied by ${pattern}`, granted, pattern};
}
