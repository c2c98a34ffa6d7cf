// default_user_policy (and the deprecated backend_policies): a policy, found by name in any
// tenant, whose ACL comes first in every token, as upstream.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
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
  const created = await td.call('POST', '/0.1/policies', {
    token: td.admin.token,
    body: {name: 'wazo-default-user-policy', acl: ['confd.users.me.read', 'own.acl']},
  });
  assert.equal(created.status, 200);
  await createUser(td.daemon.services.store, {username: 'dup', password: 'pw', acl: ['own.acl', 'other.acl']});
  assert.deepEqual((await td.login('dup', 'pw')).acl, ['confd.users.me.read', 'own.acl', 'other.acl']);
});

test('a refresh-token login gets it too', async () => {
  const rt = (await td.login('dup', 'pw', {access_type: 'offline', client_id: 'c'})).refresh_token;
  const r = await td.call('POST', '/0.1/token', {body: {refresh_token: rt, client_id: 'c'}});
  assert.deepEqual(r.json.data.acl, ['confd.users.me.read', 'own.acl', 'other.acl']);
});

test('backend_policies names the policy of wazo_user instead, whatever backend the client names', async () => {
  await createUser(legacy.daemon.services.store, {username: 'old', password: 'pw', acl: ['mine']});
  assert.deepEqual((await legacy.login('old', 'pw')).acl, ['mine'], 'no such policy yet: nothing added');
  await legacy.call('POST', '/0.1/policies', {token: legacy.admin.token, body: {name: 'legacy-policy', acl: ['legacy.acl']}});
  await legacy.call('POST', '/0.1/policies', {token: legacy.admin.token, body: {name: 'unused', acl: ['unused.acl']}});
  for (const backend of ['wazo_user', 'ldap_user', 'nope', '__proto__', 'constructor']) {
    const r = await legacy.call('POST', '/0.1/token', {body: {backend}, headers: {authorization: basic('old', 'pw')}});
    assert.equal(r.status, 200, backend);
    assert.deepEqual(r.json.data.acl, ['legacy.acl', 'mine'], backend);
  }
});

// Upstream's stock configuration once mapped xivo_admin to an administrators' policy; the login
// chooses nothing by naming it, nor escapes the user policy's denials by naming another backend.
describe('the backend a client names selects no policy', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon({config: {default_user_policy: 'users', backend_policies: {xivo_admin: 'administrators'}}});
    const policy = (name: string, acl: string[]) => d.call('POST', '/0.1/policies', {token: d.admin.token, body: {name, acl}});
    assert.equal((await policy('administrators', ['#'])).status, 200);
    assert.equal((await policy('users', ['confd.users.me.#', '!confd.users.me.secret'])).status, 200);
    await createUser(d.daemon.services.store, {username: 'carol', password: 'pw', acl: ['carol.own']});
  });
  after(() => d.stop());

  const USER_ACL = ['confd.users.me.#', '!confd.users.me.secret', 'carol.own'];
  const loginAs = (body: Record<string, unknown>) => d.call('POST', '/0.1/token', {body, headers: {authorization: basic('carol', 'pw')}});
  const grants = async (token: string, scope: string) => (await d.call('HEAD', `/0.1/token/${token}?scope=${encodeURIComponent(scope)}`)).status === 204;

  test("backend xivo_admin gets the user policy, not the administrators' one", async () => {
    const r = await loginAs({backend: 'xivo_admin'});
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.acl, USER_ACL);
    assert.equal(await grants(r.json.data.token, 'auth.users.read'), false);
    assert.equal((await d.call('GET', '/0.1/users', {token: r.json.data.token})).status, 401);
  });

  test('an unknown backend still gets the user policy and its denials', async () => {
    const r = await loginAs({backend: 'no-such-backend'});
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.acl, USER_ACL);
    assert.equal(await grants(r.json.data.token, 'confd.users.me.lines.read'), true);
    assert.equal(await grants(r.json.data.token, 'confd.users.me.secret'), false);
  });

  test('a refresh token keeps the backend that authenticated, not the one named', async () => {
    const first = await loginAs({backend: 'xivo_admin', access_type: 'offline', client_id: 'chosen'});
    const carol = first.json.data.auth_id as string;
    assert.equal((await d.daemon.services.store.refreshTokens.findByClient(carol, 'chosen'))?.backend, 'wazo_user');
    const refreshed = await d.call('POST', '/0.1/token', {body: {backend: 'xivo_admin', refresh_token: first.json.data.refresh_token, client_id: 'chosen'}});
    assert.equal(refreshed.status, 200);
    assert.deepEqual(refreshed.json.data.acl, USER_ACL);
  });

  test('a refresh token stored with a chosen backend, before this was fixed, carries no chosen policy', async () => {
    const store = d.daemon.services.store;
    const {refresh_token: value, auth_id: carol} = (await loginAs({access_type: 'offline', client_id: 'old-row'})).json.data;
    const row = await store.refreshTokens.findByClient(carol, 'old-row');
    await store.refreshTokens.deleteByClient(carol, 'old-row');
    await store.refreshTokens.create({...row!, backend: 'xivo_admin'});
    const r = await d.call('POST', '/0.1/token', {body: {refresh_token: value, client_id: 'old-row'}});
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.acl, USER_ACL);
  });
});
