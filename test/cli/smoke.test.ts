// The built binary (bin/run.js on dist/ and oclif.manifest.json), as an operator starts it: the
// command tests run the commands in-process, so these check what only the binary can get wrong,
// its start-up, its manifest, its exit codes. Other binary runs: test/commands/daemon*.test.ts
// (the daemon's start and stop), the keychain login in test/commands/login.test.ts, the shell
// pipelines and terminal prompts of the command tests, test/cli/completion.test.ts.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {newOperator, type Operator} from './binary.js';

let td: TestDaemon;
let op: Operator;

before(async () => {
  td = await startTestDaemon();
  op = newOperator();
});

after(async () => {
  op.remove();
  await td.stop();
});

test('--version names the package version', async () => {
  const r = await op.runBinary(['--version']);
  assert.equal(r.status, 0, r.stderr);
  const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
  assert.match(r.stdout, new RegExp(`^wazo-auth/${version.replaceAll('.', '\\.')} `));
});

test('--help lists the topics and commands from the manifest', async () => {
  const r = await op.runBinary(['--help']);
  assert.equal(r.status, 0, r.stderr);
  for (const name of ['daemon', 'login', 'token', 'user', 'policy', 'tenant', 'group', 'session']) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
  const command = await op.runBinary(['user', 'create', '--help']);
  assert.equal(command.status, 0, command.stderr);
  assert.match(command.stdout, /--password-stdin/);
  assert.match(command.stdout, /Exit codes: 0 /);
});

test('a command against a daemon, in each output format', async () => {
  const env = {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token};
  const table = await op.runBinary(['user', 'list', '--search', 'admin'], {env});
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^admin\t/m);
  const json = await op.runBinary(['user', 'show', 'admin', '--json'], {env});
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).uuid, td.admin.uuid);
  const plain = await op.runBinary(['status', '--format', 'plain'], {env});
  assert.equal(plain.status, 0, plain.stderr);
});

test('a usage error exits 2, with the message on stderr', async () => {
  const r = await op.runBinary(['user', 'list', '--bogus'], {env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token}});
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /--bogus/);
});

test('a daemon that does not answer exits 3', async () => {
  const r = await op.runBinary(['user', 'list'], {env: {WAZO_AUTH_URL: 'http://127.0.0.1:1', WAZO_AUTH_TOKEN: 'x'}});
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^Error: cannot reach http:\/\/127\.0\.0\.1:1/);
});

test('credentials the daemon refuses exit 4', async () => {
  const r = await op.runBinary(['user', 'list'], {env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: '3c2b1a09-8f7e-4d6c-b5a4-392817161514'}});
  assert.equal(r.status, 4, r.stderr);
});
