// Decides whether a token's ACL grants a required access: negative patterns (`!…`) veto,
// otherwise any positive pattern grants.

import {PatternMatcher, contextUsed, type AccessContext} from './pattern.js';

interface Rule {
  readonly pattern: string; // as written in the ACL, with its '!' if negative
  readonly negative: boolean;
  readonly matcher: PatternMatcher;
}

// Hash of the access's first segment, computed in place so a check allocates nothing.
function firstSegmentHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) break;
    hash = (Math.imul(hash, 31) + code) | 0;
  }
  return hash;
}

/**
 * Patterns of one polarity, arranged so that a check only tries the ones that can match:
 * plain patterns are a set lookup, the others are bucketed by their literal first segment
 * (service names: `confd.…` is never tried on `auth.…`). Hash collisions only cost a try.
 */
class PatternIndex {
  private readonly exact = new Set<string>();
  private readonly byFirstSegment = new Map<number, PatternMatcher[]>();
  private readonly anyFirstSegment: PatternMatcher[] = [];

  add(matcher: PatternMatcher): void {
    if (matcher.exact !== null) {
      this.exact.add(matcher.exact);
    } else if (matcher.literalFirstSegment === null) {
      this.anyFirstSegment.push(matcher);
    } else {
      const key = firstSegmentHash(matcher.literalFirstSegment);
      const bucket = this.byFirstSegment.get(key);
      if (bucket) bucket.push(matcher);
      else this.byFirstSegment.set(key, [matcher]);
    }
  }

  matchesAny(access: string): boolean {
    if (this.exact.has(access)) return true;
    const bucket = this.byFirstSegment.get(firstSegmentHash(access));
    if (bucket !== undefined && someMatches(bucket, access)) return true;
    return someMatches(this.anyFirstSegment, access);
  }
}

function someMatches(matchers: readonly PatternMatcher[], access: string): boolean {
  for (let i = 0; i < matchers.length; i++) {
    if ((matchers[i] as PatternMatcher).matches(access)) return true;
  }
  return false;
}

/** A token's ACL compiled once; reuse it for every check. */
export class AccessCheck {
  /**
   * What makes two checks of `acl` the same: the ACL, the limit, and the parts of `context` the
   * ACL refers to (`me`, `my_session`). Whoever keeps compiled ACLs (the token service) shares one
   * check among the tokens of one key.
   */
  static sharingKey(acl: readonly string[], context: AccessContext, maxAccessLength = Infinity): string {
    let authId = false;
    let sessionUuid = false;
    for (const pattern of acl) {
      const used = contextUsed(pattern);
      authId ||= used.authId;
      sessionUuid ||= used.sessionUuid;
    }
    return JSON.stringify([authId ? (context.authId ?? null) : null, sessionUuid ? (context.sessionUuid ?? null) : null, maxAccessLength, acl]);
  }

  readonly acl: readonly string[];
  private readonly rules: readonly Rule[];
  private readonly negatives = new PatternIndex();
  private readonly positives = new PatternIndex();

  /**
   * `maxAccessLength`: a longer required access is never granted (the configuration's
   * max_acl_access_length), which bounds what a check may cost.
   */
  constructor(
    acl: readonly string[],
    context: AccessContext = {},
    private readonly maxAccessLength = Infinity,
  ) {
    this.acl = Object.freeze([...acl]);
    const compiled = new Map<string, PatternMatcher>();
    this.rules = this.acl.map((pattern) => {
      const negative = pattern.startsWith('!');
      // Keyed with the '!' so a body listed with both polarities is indexed under both.
      let matcher = compiled.get(pattern);
      if (!matcher) {
        matcher = new PatternMatcher(negative ? pattern.slice(1) : pattern, context);
        compiled.set(pattern, matcher);
        (negative ? this.negatives : this.positives).add(matcher);
      }
      return {pattern, negative, matcher};
    });
  }

  /** true when `requiredAccess` is granted; undefined/null = nothing required = granted. */
  grants(requiredAccess: string | null | undefined): boolean {
    if (requiredAccess === undefined || requiredAccess === null) return true;
    return requiredAccess.length <= this.maxAccessLength && this.covers(requiredAccess);
  }

  /**
   * Whether the ACL grants `access`, however long: the granting rules read a policy's own entries
   * as accesses, and an entry stored before the limit was lowered must still be removable.
   */
  covers(access: string): boolean {
    return !this.negatives.matchesAny(access) && this.positives.matchesAny(access);
  }

  /**
   * Which pattern decides: the first matching negative pattern (with its '!'), else the first
   * matching positive pattern, else null. For a UI "why" box.
   */
  explain(requiredAccess: string): {granted: boolean; pattern: string | null} {
    let firstPositive: string | null = null;
    if (requiredAccess.length > this.maxAccessLength) return {granted: false, pattern: null};
    for (const rule of this.rules) {
      if (!rule.matcher.matches(requiredAccess)) continue;
      if (rule.negative) return {granted: false, pattern: rule.pattern};
      firstPositive ??= rule.pattern;
    }
    return {granted: firstPositive !== null, pattern: firstPositive};
  }
}
