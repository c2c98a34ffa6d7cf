// `wazo-auth whoami` through the built binary: who the credentials are, from a kept login or from
// WAZO_AUTH_TOKEN, and each way it fails.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {loggedInOperator, newOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
let op: Operator;

before(async () => {
  td = await startTestDaemon();
  op = await loggedInOperator(td);
});
after(async () => {
  op.remove();
  await td.stop();
});

test('a table of the user, its tenant and ACL, without escape codes when not on a terminal', async () => {
  const r = await op.run(['whoami']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(!r.stdout.includes('\x1b'), JSON.stringify(r.stdout));
  assert.match(r.stdout, /^username: admin$/m);
  assert.match(r.stdout, new RegExp(`^uuid: ${td.admin.uuid}$`, 'm'));
  assert.match(r.stdout, /^tenant_name: master$/m);
  assert.match(r.stdout, /^acl:\n {2}#\n/m);
});

test('--json with the API field names; --format plain the uuid alone', async () => {
  const json = await op.run(['whoami', '--json']);
  assert.equal(json.status, 0, json.stderr);
  const me = JSON.parse(json.stdout);
  assert.equal(me.url, td.url);
  assert.equal(me.profile, 'default');
  assert.equal(me.username, 'admin');
  assert.equal(me.uuid, td.admin.uuid);
  assert.match(me.tenant_uuid, /^[0-9a-f-]{36}$/);
  assert.deepEqual(me.acl, ['#']);
  assert.equal((await op.run(['whoami', '--format', 'plain'])).stdout, `${td.admin.uuid}\n`);
});

test('each command uses an access token of its own and revokes it: no session is left behind', async () => {
  const sessions = async () => (await td.call('GET', `/0.1/users/${td.admin.uuid}/sessions`, {token: td.admin.token})).json.total as number;
  const before = await sessions();
  for (let i = 0; i < 3; i++) assert.equal((await op.run(['whoami', '--format', 'plain'])).status, 0);
  assert.equal(await sessions(), before);
});

test('WAZO_AUTH_TOKEN stands for any login; names the user may not read show empty', async () => {
  const uuid = await createUser(td.daemon.services.store, {username: 'reader', password: 'reader-pass', acl: ['confd.users.me.read']});
  const {token} = await td.login('reader', 'reader-pass');
  const stranger = newOperator();
  try {
    const r = await stranger.run(['whoami', '--json'], {env: {WAZO_AUTH_TOKEN: token, WAZO_AUTH_URL: td.url}});
    assert.equal(r.status, 0, r.stderr);
    const me = JSON.parse(r.stdout);
    assert.equal(me.uuid, uuid);
    assert.equal(me.profile, null);
    assert.equal(me.username, null);
    assert.equal(me.tenant_name, null);
    assert.deepEqual(me.acl, ['confd.users.me.read']);
  } finally {
    stranger.remove();
  }
});

test('a WAZO_AUTH_TOKEN the daemon does not know: exit 4', async () => {
  const stranger = newOperator();
  try {
    const r = await stranger.run(['whoami'], {env: {WAZO_AUTH_TOKEN: '00000000-0000-4000-8000-000000000000', WAZO_AUTH_URL: td.url}});
    assert.equal(r.status, 4);
    assert.equal(r.stderr, `Error: ${td.url} does not know this token (expired, revoked, or from another daemon)\n`);
  } finally {
    stranger.remove();
  }
});

test('not logged in: exit 4 and how to log in, in one line', async () => {
  const stranger = newOperator();
  try {
    const r = await stranger.run(['whoami', '--url', td.url]);
    assert.equal(r.status, 4);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `Error: not logged in to ${td.url}: run \`wazo-auth login --url ${td.url} --username NAME\`, or set WAZO_AUTH_TOKEN to an access token\n`,
    );
    const json = await stranger.run(['whoami', '--url', td.url, '--json']);
    assert.equal(json.status, 4);
    assert.equal(JSON.parse(json.stdout).error.exit_code, 4);
  } finally {
    stranger.remove();
  }
});

test('a kept login the daemon dropped: exit 4, and the API error under --json', async () => {
  const other = newOperator();
  try {
    assert.equal(
      (await other.run(['login', '--url', td.url, '--username', 'admin', '--password-stdin', '--insecure-storage'], {input: td.admin.password})).status,
      0,
    );
    const clientId = JSON.parse(readFileSync(join(other.configDir, 'config.json'), 'utf8')).profiles.default.client_id;
    await td.call('DELETE', `/0.1/users/${td.admin.uuid}/tokens/${clientId}`, {token: td.admin.token});
    // The kept access token outlives its refresh token, as upstream's do, until it is revoked too.
    assert.equal((await other.run(['whoami'])).status, 0);
    await td.call('DELETE', `/0.1/token/${keptTokens(other).access_token}`);
    const r = await other.run(['whoami', '--json']);
    assert.equal(r.status, 4);
    const {error} = JSON.parse(r.stdout);
    assert.equal(error.status, 401);
    assert.match(error.message, /refused the login kept for profile default/);
    assert.ok(typeof error.response === 'object');
  } finally {
    other.remove();
  }
});

test('the kept access token serves the next commands; revoked elsewhere, it is renewed from the refresh token and kept', async () => {
  const op = newOperator();
  try {
    const login = await op.run(['login', '--url', td.url, '--username', 'admin', '--password-stdin', '--insecure-storage'], {input: td.admin.password});
    assert.equal(login.status, 0, login.stderr);
    const first = keptTokens(op);
    assert.equal((await op.run(['whoami', '--format', 'plain'])).stdout, `${td.admin.uuid}\n`);
    assert.equal((await op.run(['user', 'list', '--format', 'plain'])).status, 0);
    assert.deepEqual(keptTokens(op), first, 'the same access token, not a new one per command');

    await td.call('DELETE', `/0.1/token/${first.access_token}`);
    const again = await op.run(['whoami', '--format', 'plain']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, `${td.admin.uuid}\n`);
    const second = keptTokens(op);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal(second.refresh_token, first.refresh_token);
    // an authenticated route (401) renews as the token route (404) does
    await td.call('DELETE', `/0.1/token/${second.access_token}`);
    assert.equal((await op.run(['user', 'list', '--format', 'plain'])).status, 0);
    assert.notEqual(keptTokens(op).access_token, second.access_token);
  } finally {
    op.remove();
  }
});

/** What an --insecure-storage login keeps for the default profile. */
function keptTokens(op: Operator): {refresh_token: string; access_token: string; expires_at: number} {
  return Object.values(JSON.parse(readFileSync(join(op.configDir, 'credentials.json'), 'utf8')))[0] as never;
}

test('the refresh token goes only to the daemon that issued it, whatever --url says', async () => {
  const seen: string[] = [];
  const elsewhere: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(elsewhere.address() as {port: number}).port}`;
    const r = await op.run(['whoami', '--url', url]);
    assert.equal(r.status, 4);
    assert.match(r.stderr, new RegExp(`not logged in to ${url}`));
    assert.deepEqual(seen, []);
  } finally {
    elsewhere.close();
  }
});
