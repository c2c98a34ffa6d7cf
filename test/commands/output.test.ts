// How list commands print on a terminal and through a pipe, against a real daemon: aligned
// columns fitted to the terminal's width, -o wide and name, --no-headers and --columns, and the
// names shown for uuids (degraded to the uuid when the caller may not read the name).

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;
let branch: string;
let session: string;
/** A token of a user of Branch that may list sessions and tenants, and read nothing else. */
let narrow: string;
/** A terminal 80 columns wide, without colours to keep the assertions readable. */
const terminal = {columns: 80};
const noColour = {NO_COLOR: '1'};

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
  branch = (await client.tenants.create({name: 'Branch Office', slug: 'branch'})).uuid;
  const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch});
  await inBranch.tenants.create({name: 'Lab', slug: 'lab'});
  const policy = await inBranch.policies.create({name: 'lister', acl: ['auth.sessions.read', 'auth.tenants.read']});
  const watcher = await inBranch.users.create({username: 'watcher', password: 'watcher password'});
  await inBranch.users.addPolicy(watcher.uuid, policy.uuid);
  await inBranch.close();
  await client.users.create({username: 'alice', password: 'alice password'});
  session = (await td.login('alice', 'alice password', {}, {'User-Agent': 'a-rather-long-user-agent/1.0 (with details nobody reads on a narrow terminal)'}))
    .session_uuid;
  narrow = (await td.login('watcher', 'watcher password')).token;
});

after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
});

describe('session list', () => {
  test('on an 80-column terminal: aligned columns within 80, the username and tenant by name', async () => {
    const r = await cli.run(['session', 'list'], undefined, noColour, terminal);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^UUID +USERNAME +TENANT +MOBILE +CREATED_AT +EXPIRES_AT +REMOTE_ADDR$/);
    for (const line of lines) assert.ok(line.length <= 80, `${line.length}: ${line}`);
    const row = lines.find((line) => line.includes('alice'));
    assert.ok(row, r.stdout);
    assert.match(row, /^[0-9a-f-]+… +alice +master +false /);
    assert.doesNotMatch(r.stdout, /\t/);
  });

  test('-o wide: every column, none cut, on a terminal too', async () => {
    const r = await cli.run(['session', 'list', '-o', 'wide'], undefined, noColour, terminal);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /USER_AGENT +USER_UUID +TENANT_UUID\n/);
    assert.ok(r.stdout.includes(session));
    assert.ok(r.stdout.includes('(with details nobody reads on a narrow terminal)'));
  });

  test('piped: tab-separated; --no-headers and --columns for a script; -o name the uuids', async () => {
    const r = await cli.run(['session', 'list', '--no-headers', '--columns', 'username,uuid', '--search', 'rather-long']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `alice\t${session}\n`);
    const names = await cli.run(['session', 'list', '-o', 'name', '--search', 'rather-long']);
    assert.equal(names.stdout, `${session}\n`);
  });

  test('a column the list does not have: exit 2, naming those it has', async () => {
    const r = await cli.run(['session', 'list', '--columns', 'username,colour']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no column colour: --columns takes uuid, username, tenant, .*user_agent/);
  });

  test('a caller that may not read users sees their uuids instead of usernames', async () => {
    const r = await cli.run(['session', 'list', '--columns', 'username,tenant', '--no-headers'], undefined, {WAZO_AUTH_TOKEN: narrow});
    assert.equal(r.status, 0, r.stderr);
    const watcher = (await client.users.list({username: 'watcher', recurse: true})).items[0]!;
    assert.equal(r.stdout, `${watcher.uuid}\tBranch Office\n`);
  });

  test('--json keeps the API answer, without names', async () => {
    const r = await cli.run(['session', 'list', '--json', '--search', 'rather-long']);
    const [item] = JSON.parse(r.stdout).items;
    assert.equal(item.uuid, session);
    assert.equal('username' in item, false);
  });
});

describe('tenant list', () => {
  test("each tenant's parent by name, (top) for the top one", async () => {
    const r = await cli.run(['tenant', 'list', '--columns', 'slug,parent', '--no-headers']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['branch\tmaster', 'lab\tBranch Office', 'master\t(top)']);
  });

  test('a parent the caller cannot see stays a uuid', async () => {
    const r = await cli.run(['tenant', 'list', '--columns', 'slug,parent', '--no-headers'], undefined, {WAZO_AUTH_TOKEN: narrow});
    assert.equal(r.status, 0, r.stderr);
    const top = (await client.tenants.list({slug: 'master'})).items[0]!;
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), [`branch\t${top.uuid}`, 'lab\tBranch Office']);
  });
});

test('a record on a terminal: key: value lines, no box', async () => {
  const r = await cli.run(['tenant', 'show', 'branch'], undefined, noColour, terminal);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^uuid: [0-9a-f-]{36}\nparent_uuid: /);
  assert.doesNotMatch(r.stdout, /[│┌─]/);
  const name = await cli.run(['tenant', 'show', 'branch', '-o', 'name']);
  assert.equal(name.stdout, `${branch}\n`);
});
