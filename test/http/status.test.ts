// GET /bus/status: the components' state for the top tenant's operators; the bus is off here.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;

async function tokenOf(acl: string[], tenantUuid?: string): Promise<string> {
  const username = `u${randomUUID().slice(0, 8)}`;
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

before(async () => {
  td = await startTestDaemon();
});
after(() => td?.stop());

test('GET /bus/status shows the database and the bus publisher (disabled without amqp.uri)', async () => {
  const token = await tokenOf(['auth.status.read']);
  const r = await td.call('GET', '/0.1/bus/status', {token});
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, {
    rest_api: {status: 'ok'},
    database: {status: 'ok'},
    bus_publisher: {status: 'disabled', outbox_depth: 0, published: 0, dropped: 0},
  });
  // The bus off, changes write no event.
  await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'no bus'}});
  assert.equal(await td.daemon.services.store.outbox.depth(), 0);
});

test('GET /bus/status needs auth.status.read, from the top tenant; HEAD /status needs nothing, GET /status stays 405', async () => {
  assert.equal((await td.call('GET', '/0.1/bus/status')).status, 401);
  assert.equal((await td.call('GET', '/0.1/bus/status', {token: await tokenOf(['auth.config.read'])})).status, 401);
  const sub = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'sub'}});
  const subToken = await tokenOf(['auth.status.read'], sub.json.uuid);
  assert.equal((await td.call('GET', '/0.1/bus/status', {token: subToken})).status, 401);
  assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
  assert.equal((await td.call('GET', '/0.1/status', {token: td.admin.token})).status, 405);
});
