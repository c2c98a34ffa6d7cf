// `policy test`: whether a policy's ACL grants each access, and which pattern decides, with the
// daemon's own matcher (src/acl): the CLI twin of the dashboard's try box.

import {AccessCheck, accessProblem} from '../acl/index.js';
import {usageError} from './failure.js';
import type {ListView} from './output.js';

/** @example {access: 'confd.users.read', granted: true, pattern: 'confd.#'} */
export type Verdict = {access: string; granted: boolean; pattern: string | null};

export const verdictView: ListView = {columns: ['access', 'result', 'pattern'], plain: 'result'};

/** The verdict on each access; a malformed one (it could never be asked for) is a usage error. */
export function verdicts(acl: readonly string[], accesses: readonly string[]): Verdict[] {
  for (const access of accesses) {
    const problem = accessProblem(access, {allowNegative: false});
    if (problem) throw usageError(`${JSON.stringify(access)} is no access: ${problem}`);
  }
  const check = new AccessCheck(acl);
  return accesses.map((access) => ({access, ...check.explain(access)}));
}

/** A verdict in a table: `granted`/`denied`, and the deciding pattern or why none does. */
export const verdictRow = (verdict: Verdict) => ({
  ...verdict,
  result: verdict.granted ? 'granted' : 'denied',
  pattern: verdict.pattern ?? '(no pattern matches)',
});
