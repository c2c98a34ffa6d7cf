// `wazo-auth token refresh list|delete` through the built binary, against a real daemon: whose
// refresh tokens, in each format, the filters, and each error path; once through a real login.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {capture, newOperator, BIN, type Operator} from '../cli/binary.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let op: Operator;
let alice: string;
let bob: string;

const cli = (args: string[], env: Record<string, string> = {}) => op.run(args, {env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, ...env}});
const offline = (username: string, password: string, clientId: string, mobile = false) =>
  td.login(username, password, {access_type: 'offline', client_id: clientId}, mobile ? {'wazo-session-type': 'mobile'} : {});
const clientIds = (stdout: string) =>
  JSON.parse(stdout)
    .items.map((t: {client_id: string}) => t.client_id)
    .sort();

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  op = newOperator();
  alice = (await client.users.create({username: 'alice', password: 'alice pass'})).uuid;
  await client.policies.create({name: 'Self', slug: 'self', acl: ['auth.users.me.#']});
  await client.users.addPolicy(alice, 'self');
  await offline('alice', 'alice pass', 'alice-phone', true);
  await offline('alice', 'alice pass', 'alice-laptop');
  const branch = await client.tenants.create({name: 'Branch', slug: 'branch'});
  const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
  bob = (await inBranch.users.create({username: 'bob', password: 'bob pass'})).uuid;
  await inBranch.close();
  await offline('bob', 'bob pass', 'bob-desk');
  await offline(td.admin.username, td.admin.password, 'admin-script');
});

after(async () => {
  await client.close();
  op.remove();
  await td.stop();
});

describe('token refresh list', () => {
  test('yours by default: a table, nothing on stderr', async () => {
    const r = await cli(['token', 'refresh', 'list']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^CLIENT_ID\tUSER_UUID\tMOBILE\tCREATED_AT\n/);
    assert.match(r.stdout, new RegExp(`^admin-script\t${td.admin.uuid}\tfalse\t\\d{4}-\\d\\d-\\d\\dT`, 'm'));
    assert.doesNotMatch(r.stdout, /alice/);
  });

  test("--user by username or uuid: that user's; --format plain the client ids", async () => {
    for (const user of ['alice', alice]) {
      const r = await cli(['token', 'refresh', 'list', '--user', user, '--format', 'plain', '--order', 'client_id']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'alice-laptop\nalice-phone\n');
    }
  });

  test('--all-users: every user of the tenant; --recurse and --tenant; --json the API answer', async () => {
    const tenant = await cli(['token', 'refresh', 'list', '--all-users', '--json']);
    assert.equal(tenant.status, 0, tenant.stderr);
    const answer = JSON.parse(tenant.stdout);
    assert.deepEqual(Object.keys(answer).sort(), ['filtered', 'items', 'total']);
    assert.deepEqual(clientIds(tenant.stdout), ['admin-script', 'alice-laptop', 'alice-phone']);
    const tree = await cli(['token', 'refresh', 'list', '--all-users', '--recurse', '--json']);
    assert.deepEqual(clientIds(tree.stdout), ['admin-script', 'alice-laptop', 'alice-phone', 'bob-desk']);
    const branch = await cli(['token', 'refresh', 'list', '--all-users', '--tenant', 'branch', '--json']);
    assert.deepEqual(
      JSON.parse(branch.stdout).items.map((t: {user_uuid: string}) => t.user_uuid),
      [bob],
    );
  });

  test('the API filters: --mobile, --no-mobile, --client-id, --search', async () => {
    const list = async (...args: string[]) => clientIds((await cli(['token', 'refresh', 'list', '--user', 'alice', '--json', ...args])).stdout);
    assert.deepEqual(await list('--mobile'), ['alice-phone']);
    assert.deepEqual(await list('--no-mobile'), ['alice-laptop']);
    assert.deepEqual(await list('--client-id', 'alice-laptop'), ['alice-laptop']);
    assert.deepEqual(await list('--search', 'phone'), ['alice-phone']);
  });

  test('--limit: a page, and a note on stderr of what is left', async () => {
    const r = await cli(['token', 'refresh', 'list', '--all-users', '--limit', '2', '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length - 1, 2);
    assert.equal(r.stderr, '1 more: --offset 2 for the next page, --all for every one\n');
  });

  test('errors: an unknown user exits 1; --user with --all-users, or --recurse alone, exit 2; a bad date exits 1', async () => {
    const unknown = await cli(['token', 'refresh', 'list', '--user', 'nobody']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'Error: no user with username nobody\n');
    assert.equal((await cli(['token', 'refresh', 'list', '--user', 'alice', '--all-users'])).status, 2);
    assert.equal((await cli(['token', 'refresh', 'list', '--recurse'])).status, 2);
    const date = await cli(['token', 'refresh', 'list', '--created-at', 'yesterday', '--json']);
    assert.equal(date.status, 1);
    assert.equal(JSON.parse(date.stdout).error.response.error_id, 'invalid-list-param');
  });

  test("a token without the right to read others' refresh tokens: exit 4", async () => {
    const {token} = await td.login('alice', 'alice pass');
    const r = await cli(['token', 'refresh', 'list', '--all-users'], {WAZO_AUTH_TOKEN: token});
    assert.equal(r.status, 4);
    assert.match(r.stderr, /^Error: not allowed: the token does not grant auth\.tokens\.read\n$/);
  });
});

describe('token refresh delete', () => {
  test("a user's, then yours; nothing on stdout; the refresh token cannot log in any more", async () => {
    const r = await cli(['token', 'refresh', 'delete', '--yes', 'alice-laptop', '--user', 'alice']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Refresh token alice-laptop deleted for alice.\n');
    assert.deepEqual(
      (await client.refreshTokens.listOfUser(alice)).items.map((t) => t.client_id),
      ['alice-phone'],
    );

    const own = await cli(['token', 'refresh', 'delete', '--yes', 'admin-script']);
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.stderr, 'Refresh token admin-script deleted.\n');
    assert.equal((await client.refreshTokens.listOfUser(td.admin.uuid, {client_id: 'admin-script'})).items.length, 0);
  });

  test('one that does not exist exits 1; no CLIENT_ID exits 2', async () => {
    const r = await cli(['token', 'refresh', 'delete', '--yes', 'alice-laptop', '--user', 'alice', '--json']);
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).error.status, 404);
    assert.equal((await cli(['token', 'refresh', 'delete', '--yes'])).status, 2);
  });
});

describe('through a real login kept in a profile', () => {
  test("the login's own refresh token is listed, and a pipeline deletes another", async () => {
    const operator = newOperator();
    try {
      const login = await operator.run(['login', '--url', td.url, '--username', 'alice', '--password-stdin', '--insecure-storage'], {input: 'alice pass'});
      assert.equal(login.status, 0, login.stderr);
      const r = await operator.run(['token', 'refresh', 'list', '--format', 'plain']);
      assert.equal(r.status, 0, r.stderr);
      const ids = r.stdout.trim().split('\n').sort();
      assert.equal(ids.length, 2);
      assert.equal(ids[0], 'alice-phone');
      assert.match(ids[1]!, /^wazo-auth-cli-/);

      const env: NodeJS.ProcessEnv = {...process.env, BIN: `${process.execPath} ${BIN}`, HOME: operator.home, XDG_CONFIG_HOME: `${operator.home}/.config`};
      delete env.WAZO_AUTH_URL;
      delete env.WAZO_AUTH_TOKEN;
      const pipeline = await capture(
        'bash',
        ['-c', 'set -o pipefail; $BIN token refresh list --mobile --format plain | xargs -n1 $BIN token refresh delete --yes'],
        env,
      );
      assert.equal(pipeline.status, 0, pipeline.stderr);
      assert.equal(pipeline.stderr, 'Refresh token alice-phone deleted.\n');
      assert.deepEqual((await client.refreshTokens.listOfUser(alice, {client_id: 'alice-phone'})).items, []);
    } finally {
      operator.remove();
    }
  });
});
