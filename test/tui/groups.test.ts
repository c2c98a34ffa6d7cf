// The Groups view against a real daemon, and `y`: the selected row of any table as YAML.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {KEY, openDashboard} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
  const alice = await createUser(td.daemon.services.store, {username: 'alice'});
  const bob = await createUser(td.daemon.services.store, {username: 'bob'});
  const token = td.admin.token;
  const group = (await td.call('POST', '/0.1/groups', {token, body: {name: 'night-shift'}})).json;
  const policy = (await td.call('POST', '/0.1/policies', {token, body: {name: 'operators', acl: ['confd.#']}})).json;
  for (const user of [alice, bob]) assert.equal((await td.call('PUT', `/0.1/groups/${group.uuid}/users/${user}`, {token})).status, 204);
  assert.equal((await td.call('PUT', `/0.1/groups/${group.uuid}/policies/${policy.uuid}`, {token})).status, 204);
});
after(() => td.stop());

test(':groups lists each group with its tenant, member count and policies; 5 too', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press(':', ...'gr', KEY.enter);
    const frame = await screen.waitFor('night-shift');
    assert.match(frame, /Groups · \d+ of \d+/);
    assert.match(frame, /NAME▲ +SLUG +TENANT +MEMBERS +SYSTEM +POLICIES/);
    assert.match(screen.line('night-shift'), /night-shift +night-shift +master +2 +no +operato/);
    // The tenant's all-users group is managed by the daemon and holds every user of the tenant.
    assert.match(screen.line('wazo-all-users-tenant'), /master +3 +yes/);
    await screen.press('1');
    await screen.waitFor('Sessions ·');
    await screen.press('5');
    await screen.waitFor('night-shift');
  } finally {
    await screen.close();
  }
});

test('y shows the selected row as YAML over the view; esc brings the view back as it was', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('5');
    await screen.waitFor('night-shift');
    await screen.press('/', ...'night', KEY.enter, 'y');
    const yaml = await screen.waitFor('night-shift · YAML');
    assert.match(yaml, /^name: night-shift$/m);
    assert.match(yaml, /^members: 2$/m);
    assert.match(yaml, /^tenantName: master$/m);
    assert.match(yaml, /^policies:\n {2}- uuid: /m);
    assert.match(yaml, /^ {4}acl:\n {6}- confd\.#$/m);
    await screen.press(KEY.escape);
    const back = await screen.waitFor('Groups ·');
    assert.match(back, /filter night/);
    // In the Sessions view too: the dashboard's own session.
    await screen.press('1');
    await screen.waitFor('admin (this)');
    await screen.press('/', ...'dashboard-test', KEY.enter, 'y');
    const session = await screen.waitFor('· YAML');
    assert.match(session, /^user_agent: dashboard-test$/m);
    assert.match(session, /^own: true$/m);
  } finally {
    await screen.close();
  }
});
