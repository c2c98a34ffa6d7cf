// The dashboard around its views: help, switching views with : and numbers, the banner while the
// daemon is away (and its going once the daemon is back), and an access token that is renewed.

import assert from 'node:assert/strict';
import {rm} from 'node:fs/promises';
import {after, before, test} from 'node:test';
import {createElement} from 'react';
import {render} from 'ink-testing-library';
import {ApiError} from '../../src/client/index.js';
import {startDaemon} from '../../src/daemon/start.js';
import {createLogger} from '../../src/log.js';
import {Connection} from '../../src/tui/connection.js';
import {Dashboard} from '../../src/tui/dashboard.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {KEY, openDashboard, testClient} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
});
after(() => td.stop());

test('? lists every key binding; esc closes it and the view is as it was', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('/', ...'dashboard-test', KEY.enter);
    await screen.waitFor('filter dashboard-test');
    await screen.press('?');
    const help = await screen.waitFor('Keys');
    assert.match(help, /:name +switch view/);
    assert.match(help, /q +ctrl-c +quit/);
    assert.match(help, /↑ ↓ scroll/);
    await screen.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down);
    await screen.waitFor('revoke the selected session');
    await screen.press(KEY.escape);
    await screen.waitFor('filter dashboard-test');
  } finally {
    await screen.close();
  }
});

test(':name and the number keys switch views; a wrong name says which exist', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press(':', 'z');
    await screen.waitFor(/:z +✗ no view "z" \(sessions, policies, users, tenants, groups\)/);
    await screen.press(KEY.backspace, ...'pol', KEY.enter);
    await screen.waitFor('Policies ·');
    await screen.press(':', ...'users', KEY.enter);
    await screen.waitFor('Users ·');
    await screen.press('4');
    await screen.waitFor('Tenants ·');
    await screen.press('1');
    await screen.waitFor('Sessions ·');
  } finally {
    await screen.close();
  }
});

test('--read-only shows in the header, and hides the keys it refuses from the hints and the help', async () => {
  const screen = await openDashboard(td, {readOnly: true});
  try {
    assert.match(screen.line('wazo-auth'), /read-only/);
    assert.match(screen.line('/ filter'), /^\/ filter {2}s sort {2}S reverse {2}y yaml$/);
    await screen.press('2');
    assert.match(await screen.waitFor('Policies ·'), /^enter open {2}\/ filter {2}s sort/m);
    await screen.press('?');
    const help = await screen.waitFor('(read-only: the keys that change something are off, and left out)');
    assert.doesNotMatch(help, /revoke|rename|new policy/);
  } finally {
    await screen.close();
  }
});

test('without --read-only, the hints offer the changes', async () => {
  const screen = await openDashboard(td);
  try {
    assert.match(screen.line('/ filter'), /^d revoke {2}D revoke all of user {2}\/ filter/);
  } finally {
    await screen.close();
  }
});

test('each view keeps its own sort and filter across view switches', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('/', ...'dashboard-test', KEY.enter, 's');
    await screen.waitFor((f) => f.includes('filter dashboard-test') && f.includes('MOBILE▲'));
    await screen.press('2');
    await screen.waitFor('Policies ·');
    await screen.press('/', ...'admin', KEY.enter, 'S');
    await screen.waitFor((f) => f.includes('filter admin') && f.includes('NAME▼'));
    await screen.press('1');
    let frame = await screen.waitFor('Sessions ·');
    assert.match(frame, /filter dashboard-test/);
    assert.match(frame, /MOBILE▲/);
    await screen.press(':', ...'pol', KEY.enter);
    frame = await screen.waitFor('Policies ·');
    assert.match(frame, /filter admin/);
    assert.match(frame, /NAME▼/);
  } finally {
    await screen.close();
  }
});

test('a revoked access token is renewed and the dashboard goes on', async () => {
  const screen = await openDashboard(td);
  try {
    const first = screen.connection.client.token!;
    await td.call('DELETE', `/0.1/token/${first}`);
    await screen.waitFor(() => screen.connection.client.token !== first);
    await screen.press('/', ...'dashboard-test', KEY.enter);
    const frame = await screen.waitFor('Sessions · 1 of');
    assert.doesNotMatch(frame, /refused|unreachable/);
  } finally {
    await screen.close();
  }
});

test('a token that cannot be renewed (WAZO_AUTH_TOKEN) shows the credentials refused', async () => {
  const client = testClient(td.url);
  const homeClient = testClient(td.url);
  const token = await client.tokens.create({username: 'admin', password: td.admin.password}, {expiration: 3600});
  client.token = token.token;
  const connection = new Connection({client, homeClient, token});
  const ui = render(createElement(Dashboard, {connection, refreshMs: 100, readOnly: false}));
  try {
    await waitFrame(ui.lastFrame, 'admin (this)');
    await client.tokens.revoke(token.token);
    await waitFrame(ui.lastFrame, 'credentials refused, retrying: the daemon refuses the access token (expired or revoked)');
  } finally {
    ui.unmount();
    connection.close();
    await Promise.all([client.close(), homeClient.close()]);
  }
});

test('while renewals keep failing, the banner shows once the token is refused and stays, without blinking', async () => {
  let renewals = 0;
  const renew = () => {
    renewals++;
    return Promise.reject(new ApiError(401, {message: 'the refresh token was revoked'}));
  };
  // Renewals start at once (the shortest delay, 1 s) and are tried again every 50 ms.
  const screen = await openDashboard(td, {renew, renewAt: 0, renewRetryMs: 50});
  try {
    // Ahead of time, the token still works: a failed renewal is no news.
    await screen.waitFor(() => renewals >= 5);
    assert.ok(!screen.frames().some((f) => f.includes('credentials refused')));
    await td.call('DELETE', `/0.1/token/${screen.connection.client.token}`);
    await screen.waitFor('credentials refused, retrying: the refresh token was revoked');
    const since = renewals;
    await screen.waitFor(() => renewals >= since + 10);
    const frames = screen.frames();
    const first = frames.findIndex((f) => f.includes('credentials refused'));
    assert.deepEqual(
      frames.slice(first).filter((f) => !f.includes('credentials refused')),
      [],
    );
  } finally {
    await screen.close();
  }
});

test('the daemon going away shows a banner; it goes when the daemon is back', async () => {
  const own = await startTestDaemon();
  let restarted: Awaited<ReturnType<typeof startDaemon>> | undefined;
  const screen = await openDashboard(own);
  try {
    await screen.waitFor('admin (this)');
    await own.daemon.stop();
    const frame = await screen.waitFor('daemon unreachable, retrying');
    assert.match(frame, /cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
    // The last sessions seen stay on screen.
    assert.match(frame, /admin \(this\)/);
    const config = {...own.config, rest_api: {...own.config.rest_api, port: own.daemon.port}};
    restarted = await startDaemon(config, {log: createLogger({level: 'critical'})});
    await screen.waitFor((f) => !f.includes('unreachable'));
    await screen.press('2');
    await screen.waitFor('wazo_default_master_user_policy');
  } finally {
    await screen.close();
    await restarted?.stop();
    await rm(own.dir, {recursive: true, force: true});
  }
});

async function waitFrame(lastFrame: () => string | undefined, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(lastFrame() ?? '').includes(text)) {
    if (Date.now() > deadline) throw new Error(`never showed ${text}:\n${lastFrame()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
