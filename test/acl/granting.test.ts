// Granting rules: what a token may add to or remove from a policy.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {AccessCheck, canAdd, canRemove} from '../../src/acl/index.js';

const OWN = '7f3c2a10-5b1e-4c7d-9a8e-0123456789ab';
const admin = new AccessCheck(['auth.#', '!auth.tenants.*.delete'], {authId: OWN});

test('a token may always add a negative pattern, even one it does not hold', () => {
  assert.equal(canAdd(admin, '!confd.#'), true);
  assert.equal(canAdd(new AccessCheck([]), '!anything'), true);
});

test('a token may add a positive pattern its ACL grants', () => {
  assert.equal(canAdd(admin, 'auth.users.read'), true);
  assert.equal(canAdd(admin, 'auth.users.*.read'), true);
  assert.equal(canAdd(admin, 'auth.#'), true);
});

test('a token may not add a positive pattern it does not hold', () => {
  assert.equal(canAdd(admin, 'confd.users.read'), false);
  assert.equal(canAdd(new AccessCheck([]), 'a'), false);
});

test('a token may not add a pattern wider than its own', () => {
  assert.equal(canAdd(admin, '#'), false);
  assert.equal(canAdd(new AccessCheck(['auth.users.*.read']), 'auth.#'), false);
});

test('* in the added pattern is read literally and granted by a * in the ACL', () => {
  assert.equal(canAdd(new AccessCheck(['auth.users.*.read']), 'auth.users.*.read'), true);
});

test('# in the added pattern is not granted by a *', () => {
  assert.equal(canAdd(new AccessCheck(['auth.users.*.read']), 'auth.users.#.read'), false);
});

test('a token may not add a positive pattern its own negative blocks', () => {
  assert.equal(canAdd(admin, 'auth.tenants.*.delete'), false);
  assert.equal(canAdd(admin, 'auth.tenants.t1.delete'), false);
});

test("the token's own me applies to the added pattern", () => {
  const user = new AccessCheck(['auth.users.me.#'], {authId: OWN});
  assert.equal(canAdd(user, `auth.users.${OWN}.read`), true);
  assert.equal(canAdd(user, 'auth.users.me.read'), true);
  assert.equal(canAdd(user, 'auth.users.other.read'), false);
});

test('a token may remove a positive pattern its ACL grants', () => {
  assert.equal(canRemove(admin, 'auth.users.read'), true);
});

test('a token may not remove a positive pattern it does not hold', () => {
  assert.equal(canRemove(admin, 'confd.users.read'), false);
});

test('a token may remove a negative pattern whose body it holds', () => {
  assert.equal(canRemove(admin, '!auth.users.delete'), true);
});

test('a token may not remove a negative pattern whose body it does not hold', () => {
  assert.equal(canRemove(admin, '!confd.users.delete'), false);
});

test('a token may not remove a negative access that applies to itself', () => {
  assert.equal(canRemove(admin, '!auth.tenants.*.delete'), false);
  assert.equal(canRemove(admin, '!auth.tenants.t1.delete'), false);
});

test('only one ! is stripped when removing', () => {
  const check = new AccessCheck(['!a', '#']);
  assert.equal(canRemove(check, '!!a'), true); // body '!a' is granted by '#'
  assert.equal(canRemove(check, '!a'), false);
});
