import assert from 'node:assert/strict';
import {test} from 'node:test';
import {accessProblem} from '../../src/acl/index.js';

test('patterns of the ACL language pass', () => {
  for (const ok of ['#', 'confd.users.read', 'confd.*.read', 'calld.#', '!auth.users.*.delete', 'auth.users.me.#', 'a.x*y.b']) {
    assert.equal(accessProblem(ok), null, ok);
  }
});

test('each way a pattern is broken has its own reason', () => {
  assert.equal(accessProblem(''), 'empty');
  assert.equal(accessProblem('!'), 'nothing after "!"');
  assert.equal(accessProblem('confd users'), 'no spaces');
  assert.equal(accessProblem('confd.\u0007'), 'no control characters');
  assert.equal(accessProblem('confd.!users'), '"!" only at the start');
  assert.equal(accessProblem('.confd'), 'starts with a dot');
  assert.equal(accessProblem('confd.'), 'ends with a dot');
  assert.equal(accessProblem('confd..read'), 'empty segment between two dots');
});

test('a required access is never negative', () => {
  assert.equal(accessProblem('!confd.users.read', {allowNegative: false}), 'a required access cannot be negative (no "!")');
});
