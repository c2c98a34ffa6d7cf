// Compiles one ACL pattern (without its '!') into a matcher for required accesses, in time linear
// in its length. Matching never backtracks: linear in the access outside the span between the
// first and last `#`, and at worst O(access length × that span's length / 32) within it.

/** Who the token belongs to, for `me` and `my_session`. */
export interface AccessContext {
  authId?: string | null;
  sessionUuid?: string | null;
}

const DOT = 0x2e;
const HASH = 0x23;
const STAR = 0x2a;

const CHAR = 0;
const ANY_IN_SEGMENT = 1; // `*`
const ANY = 2; // `#`
const ALTERNATIVE = 3; // a whole segment standing for one of several strings (`me`, `my_session`, `edit`)

/** The strings a whole pattern segment stands for, or null when the segment is read char by char. */
function segmentAlternatives(pattern: string, start: number, end: number, context: AccessContext): readonly string[] | null {
  // Only the three alias words can be one: compare without slicing the other segments.
  const length = end - start;
  if (length === 2 && pattern.startsWith('me', start)) return withValue('me', context.authId);
  if (length === 10 && pattern.startsWith('my_session', start)) return withValue('my_session', context.sessionUuid);
  if (length === 4 && pattern.startsWith('edit', start)) return ['edit', 'update'];
  return null;
}

/** Which parts of the context a pattern refers to: its checks differ from one token to another only there. */
export function contextUsed(pattern: string): {authId: boolean; sessionUuid: boolean} {
  const segments = (pattern.startsWith('!') ? pattern.slice(1) : pattern).split('.');
  return {authId: segments.includes('me'), sessionUuid: segments.includes('my_session')};
}

// An empty auth_id/session uuid is treated as unknown: otherwise `a.me.b` would grant `a..b`.
function withValue(literal: string, value: string | null | undefined): readonly string[] | null {
  return value && value !== literal ? [literal, value] : null;
}

/**
 * The smallest span [head, tail) holding every wildcard and alternative of the pattern, or null
 * when it has none. Outside it the pattern is plain text.
 */
function specialSpan(pattern: string, context: AccessContext): {head: number; tail: number} | null {
  let head = -1;
  let tail = -1;
  for (let start = 0; ; ) {
    const dot = pattern.indexOf('.', start);
    const end = dot < 0 ? pattern.length : dot;
    if (segmentAlternatives(pattern, start, end, context)) {
      if (head < 0) head = start;
      tail = end;
    } else {
      for (let i = start; i < end; i++) {
        const code = pattern.charCodeAt(i);
        if (code !== STAR && code !== HASH) continue;
        if (head < 0) head = i;
        tail = i + 1;
      }
    }
    if (dot < 0) return head < 0 ? null : {head, tail};
    start = dot + 1;
  }
}

// Scratch space shared by every automaton: matching is synchronous and never re-entered,
// so one pair of bit sets avoids any allocation per check.
let live = new Int32Array(8);
let ready = new Int32Array(8);

function reserve(words: number): void {
  if (live.length >= words) return;
  live = new Int32Array(Math.max(words, 2 * live.length));
  ready = new Int32Array(live.length);
}

/**
 * The items of a pattern core, in order: characters, wildcards (a run of them is one, `#` if any)
 * and alternatives, with the positions each starts and ends at. An alternative's two options lie
 * one after the other, so it starts and ends at two positions (A and B); other items at one (B = -1).
 */
class CoreItems {
  count = 0; // positions
  kinds: Uint8Array;
  codes: Uint16Array;
  itemOf: Int32Array;
  itemCount = 0;
  itemKinds: Uint8Array;
  firstA: Int32Array;
  firstB: Int32Array;
  lastA: Int32Array;
  lastB: Int32Array;

  constructor(pattern: string, head: number, tail: number, context: AccessContext) {
    // One position per character; alternatives' values may need more, then the arrays grow.
    const capacity = tail - head + 16;
    this.kinds = new Uint8Array(capacity);
    this.codes = new Uint16Array(capacity);
    this.itemOf = new Int32Array(capacity);
    this.itemKinds = new Uint8Array(capacity);
    this.firstA = new Int32Array(capacity);
    this.firstB = new Int32Array(capacity);
    this.lastA = new Int32Array(capacity);
    this.lastB = new Int32Array(capacity);

    let start = head;
    for (;;) {
      const dot = pattern.indexOf('.', start);
      const end = dot < 0 || dot >= tail ? tail : dot;
      if (start > head) this.addChar(DOT);
      const options = segmentAlternatives(pattern, start, end, context);
      if (options) this.addAlternative(options[0] as string, options[1] as string);
      else this.addSegment(pattern, start, end);
      if (end === tail) return;
      start = end + 1;
    }
  }

  private addSegment(pattern: string, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const code = pattern.charCodeAt(i);
      if (code !== STAR && code !== HASH) {
        this.addChar(code);
        continue;
      }
      const kind = code === HASH ? ANY : ANY_IN_SEGMENT;
      const last = this.itemCount - 1;
      const previous = last >= 0 ? this.itemKinds[last] : CHAR;
      if (previous === ANY || previous === ANY_IN_SEGMENT) {
        if (kind === ANY) this.kinds[this.firstA[last] as number] = this.itemKinds[last] = ANY;
        continue;
      }
      const position = this.addPosition(kind, 0);
      this.addItem(kind, position, -1, position, -1);
    }
  }

  private addChar(code: number): void {
    const position = this.addPosition(CHAR, code);
    this.addItem(CHAR, position, -1, position, -1);
  }

  /** Two non-empty options: the word and what it stands for. */
  private addAlternative(word: string, value: string): void {
    const wordStart = this.count;
    for (let i = 0; i < word.length; i++) this.addPosition(CHAR, word.charCodeAt(i));
    const valueStart = this.count;
    for (let i = 0; i < value.length; i++) this.addPosition(CHAR, value.charCodeAt(i));
    this.addItem(ALTERNATIVE, wordStart, valueStart, valueStart - 1, this.count - 1);
  }

  private addPosition(kind: number, code: number): number {
    if (this.count === this.kinds.length) this.grow();
    this.kinds[this.count] = kind;
    this.codes[this.count] = code;
    this.itemOf[this.count] = this.itemCount;
    return this.count++;
  }

  private addItem(kind: number, firstA: number, firstB: number, lastA: number, lastB: number): void {
    const i = this.itemCount++;
    this.itemKinds[i] = kind;
    this.firstA[i] = firstA;
    this.firstB[i] = firstB;
    this.lastA[i] = lastA;
    this.lastB[i] = lastB;
  }

  private grow(): void {
    const size = 2 * this.kinds.length + 16;
    const grown = <T extends Uint8Array | Uint16Array | Int32Array>(array: T): T => {
      const bigger = new (array.constructor as new (n: number) => T)(size);
      bigger.set(array);
      return bigger;
    };
    this.kinds = grown(this.kinds);
    this.codes = grown(this.codes);
    this.itemOf = grown(this.itemOf);
    this.itemKinds = grown(this.itemKinds);
    this.firstA = grown(this.firstA);
    this.firstB = grown(this.firstB);
    this.lastA = grown(this.lastA);
    this.lastB = grown(this.lastB);
  }

  private mayBeEmpty(i: number): boolean {
    const kind = this.itemKinds[i];
    return i < this.itemCount && (kind === ANY || kind === ANY_IN_SEGMENT);
  }

  /** Whether the core may end right before item i. */
  endsBefore(i: number): boolean {
    return i >= this.itemCount || (this.mayBeEmpty(i) && i + 1 >= this.itemCount);
  }

  /** Writes into `out` from `at` the positions that may consume the character after item i - 1; returns the new end. */
  ready(i: number, out: Int32Array, at: number): number {
    if (i >= this.itemCount) return at;
    out[at++] = this.firstA[i] as number;
    if ((this.firstB[i] as number) >= 0) out[at++] = this.firstB[i] as number;
    return this.mayBeEmpty(i) ? this.ready(i + 1, out, at) : at;
  }
}

/**
 * Position (Glushkov) automaton of a pattern core, run bit-parallel: bit p of the live set says
 * that position p consumed the last character. A step costs a few word operations per 32
 * positions whatever the pattern, so a check costs O(access length × pattern length / 32) at
 * worst, with no backtracking. A position's successors are itself (a wildcard), the next
 * position, or the first positions of the next item or the one after it: each successor lies a
 * fixed distance ahead, and the positions followed at the same distance form one mask, shifted
 * as a whole. There are few such distances: 0, 1, 2, and the jumps around an alternative's options.
 * Built in time and memory linear in the core's length.
 */
class Automaton {
  private readonly words: number;
  /** The distances, and per distance the positions followed that far ahead (`words` each). */
  private readonly distances: Int32Array;
  private readonly followed: Int32Array;
  /** Positions a `#` takes, a `*` takes, and per character class the positions that take it. */
  private readonly anyChar: Int32Array;
  private readonly inSegment: Int32Array;
  private readonly classBits: Int32Array;
  /** Class of an ASCII code, plus one (0: no position takes it); other codes in `otherClasses`. */
  private readonly asciiClasses: Uint8Array | Uint16Array;
  private readonly otherClasses: Map<number, number>;
  private readonly first: Int32Array;
  private readonly accepting: Int32Array;
  private readonly nullable: boolean;

  /** The automaton of pattern[head, tail), which starts and ends with a wildcard or an alternative. */
  constructor(pattern: string, head: number, tail: number, context: AccessContext) {
    const items = new CoreItems(pattern, head, tail, context);
    const {count, kinds, codes, itemOf} = items;
    const words = (this.words = (count + 31) >>> 5);
    const setBit = (bits: Int32Array, offset: number, p: number) => {
      bits[offset + (p >>> 5)]! |= 1 << (p & 31);
    };

    const distanceIndex = new Map<number, number>();
    let followed = new Int32Array(4 * words);
    const successors = new Int32Array(5);
    const accepting = new Int32Array(words);
    for (let p = 0; p < count; p++) {
      const item = itemOf[p] as number;
      let size = 0;
      if (p !== items.lastA[item] && p !== items.lastB[item]) {
        successors[size++] = p + 1; // inside an option of an alternative
      } else {
        if (kinds[p] !== CHAR) successors[size++] = p;
        size = items.ready(item + 1, successors, size);
        if (items.endsBefore(item + 1)) setBit(accepting, 0, p);
      }
      for (let k = 0; k < size; k++) {
        const distance = (successors[k] as number) - p;
        let index = distanceIndex.get(distance);
        if (index === undefined) {
          distanceIndex.set(distance, (index = distanceIndex.size));
          if ((index + 1) * words > followed.length) {
            const grown = new Int32Array(2 * followed.length);
            grown.set(followed);
            followed = grown;
          }
        }
        setBit(followed, index * words, p);
      }
    }
    this.distances = Int32Array.from(distanceIndex.keys());
    this.followed = followed.slice(0, distanceIndex.size * words);

    const anyChar = new Int32Array(words);
    const inSegment = new Int32Array(words);
    const classOf = new Map<number, number>();
    for (let p = 0; p < count; p++) {
      if (kinds[p] === ANY) setBit(anyChar, 0, p);
      else if (kinds[p] === ANY_IN_SEGMENT) setBit(inSegment, 0, p);
      else if (!classOf.has(codes[p] as number)) classOf.set(codes[p] as number, classOf.size);
    }
    const classBits = new Int32Array(classOf.size * words);
    for (let p = 0; p < count; p++) {
      if (kinds[p] === CHAR) setBit(classBits, (classOf.get(codes[p] as number) as number) * words, p);
    }
    const asciiClasses = classOf.size < 255 ? new Uint8Array(128) : new Uint16Array(128);
    const otherClasses = new Map<number, number>();
    for (const [code, index] of classOf) {
      if (code < 128) asciiClasses[code] = index + 1;
      else otherClasses.set(code, index + 1);
    }
    this.anyChar = anyChar;
    this.inSegment = inSegment;
    this.classBits = classBits;
    this.asciiClasses = asciiClasses;
    this.otherClasses = otherClasses;

    const first = new Int32Array(words);
    const starts = new Int32Array(4);
    for (let k = 0, size = items.ready(0, starts, 0); k < size; k++) setBit(first, 0, starts[k] as number);
    this.first = first;
    this.accepting = accepting;
    this.nullable = items.endsBefore(0);
  }

  /** Whether access[from, to) is matched by the whole core. */
  run(access: string, from: number, to: number): boolean {
    if (from === to) return this.nullable;
    const words = this.words;
    reserve(words);
    ready.set(this.first);
    for (let i = from; ; ) {
      const code = access.charCodeAt(i);
      const klass = code < 128 ? (this.asciiClasses[code] as number) : (this.otherClasses.get(code) ?? 0);
      const base = (klass - 1) * words;
      const inSegment = code !== DOT && code !== HASH;
      let alive = 0;
      for (let w = 0; w < words; w++) {
        let takes = this.anyChar[w] as number;
        if (inSegment) takes |= this.inSegment[w] as number;
        if (klass !== 0) takes |= this.classBits[base + w] as number;
        alive |= live[w] = (ready[w] as number) & takes;
      }
      if (alive === 0) return false;
      if (++i === to) break;
      this.advance(words);
    }
    for (let w = 0; w < words; w++) {
      if (((live[w] as number) & (this.accepting[w] as number)) !== 0) return true;
    }
    return false;
  }

  /** ready = the positions that may take the next character, given the live ones. */
  private advance(words: number): void {
    ready.fill(0, 0, words);
    for (let g = 0; g < this.distances.length; g++) {
      const distance = this.distances[g] as number;
      const wordShift = distance >>> 5;
      const bitShift = distance & 31;
      const mask = g * words;
      for (let w = words - 1; w >= wordShift; w--) {
        const s = w - wordShift;
        let bits = ((live[s] as number) & (this.followed[mask + s] as number)) << bitShift;
        if (bitShift !== 0 && s > 0) bits |= ((live[s - 1] as number) & (this.followed[mask + s - 1] as number)) >>> (32 - bitShift);
        ready[w]! |= bits;
      }
    }
  }
}

const EXACT = 0;
const CORE_ANY = 1; // a lone `#` (or a run of wildcards with one): the most common shape (`calld.#`, `a.#.read`)
const CORE_ANY_IN_SEGMENT = 2; // a lone `*` (`auth.users.*.read`)
const CORE_SEGMENTS = 3; // segments matched one by one around an optional middle (`auth.users.me.#`, `auth.users.*.edit`)
const CORE_AUTOMATON = 4;

/** The options of the alternative at pattern[start, end), when neither holds a '.': then one at most fits a segment. */
function plainAlternatives(pattern: string, start: number, end: number, context: AccessContext): readonly string[] | null {
  const options = segmentAlternatives(pattern, start, end, context);
  return options && !options.some((option) => option.includes('.')) ? options : null;
}

/**
 * What one segment of a core matches: a plain string, one of an alternative's options, or a
 * pattern of its own (holding a `*`). None holds a '.', so each matches exactly one access segment.
 */
type SegmentMatch = string | readonly string[] | PatternMatcher;

/** Whether pattern[start, end) may span several access segments: it holds a `#` or an alias whose value holds a '.'. */
function crossesSegments(pattern: string, start: number, end: number, context: AccessContext): boolean {
  const options = segmentAlternatives(pattern, start, end, context);
  if (options) return !plainAlternatives(pattern, start, end, context);
  const hash = pattern.indexOf('#', start);
  return hash >= 0 && hash < end;
}

/**
 * One pattern, compiled for one token. The literal prefix and suffix around the first and last
 * wildcard/alias are compared directly, so most mismatches are rejected by startsWith/endsWith.
 * Only a `#` (or an alias whose value holds a '.') lets the pattern span a varying number of
 * access segments: the core's segments before the first and after the last such one each match
 * exactly one access segment, found by the next (or previous) dot, so they are checked one by one
 * in time linear in the access. Only what lies between goes to the automaton: most patterns need
 * none, and an ACL of thousands of aliases is matched in linear time.
 */
export class PatternMatcher {
  /** The whole access this pattern grants when it has no wildcard or alias, else null. */
  readonly exact: string | null;
  /** The pattern's first segment when it is plain text (no wildcard, no alias), else null. */
  readonly literalFirstSegment: string | null;
  private readonly mode: number;
  private readonly prefix: string;
  private readonly suffix: string;
  /** The core's segments matched one by one from its start, and from its end. */
  private readonly leading: readonly SegmentMatch[] = [];
  private readonly trailing: readonly SegmentMatch[] = [];
  /** What lies between them (from the first to the last segment that may span several), or null. */
  private readonly middle: PatternMatcher | null = null;
  private readonly automaton: Automaton | null = null;

  /** `wholeCore`: compile the core as one automaton (its first and last segments may span several, or it is one segment). */
  constructor(pattern: string, context: AccessContext = {}, wholeCore = false) {
    const span = specialSpan(pattern, context);
    if (!span) {
      this.exact = pattern;
      this.mode = EXACT;
      this.prefix = this.suffix = '';
      const dot = pattern.indexOf('.');
      this.literalFirstSegment = dot < 0 ? pattern : pattern.slice(0, dot);
      return;
    }
    const {head, tail} = span;
    this.exact = null;
    this.prefix = pattern.slice(0, head);
    this.suffix = pattern.slice(tail);
    const dot = this.prefix.indexOf('.');
    this.literalFirstSegment = dot < 0 ? null : this.prefix.slice(0, dot);

    const core = pattern.slice(head, tail);
    if (/^[*#]+$/.test(core)) {
      this.mode = core.includes('#') ? CORE_ANY : CORE_ANY_IN_SEGMENT;
      return;
    }
    if (wholeCore) {
      this.mode = CORE_AUTOMATON;
      this.automaton = new Automaton(pattern, head, tail, context);
      return;
    }
    // The core's segments (the first and last may be parts of the pattern's), and which may span several.
    const starts: number[] = [];
    const ends: number[] = [];
    let first = -1;
    let last = -1;
    for (let start = head; ; ) {
      const found = pattern.indexOf('.', start);
      const end = found < 0 || found >= tail ? tail : found;
      if (crossesSegments(pattern, start, end, context)) {
        if (first < 0) first = starts.length;
        last = starts.length;
      }
      starts.push(start);
      ends.push(end);
      if (end === tail) break;
      start = end + 1;
    }
    const count = starts.length;
    if (first === 0 && last === count - 1) {
      this.mode = CORE_AUTOMATON;
      this.automaton = new Automaton(pattern, head, tail, context);
      return;
    }
    this.mode = CORE_SEGMENTS;
    const segment = (i: number): SegmentMatch => {
      const start = starts[i] as number;
      const end = ends[i] as number;
      const options = plainAlternatives(pattern, start, end, context);
      if (options) return options;
      const text = pattern.slice(start, end);
      return text.includes('*') ? new PatternMatcher(text, context, true) : text;
    };
    const leadingCount = first < 0 ? count : first;
    this.leading = Array.from({length: leadingCount}, (_, i) => segment(i));
    if (first >= 0) {
      this.trailing = Array.from({length: count - 1 - last}, (_, i) => segment(last + 1 + i));
      this.middle = new PatternMatcher(pattern.slice(starts[first], ends[last]), context, true);
    }
  }

  /** Whether `access` is granted by this pattern alone. */
  matches(access: string): boolean {
    return this.matchesPart(access, 0, access.length);
  }

  /** Whether access[from, to) is matched by the whole pattern. */
  private matchesPart(access: string, from: number, to: number): boolean {
    if (this.mode === EXACT) return to - from === (this.exact as string).length && access.startsWith(this.exact as string, from);
    const start = from + this.prefix.length;
    const end = to - this.suffix.length;
    if (end < start || !access.startsWith(this.prefix, from) || !access.endsWith(this.suffix, to)) return false;
    switch (this.mode) {
      case CORE_ANY:
        return true;
      case CORE_ANY_IN_SEGMENT:
        for (let i = start; i < end; i++) {
          const code = access.charCodeAt(i);
          if (code === DOT || code === HASH) return false;
        }
        return true;
      case CORE_SEGMENTS:
        return this.segmentsMatch(access, start, end);
      default:
        return (this.automaton as Automaton).run(access, start, end);
    }
  }

  /** Whether access[from, to) is matched by the leading segments, the middle and the trailing segments. */
  private segmentsMatch(access: string, from: number, to: number): boolean {
    const leading = this.leading;
    let p = from;
    // Without a middle, the last leading segment ends where the core does.
    const lastLeading = this.middle ? leading.length : leading.length - 1;
    for (let i = 0; i < lastLeading; i++) {
      const dot = access.indexOf('.', p);
      if (dot < 0 || dot >= to || !PatternMatcher.segmentMatches(leading[i] as SegmentMatch, access, p, dot)) return false;
      p = dot + 1;
    }
    if (!this.middle) return PatternMatcher.segmentMatches(leading[lastLeading] as SegmentMatch, access, p, to);
    let q = to;
    for (let i = this.trailing.length - 1; i >= 0; i--) {
      if (q - 1 < p) return false;
      const dot = access.lastIndexOf('.', q - 1);
      if (dot < p || !PatternMatcher.segmentMatches(this.trailing[i] as SegmentMatch, access, dot + 1, q)) return false;
      q = dot;
    }
    return this.middle.matchesPart(access, p, q);
  }

  /** Whether access[from, to) is matched by one segment of a core. */
  private static segmentMatches(segment: SegmentMatch, access: string, from: number, to: number): boolean {
    if (typeof segment === 'string') return segment.length === to - from && access.startsWith(segment, from);
    if (segment instanceof PatternMatcher) return segment.matchesPart(access, from, to);
    for (const option of segment) {
      if (option.length === to - from && access.startsWith(option, from)) return true;
    }
    return false;
  }
}
