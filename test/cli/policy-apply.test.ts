// Planning `policy apply`: which policy of the file matches which of the daemon's, what changes,
// and the refusals that stop everything before any call.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CliFailure} from '../../src/cli/failure.js';
import {planPolicies} from '../../src/cli/policy-apply.js';
import type {Policy} from '../../src/client/index.js';

function policy(fields: Partial<Policy> & {slug: string}): Policy {
  return {uuid: `uuid-${fields.slug}`, tenant_uuid: 't', name: fields.slug, description: null, acl: [], read_only: false, shared: false, ...fields};
}

const operators = policy({slug: 'operators', name: 'Operators', description: 'ops', acl: ['confd.users.read', 'calld.#']});
const readers = policy({slug: 'readers', name: 'Readers', acl: ['confd.*.read']});
const fromConfig = policy({slug: 'admins', name: 'admins', acl: ['#'], read_only: true});
const existing = [operators, readers, fromConfig];

function refusals(...specs: Parameters<typeof planPolicies>[0]): string[] {
  try {
    planPolicies(specs, existing);
  } catch (error) {
    assert.ok(error instanceof CliFailure);
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /^nothing applied:\n {2}/);
    return error.fields.refusals as string[];
  }
  assert.fail('planned');
}

test('a policy missing is created with what the file gives', () => {
  const [step] = planPolicies([{name: 'Agents', slug: 'agents', acl: ['calld.calls.read'], shared: true}], existing);
  assert.deepEqual(step, {
    outcome: {action: 'created', uuid: null, slug: 'agents', name: 'Agents', acl_added: ['calld.calls.read'], acl_removed: [], changed: []},
    call: 'create',
    fields: {name: 'Agents', slug: 'agents', description: null, acl: ['calld.calls.read'], shared: true},
  });
});

test('matched by slug whatever its case: the accesses added and removed, the fields changed', () => {
  const [step] = planPolicies([{name: 'Senior operators', slug: 'OPERATORS', acl: ['calld.#', '!confd.users.*.delete']}], existing);
  assert.deepEqual(step, {
    outcome: {
      action: 'updated',
      uuid: operators.uuid,
      slug: 'operators',
      name: 'Senior operators',
      acl_added: ['!confd.users.*.delete'],
      acl_removed: ['confd.users.read'],
      changed: ['name'],
    },
    call: 'update',
    uuid: operators.uuid,
    fields: {name: 'Senior operators', description: 'ops', acl: ['calld.#', '!confd.users.*.delete']},
  });
});

test('matched by name without a slug; a field left out keeps its value', () => {
  const [step] = planPolicies([{name: 'Operators', description: null}], existing);
  assert.equal(step!.call, 'update');
  assert.deepEqual(step!.outcome.changed, ['description']);
  assert.deepEqual(step!.call === 'update' && step!.fields, {name: 'Operators', description: null, acl: operators.acl});
});

test('the same accesses in another order, or only the fields left as they are: unchanged, no call', () => {
  const steps = planPolicies(
    [
      {name: 'Operators', acl: ['calld.#', 'confd.users.read'], shared: false},
      {name: 'Readers', slug: 'readers'},
      {name: 'admins', acl: ['#']},
    ],
    existing,
  );
  assert.deepEqual(
    steps.map((step) => [step.outcome.action, step.call]),
    [
      ['unchanged', 'none'],
      ['unchanged', 'none'],
      ['unchanged', 'none'],
    ],
  );
});

test('refusals, every one at once: a read-only policy changed, shared changed, a name taken, one policy described twice', () => {
  assert.deepEqual(
    refusals(
      {name: 'admins', acl: ['#', 'more']},
      {name: 'Readers', shared: true},
      {name: 'Readers2', slug: 'operators'},
      {name: 'Operators', slug: 'new-slug'},
      {name: 'Other', slug: 'readers'},
    ),
    [
      'admins: policy admins is read-only',
      'Readers: shared cannot change once a policy exists (policy readers is not shared)',
      'Operators: the name is already that of policy operators',
      'Other: policy readers is already described by Readers',
    ],
  );
});
