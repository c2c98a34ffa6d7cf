// `wazo-auth token create|show|check|revoke` against a real daemon (in-process, and through the
// built binary in the shell pipelines): stdout, stderr and exit codes, in each format, with a
// pipeline and each error path.

import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {AuthClient} from '../../src/client/index.js';
import {startHttpsDaemon, type HttpsDaemon} from '../compat/https-daemon.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {runInProcess} from '../helpers/in-process-cli.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const UNKNOWN_TOKEN = '3c2b1a09-8f7e-4d6c-b5a4-392817161514';

let td: TestDaemon;
let client: AuthClient;
let home: string;
const reader = {username: 'reader', password: 'reader pass', uuid: ''};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a shell with no profile and no WAZO_AUTH_* but the daemon's URL. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('WAZO_AUTH_')) env[key] = value;
  return {...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', WAZO_AUTH_URL: td.url, ...extra};
}

/** Runs a child asynchronously: the daemon answering it lives in this process. */
function run(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({status, stdout, stderr}));
    child.stdin.end(input);
  });
}

const cli = (args: string[], input = '', extra: Record<string, string> = {}) => runInProcess(args, environment(extra), input);

/** A shell pipeline; `$BIN` runs the command, secrets come in through the environment. */
const shell = (script: string, extra: Record<string, string> = {}) =>
  run('bash', ['-c', `set -o pipefail; ${script}`], '', environment({BIN: `${process.execPath} ${BIN}`, ...extra}));

const createAsReader = (args: string[] = []) => cli(['token', 'create', '--username', reader.username, '--password-stdin', ...args], reader.password);

async function readerToken(): Promise<string> {
  return (await client.tokens.create({username: reader.username, password: reader.password})).token;
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'wazo-auth-token-cli-'));
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  reader.uuid = (await client.users.create({username: reader.username, password: reader.password})).uuid;
  await client.policies.create({name: 'reading', slug: 'reading', acl: ['confd.users.read', 'calld.#']});
  await client.users.addPolicy(reader.uuid, 'reading');
});

after(async () => {
  await client.close();
  await td.stop();
  rmSync(home, {recursive: true, force: true});
});

describe('token create', () => {
  test('a table of the token on stdout, nothing on stderr', async () => {
    const r = await createAsReader();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^token: [0-9a-f-]{36}$/m);
    assert.match(r.stdout, new RegExp(`^auth_id: ${reader.uuid}$`, 'm'));
    assert.match(r.stdout, /^acl:\n {2}confd\.users\.read\n {2}calld\.#\n/m);
    assert.doesNotMatch(r.stdout, /refresh_token/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour codes when not on a terminal');
  });

  test('--format plain prints the token alone', async () => {
    const r = await createAsReader(['--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
    assert.equal(await client.tokens.check(r.stdout.trim()), true);
  });

  test('--json prints the API fields; --expiration sets the lifetime', async () => {
    const r = await createAsReader(['--json', '--expiration', '60']);
    assert.equal(r.status, 0, r.stderr);
    const data = JSON.parse(r.stdout);
    assert.equal(data.auth_id, reader.uuid);
    assert.deepEqual(data.acl, ['confd.users.read', 'calld.#']);
    assert.equal(data.metadata.uuid, reader.uuid);
    assert.equal(Date.parse(data.utc_expires_at) - Date.parse(data.utc_issued_at), 60_000);
  });

  test('--format yaml', async () => {
    const r = await createAsReader(['--format', 'yaml']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(parseYaml(r.stdout).auth_id, reader.uuid);
  });

  test('--access-type offline --client-id gives a refresh token; --session-type mobile marks the session', async () => {
    const r = await createAsReader(['--access-type', 'offline', '--client-id', 'cli-tests', '--session-type', 'mobile', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const data = JSON.parse(r.stdout);
    assert.ok(data.refresh_token);
    const refreshTokens = await client.refreshTokens.listOfUser(reader.uuid, {client_id: 'cli-tests'});
    assert.deepEqual(
      refreshTokens.items.map((t) => t.mobile),
      [true],
    );
    const sessions = await client.users.listSessions(reader.uuid);
    assert.equal(sessions.items.find((s) => s.uuid === data.session_uuid)?.mobile, true);

    const table = await createAsReader(['--access-type', 'offline', '--client-id', 'cli-tests']);
    assert.match(table.stdout, new RegExp(`^refresh_token: ${data.refresh_token}$`, 'm'));
  });

  test('a wrong password exits 4, with the daemon message on stderr only', async () => {
    const r = await cli(['token', 'create', '--username', reader.username, '--password-stdin'], 'not the password');
    assert.equal(r.status, 4);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Authentication Failed/);
    assert.doesNotMatch(r.stderr, /not the password/);
  });

  test('a wrong password under --json: the error as JSON', async () => {
    const r = await cli(['token', 'create', '--username', reader.username, '--password-stdin', '--json'], 'not the password');
    assert.equal(r.status, 4);
    const {error} = JSON.parse(r.stdout);
    assert.equal(error.exit_code, 4);
    assert.equal(error.status, 401);
    assert.deepEqual(error.response.reason, ['Authentication Failed']);
  });

  test('usage errors exit 2: offline without a client id, no password source, no URL', async () => {
    const offline = await createAsReader(['--access-type', 'offline']);
    assert.equal(offline.status, 2);
    assert.match(offline.stderr, /--client-id/);

    const noPassword = await cli(['token', 'create', '--username', reader.username]);
    assert.equal(noPassword.status, 2);
    assert.match(noPassword.stderr, /--password-stdin/);

    const noUrl = await cli(['token', 'create', '--username', reader.username, '--password-stdin'], reader.password, {WAZO_AUTH_URL: ''});
    assert.equal(noUrl.status, 2);
    assert.match(noUrl.stderr, /--url/);
  });

  test('a daemon that cannot be reached exits 3', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const {port} = s.address() as {port: number};
        s.close(() => resolve(port));
      });
    });
    const r = await createAsReader(['--url', `http://127.0.0.1:${port}`]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
  });
});

describe('token show', () => {
  test('a table of the token, given as an argument or on stdin', async () => {
    const token = await readerToken();
    for (const r of [await cli(['token', 'show', token]), await cli(['token', 'show', '-'], `${token}\n`)]) {
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^token: ${token}$`, 'm'));
      assert.match(r.stdout, new RegExp(`^auth_id: ${reader.uuid}$`, 'm'));
    }
  });

  test('--format plain prints the ACL, one access a line; --json the API fields', async () => {
    const token = await readerToken();
    const plain = await cli(['token', 'show', '-', '--format', 'plain'], token);
    assert.equal(plain.stdout, 'confd.users.read\ncalld.#\n');
    const json = await cli(['token', 'show', '-', '--json'], token);
    assert.equal(JSON.parse(json.stdout).token, token);
  });

  test('an unknown token exits 1', async () => {
    const r = await cli(['token', 'show', UNKNOWN_TOKEN]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No such token/);
  });

  test('- with nothing on stdin is a usage error', async () => {
    const r = await cli(['token', 'show', '-'], '\n');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no token on standard input/);
  });

  test('no TOKEN is a usage error', async () => {
    assert.equal((await cli(['token', 'show'])).status, 2);
  });
});

describe('token check', () => {
  test('exit 0 when valid and every scope is granted', async () => {
    const token = await readerToken();
    const r = await cli(['token', 'check', token, '--scope', 'confd.users.read', '--scope', 'calld.calls.read']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^valid: true$/m);
    assert.match(r.stdout, /confd\.users\.read: true/);
  });

  test('--scope may come before TOKEN', async () => {
    const r = await cli(['token', 'check', '--scope', 'confd.users.read', await readerToken()]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('exit 1 when a scope is denied, naming only the denied scopes on stderr', async () => {
    const token = await readerToken();
    const r = await cli(['token', 'check', '-', '--scope', 'confd.users.read', '--scope', 'confd.users.delete', '--scope', 'auth.#'], token);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /does not grant confd\.users\.delete, auth\.#\n/);
    assert.doesNotMatch(r.stderr, /confd\.users\.read/);
  });

  test('exit 1 for an unknown token, which stderr does not repeat', async () => {
    const r = await cli(['token', 'check', '-', '--scope', 'confd.users.read'], UNKNOWN_TOKEN);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /invalid token/);
    assert.doesNotMatch(r.stderr, new RegExp(UNKNOWN_TOKEN));
  });

  test('--tenant: exit 0 for its own tenant, 1 for one it does not cover', async () => {
    const token = await client.tokens.create({username: reader.username, password: reader.password});
    const own = token.metadata.tenant_uuid;
    const branch = await client.tenants.create({name: 'check-branch'});
    const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
    await inBranch.users.create({username: 'branch-user', password: 'branch-pass'});
    await inBranch.close();
    const branchToken = (await client.tokens.create({username: 'branch-user', password: 'branch-pass'})).token;

    assert.equal((await cli(['token', 'check', '-', '--tenant', own], token.token)).status, 0);
    assert.equal((await cli(['token', 'check', '-', '--tenant', branch.uuid], token.token)).status, 0, 'a tenant below its own');
    const r = await cli(['token', 'check', '-', '--tenant', own], branchToken);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`does not cover tenant ${own}`));
  });

  test('--format plain prints nothing: the exit code answers', async () => {
    const r = await cli(['token', 'check', '-', '--format', 'plain', '--scope', 'calld.x'], await readerToken());
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('--json, valid and not', async () => {
    const token = await readerToken();
    const valid = await cli(['token', 'check', '-', '--json', '--scope', 'confd.users.read'], token);
    assert.equal(valid.status, 0);
    assert.deepEqual(JSON.parse(valid.stdout), {valid: true, scopes: {'confd.users.read': true}});
    const denied = await cli(['token', 'check', '-', '--json', '--scope', 'confd.users.read', '--scope', 'x.y'], token);
    assert.equal(denied.status, 1);
    assert.deepEqual(JSON.parse(denied.stdout).error, {
      message: 'the token does not grant x.y',
      exit_code: 1,
      valid: false,
      scopes: {'confd.users.read': true, 'x.y': false},
    });
  });
});

describe('token revoke', () => {
  test('revokes; nothing on stdout; revoking again is not found, exit 1', async () => {
    const token = await readerToken();
    const r = await cli(['token', 'revoke', '--yes', '-'], token);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /revoked/);
    assert.equal(await client.tokens.check(token), false);
    assert.equal((await cli(['token', 'check', token])).status, 1);
    const again = await cli(['token', 'revoke', '--yes', token]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^Error: not found: the daemon does not know this token/);
  });
});

describe('pipelines', () => {
  test('token create --format plain | token check - --scope X', async () => {
    const ok = await shell(
      'printf %s "$PASSWORD" | $BIN token create --username reader --password-stdin --format plain | $BIN token check - --scope confd.users.read --format plain',
      {PASSWORD: reader.password},
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, '');

    const denied = await shell(
      'printf %s "$PASSWORD" | $BIN token create --username reader --password-stdin --format plain | $BIN token check - --scope auth.users.delete',
      {PASSWORD: reader.password},
    );
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /does not grant auth\.users\.delete/);
  });

  test('create, show, revoke, check through a shell variable', async () => {
    const r = await shell(
      [
        'T=$(printf %s "$PASSWORD" | $BIN token create --username reader --password-stdin --format plain)',
        'printf %s "$T" | $BIN token show - --format plain',
        'printf %s "$T" | $BIN token revoke --yes -',
        'printf %s "$T" | $BIN token check - || echo "check exited $?"',
      ].join(' && '),
      {PASSWORD: reader.password},
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'confd.users.read\ncalld.#\ncheck exited 1\n');
  });
});

describe('over HTTPS with a self-signed certificate', () => {
  let https: HttpsDaemon;

  before(async () => {
    https = await startHttpsDaemon();
  });
  after(() => https.stop());

  test('refused without --insecure (exit 3), accepted with it; the URL may end in /0.1', async () => {
    const args = ['token', 'create', '--username', https.admin.username, '--password-stdin', '--format', 'plain', '--url', `${https.base}/0.1`];
    const refused = await cli(args, https.admin.password);
    assert.equal(refused.status, 3);
    assert.match(refused.stderr, /certificate is not trusted/);
    const accepted = await cli([...args, '--insecure'], https.admin.password);
    assert.equal(accepted.status, 0, accepted.stderr);
    const token = accepted.stdout.trim();
    assert.equal((await cli(['token', 'check', '-', '--insecure', '--url', https.base, '--scope', 'auth.users.read'], token)).status, 0);
  });
});
