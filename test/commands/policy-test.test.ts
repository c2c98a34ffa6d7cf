// `wazo-auth policy test POLICY ACCESS...` against a real daemon: the verdict on each access and
// the deciding pattern, in each format, and its exit codes.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
  await client.policies.create({name: 'Operators', slug: 'operators', acl: ['confd.#', '!confd.users.*.delete', 'calld.calls.read']});
});

after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
});

test('every access granted: the verdicts and their patterns, exit 0', async () => {
  const r = await cli.run(['policy', 'test', 'operators', 'confd.users.read', 'calld.calls.read'], undefined, {NO_COLOR: '1'}, {columns: 80});
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    ['ACCESS            RESULT   PATTERN', 'confd.users.read  granted  confd.#', 'calld.calls.read  granted  calld.calls.read', ''].join('\n'),
  );
});

test('one denied, by a `!` pattern or by none: exit 1, every verdict printed', async () => {
  const r = await cli.run(['policy', 'test', 'operators', 'confd.users.42.delete', 'calld.calls.read', 'auth.users.read']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    'ACCESS\tRESULT\tPATTERN\nconfd.users.42.delete\tdenied\t!confd.users.*.delete\ncalld.calls.read\tgranted\tcalld.calls.read\nauth.users.read\tdenied\t(no pattern matches)\n',
  );
});

test('--json: {access, granted, pattern} for each, whatever the exit code', async () => {
  const denied = await cli.run(['policy', 'test', 'operators', 'auth.users.read', 'confd.users.read', '--json']);
  assert.equal(denied.status, 1);
  assert.deepEqual(JSON.parse(denied.stdout), [
    {access: 'auth.users.read', granted: false, pattern: null},
    {access: 'confd.users.read', granted: true, pattern: 'confd.#'},
  ]);
  const granted = await cli.run(['policy', 'test', 'operators', 'confd.users.read', '--json']);
  assert.equal(granted.status, 0);
  assert.deepEqual(JSON.parse(granted.stdout), [{access: 'confd.users.read', granted: true, pattern: 'confd.#'}]);
});

test('--format plain: one verdict a line, in order', async () => {
  const r = await cli.run(['policy', 'test', 'operators', 'confd.users.read', 'auth.users.read', '--format', 'plain']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'granted\ndenied\n');
});

test('a malformed access or no access: exit 2; an unknown policy: exit 1', async () => {
  const bad = await cli.run(['policy', 'test', 'operators', 'confd..read']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'Error: "confd..read" is no access: empty segment between two dots\n');
  assert.equal((await cli.run(['policy', 'test', 'operators'])).status, 2);
  const unknown = await cli.run(['policy', 'test', 'nosuch', 'confd.users.read']);
  assert.equal(unknown.status, 1);
});
