// `:profile NAME` inside the dashboard: it connects to that profile's daemon and keeps the view,
// its sort and its filter; a profile that cannot connect leaves the dashboard where it was.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {AuthClient} from '../../src/client/index.js';
import {Connection} from '../../src/tui/connection.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {KEY, openDashboard, testClient} from './harness.js';

let home: TestDaemon;
let lab: TestDaemon;
const clients: AuthClient[] = [];

before(async () => {
  [home, lab] = await Promise.all([startTestDaemon(), startTestDaemon()]);
  for (const [td, name] of [
    [home, 'admins-home'],
    [lab, 'admins-lab'],
  ] as const) {
    assert.equal((await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name, acl: ['#']}})).status, 200);
  }
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([home.stop(), lab.stop()]);
});

/** Profiles as the command would connect them: `lab` logs in to the second daemon; any other is unknown. */
async function switchProfile(name: string): Promise<Connection> {
  if (name !== 'lab') throw new Error(`no profile ${name} (wazo-auth config list shows them)`);
  const client = testClient(lab.url);
  const homeClient = testClient(lab.url);
  clients.push(client, homeClient);
  const token = await client.tokens.create({username: lab.admin.username, password: lab.admin.password}, {expiration: 3600});
  client.token = token.token;
  return new Connection({client, homeClient, token});
}

test(':profile NAME switches daemon and login, keeping the view, its filter and its sort', async () => {
  const screen = await openDashboard(home, {switchProfile});
  try {
    await screen.press('2');
    await screen.waitFor('admins-home');
    await screen.press('/', ...'admins', KEY.enter, 'S');
    await screen.waitFor((f) => f.includes('filter admins') && f.includes('NAME▼'));
    await screen.press(':', ...'profile lab', KEY.enter);
    const frame = await screen.waitFor(`Profile lab: ${lab.url}`);
    assert.match(screen.line('wazo-auth'), new RegExp(lab.url.replaceAll('.', '\\.')));
    assert.match(frame, /Policies · .*filter admins/);
    assert.match(frame, /NAME▼/);
    await screen.waitFor('admins-lab');
    assert.doesNotMatch(screen.frame(), /admins-home/);
  } finally {
    await screen.close();
  }
});

test('a profile that cannot connect says why, and the dashboard stays where it was', async () => {
  const screen = await openDashboard(home, {switchProfile});
  try {
    await screen.press(':', ...'profile nope', KEY.enter);
    await screen.waitFor('profile nope: no profile nope (wazo-auth config list shows them)');
    assert.match(screen.line('wazo-auth'), new RegExp(home.url.replaceAll('.', '\\.')));
    await screen.press('2');
    await screen.waitFor('admins-home');
  } finally {
    await screen.close();
  }
});

test('without profiles (WAZO_AUTH_TOKEN), :profile says so', async () => {
  const screen = await openDashboard(home);
  try {
    await screen.press(':', ...'profile lab', KEY.enter);
    await screen.waitFor('profiles do not apply here (WAZO_AUTH_TOKEN is set)');
  } finally {
    await screen.close();
  }
});
