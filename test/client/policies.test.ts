// client.policies against a real daemon: policies named by uuid or slug, and their ACL.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
});

after(async () => {
  await client.close();
  await td.stop();
});

const isApiError = (status: number, message?: RegExp) => (error: unknown) =>
  error instanceof ApiError && error.status === status && (!message || message.test(error.message));

test('create, get by uuid and by slug, update (a replacement), delete', async () => {
  const created = await client.policies.create({name: 'Operators', slug: 'operators', description: 'desk', acl: ['confd.#']});
  assert.equal(created.slug, 'operators');
  assert.deepEqual(created.acl, ['confd.#']);
  assert.equal(created.read_only, false);
  assert.deepEqual(await client.policies.get(created.uuid), created);
  assert.deepEqual(await client.policies.get('operators'), created);

  const updated = await client.policies.update('operators', {name: 'Operators', acl: ['calld.#']});
  assert.deepEqual(updated.acl, ['calld.#']);
  assert.equal(updated.description, null, 'a PUT clears what it leaves out');

  await client.policies.delete(created.uuid);
  await assert.rejects(client.policies.get(created.uuid), isApiError(404, /^No such policy/));
});

test('a name taken is ApiError 409', async () => {
  await client.policies.create({name: 'unique-name'});
  await assert.rejects(client.policies.create({name: 'unique-name'}), isApiError(409, /already exists/));
});

test('an access the token does not hold itself cannot be granted: ApiError 401', async () => {
  const user = await client.users.create({username: 'limited', password: 'limited-pass'});
  await client.policies.create({name: 'policy-maker', slug: 'policy-maker', acl: ['auth.policies.create', 'a.b']});
  await client.users.addPolicy(user.uuid, 'policy-maker');
  const token = await client.tokens.create({username: 'limited', password: 'limited-pass'});
  const limited = new AuthClient({url: td.url, token: token.token});
  try {
    assert.deepEqual((await limited.policies.create({name: 'ok', acl: ['a.b']})).acl, ['a.b']);
    await assert.rejects(
      limited.policies.create({name: 'too-much', acl: ['x.y']}),
      (error: unknown) => error instanceof ApiError && error.status === 401 && error.errorId === 'unauthorized' && error.details?.required_access === 'x.y',
    );
  } finally {
    await limited.close();
  }
});

test('list: search, filters, order and paging; no `filtered`, as upstream', async () => {
  for (const name of ['pl-one', 'pl-two', 'pl-three']) await client.policies.create({name, description: name === 'pl-two' ? 'second' : null});
  const found = await client.policies.list({search: 'pl-', order: 'name', direction: 'desc'});
  assert.deepEqual(
    found.items.map((p) => p.name),
    ['pl-two', 'pl-three', 'pl-one'],
  );
  assert.equal(found.filtered, undefined);
  assert.deepEqual(
    (await client.policies.list({search: 'pl-', limit: 1, offset: 2, order: 'name'})).items.map((p) => p.name),
    ['pl-two'],
  );
  assert.deepEqual(
    (await client.policies.list({name: 'pl-one'})).items.map((p) => p.name),
    ['pl-one'],
  );
  assert.ok((await client.policies.list({read_only: false})).items.every((p) => !p.read_only));
});

test('addAccess and removeAccess take any access, # and ! included', async () => {
  const policy = await client.policies.create({name: 'acl-edits', slug: 'acl-edits', acl: []});
  await client.policies.addAccess('acl-edits', 'calld.#');
  await client.policies.addAccess(policy.uuid, '!auth.users.*.delete');
  await client.policies.addAccess(policy.uuid, 'confd.users.me.read');
  assert.deepEqual((await client.policies.get(policy.uuid)).acl, ['calld.#', '!auth.users.*.delete', 'confd.users.me.read']);
  await assert.rejects(client.policies.addAccess(policy.uuid, 'calld.#'), isApiError(409, /already has access: "calld\.#"/));

  await client.policies.removeAccess(policy.uuid, 'calld.#');
  await client.policies.removeAccess('acl-edits', 'not.there');
  assert.deepEqual((await client.policies.get(policy.uuid)).acl, ['!auth.users.*.delete', 'confd.users.me.read']);
});
