// The compiled ACLs the token service shares among its tokens.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {SharedAccessChecks} from '../../src/services/access-checks.js';

test("shared checks: one per ACL and the context it refers to, never granting another user's me", () => {
  const shared = new SharedAccessChecks();
  const acl = ['confd.users.me.read', 'calld.#', '!calld.admin.#'];
  const alice = shared.of(acl, {authId: 'alice-uuid', sessionUuid: 's1'});
  // The same user in another session: me is the same, my_session is not used, so one check.
  assert.equal(shared.of([...acl], {authId: 'alice-uuid', sessionUuid: 's2'}), alice);
  const bob = shared.of(acl, {authId: 'bob-uuid', sessionUuid: 's3'});
  assert.notEqual(bob, alice);
  assert.ok(alice.grants('confd.users.alice-uuid.read'));
  assert.ok(!alice.grants('confd.users.bob-uuid.read'));
  assert.ok(bob.grants('confd.users.bob-uuid.read'));
  assert.ok(!bob.grants('calld.admin.x'));

  // No me, no my_session: every user shares it.
  const plain = ['dird.#', 'websocketd'];
  assert.equal(shared.of(plain, {authId: 'a'}), shared.of(plain, {authId: 'b', sessionUuid: 'x'}));
  // my_session (also behind a '!'): one per session.
  const session = ['auth.sessions.*.read', '!auth.sessions.my_session.delete'];
  const one = shared.of(session, {authId: 'a', sessionUuid: 'one'});
  const two = shared.of(session, {authId: 'a', sessionUuid: 'two'});
  assert.notEqual(one, two);
  assert.ok(!one.grants('auth.sessions.one.delete'));
  assert.ok(one.grants('auth.sessions.two.read'));
  // An order or an entry of its own makes another ACL; another limit another check.
  assert.notEqual(shared.of(['websocketd', 'dird.#'], {authId: 'a'}), shared.of(plain, {authId: 'a'}));
  const limited = shared.of(['#'], {}, 10);
  assert.notEqual(limited, shared.of(['#'], {}, 11));
  assert.equal(limited.grants('a'.repeat(11)), false);
});

test('at its limit the oldest check is forgotten; a check already handed out keeps working', () => {
  const shared = new SharedAccessChecks(2);
  const first = shared.of(['a.#'], {});
  shared.of(['b.#'], {});
  assert.equal(shared.of(['a.#'], {}), first);
  shared.of(['c.#'], {});
  assert.notEqual(shared.of(['a.#'], {}), first);
  assert.ok(first.grants('a.x'));
});

test('each keeper has its own checks: two daemons in one process share nothing', () => {
  assert.notEqual(new SharedAccessChecks().of(['a.#'], {}), new SharedAccessChecks().of(['a.#'], {}));
});
