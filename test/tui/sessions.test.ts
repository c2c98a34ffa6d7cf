// The Sessions view against a real daemon: live sessions with names, counts, filter, sort, and
// revoking one session or all of a user's.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createTenant, createUser} from '../helpers/users.js';
import {KEY, openDashboard} from './harness.js';

let td: TestDaemon;
let acme: string;

before(async () => {
  td = await startTestDaemon();
  const store = td.daemon.services.store;
  acme = await createTenant(store, (await store.tenants.top())!.uuid, 'acme');
  await createUser(store, {username: 'alice', password: 'alice-pass', acl: ['#']});
  await createUser(store, {username: 'bob', password: 'bob-pass', tenantUuid: acme});
});
after(() => td.stop());

const login = (username: string, userAgent: string) => td.login(username, `${username}-pass`, {expiration: 3600}, {'user-agent': userAgent});

test('opens on the sessions, first row selected, with usernames, tenants, countdowns and counts', async () => {
  await login('alice', 'agent-alice-1');
  await login('alice', 'agent-alice-2');
  await login('bob', 'agent-bob');
  const screen = await openDashboard(td);
  try {
    const frame = await screen.waitFor('agent-bob');
    assert.match(frame, /Sessions · \d+ of \d+/);
    assert.match(frame, /USER +TENANT +CREATED +EXPIRES▲ +MOBILE +REMOTE ADDRESS +USER AGENT +SESSION/);
    assert.match(screen.line('agent-bob'), /bob +acme +(now|\d+s ago) +59m \d\ds +no +127\.0\.0\.1/);
    assert.match(screen.line('dashboard-test'), /admin \(this\) +master/);
    // Sorted by expiry, soonest first: the first row is selected.
    const rows = frame.split('\n').filter((l) => l.includes('agent-') || l.includes('dashboard-test'));
    assert.ok(rows[0]!.startsWith('› '), frame);
    assert.equal(rows.filter((l) => l.startsWith('› ')).length, 1);
    assert.match(screen.line('per user'), /alice 2 · (admin 1 · bob 1|bob 1 · admin 1)|alice 2/);
    assert.match(screen.line('per tenant'), /master 4 · acme 1/);
  } finally {
    await screen.close();
  }
});

test('/ filters as one types, ! inverts, esc clears; s and S sort', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.waitFor('agent-bob');
    await screen.press('/', 'a', 'c', 'm', 'e');
    let frame = await screen.waitFor((f) => !f.includes('agent-alice'));
    assert.match(frame, /filter acme/);
    assert.match(frame, /agent-bob/);
    await screen.press(KEY.enter);
    assert.match(screen.line('per tenant'), /acme 1$/);
    await screen.press('/', KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, '!', 'a', 'c', 'm', 'e', KEY.enter);
    frame = await screen.waitFor((f) => f.includes('agent-alice') && !f.includes('agent-bob'));
    assert.match(frame, /filter !acme/);
    await screen.press(KEY.escape);
    await screen.waitFor((f) => f.includes('agent-alice') && f.includes('agent-bob'));
    // s: the next column after EXPIRES is MOBILE; S reverses.
    await screen.press('s');
    await screen.waitFor('MOBILE▲');
    await screen.press('s', 's', 's');
    await screen.waitFor('SESSION▲');
    await screen.press('S');
    await screen.waitFor('SESSION▼');
  } finally {
    await screen.close();
  }
});

test('d asks, y revokes: the row goes away, the status line says so, and the token is gone', async () => {
  const {token} = await login('alice', 'agent-to-revoke');
  const screen = await openDashboard(td);
  try {
    await screen.waitFor('agent-to-revoke');
    await screen.press('/', ...'agent-to-revoke', KEY.enter);
    await screen.waitFor((f) => !f.includes('agent-bob'));
    await screen.press('d');
    const question = await screen.waitFor('(y/N)');
    assert.match(question, /Revoke session [0-9a-f]{8} of alice\? \(y\/N\)/);
    await screen.press('y');
    // The filter still names it: the row is gone when none is left.
    const frame = await screen.waitFor('no session');
    assert.match(frame, /Revoked session [0-9a-f]{8} of alice/);
    assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 404);
  } finally {
    await screen.close();
  }
});

test('any key but y cancels; the dashboard will not revoke its own session', async () => {
  const {token} = await login('bob', 'agent-kept');
  const screen = await openDashboard(td);
  try {
    await screen.press('/', ...'agent-kept', KEY.enter);
    await screen.waitFor((f) => !f.includes('agent-alice'));
    await screen.press('d');
    await screen.waitFor('(y/N)');
    await screen.press('n');
    await screen.waitFor('Cancelled');
    assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 204);
    await screen.press(KEY.escape);
    await screen.waitFor((f) => !f.includes('filter agent-kept'));
    await screen.press('/', ...'dashboard-test', KEY.enter);
    await screen.waitFor((f) => !f.includes('agent-kept'));
    await screen.press('d');
    await screen.waitFor("that is this dashboard's own session: quit to end it");
  } finally {
    await screen.close();
  }
});

test("D revokes all of the selected user's sessions", async () => {
  const tokens = [await login('alice', 'agent-all-1'), await login('alice', 'agent-all-2')].map((t) => t.token);
  const screen = await openDashboard(td);
  try {
    await screen.press('/', ...'agent-all-1', KEY.enter);
    await screen.waitFor((f) => !f.includes('agent-all-2'));
    await screen.press('D');
    await screen.waitFor('Revoke all sessions of alice? (y/N)');
    await screen.press('y');
    await screen.waitFor(/Revoked \d+ sessions of alice/);
    for (const token of tokens) assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 404);
    await screen.press(KEY.escape);
    const frame = await screen.waitFor('agent-bob');
    assert.doesNotMatch(frame, /agent-alice/);
  } finally {
    await screen.close();
  }
});

test('--read-only refuses before asking', async () => {
  const screen = await openDashboard(td, {readOnly: true});
  try {
    await screen.waitFor('read-only');
    await screen.press('d');
    await screen.waitFor('read-only dashboard (--read-only): changes are disabled');
    assert.doesNotMatch(screen.frame(), /\(y\/N\)/);
  } finally {
    await screen.close();
  }
});
