// The ACL language: pattern matching of required accesses, route ACL templates, granting rules,
// size limits.

export {type AccessContext, PatternMatcher} from './pattern.js';
export {accessProblem} from './pattern-syntax.js';
export {AccessCheck} from './access-check.js';
export {requiredAccessFor} from './required-access.js';
export {canAdd, canRemove} from './granting.js';
export {type AclLimits, assertAccessLength, assertPolicyAcl, assertTokenAcl} from './limits.js';
