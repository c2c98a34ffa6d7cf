import assert from 'node:assert/strict';
import {test} from 'node:test';
import {BINDINGS, helpLines, parseCommand} from '../../../src/tui/model/views.js';
import {matchPolicy} from '../../../src/tui/model/policy-match.js';
import {tryAccess} from '../../../src/tui/model/try-access.js';

test(':name switches by a whole name or a prefix; :q quits', () => {
  assert.deepEqual(parseCommand('sessions'), {view: 'sessions'});
  assert.deepEqual(parseCommand(' Pol '), {view: 'policies'});
  assert.deepEqual(parseCommand('t'), {view: 'tenants'});
  assert.deepEqual(parseCommand('q'), {quit: true});
  assert.deepEqual(parseCommand('gr'), {view: 'groups'});
  assert.deepEqual(parseCommand(' profile  lab.2 '), {profile: 'lab.2'});
  assert.deepEqual(parseCommand('profile'), {problem: 'one profile name: :profile NAME'});
  assert.deepEqual(parseCommand('profile a b'), {problem: 'one profile name: :profile NAME'});
  assert.deepEqual(parseCommand('profile ../x'), {problem: 'a profile name is letters, digits, ".", "_" and "-"'});
  assert.deepEqual(parseCommand('x'), {problem: 'no view "x" (sessions, policies, users, tenants, groups)'});
  assert.deepEqual(parseCommand(''), {problem: 'a view: sessions, policies, users, tenants, groups'});
});

test('help leaves the changes out when read-only, and a group left with none', () => {
  const bindings = BINDINGS.flatMap((g) => g.bindings);
  const changes = bindings.filter((b) => b.changes).length;
  assert.ok(changes > 0);
  assert.equal(helpLines(false).filter((l) => !l.title).length, bindings.length);
  assert.equal(helpLines(true).filter((l) => !l.title).length, bindings.length - changes);
  assert.ok(!helpLines(true).some((l) => l.text.includes('revoke')));
  assert.ok(helpLines(false).some((l) => l.text.includes('revoke the selected session')));
});

test('a policy is named by uuid, slug or name, or by the start of only one', () => {
  const policies = [
    {uuid: 'u1', name: 'Operators', slug: 'operators'},
    {uuid: 'u2', name: 'Operators night', slug: 'operators-night'},
    {uuid: 'u3', name: 'Readers', slug: 'readers'},
  ];
  assert.equal((matchPolicy(policies, 'operators') as {policy: {uuid: string}}).policy.uuid, 'u1');
  assert.equal((matchPolicy(policies, 'u3') as {policy: {uuid: string}}).policy.uuid, 'u3');
  assert.equal((matchPolicy(policies, 're') as {policy: {uuid: string}}).policy.uuid, 'u3');
  assert.deepEqual(matchPolicy(policies, 'oper'), {problem: 'Operators, Operators night?'});
  assert.deepEqual(matchPolicy(policies, 'zz'), {problem: 'no policy "zz"'});
});

test('try names the deciding pattern: a veto first, else the first granting one', () => {
  const acl = ['confd.users.*', 'confd.#', '!confd.users.secret'];
  assert.deepEqual(tryAccess(acl, 'confd.users.read'), {text: 'granted by confd.users.*', granted: true, pattern: 'confd.users.*'});
  assert.deepEqual(tryAccess(acl, 'confd.users.secret'), {text: 'denied by !confd.users.secret', granted: false, pattern: '!confd.users.secret'});
  assert.deepEqual(tryAccess(acl, 'calld.calls'), {text: 'not granted: no pattern matches', granted: false, pattern: null});
  assert.equal(tryAccess(acl, ''), null);
  assert.equal(tryAccess(acl, '!confd.x')?.text, 'not an access: a required access cannot be negative (no "!")');
});
