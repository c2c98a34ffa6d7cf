// Compiles one ACL pattern (without its '!') into a matcher for required accesses.
// Matching runs in O(access length × pattern length) whatever the pattern: no backtracking regex.

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

type Item =
  | { kind: typeof CHAR; code: number }
  | { kind: typeof ANY_IN_SEGMENT | typeof ANY }
  | { kind: 'alt'; options: readonly string[] };

/** The strings a whole pattern segment stands for, or null when the segment is read char by char. */
function segmentAlternatives(segment: string, context: AccessContext): readonly string[] | null {
  switch (segment) {
    case 'me':
      return withValue('me', context.authId);
    case 'my_session':
      return withValue('my_session', context.sessionUuid);
    case 'edit':
      return ['edit', 'update'];
    default:
      return null;
  }
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

function parse(pattern: string, context: AccessContext): Item[] {
  const items: Item[] = [];
  const segments = pattern.split('.');
  for (let s = 0; s < segments.length; s++) {
    if (s > 0) items.push({ kind: CHAR, code: DOT });
    const segment = segments[s] as string;
    const options = segmentAlternatives(segment, context);
    if (options) {
      items.push({ kind: 'alt', options });
      continue;
    }
    for (let i = 0; i < segment.length; i++) {
      const code = segment.charCodeAt(i);
      if (code !== STAR && code !== HASH) {
        items.push({ kind: CHAR, code });
        continue;
      }
      // A run of wildcards is one wildcard (`#` if any): keeps the automaton's follow sets small.
      const kind = code === HASH ? ANY : ANY_IN_SEGMENT;
      const last = items[items.length - 1];
      if (last && (last.kind === ANY || last.kind === ANY_IN_SEGMENT)) {
        if (kind === ANY) items[items.length - 1] = { kind: ANY };
      } else {
        items.push({ kind });
      }
    }
  }
  return items;
}

// Scratch space shared by every automaton: matching is synchronous and never re-entered,
// so one set of buffers avoids any allocation per check.
let current = new Int32Array(64);
let next = new Int32Array(64);
let marks = new Int32Array(64);
let generation = 0;

function reserve(size: number): void {
  if (marks.length >= size) return;
  const length = Math.max(size, marks.length * 2);
  current = new Int32Array(length);
  next = new Int32Array(length);
  marks = new Int32Array(length);
  generation = 0;
}

function nextGeneration(): number {
  if (generation === 0x7fffffff) {
    marks.fill(0);
    generation = 0;
  }
  return ++generation;
}

/**
 * Position (Glushkov) automaton of a pattern core: a state is the pattern position that consumed
 * the last character, so the set of live states is bounded by the pattern length.
 */
class Automaton {
  private readonly kinds: Uint8Array;
  private readonly codes: Int32Array;
  private readonly accepting: Uint8Array;
  private readonly followStart: Int32Array;
  private readonly follow: Int32Array;
  private readonly first: Int32Array;
  private readonly nullable: boolean;

  constructor(items: readonly Item[]) {
    const kinds: number[] = [];
    const codes: number[] = [];
    const firstOf: number[][] = [];
    const lastOf: number[][] = [];
    const chainFollow = new Map<number, number>(); // position inside an alternative -> next char
    for (const item of items) {
      if (item.kind === 'alt') {
        const firsts: number[] = [];
        const lasts: number[] = [];
        for (const option of item.options) {
          for (let i = 0; i < option.length; i++) {
            const position = kinds.length;
            kinds.push(CHAR);
            codes.push(option.charCodeAt(i));
            if (i === 0) firsts.push(position);
            if (i < option.length - 1) chainFollow.set(position, position + 1);
            else lasts.push(position);
          }
        }
        firstOf.push(firsts);
        lastOf.push(lasts);
      } else {
        const position = kinds.length;
        kinds.push(item.kind);
        codes.push(item.kind === CHAR ? item.code : -1);
        firstOf.push([position]);
        lastOf.push([position]);
      }
    }
    const isNullable = (i: number) => {
      const item = items[i] as Item;
      return item.kind === ANY || item.kind === ANY_IN_SEGMENT;
    };

    // after[i]: positions that may consume the character following item i-1 (i = 0: the first one);
    // endsAfter[i]: whether the pattern may end right after item i-1.
    const n = items.length;
    const after: number[][] = new Array(n + 1);
    const endsAfter: boolean[] = new Array(n + 1);
    after[n] = [];
    endsAfter[n] = true;
    for (let i = n - 1; i >= 0; i--) {
      const nullable = isNullable(i);
      after[i] = nullable ? [...(firstOf[i] as number[]), ...(after[i + 1] as number[])] : (firstOf[i] as number[]);
      endsAfter[i] = nullable && (endsAfter[i + 1] as boolean);
    }

    const followLists: number[][] = kinds.map(() => []);
    const accepting = new Uint8Array(kinds.length);
    for (const [position, successor] of chainFollow) followLists[position] = [successor];
    for (let i = 0; i < n; i++) {
      for (const position of lastOf[i] as number[]) {
        const list = followLists[position] as number[];
        if (kinds[position] !== CHAR) list.push(position);
        list.push(...(after[i + 1] as number[]));
        if (endsAfter[i + 1]) accepting[position] = 1;
      }
    }

    this.kinds = Uint8Array.from(kinds);
    this.codes = Int32Array.from(codes);
    this.accepting = accepting;
    this.followStart = new Int32Array(kinds.length + 1);
    const flat: number[] = [];
    for (let p = 0; p < kinds.length; p++) {
      this.followStart[p] = flat.length;
      flat.push(...(followLists[p] as number[]));
    }
    this.followStart[kinds.length] = flat.length;
    this.follow = Int32Array.from(flat);
    this.first = Int32Array.from(after[0] as number[]);
    this.nullable = endsAfter[0] as boolean;
  }

  private consumes(position: number, code: number): boolean {
    const kind = this.kinds[position];
    if (kind === CHAR) return this.codes[position] === code;
    if (kind === ANY) return true;
    return code !== DOT && code !== HASH;
  }

  /** Whether access[from, to) is matched by the whole core. */
  run(access: string, from: number, to: number): boolean {
    if (from === to) return this.nullable;
    reserve(this.kinds.length);
    let live = current;
    let upcoming = next;
    let liveCount = 0;
    let code = access.charCodeAt(from);
    let mark = nextGeneration();
    for (let k = 0; k < this.first.length; k++) {
      const q = this.first[k] as number;
      if (marks[q] !== mark && this.consumes(q, code)) {
        marks[q] = mark;
        live[liveCount++] = q;
      }
    }
    for (let i = from + 1; i < to && liveCount > 0; i++) {
      code = access.charCodeAt(i);
      mark = nextGeneration();
      let upcomingCount = 0;
      for (let j = 0; j < liveCount; j++) {
        const p = live[j] as number;
        const end = this.followStart[p + 1] as number;
        for (let k = this.followStart[p] as number; k < end; k++) {
          const q = this.follow[k] as number;
          if (marks[q] !== mark && this.consumes(q, code)) {
            marks[q] = mark;
            upcoming[upcomingCount++] = q;
          }
        }
      }
      const swap = live;
      live = upcoming;
      upcoming = swap;
      liveCount = upcomingCount;
    }
    for (let j = 0; j < liveCount; j++) {
      if (this.accepting[live[j] as number]) return true;
    }
    return false;
  }
}

const EXACT = 0;
const CORE_ANY = 1; // core is a lone `#`: the most common shape (`calld.#`, `a.#.read`)
const CORE_ANY_IN_SEGMENT = 2; // core is a lone `*` (`auth.users.*.read`)
const CORE_AUTOMATON = 3;

/**
 * One pattern, compiled for one token. The literal prefix and suffix around the first and last
 * wildcard/alias are compared directly, so most mismatches are rejected by startsWith/endsWith.
 */
export class PatternMatcher {
  /** The whole access this pattern grants when it has no wildcard or alias, else null. */
  readonly exact: string | null;
  /** The pattern's first segment when it is plain text (no wildcard, no alias), else null. */
  readonly literalFirstSegment: string | null;
  private readonly mode: number;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly automaton: Automaton | null;

  constructor(pattern: string, context: AccessContext = {}) {
    const items = parse(pattern, context);
    let head = 0;
    while (head < items.length && (items[head] as Item).kind === CHAR) head++;
    if (head === items.length) {
      this.exact = pattern;
      this.mode = EXACT;
      this.prefix = this.suffix = '';
      this.automaton = null;
      const dot = pattern.indexOf('.');
      this.literalFirstSegment = dot < 0 ? pattern : pattern.slice(0, dot);
      return;
    }
    let tail = items.length;
    while ((items[tail - 1] as Item).kind === CHAR) tail--;
    this.exact = null;
    // Outside the first and last wildcard/alias, items are the pattern's characters one for one.
    this.prefix = pattern.slice(0, head);
    this.suffix = pattern.slice(pattern.length - (items.length - tail));
    const dot = this.prefix.indexOf('.');
    this.literalFirstSegment = dot < 0 ? null : this.prefix.slice(0, dot);
    const core = items.slice(head, tail);
    const only = core.length === 1 ? (core[0] as Item).kind : null;
    this.mode = only === ANY ? CORE_ANY : only === ANY_IN_SEGMENT ? CORE_ANY_IN_SEGMENT : CORE_AUTOMATON;
    this.automaton = this.mode === CORE_AUTOMATON ? new Automaton(core) : null;
  }

  /** Whether `access` is granted by this pattern alone. */
  matches(access: string): boolean {
    if (this.mode === EXACT) return access === this.exact;
    const end = access.length - this.suffix.length;
    const start = this.prefix.length;
    if (end < start || !access.startsWith(this.prefix) || !access.endsWith(this.suffix)) return false;
    if (this.mode === CORE_ANY) return true;
    if (this.mode === CORE_ANY_IN_SEGMENT) {
      for (let i = start; i < end; i++) {
        const code = access.charCodeAt(i);
        if (code === DOT || code === HASH) return false;
      }
      return true;
    }
    return (this.automaton as Automaton).run(access, start, end);
  }
}
