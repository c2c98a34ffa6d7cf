// Refresh-token listings ordered by creation, as upstream's clients page through them: tokens
// created within the same second still come in creation order, both ways.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
let userUuid: string;
const CLIENTS = ['first', 'second', 'third'];

before(async () => {
  // A clock that never moves: every refresh token is created in the same second.
  td = await startTestDaemon({clock: new ManualClock()});
  userUuid = await createUser(td.daemon.services.store, {username: 'owner', password: 'pw'});
  for (const clientId of CLIENTS) {
    const headers = clientId === 'third' ? {'wazo-session-type': 'mobile'} : {};
    await td.login('owner', 'pw', {access_type: 'offline', client_id: clientId}, headers);
  }
});
after(() => td.stop());

async function clientIds(query: string, path = `/0.1/users/${userUuid}/tokens`): Promise<string[]> {
  const r = await td.call('GET', `${path}?${query}`, {token: td.admin.token});
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((item: {client_id: string}) => item.client_id);
}

test('created_at orders refresh tokens of the same second by creation, ascending and descending', async () => {
  for (const path of [`/0.1/users/${userUuid}/tokens`, '/0.1/tokens']) {
    assert.deepEqual(await clientIds('order=created_at&direction=asc', path), CLIENTS);
    assert.deepEqual(await clientIds('order=created_at&direction=desc', path), [...CLIENTS].reverse());
  }
});

test('pages follow the creation order', async () => {
  assert.deepEqual(await clientIds('order=created_at&limit=2'), ['first', 'second']);
  assert.deepEqual(await clientIds('order=created_at&offset=1'), ['second', 'third']);
  assert.deepEqual(await clientIds('order=created_at&direction=desc&limit=1'), ['third']);
});

test('a mobile re-login with the same client is a new refresh token: it becomes the newest', async () => {
  await td.login('owner', 'pw', {access_type: 'offline', client_id: 'third'}, {'wazo-session-type': 'mobile'});
  await td.login('owner', 'pw', {access_type: 'offline', client_id: 'first'});
  assert.deepEqual(await clientIds('order=created_at&direction=desc'), ['third', 'second', 'first']);
});
