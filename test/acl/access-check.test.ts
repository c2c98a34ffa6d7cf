// Table tests for the ACL language: every rule, example and edge case of the spec, one row each.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {AccessCheck, canRemove, requiredAccessFor, type AccessContext} from '../../src/acl/index.js';

const OWN = '7f3c2a10-5b1e-4c7d-9a8e-0123456789ab';
const OTHER = '11111111-2222-3333-4444-555555555555';
const SESSION = 'c0ffee00-0000-4000-8000-000000000001';
const ctx: AccessContext = {authId: OWN, sessionUuid: SESSION};

interface Case {
  name: string;
  acl: string[];
  access: string | null | undefined;
  granted: boolean;
  context?: AccessContext;
}

const cases: Case[] = [
  // whole-string matching on dot-separated segments
  {name: 'a literal pattern grants the identical access', acl: ['a.b'], access: 'a.b', granted: true},
  {name: 'a literal pattern does not grant a longer access', acl: ['a.b'], access: 'a.b.c', granted: false},
  {name: 'a literal pattern does not grant a shorter access', acl: ['a.b'], access: 'a', granted: false},
  {name: 'matching is anchored at the start', acl: ['a.b'], access: 'xa.b', granted: false},
  {name: 'matching is anchored at the end', acl: ['a.b'], access: 'a.bx', granted: false},
  {name: 'a dot in a pattern is a literal dot, not any character', acl: ['a.b'], access: 'axb', granted: false},
  {name: 'an empty ACL grants nothing', acl: [], access: 'a', granted: false},

  // `*`
  {name: '* stands for a whole segment', acl: ['auth.users.*.read'], access: 'auth.users.42.read', granted: true},
  {name: '* does not span a dot', acl: ['auth.users.*.read'], access: 'auth.users.4.2.read', granted: false},
  {name: '* may be part of a segment', acl: ['auth.user*'], access: 'auth.users', granted: true},
  {name: '* inside a segment matches the empty run', acl: ['auth.user*'], access: 'auth.user', granted: true},
  {name: '* inside a segment does not reach the next segment', acl: ['auth.user*'], access: 'auth.users.x', granted: false},
  {name: 'a.fo*.b grants a.foo.b', acl: ['a.fo*.b'], access: 'a.foo.b', granted: true},
  {name: 'a.fo*.b grants a.fo.b', acl: ['a.fo*.b'], access: 'a.fo.b', granted: true},
  {name: 'a.fo*.b does not grant a.f.b', acl: ['a.fo*.b'], access: 'a.f.b', granted: false},
  {name: '* as a whole segment matches an empty segment', acl: ['a.*.b'], access: 'a..b', granted: true},
  {name: '* does not let a segment disappear', acl: ['a.*.b'], access: 'a.b', granted: false},
  {name: 'several * in one segment', acl: ['a.x*y*z'], access: 'a.x1y2z', granted: true},
  {name: 'several * in one segment keep their literal parts', acl: ['a.x*y*z'], access: 'a.xz', granted: false},
  {name: '* does not match a literal #', acl: ['a.*'], access: 'a.#', granted: false},
  {name: '* matches a literal * in the access', acl: ['a.*'], access: 'a.*', granted: true},
  {name: 'confd.*.read grants confd.users.read', acl: ['confd.*.read'], access: 'confd.users.read', granted: true},
  {name: 'confd.*.read does not grant confd.users.42.read', acl: ['confd.*.read'], access: 'confd.users.42.read', granted: false},

  // `#`
  {name: '# grants one more segment', acl: ['calld.#'], access: 'calld.x', granted: true},
  {name: '# grants several more segments', acl: ['calld.#'], access: 'calld.x.y', granted: true},
  {name: '# does not grant the bare prefix', acl: ['calld.#'], access: 'calld', granted: false},
  {name: '# keeps the dot in front of it but may match an empty run', acl: ['calld.#'], access: 'calld.', granted: true},
  {name: '# does not grant a sibling prefix', acl: ['calld.#'], access: 'calldx.y', granted: false},
  {name: '# alone grants everything', acl: ['#'], access: 'anything.at.all', granted: true},
  {name: '# in the middle spans several segments', acl: ['a.#.b'], access: 'a.x.y.b', granted: true},
  {name: '# in the middle may be empty', acl: ['a.#.b'], access: 'a..b', granted: true},
  {name: '# in the middle still needs both dots', acl: ['a.#.b'], access: 'a.b', granted: false},
  {name: '# may end a segment and then span dots', acl: ['a.b#'], access: 'a.bc.d', granted: true},
  {name: '# inside a segment may be empty', acl: ['a.b#'], access: 'a.b', granted: true},
  {name: '# matches a literal # and * in the access', acl: ['a.#'], access: 'a.#.*', granted: true},
  {name: 'a leading # matches any prefix', acl: ['#.read'], access: 'x.y.read', granted: true},
  {name: 'a leading # keeps the dot after it', acl: ['#.read'], access: 'read', granted: false},

  // `me`
  {name: 'auth.users.me.# grants auth.users.me.password.edit', acl: ['auth.users.me.#'], access: 'auth.users.me.password.edit', granted: true, context: ctx},
  {
    name: 'auth.users.me.# grants the own uuid with .update',
    acl: ['auth.users.me.#'],
    access: `auth.users.${OWN}.password.update`,
    granted: true,
    context: ctx,
  },
  {name: 'auth.users.me.# grants the own uuid with .edit', acl: ['auth.users.me.#'], access: `auth.users.${OWN}.password.edit`, granted: true, context: ctx},
  {name: 'me does not grant another user', acl: ['auth.users.me.#'], access: `auth.users.${OTHER}.password.edit`, granted: false, context: ctx},
  {name: 'me without an auth_id is only the literal me', acl: ['auth.users.me.read'], access: `auth.users.${OWN}.read`, granted: false},
  {name: 'me without an auth_id still grants the literal me', acl: ['auth.users.me.read'], access: 'auth.users.me.read', granted: true},
  {name: 'an empty auth_id does not make me match an empty segment', acl: ['a.me.b'], access: 'a..b', granted: false, context: {authId: ''}},
  {name: 'me is replaced only as a whole segment (a.meme.b is literal)', acl: ['a.meme.b'], access: `a.${OWN}me.b`, granted: false, context: ctx},
  {name: 'a.meme.b grants itself', acl: ['a.meme.b'], access: 'a.meme.b', granted: true, context: ctx},
  {name: 'me* is not the me segment', acl: ['a.me*.b'], access: `a.${OWN}.b`, granted: false, context: ctx},
  {name: 'me* is a glob starting with me', acl: ['a.me*.b'], access: 'a.mex.b', granted: true, context: ctx},
  {name: 'me as the first segment', acl: ['me.x'], access: `${OWN}.x`, granted: true, context: ctx},
  {name: 'me as the only segment', acl: ['me'], access: OWN, granted: true, context: ctx},
  {name: 'a literal uuid does not grant the literal me', acl: [`auth.users.${OWN}.read`], access: 'auth.users.me.read', granted: false, context: ctx},
  {name: 'an auth_id with regex characters is matched literally', acl: ['u.me'], access: 'u.a-b', granted: false, context: {authId: 'a.+b'}},
  {name: 'an auth_id with regex characters grants itself', acl: ['u.me'], access: 'u.a.+b', granted: true, context: {authId: 'a.+b'}},

  // `my_session`
  {
    name: 'my_session grants the literal my_session',
    acl: ['auth.sessions.my_session.delete'],
    access: 'auth.sessions.my_session.delete',
    granted: true,
    context: ctx,
  },
  {
    name: 'my_session grants the own session uuid',
    acl: ['auth.sessions.my_session.delete'],
    access: `auth.sessions.${SESSION}.delete`,
    granted: true,
    context: ctx,
  },
  {
    name: 'my_session does not grant another session',
    acl: ['auth.sessions.my_session.delete'],
    access: `auth.sessions.${OTHER}.delete`,
    granted: false,
    context: ctx,
  },
  {name: 'my_session is not the auth_id', acl: ['auth.sessions.my_session.delete'], access: `auth.sessions.${OWN}.delete`, granted: false, context: ctx},
  {name: 'me is not the session uuid', acl: ['auth.users.me.read'], access: `auth.users.${SESSION}.read`, granted: false, context: ctx},
  {name: 'my_session is replaced only as a whole segment', acl: ['a.my_sessions'], access: `a.${SESSION}s`, granted: false, context: ctx},

  // `edit` / `update`
  {name: 'an ACL ending in .edit grants the same access ending in .update', acl: ['a.b.edit'], access: 'a.b.update', granted: true},
  {name: 'an ACL ending in .edit grants .edit', acl: ['a.b.edit'], access: 'a.b.edit', granted: true},
  {name: 'an ACL ending in .update does not grant .edit', acl: ['a.b.update'], access: 'a.b.edit', granted: false},
  {name: 'a segment edit in the middle also matches update', acl: ['a.edit.b'], access: 'a.update.b', granted: true},
  {name: 'edit is an alias only as a whole segment', acl: ['a.editx'], access: 'a.updatex', granted: false},
  {name: 'edit combines with me', acl: ['auth.users.me.password.edit'], access: `auth.users.${OWN}.password.update`, granted: true, context: ctx},

  // negative patterns
  {name: '# with a negative grants everything else', acl: ['#', '!auth.tenants.*.delete'], access: 'auth.tenants.t1.read', granted: true},
  {name: '# with a negative denies what the negative matches', acl: ['#', '!auth.tenants.*.delete'], access: 'auth.tenants.t1.delete', granted: false},
  {name: 'a negative wins whatever its position', acl: ['!auth.tenants.*.delete', '#'], access: 'auth.tenants.t1.delete', granted: false},
  {name: 'a negative wins over an identical positive', acl: ['a.b', '!a.b'], access: 'a.b', granted: false},
  {name: 'a negative is exact: !a.secret blocks a.secret', acl: ['a.#', '!a.secret'], access: 'a.secret', granted: false},
  {name: 'a negative is exact: !a.secret does not block a.secret.sub', acl: ['a.#', '!a.secret'], access: 'a.secret.sub', granted: true},
  {name: '!a.secret.# blocks a.secret.sub', acl: ['a.#', '!a.secret.#'], access: 'a.secret.sub', granted: false},
  {name: 'a negative alone grants nothing', acl: ['!a.b'], access: 'a.c', granted: false},
  {name: 'a negative understands me', acl: ['#', '!auth.users.me.delete'], access: `auth.users.${OWN}.delete`, granted: false, context: ctx},
  {name: 'a negative understands edit', acl: ['#', '!a.edit'], access: 'a.update', granted: false},
  {name: 'a non-matching negative does not deny', acl: ['a.#', '!b.#'], access: 'a.x', granted: true},
  {name: 'a second ! is a literal character', acl: ['#', '!!a'], access: 'a', granted: true},
  {name: 'a second ! is a literal character of the negative pattern', acl: ['#', '!!a'], access: '!a', granted: false},

  // no required access / empty required access
  {name: 'no required access (undefined) is granted even with an empty ACL', acl: [], access: undefined, granted: true},
  {name: 'no required access (null) is granted even with an empty ACL', acl: [], access: null, granted: true},
  {name: 'no required access is granted even when a negative matches everything', acl: ['!#'], access: undefined, granted: true},
  {name: 'an empty required access is denied by an empty ACL', acl: [], access: '', granted: false},
  {name: 'an empty required access is denied by a.#', acl: ['a.#'], access: '', granted: false},
  {name: 'an empty required access is granted by #', acl: ['#'], access: '', granted: true},
  {name: 'an empty required access is denied by !#', acl: ['#', '!#'], access: '', granted: false},
  {name: 'an empty pattern grants only the empty access', acl: [''], access: '', granted: true},
  {name: 'an empty pattern does not grant a dot', acl: [''], access: '.', granted: false},

  // regex metacharacters are literal
  {name: 'parentheses and + are literal', acl: ['a.(b)+.c'], access: 'a.bb.c', granted: false},
  {name: 'parentheses and + grant themselves', acl: ['a.(b)+.c'], access: 'a.(b)+.c', granted: true},
  {name: '? is literal', acl: ['a.bc?'], access: 'a.b', granted: false},
  {name: 'a character class is literal', acl: ['a.[bc]'], access: 'a.b', granted: false},
  {name: 'a character class grants itself', acl: ['a.[bc]'], access: 'a.[bc]', granted: true},
  {name: '$ and ^ are literal', acl: ['^a.$'], access: '^a.$', granted: true},
  {name: 'a backslash is literal', acl: ['a.\\d'], access: 'a.1', granted: false},
  {name: 'a backslash grants itself', acl: ['a.\\d'], access: 'a.\\d', granted: true},
  {name: '| is not an alternation', acl: ['a|b'], access: 'b', granted: false},
  {name: '{} are literal', acl: ['a{2}'], access: 'aa', granted: false},
  {name: 'metacharacters next to wildcards stay literal', acl: ['a.(*).#+'], access: 'a.(x).y.z+', granted: true},
  {name: 'metacharacters next to wildcards stay literal (mismatch)', acl: ['a.(*).#+'], access: 'a.x.y.z', granted: false},
];

for (const c of cases) {
  test(c.name, () => {
    const check = new AccessCheck(c.acl, c.context);
    assert.equal(check.grants(c.access), c.granted);
    if (typeof c.access === 'string') assert.equal(check.explain(c.access).granted, c.granted);
  });
}

test('explain names the deciding negative pattern with its !', () => {
  const check = new AccessCheck(['#', 'a.*', '!a.b', '!a.#']);
  assert.deepEqual(check.explain('a.b'), {granted: false, pattern: '!a.b'});
  assert.deepEqual(check.explain('a.b.c'), {granted: false, pattern: '!a.#'});
});

test('explain names the first matching positive pattern in ACL order', () => {
  const check = new AccessCheck(['b.#', 'a.*', '#', '!c']);
  assert.deepEqual(check.explain('a.x'), {granted: true, pattern: 'a.*'});
  assert.deepEqual(check.explain('z'), {granted: true, pattern: '#'});
});

test('explain gives null when no pattern matches', () => {
  assert.deepEqual(new AccessCheck(['a.b']).explain('a.c'), {granted: false, pattern: null});
});

test('the acl is kept as given, as a frozen copy', () => {
  const acl = ['a.#', '!a.b', 'a.#'];
  const check = new AccessCheck(acl);
  acl.push('#');
  assert.deepEqual(check.acl, ['a.#', '!a.b', 'a.#']);
  assert.ok(Object.isFrozen(check.acl));
  assert.equal(check.grants('z'), false);
});

test('the sharing key names the ACL, the limit and only the context the ACL refers to', () => {
  const acl = ['confd.users.me.read', 'calld.#'];
  const key = AccessCheck.sharingKey;
  assert.equal(key(acl, {authId: 'alice', sessionUuid: 's1'}), key([...acl], {authId: 'alice', sessionUuid: 's2'}));
  assert.notEqual(key(acl, {authId: 'alice'}), key(acl, {authId: 'bob'}));
  assert.equal(key(['dird.#'], {authId: 'a'}), key(['dird.#'], {authId: 'b', sessionUuid: 'x'}));
  assert.notEqual(key(['!a.my_session.b'], {sessionUuid: 'one'}), key(['!a.my_session.b'], {sessionUuid: 'two'}));
  assert.notEqual(key(['#'], {}, 10), key(['#'], {}, 11));
});

test('the same body listed both positive and negative is denied', () => {
  const check = new AccessCheck(['a.*', '!a.*', 'a.*']);
  assert.equal(check.grants('a.x'), false);
});

test('hundreds of patterns: only the matching one grants', () => {
  const acl = Array.from({length: 500}, (_, i) => `service${i}.things.*.items.#.read`);
  acl.push(...Array.from({length: 500}, (_, i) => `service${i}.exact.read`), '!service7.things.x.items.secret.read');
  const check = new AccessCheck(acl);
  assert.equal(check.grants('service499.things.x.items.a.b.read'), true);
  assert.equal(check.grants('service250.exact.read'), true);
  assert.equal(check.grants('service7.things.x.items.secret.read'), false);
  assert.equal(check.grants('service7.things.x.items.secret.write'), false);
  assert.equal(check.grants('service500.exact.read'), false);
});

// A backtracking regex engine takes time exponential in the number of wildcards on these inputs
// (minutes to forever); the checks must simply return.
test('many # against a long access of dots finishes', () => {
  const check = new AccessCheck(['#.#.#.#.#.#.#.#.#.#.x']);
  const dots = '.'.repeat(20_000);
  assert.equal(check.grants(dots), false);
  assert.equal(check.grants(dots + 'x'), true);
  assert.equal(check.grants(dots + 'y'), false);
});

test('many * in one segment against a long segment finishes', () => {
  const check = new AccessCheck(['a.*b*b*b*b*b*b*b*b*b*b*c']);
  const bs = 'a.' + 'b'.repeat(20_000);
  assert.equal(check.grants(bs), false);
  assert.equal(check.grants(bs + 'c'), true);
});

test('interleaved # and * against a long access finishes', () => {
  const check = new AccessCheck(['#*x#*x#*x#*x#*x#*x#*x#*x#y', '!#.x#.x#.x#.x#.x#.x#.x#.z'], ctx);
  const xs = 'x.'.repeat(10_000);
  assert.equal(check.grants(xs), false);
  assert.equal(check.grants(xs + 'y'), true);
});

test('many me segments compile and match without blowing up', () => {
  const pattern = Array.from({length: 60}, () => 'me').join('.');
  const check = new AccessCheck([pattern, `!${pattern}.#`], {authId: 'm'});
  const mixed = Array.from({length: 60}, (_, i) => (i % 3 === 0 ? 'm' : 'me')).join('.');
  assert.equal(check.grants(mixed), true);
  assert.equal(check.grants(mixed + '.x'), false);
  assert.equal(check.grants(mixed.slice(0, -1) + 'f'), false);
});

test('a required access longer than the limit is never granted; the granting rules still read it', () => {
  const check = new AccessCheck(['#', '!x.#'], {}, 10);
  assert.equal(check.grants('a'.repeat(10)), true);
  assert.equal(check.grants('a'.repeat(11)), false);
  assert.deepEqual(check.explain('a'.repeat(11)), {granted: false, pattern: null});
  assert.equal(check.covers('a'.repeat(11)), true);
  assert.equal(canRemove(check, 'a'.repeat(11)), true);
  assert.equal(canRemove(check, '!x.' + 'a'.repeat(11)), false);
});

test('hostile patterns of an ACL at the limits check quickly enough to finish', () => {
  const fit = (unit: string, room: number) => unit.repeat(Math.floor(room / unit.length));
  const acl = Array.from({length: 200}, (_, i) => `#${i}${fit('.a*', 240)}.b*`);
  const check = new AccessCheck(acl, {}, 256);
  assert.equal(check.grants(`1${fit('.a', 254)}`), false);
  assert.equal(check.grants(`x.1${'.a'.repeat(80)}.b`), true);
});

test('an ACL of tens of thousands of aliases compiles, and matches them all', () => {
  const pattern = Array.from({length: 20_000}, (_, i) => (i % 2 ? 'me' : 'edit')).join('.');
  const check = new AccessCheck([pattern], {authId: 'u'});
  const access = Array.from({length: 20_000}, (_, i) => (i % 2 ? (i % 3 ? 'u' : 'me') : i % 5 ? 'edit' : 'update')).join('.');
  assert.equal(check.grants(access), true);
  assert.equal(check.grants(access.replace(/\.u$/, '.v')), false);
  // With a `#` at one end, the aliases on the other side are still matched one segment at a time.
  const leadingHash = new AccessCheck([`a.#.${pattern}`, `${pattern}.#`], {authId: 'u'});
  assert.equal(leadingHash.grants(`a.b.c.${access}`), true);
  assert.equal(leadingHash.grants(`${access}.b.c`), true);
  assert.equal(leadingHash.grants(`a.b.${access.replace(/\.u$/, '.v')}`), false);
});

// requiredAccessFor

test('requiredAccessFor fills a placeholder', () => {
  assert.equal(requiredAccessFor('auth.users.{user_uuid}.read', {user_uuid: OWN}), `auth.users.${OWN}.read`);
});

test('requiredAccessFor replaces each dot of a value by _', () => {
  assert.equal(requiredAccessFor('auth.users.{user_uuid}.read', {user_uuid: 'a.b'}), 'auth.users.a_b.read');
  assert.equal(requiredAccessFor('x.{a}.{b}', {a: '..', b: 'c.d.e'}), 'x.__.c_d_e');
});

test('requiredAccessFor leaves a template without placeholders alone', () => {
  assert.equal(requiredAccessFor('auth.tenants.read', {user_uuid: 'x'}), 'auth.tenants.read');
});

test('requiredAccessFor refuses a placeholder without a value', () => {
  assert.throws(() => requiredAccessFor('auth.users.{user_uuid}.read', {}), /user_uuid/);
  assert.throws(() => requiredAccessFor('a.{constructor}', {}), /constructor/);
});

test('a substituted value cannot escape its segment to reach a granted access', () => {
  const check = new AccessCheck(['auth.users.*.read']);
  assert.equal(check.grants(requiredAccessFor('auth.users.{user_uuid}.read', {user_uuid: 'x.y'})), true);
  const narrow = new AccessCheck(['auth.users.x.y.read']);
  assert.equal(narrow.grants(requiredAccessFor('auth.users.{user_uuid}.read', {user_uuid: 'x.y'})), false);
});
