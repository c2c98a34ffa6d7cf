// default_user_policy (and the deprecated backend_policies): a policy, found by name in any
// tenant, whose ACL comes first in every token, as upstream.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
let legacy: TestDaemon;

before(async () => {
  td = await startTestDaemon({config: {default_user_policy: 'wazo-default-user-policy'}});
  legacy = await startTestDaemon({config: {default_user_policy: 'unused', backend_policies: {wazo_user: 'legacy-policy'}}});
});
after(async () => {
  await td.stop();
  await legacy.stop();
});

test('the default user policy comes first in the ACL, each access once', async () => {
  const created = await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'wazo-default-user-policy', acl: ['confd.users.me.read', 'own.acl']}});
  assert.equal(created.status, 200);
  await createUser(td.daemon.services.store, {username: 'dup', password: 'pw', acl: ['own.acl', 'other.acl']});
  assert.deepEqual((await td.login('dup', 'pw')).acl, ['confd.users.me.read', 'own.acl', 'other.acl']);
});

test('a refresh-token login gets it too', async () => {
  const rt = (await td.login('dup', 'pw', {access_type: 'offline', client_id: 'c'})).refresh_token;
  const r = await td.call('POST', '/0.1/token', {body: {refresh_token: rt, client_id: 'c'}});
  assert.deepEqual(r.json.data.acl, ['confd.users.me.read', 'own.acl', 'other.acl']);
});

test('backend_policies names the policy of its backend instead', async () => {
  await createUser(legacy.daemon.services.store, {username: 'old', password: 'pw', acl: ['mine']});
  assert.deepEqual((await legacy.login('old', 'pw')).acl, ['mine'], 'no such policy yet: nothing added');
  await legacy.call('POST', '/0.1/policies', {token: legacy.admin.token, body: {name: 'legacy-policy', acl: ['legacy.acl']}});
  await legacy.call('POST', '/0.1/policies', {token: legacy.admin.token, body: {name: 'unused', acl: ['unused.acl']}});
  const r = await legacy.call('POST', '/0.1/token', {body: {backend: 'wazo_user'}, headers: {authorization: basic('old', 'pw')}});
  assert.deepEqual(r.json.data.acl, ['legacy.acl', 'mine']);
  const other = await legacy.call('POST', '/0.1/token', {body: {backend: 'ldap_user'}, headers: {authorization: basic('old', 'pw')}});
  assert.deepEqual(other.json.data.acl, ['unused.acl', 'mine'], 'other backends fall back to default_user_policy');
});
