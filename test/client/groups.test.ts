// client.groups against a real daemon: groups, their members and their policies.

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

const isApiError = (status: number, errorId?: string) => (error: unknown) =>
  error instanceof ApiError && error.status === status && (errorId === undefined || error.errorId === errorId);

test('create, get, update (a rename), delete', async () => {
  const created = await client.groups.create({name: 'Support', slug: 'support'});
  assert.equal(created.slug, 'support');
  assert.equal(created.read_only, false);
  assert.deepEqual(await client.groups.get(created.uuid), created);
  const renamed = await client.groups.update(created.uuid, {name: 'Helpdesk'});
  assert.equal(renamed.name, 'Helpdesk');
  assert.equal(renamed.slug, 'support');
  await client.groups.delete(created.uuid);
  await assert.rejects(client.groups.get(created.uuid), isApiError(404, 'unknown-group'));
});

test('a name taken is ApiError 409; the all-users group is read-only (403)', async () => {
  await client.groups.create({name: 'dup'});
  await assert.rejects(
    client.groups.create({name: 'dup'}),
    (error: unknown) => error instanceof ApiError && error.status === 409 && /already exists/.test(error.message),
  );
  const allUsers = (await client.groups.list({read_only: true})).items[0]!;
  await assert.rejects(client.groups.delete(allUsers.uuid), isApiError(403, 'forbidden-group'));
});

test('list: search, filters, order and paging', async () => {
  for (const name of ['gl-x', 'gl-y', 'gl-z']) await client.groups.create({name});
  const found = await client.groups.list({search: 'gl-', order: 'name', direction: 'desc', limit: 2, offset: 1});
  assert.deepEqual(
    found.items.map((g) => g.name),
    ['gl-y', 'gl-x'],
  );
  assert.equal(found.filtered, 3);
  assert.deepEqual(
    (await client.groups.list({name: 'gl-z'})).items.map((g) => g.name),
    ['gl-z'],
  );
});

test('members: addUser, listUsers, removeUser', async () => {
  const group = await client.groups.create({name: 'members'});
  const ann = await client.users.create({username: 'ann'});
  const bob = await client.users.create({username: 'bob'});
  await client.groups.addUser(group.uuid, bob.uuid);
  await client.groups.addUser(group.uuid, ann.uuid);
  await client.groups.addUser(group.uuid, ann.uuid);
  assert.deepEqual(
    (await client.groups.listUsers(group.uuid)).items.map((u) => u.username),
    ['ann', 'bob'],
  );
  assert.deepEqual(
    (await client.groups.listUsers(group.uuid, {username: 'bob'})).items.map((u) => u.uuid),
    [bob.uuid],
  );
  await client.groups.removeUser(group.uuid, ann.uuid);
  assert.deepEqual(
    (await client.groups.listUsers(group.uuid)).items.map((u) => u.username),
    ['bob'],
  );
});

test("policies: addPolicy by uuid or slug gives the members the policy's ACL; removePolicy", async () => {
  const group = await client.groups.create({name: 'granting'});
  const user = await client.users.create({username: 'grantee', password: 'grantee-pass'});
  await client.groups.addUser(group.uuid, user.uuid);
  const policy = await client.policies.create({name: 'group-policy', slug: 'group-policy', acl: ['g.h']});
  await client.groups.addPolicy(group.uuid, 'group-policy');
  assert.deepEqual(
    (await client.groups.listPolicies(group.uuid)).items.map((p) => p.uuid),
    [policy.uuid],
  );
  assert.deepEqual((await client.tokens.create({username: 'grantee', password: 'grantee-pass'})).acl, ['g.h']);
  await client.groups.removePolicy(group.uuid, policy.uuid);
  assert.equal((await client.groups.listPolicies(group.uuid)).total, 0);
  await client.groups.addPolicy(group.uuid, policy.uuid);
  assert.equal((await client.groups.listPolicies(group.uuid, {name: 'group-policy'})).total, 1);
});
