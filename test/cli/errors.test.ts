// Errors as the operator reads them, in-process against a real daemon: one line naming what the
// daemon said, "did you mean" for commands and flags, JSON under --json whatever failed, and the
// exit codes of src/cli/exit-codes.ts.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import {after, before, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {newOperator, type Operator} from './binary.js';

let td: TestDaemon;
let op: Operator;
let plain: Server;
let plainPort: number;

const cli = (args: string[], env: Record<string, string> = {}) => op.run(args, {env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, ...env}});

/** Exactly one line on stderr, nothing on stdout. */
function oneLine(r: {stdout: string; stderr: string}): string {
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(!r.stderr.includes('›'), r.stderr);
  return lines[0]!;
}

before(async () => {
  td = await startTestDaemon();
  op = newOperator();
  plain = createServer((_req, res) => res.end('plain')).listen(0, '127.0.0.1');
  await new Promise((resolve) => plain.once('listening', resolve));
  plainPort = (plain.address() as {port: number}).port;
});

after(async () => {
  plain.close();
  op.remove();
  await td.stop();
});

test('a mistyped command: "did you mean", exit 2; under --json the error object on stdout', async () => {
  const r = await cli(['user', 'lst']);
  assert.equal(r.status, 2);
  assert.equal(oneLine(r), 'Error: unknown command "user lst": did you mean "wazo-auth user list"?');
  const topic = await cli(['usr', 'list', '--json']);
  assert.equal(topic.status, 2);
  assert.equal(topic.stderr, '');
  assert.deepEqual(JSON.parse(topic.stdout), {error: {message: 'unknown command "usr list": did you mean "wazo-auth user list"?', exit_code: 2}});
  const far = await cli(['frobnicate']);
  assert.equal(oneLine(far), 'Error: unknown command "frobnicate"; wazo-auth --help lists the commands');
});

test('a mistyped flag: the nearest one, exit 2, one line; JSON when asked, even by the environment', async () => {
  const r = await cli(['user', 'list', '--formt', 'json']);
  assert.equal(r.status, 2);
  assert.equal(oneLine(r), 'Error: unknown flag: --formt (did you mean --format?); see wazo-auth user list --help');
  const json = await cli(['user', 'list', '--serch', 'x'], {WAZO_AUTH_FORMAT: 'json'});
  assert.equal(json.status, 2);
  assert.match(JSON.parse(json.stdout).error.message, /--serch \(did you mean --search\?\)/);
  const missing = await cli(['user', 'show', '--json']);
  assert.equal(missing.status, 2);
  assert.deepEqual(JSON.parse(missing.stdout), {error: {message: 'missing USER; see wazo-auth user show --help', exit_code: 2}});
});

test('a token without the access: the access it lacks, exit 4', async () => {
  const admin = new AuthClient({url: td.url, token: td.admin.token});
  await admin.users.create({username: 'nobody', password: 'nobody pass'});
  await admin.close();
  const {token} = (await td.login('nobody', 'nobody pass')) as {token: string};
  const r = await cli(['user', 'list'], {WAZO_AUTH_TOKEN: token});
  assert.equal(r.status, 4);
  assert.equal(oneLine(r), 'Error: not allowed: the token does not grant auth.users.read');
  const unknown = await cli(['user', 'list'], {WAZO_AUTH_TOKEN: randomUUID()});
  assert.equal(unknown.status, 4);
  assert.match(oneLine(unknown), /does not know the token \(unknown, expired or revoked\); auth\.users\.read needs a valid one$/);
});

test('invalid data names the field and why; a conflict too; an unknown resource says which', async () => {
  const invalid = await cli(['tenant', 'create', 'Bad', '--slug', 'no spaces allowed']);
  assert.equal(invalid.status, 1);
  assert.match(oneLine(invalid), /^Error: invalid request: slug: .+/);
  assert.equal((await cli(['tenant', 'create', 'Twice', '--slug', 'twice'])).status, 0);
  const conflict = await cli(['tenant', 'create', 'Twice', '--slug', 'twice']);
  assert.equal(conflict.status, 1);
  assert.match(oneLine(conflict), /^Error: conflict: slug: .+/);
  const uuid = randomUUID();
  const missing = await cli(['user', 'show', uuid]);
  assert.equal(missing.status, 1);
  assert.match(oneLine(missing), new RegExp(`^Error: .*${uuid}`));
});

test('TLS against plain HTTP: one line that says so and gives the http URL, exit 3', async () => {
  const r = await cli(['status', '--url', `https://127.0.0.1:${plainPort}`]);
  assert.equal(r.status, 3);
  assert.equal(oneLine(r), `Error: cannot talk to https://127.0.0.1:${plainPort}: this is plain HTTP, not TLS: try http://127.0.0.1:${plainPort}`);
});

test('a login to a wrong prefix: exit 3, as status says for what is not a wazo-auth daemon', async () => {
  const r = await op.run(['login', '--url', `${td.url}/api/auth`, '--username', 'admin', '--password-stdin', '--insecure-storage'], {
    input: td.admin.password,
  });
  assert.equal(r.status, 3);
  assert.match(oneLine(r), /does not answer as a wazo-auth daemon \(404\)/);
  const status = await cli(['status', '--url', `${td.url}/api/auth`]);
  assert.equal(status.status, 3);
});

test('revoking an unknown token or session: exit 1, not found; --json answers what was revoked', async () => {
  const token = await cli(['token', 'revoke', randomUUID()]);
  assert.equal(token.status, 1);
  assert.match(oneLine(token), /^Error: not found: /);
  const session = await cli(['session', 'revoke', randomUUID(), '--json']);
  assert.equal(session.status, 1);
  assert.match(JSON.parse(session.stdout).error.message, /^not found: no session /);

  const live = (await td.login('admin', td.admin.password)) as {token: string; session_uuid: string};
  const shown = await cli(['session', 'show', live.session_uuid, '--json']);
  assert.equal(shown.status, 0, shown.stderr);
  assert.equal(JSON.parse(shown.stdout).user_uuid, td.admin.uuid);
  const revoked = await cli(['token', 'revoke', live.token, '--json']);
  assert.equal(revoked.status, 0, revoked.stderr);
  assert.deepEqual(JSON.parse(revoked.stdout), {revoked: true});
  assert.equal((await cli(['token', 'revoke', live.token])).status, 1);
});
