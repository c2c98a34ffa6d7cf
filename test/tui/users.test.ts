// The Users view against a real daemon: users with their policies and groups, attaching a policy
// (named as one types) and detaching one.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {KEY, openDashboard} from './harness.js';

let td: TestDaemon;
let carol: string;

before(async () => {
  // A clock that stands still: a throttled login waits exactly its 60 s however slow the run.
  td = await startTestDaemon({clock: new ManualClock()});
  carol = await createUser(td.daemon.services.store, {username: 'carol', password: 'carol-pass', acl: ['confd.users.me.read']});
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await td.call(method, path, {token: td.admin.token, body});
    assert.ok(answer.status < 300, answer.text);
    return answer.json;
  };
  await call('POST', '/0.1/policies', {name: 'readers', acl: ['confd.#.read']});
  await call('POST', '/0.1/policies', {name: 'writers', acl: ['confd.#']});
  const group = await call('POST', '/0.1/groups', {name: 'support'});
  await call('PUT', `/0.1/groups/${group.uuid}/users/${carol}`);
});
after(() => td.stop());

const held = async () => (await td.call('GET', `/0.1/users/${carol}/policies`, {token: td.admin.token})).json.items.map((p: {name: string}) => p.name);

test('each user with its own policies and its groups', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('3');
    const frame = await screen.waitFor('carol');
    assert.match(frame, /USERNAME▲ +NAME +TENANT +PURPOSE +ENABLED +LOGINS +POLICIES +GROUPS/);
    assert.match(screen.line('carol'), /carol +master +user +yes +policy-of-carol +support, wazo-all-u/);
    assert.match(screen.line('admin'), /admin +master +internal +yes +wazo_default_master_user_policy/);
  } finally {
    await screen.close();
  }
});

test('a attaches a policy named as one types; in a user, d detaches the selected one', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('3');
    await screen.waitFor('carol');
    await screen.press('/', ...'carol', KEY.enter);
    await screen.waitFor('Users · 1 of');
    await screen.press('a', ...'zz');
    await screen.waitFor(/attach to carol: zz +✗ no policy "zz"/);
    await screen.press(KEY.backspace, KEY.backspace, 'r', 'e');
    await screen.waitFor('attach to carol: re  → readers (readers)');
    await screen.press(KEY.enter);
    await screen.waitFor('Attached policy readers to carol');
    await screen.waitFor('policy-of-carol, readers');
    assert.deepEqual((await held()).sort(), ['policy-of-carol', 'readers']);

    await screen.press(KEY.enter);
    const frame = await screen.waitFor('User carol');
    assert.match(frame, /tenant master · user · enabled/);
    assert.match(frame, /POLICY▲ +SLUG +READ-ONLY +ACCESSES/);
    assert.match(frame, /groups support|groups .*support/);
    await screen.press('j', 'd');
    await screen.waitFor('Detach policy readers from carol? (y/N)');
    await screen.press('y');
    await screen.waitFor('Detached policy readers from carol');
    assert.deepEqual(await held(), ['policy-of-carol']);
    await screen.press(KEY.escape);
    await screen.waitFor('Users · 1 of');
  } finally {
    await screen.close();
  }
});

test('LOGINS shows who waits after failed logins; u clears them, in the list or in the user', async () => {
  const dan = await createUser(td.daemon.services.store, {username: 'dan', password: 'dan-pass'});
  const guess = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: `Basic ${Buffer.from('dan:wrong').toString('base64')}`}});
    }
  };
  await guess(2);
  const screen = await openDashboard(td);
  try {
    await screen.press('3');
    await screen.waitFor(/ENABLED +LOGINS +POLICIES/);
    await screen.waitFor((frame) => /dan .* 2 failed/.test(frame));
    assert.doesNotMatch(screen.line('carol'), /failed|waits/);
    await guess(3);
    await screen.waitFor((frame) => /dan .* waits 60 s/.test(frame));

    await screen.press('/', ...'dan', KEY.enter);
    await screen.waitFor('Users · 1 of');
    await screen.press(KEY.enter);
    await screen.waitFor(/failed logins dan from 127\.0\.0\.1: 5 failed, waits 60 s/);
    await screen.press('u');
    await screen.waitFor('Clear the failed logins counted against dan? (y/N)');
    await screen.press('y');
    await screen.waitFor('Cleared the failed logins of dan');
    await screen.waitFor('failed logins (none)');
    const left = await td.call('GET', `/0.1/users/${dan}/throttle`, {token: td.admin.token});
    assert.equal(left.json.total, 0);

    await guess(1);
    await screen.press(KEY.escape);
    await screen.waitFor((frame) => /dan .* 1 failed/.test(frame));
    await screen.press('u');
    await screen.waitFor('Clear the failed logins counted against dan? (y/N)');
    await screen.press('y');
    await screen.waitFor('Cleared the failed logins of dan');
    await screen.waitFor((frame) => !/dan .* failed/.test(frame));
  } finally {
    await screen.close();
  }
});
