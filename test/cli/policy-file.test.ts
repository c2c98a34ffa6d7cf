// Reading policies from YAML: what `policy apply` and `policy edit` accept, and how they word
// each problem (every one a usage error, exit 2, that says where it is).

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CliFailure} from '../../src/cli/failure.js';
import {parsePolicies, policyDocument} from '../../src/cli/policy-file.js';

function refusal(text: string): string {
  try {
    parsePolicies(text, 'p.yml');
  } catch (error) {
    assert.ok(error instanceof CliFailure);
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  assert.fail('accepted');
}

test('a list of policies, each field as given; fields left out stay out', () => {
  const text = [
    '- name: Operators',
    '  slug: operators',
    '  description: The operators',
    '  acl:',
    '    - confd.users.read',
    '    - "!confd.users.*.delete"',
    "    - '#'",
    '  shared: true',
    '- name: Readers',
  ].join('\n');
  assert.deepEqual(parsePolicies(text, 'p.yml'), [
    {name: 'Operators', slug: 'operators', description: 'The operators', acl: ['confd.users.read', '!confd.users.*.delete', '#'], shared: true},
    {name: 'Readers'},
  ]);
});

test('one policy as a mapping; the fields the daemon sets are ignored', () => {
  const text = 'uuid: 0b0e0d0c-1a2b-4c3d-8e4f-5a6b7c8d9e0f\ntenant_uuid: x\nname: Readers\nread_only: false\nacl: [confd.*.read]\ndescription: null\n';
  assert.deepEqual(parsePolicies(text, 'p.yml'), [{name: 'Readers', acl: ['confd.*.read'], description: null}]);
});

test('an empty list is nothing to do; `acl:` with nothing after it is an empty ACL', () => {
  assert.deepEqual(parsePolicies('[]', 'p.yml'), []);
  assert.deepEqual(parsePolicies('name: x\nacl:\n', 'p.yml'), [{name: 'x', acl: []}]);
});

test('what a policy shown as YAML gives back', () => {
  const policy = {
    uuid: 'u',
    tenant_uuid: 't',
    name: 'Operators',
    slug: 'operators',
    description: null,
    acl: ['#', '!confd.users.*.delete', 'calld.#'],
    read_only: false,
    shared: false,
  };
  const text = policyDocument(policy, ['a comment', 'and another']);
  assert.match(text, /^# a comment\n# and another\nname: Operators\n/);
  assert.deepEqual(parsePolicies(text, 'p.yml'), [{name: 'Operators', slug: 'operators', description: null, acl: policy.acl, shared: false}]);
});

test('a misspelt key is refused, naming the policy and the keys expected', () => {
  assert.equal(
    refusal('- name: Readers\n- name: Operators\n  acls: [a.b]\n'),
    'p.yml: policy 2 (Operators): unknown key "acls" (expected name, slug, description, acl, shared)',
  );
});

test('an unquoted access starting with ! is a YAML tag: refused, saying to quote it', () => {
  const message = refusal('name: x\nacl:\n  - !confd.users.delete\n');
  assert.match(message, /^p\.yml: Unresolved tag: !confd\.users\.delete at line 3, column 5/);
  assert.match(message, /An access starting with ! must be quoted/);
});

test('an unquoted lone # is a comment: refused, saying to quote it', () => {
  assert.equal(refusal('name: x\nacl:\n  - a.b\n  - #\n'), 'p.yml (x): acl item 2 is empty (a lone # starts a comment: quote it, "#")');
});

test("invalid YAML: the parser's message with the line", () => {
  assert.match(refusal('name: [x\n'), /^p\.yml: .*line 2/s);
  assert.match(refusal('- name: a\n---\n- name: b\n'), /multiple documents/);
});

test('each field checked', () => {
  assert.equal(refusal(''), 'p.yml: holds no policy');
  assert.equal(refusal('- just text'), 'p.yml: policy 1: expected a mapping with name, slug, description, acl, shared; got string "just text"');
  assert.equal(refusal('- acl: [a]'), 'p.yml: policy 1: name is required, text of 1 to 80 characters');
  assert.equal(refusal(`name: ${'n'.repeat(81)}`), 'p.yml: name is required, text of 1 to 80 characters');
  assert.equal(refusal('name: x\nslug: a b'), 'p.yml (x): slug must be 1 to 80 letters, digits, _ or -');
  assert.equal(refusal('name: x\ndescription: [a]'), 'p.yml (x): description must be text');
  assert.equal(refusal('name: x\nacl: a.b'), 'p.yml (x): acl must be a list of accesses');
  assert.equal(refusal('name: x\nacl: [a.b, 3]'), 'p.yml (x): acl item 2 must be text, not number 3');
  assert.equal(refusal('name: x\nacl: [a.b, c, a.b]'), 'p.yml (x): acl lists a.b twice');
  assert.equal(refusal('name: x\nshared: yes'), 'p.yml (x): shared must be true or false');
});

test('two policies of one file may not be the same one', () => {
  assert.equal(refusal('- {name: a, slug: ops}\n- {name: b, slug: OPS}\n'), 'p.yml: two policies have slug OPS');
  assert.equal(refusal('- {name: a}\n- {name: a, slug: x}\n'), 'p.yml: two policies have name a');
});
