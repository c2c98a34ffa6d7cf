// `wazo-auth session list|revoke` through the built binary, against a real daemon: which
// tenants, in each format, a pipeline that ends sessions, and each error path.

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

const cli = (args: string[], options: {input?: string; env?: Record<string, string>} = {}) =>
  op.run(args, {input: options.input, env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, ...options.env}});
const login = async (username: string, agent: string) =>
  (await td.login(username, `${username} pass`, {}, {'user-agent': agent})) as {token: string; session_uuid: string};
const uuids = (stdout: string) =>
  JSON.parse(stdout)
    .items.map((s: {uuid: string}) => s.uuid)
    .sort();

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  op = newOperator();
  alice = (await client.users.create({username: 'alice', password: 'alice pass'})).uuid;
  const branch = await client.tenants.create({name: 'Branch', slug: 'branch'});
  const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
  bob = (await inBranch.users.create({username: 'bob', password: 'bob pass'})).uuid;
  await inBranch.close();
});

after(async () => {
  await client.close();
  op.remove();
  await td.stop();
});

describe('session list', () => {
  test('a table of the sessions of your tenant; --format plain the uuids; --json the API answer', async () => {
    const session = await login('alice', 'alice-phone/1.0');
    const r = await cli(['session', 'list']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^UUID\tUSERNAME\tTENANT\tMOBILE\tCREATED_AT\tEXPIRES_AT\tREMOTE_ADDR\n/);
    assert.match(r.stdout, new RegExp(`^${session.session_uuid}\talice\tmaster\tfalse\t\\d{4}-[^\t]+\t[^\t]+\t127\\.0\\.0\\.1$`, 'm'));
    assert.doesNotMatch(r.stdout, /\x1b\[/);

    const all = await client.sessions.list();
    const plain = await cli(['session', 'list', '--format', 'plain']);
    assert.equal(plain.stdout, all.items.map((s) => `${s.uuid}\n`).join(''));
    const json = JSON.parse((await cli(['session', 'list', '--json'])).stdout);
    assert.deepEqual(Object.keys(json).sort(), ['filtered', 'items', 'total']);
    assert.equal(json.total, all.total);
  });

  test('--tenant (its slug) lists another tenant, --recurse adds the tenants below', async () => {
    const bobs = await login('bob', 'bob-desk/2.0');
    const branch = await cli(['session', 'list', '--tenant', 'branch', '--json']);
    assert.equal(branch.status, 0, branch.stderr);
    assert.deepEqual(uuids(branch.stdout), [bobs.session_uuid]);
    const own = uuids((await cli(['session', 'list', '--json'])).stdout);
    assert.ok(!own.includes(bobs.session_uuid));
    const tree = uuids((await cli(['session', 'list', '--recurse', '--json'])).stdout);
    assert.deepEqual(tree, [...own, bobs.session_uuid].sort());
  });

  test('--search finds the user agent; --order and --direction; --limit with a note', async () => {
    const a = await login('alice', 'search-me/1');
    const b = (await td.login('alice', 'alice pass', {}, {'user-agent': 'search-me/2', 'wazo-session-type': 'mobile'})) as {session_uuid: string};
    const ordered = (direction: string) =>
      cli(['session', 'list', '--search', 'search-me', '--order', 'mobile', '--direction', direction, '--format', 'plain']);
    assert.equal((await ordered('asc')).stdout, `${a.session_uuid}\n${b.session_uuid}\n`);
    assert.equal((await ordered('desc')).stdout, `${b.session_uuid}\n${a.session_uuid}\n`);
    const page = await cli(['session', 'list', '--search', 'search-me', '--limit', '1', '--format', 'plain']);
    assert.equal(page.stdout.split('\n').length - 1, 1);
    assert.equal(page.stderr, '1 more: --offset 1 for the next page, --all for every one\n');
  });

  test('errors: an unknown tenant exits 1, an order the API refuses exits 1, a token that may not list exits 4', async () => {
    const tenant = await cli(['session', 'list', '--tenant', 'nowhere']);
    assert.equal(tenant.status, 1);
    assert.match(tenant.stderr, /no tenant with slug nowhere/);
    assert.equal((await cli(['session', 'list', '--order', 'uuid'])).status, 1);
    const {token} = await login('alice', 'no-rights');
    const denied = await cli(['session', 'list'], {env: {WAZO_AUTH_TOKEN: token}});
    assert.equal(denied.status, 4);
  });
});

describe('session revoke', () => {
  test('ends each session: its token stops working; nothing on stdout', async () => {
    const one = await login('alice', 'revoke-1');
    const two = await login('alice', 'revoke-2');
    const r = await cli(['session', 'revoke', '--yes', one.session_uuid, two.session_uuid]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Session ${one.session_uuid} revoked.\nSession ${two.session_uuid} revoked.\n`);
    assert.equal(await client.tokens.check(one.token), false);
    assert.equal(await client.tokens.check(two.token), false);
  });

  test('an unknown session among others: not found, exit 1, and none is ended', async () => {
    const kept = await login('alice', 'kept-too');
    const r = await cli(['session', 'revoke', '--yes', kept.session_uuid, '00000000-0000-4000-8000-000000000000']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'Error: not found: no session 00000000-0000-4000-8000-000000000000 in your tenant tree\n');
    assert.equal(await client.tokens.check(kept.token), true);
  });

  test('a value that is not a uuid is a usage error, and no session is ended', async () => {
    const kept = await login('alice', 'kept');
    const r = await cli(['session', 'revoke', '--yes', kept.session_uuid, 'not-a-uuid']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'Error: not a session uuid: not-a-uuid\n');
    assert.equal(await client.tokens.check(kept.token), true);
    assert.equal((await cli(['session', 'revoke', '--yes'])).status, 2);
  });

  test('- reads uuids from standard input; nothing there is nothing to do', async () => {
    const one = await login('alice', 'stdin-1');
    const r = await cli(['session', 'revoke', '--yes', '-'], {input: `${one.session_uuid}\n\n`});
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await client.tokens.check(one.token), false);
    const empty = await cli(['session', 'revoke', '--yes', '-'], {input: ''});
    assert.equal(empty.status, 0);
    assert.equal(empty.stderr, 'No session uuid on standard input: nothing revoked.\n');
  });

  test("a pipeline: every session of a tenant's tree ended", async () => {
    const bobs = [await login('bob', 'pipe-1'), await login('bob', 'pipe-2')];
    const alices = await login('alice', 'stays');
    const env = {...process.env, BIN: `${process.execPath} ${BIN}`, WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, HOME: op.home};
    const r = await capture(
      'bash',
      ['-c', 'set -o pipefail; $BIN session list --tenant branch --recurse --all --format plain | $BIN session revoke --yes -'],
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    for (const session of bobs) assert.equal(await client.tokens.check(session.token), false);
    assert.equal(await client.tokens.check(alices.token), true);
    assert.equal((await client.users.listSessions(bob)).total, 0);
  });

  test('a daemon that does not answer exits 3', async () => {
    const r = await cli(['session', 'revoke', '--yes', '00000000-0000-4000-8000-000000000000'], {env: {WAZO_AUTH_URL: 'http://127.0.0.1:1'}});
    assert.equal(r.status, 3);
  });
});
