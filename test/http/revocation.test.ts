// Every way a token can end, checked on a token the daemon has just validated (and so holds in
// memory): the next check must already refuse it.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
// Time moves only when a test says so: expiry is tested without sleeping.
const clock = new ManualClock();
before(async () => {
  td = await startTestDaemon({clock});
});
after(() => td.stop());

async function liveToken(username: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const data = await td.login(username, 'pw', body, headers);
  assert.equal((await td.call('HEAD', `/0.1/token/${data.token}`)).status, 204);
  return data;
}

async function assertRevoked(token: string) {
  assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 404);
  assert.equal((await td.call('GET', `/0.1/token/${token}`)).status, 404);
}

const admin = () => ({token: td.admin.token});

test('DELETE /token', async () => {
  await createUser(td.daemon.services.store, {username: 'r1', password: 'pw'});
  const {token} = await liveToken('r1');
  await td.call('DELETE', `/0.1/token/${token}`);
  await assertRevoked(token);
});

test('DELETE /sessions/{uuid}', async () => {
  await createUser(td.daemon.services.store, {username: 'r2', password: 'pw'});
  const {token, session_uuid} = await liveToken('r2');
  assert.equal((await td.call('DELETE', `/0.1/sessions/${session_uuid}`, admin())).status, 204);
  await assertRevoked(token);
});

test('a password change', async () => {
  const uuid = await createUser(td.daemon.services.store, {username: 'r3', password: 'pw'});
  const {token} = await liveToken('r3');
  const r = await td.call('PUT', `/0.1/users/${uuid}/password`, {...admin(), body: {old_password: 'pw', new_password: 'new'}});
  assert.equal(r.status, 204);
  await assertRevoked(token);
});

test('disabling the user', async () => {
  const uuid = await createUser(td.daemon.services.store, {username: 'r4', password: 'pw'});
  const {token} = await liveToken('r4');
  const r = await td.call('PUT', `/0.1/users/${uuid}`, {...admin(), body: {username: 'r4', enabled: false}});
  assert.equal(r.status, 200);
  await assertRevoked(token);
});

test('deleting the user', async () => {
  const uuid = await createUser(td.daemon.services.store, {username: 'r5', password: 'pw'});
  const {token} = await liveToken('r5');
  assert.equal((await td.call('DELETE', `/0.1/users/${uuid}`, admin())).status, 204);
  await assertRevoked(token);
});

test("deleting the user's tenant", async () => {
  const tenant = await td.call('POST', '/0.1/tenants', {...admin(), body: {name: 'doomed'}});
  assert.equal(tenant.status, 200);
  await createUser(td.daemon.services.store, {username: 'r6', password: 'pw', tenantUuid: tenant.json.uuid});
  const {token} = await liveToken('r6');
  assert.equal((await td.call('DELETE', `/0.1/tenants/${tenant.json.uuid}`, admin())).status, 204);
  await assertRevoked(token);
});

test('a mobile login ending the other mobile sessions', async () => {
  await createUser(td.daemon.services.store, {username: 'r7', password: 'pw'});
  const mobile = {'wazo-session-type': 'mobile'};
  const phone = await liveToken('r7', {access_type: 'offline', client_id: randomUUID()}, mobile);
  await liveToken('r7', {access_type: 'offline', client_id: randomUUID()}, mobile);
  await assertRevoked(phone.token);
});

test('expiry, then the cleaner', async () => {
  await createUser(td.daemon.services.store, {username: 'r8', password: 'pw'});
  const r = await td.call('POST', '/0.1/token', {body: {expiration: 1}, headers: {authorization: basic('r8', 'pw')}});
  const token = r.json.data.token as string;
  assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 204);
  clock.advance(1.1);
  await assertRevoked(token);
  await td.daemon.services.tokens.removeExpired(100);
  await assertRevoked(token);
});
