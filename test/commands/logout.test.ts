// `wazo-auth logout` through the built binary: the refresh token stops working on the daemon and
// is gone from here, even when the daemon cannot be told.

import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {newOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
const operators: Operator[] = [];

before(async () => {
  td = await startTestDaemon();
});
after(async () => {
  for (const operator of operators) operator.remove();
  await td.stop();
});

/** An operator logged in to `daemon` with --insecure-storage, and what it keeps. */
async function loggedIn(daemon: TestDaemon) {
  const op = newOperator();
  operators.push(op);
  const r = await op.run(['login', '--url', daemon.url, '--username', 'admin', '--password-stdin', '--insecure-storage'], {input: daemon.admin.password});
  assert.equal(r.status, 0, r.stderr);
  const clientId = profileOf(op).client_id as string;
  const kept = JSON.parse(readFileSync(join(op.configDir, 'credentials.json'), 'utf8'))[`default@${daemon.url}`];
  return {op, clientId, refreshToken: kept.refresh_token as string, accessToken: kept.access_token as string};
}

const profileOf = (op: Operator) => JSON.parse(readFileSync(join(op.configDir, 'config.json'), 'utf8')).profiles.default;
const refreshGrant = (daemon: TestDaemon, refreshToken: string, clientId: string) =>
  daemon.call('POST', '/0.1/token', {body: {refresh_token: refreshToken, client_id: clientId}});

test('revokes the refresh token and the kept access token on the daemon and forgets them here, keeping URL and username', async () => {
  const {op, clientId, refreshToken, accessToken} = await loggedIn(td);
  assert.equal((await refreshGrant(td, refreshToken, clientId)).status, 200);
  assert.equal((await td.call('HEAD', `/0.1/token/${accessToken}`)).status, 204);

  const r = await op.run(['logout', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {profile: 'default', url: td.url, client_id: clientId, revoked: true});
  assert.match(r.stderr, /^Logged out of http:\/\/127\.0\.0\.1:\d+ \(profile default\)\.\n$/);

  assert.equal((await refreshGrant(td, refreshToken, clientId)).status, 401);
  assert.equal((await td.call('HEAD', `/0.1/token/${accessToken}`)).status, 404);
  assert.equal(existsSync(join(op.configDir, 'credentials.json')), false);
  assert.deepEqual(profileOf(op), {url: td.url, username: 'admin'});
});

test('a second logout is a negative answer: exit 1', async () => {
  const {op} = await loggedIn(td);
  assert.equal((await op.run(['logout'])).status, 0);
  const r = await op.run(['logout']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'Error: profile default is not logged in\n');
});

test('a login the daemon already dropped is just forgotten', async () => {
  const {op, clientId} = await loggedIn(td);
  assert.equal((await td.call('DELETE', `/0.1/users/${td.admin.uuid}/tokens/${clientId}`, {token: td.admin.token})).status, 204);
  const r = await op.run(['logout']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /the daemon no longer knew this login/);
  assert.equal(existsSync(join(op.configDir, 'credentials.json')), false);
});

test('a daemon that is gone: forgotten here all the same, exit 3, and how to revoke it later', async () => {
  const gone = await startTestDaemon();
  const {op, clientId} = await loggedIn(gone);
  await gone.stop();
  const r = await op.run(['logout']);
  assert.equal(r.status, 3);
  assert.match(
    r.stderr,
    new RegExp(`^Error: logged out here, but ${gone.url} did not revoke the refresh token \\(cannot reach .*\\); .*token refresh delete ${clientId}`),
  );
  assert.equal(existsSync(join(op.configDir, 'credentials.json')), false);
  assert.equal(profileOf(op).client_id, undefined);
});
