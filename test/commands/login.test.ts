// `wazo-auth login` through the built binary against a real daemon: what it keeps, where, and
// what it refuses.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {BIN, capture, newOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
const operators: Operator[] = [];

before(async () => {
  td = await startTestDaemon();
});
after(async () => {
  for (const operator of operators) operator.remove();
  await td.stop();
});

function operator(): Operator {
  const created = newOperator();
  operators.push(created);
  return created;
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): {path: string; text: string}[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return {path, text: readFileSync(path, 'utf8')};
    });
}

const refreshTokens = async () => (await td.call('GET', '/0.1/tokens', {token: td.admin.token})).json.items as {client_id: string}[];

async function logIn(op: Operator, extra: string[] = []) {
  return op.run(['login', '--url', td.url, '--username', 'admin', '--password-stdin', ...extra], {input: td.admin.password});
}

describe('login --insecure-storage', () => {
  test('keeps only the refresh token, in a file of mode 0600, and the password nowhere', async () => {
    const op = operator();
    const r = await logIn(op, ['--insecure-storage']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^Logged in to http:\/\/127\.0\.0\.1:\d+ as admin \(profile default\); refresh token kept in .*credentials\.json \(a file only you can read, not the OS keychain\)\.\n$/,
    );

    const file = join(op.configDir, 'credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(op.configDir).mode & 0o777, 0o700);
    for (const {path, text} of filesUnder(op.home)) assert.ok(!text.includes(td.admin.password), `the password is in ${path}`);

    const profile = JSON.parse(readFileSync(join(op.configDir, 'config.json'), 'utf8')).profiles.default;
    assert.equal(profile.url, td.url);
    assert.equal(profile.username, 'admin');
    assert.equal(profile.credentials, 'file');
    assert.match(profile.client_id, /^wazo-auth-cli-/);
    const secrets = JSON.parse(readFileSync(file, 'utf8'));
    const {refresh_token: refreshToken, access_token: accessToken, expires_at: expiresAt} = secrets[`default@${td.url}`];
    // the login's access token is kept for the next commands, with about an hour to live
    assert.equal((await td.call('HEAD', `/0.1/token/${accessToken}`)).status, 204);
    assert.ok(Math.abs(expiresAt - Date.now() - 3600_000) < 60_000, String(expiresAt));
    assert.ok(!readFileSync(join(op.configDir, 'config.json'), 'utf8').includes(refreshToken));

    // what was kept is a working refresh token of that client_id
    const grant = await td.call('POST', '/0.1/token', {body: {refresh_token: refreshToken, client_id: profile.client_id}});
    assert.equal(grant.status, 200);
    assert.equal(grant.json.data.auth_id, td.admin.uuid);
  });

  test('takes the URL as typed, with a trailing /0.1/, and answers JSON without the secret', async () => {
    const op = operator();
    const r = await op.run(['login', '--url', `${td.url}/0.1/`, '--username', 'admin', '--password-stdin', '--insecure-storage', '--json'], {
      input: td.admin.password,
    });
    assert.equal(r.status, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.url, td.url);
    assert.equal(answer.user_uuid, td.admin.uuid);
    assert.equal(answer.profile, 'default');
    assert.ok(!('refresh_token' in answer));
    const kept = Object.values(JSON.parse(readFileSync(join(op.configDir, 'credentials.json'), 'utf8')))[0] as Record<string, string>;
    for (const secret of [kept.refresh_token!, kept.access_token!]) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });

  test('logging the profile in again revokes the login it replaces', async () => {
    const op = operator();
    assert.equal((await logIn(op, ['--insecure-storage'])).status, 0);
    const first = JSON.parse(readFileSync(join(op.configDir, 'config.json'), 'utf8')).profiles.default.client_id;
    const first_ = JSON.parse(readFileSync(join(op.configDir, 'credentials.json'), 'utf8'))[`default@${td.url}`];
    const firstToken = first_.refresh_token;
    const again = await op.run(['login', '--password-stdin', '--insecure-storage'], {input: td.admin.password});
    assert.equal(again.status, 0, again.stderr);
    const second = JSON.parse(readFileSync(join(op.configDir, 'config.json'), 'utf8')).profiles.default.client_id;
    assert.notEqual(second, first);
    const clients = (await refreshTokens()).map((token) => token.client_id);
    assert.ok(clients.includes(second));
    assert.ok(!clients.includes(first));
    assert.equal((await td.call('POST', '/0.1/token', {body: {refresh_token: firstToken, client_id: first}})).status, 401);
    assert.equal((await td.call('HEAD', `/0.1/token/${first_.access_token}`)).status, 404, 'its access token is revoked too');
  });
});

describe('login refuses', () => {
  test('without a usable keychain: one line naming the two ways out, exit 4, and no refresh token left on the daemon', async () => {
    const before = (await refreshTokens()).length;
    const r = await logIn(operator());
    assert.equal(r.status, 4);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /^Error: no usable OS keychain \(.+\): log in with --insecure-storage .* or set WAZO_AUTH_TOKEN/);
    assert.equal((await refreshTokens()).length, before);
  });

  test('a wrong password: exit 4, and under --json the API error as the daemon sent it', async () => {
    const op = operator();
    const r = await op.run(['login', '--url', td.url, '--username', 'admin', '--password-stdin', '--insecure-storage', '--json'], {input: 'wrong'});
    assert.equal(r.status, 4);
    const {error} = JSON.parse(r.stdout);
    assert.equal(error.exit_code, 4);
    assert.equal(error.status, 401);
    assert.match(error.message, /refused the username or the password/);
    assert.ok(error.response && typeof error.response === 'object');
    assert.deepEqual(filesUnder(op.home), []);
  });

  test('no password source (stdin not a terminal, no --password-stdin) is a usage error', async () => {
    const r = await operator().run(['login', '--url', td.url, '--username', 'admin', '--insecure-storage']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--password-stdin/);
  });

  test('no username and none in the profile is a usage error', async () => {
    const r = await operator().run(['login', '--url', td.url, '--password-stdin'], {input: 'x'});
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--username/);
  });

  test('a daemon that does not answer: exit 3', async () => {
    const r = await operator().run(['login', '--url', 'http://127.0.0.1:1', '--username', 'admin', '--password-stdin', '--insecure-storage'], {input: 'x'});
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^Error: cannot reach http:\/\/127\.0\.0\.1:1: connection refused\n$/);
  });
});

const hasKeychain = ['dbus-run-session', 'gnome-keyring-daemon'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

describe('the OS keychain, for real: gnome-keyring on a private session bus', () => {
  test('login keeps the refresh token in the keychain (no file), the next command uses it, logout removes it', {
    skip: hasKeychain ? false : 'dbus-run-session or gnome-keyring-daemon is not installed (.ci/run installs them)',
  }, async () => {
    const op = operator();
    // Passwords through the environment, never argv; one session bus for the three commands.
    const script = [
      'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      `printf %s "$ADMIN_PASSWORD" | "$NODE" "$BIN" login --url "$URL" --username admin --password-stdin`,
      'echo "whoami: $("$NODE" "$BIN" whoami --format plain)"',
      // The kept access token serves every command: the same sessions before and after two more.
      'first=$("$NODE" "$BIN" session list --all --format plain | sort | tr "\\n" " ")',
      '"$NODE" "$BIN" whoami >/dev/null && "$NODE" "$BIN" user list >/dev/null',
      'second=$("$NODE" "$BIN" session list --all --format plain | sort | tr "\\n" " ")',
      'echo "sessions: $first| $second"',
      `ls "$XDG_CONFIG_HOME/wazo-auth"`,
      '"$NODE" "$BIN" logout',
      '"$NODE" "$BIN" whoami; echo "after logout: $?"',
    ].join(' && ');
    const env = {
      PATH: process.env.PATH!,
      HOME: op.home,
      XDG_CONFIG_HOME: join(op.home, '.config'),
      KEYRING_PASSWORD: 'keyring-test',
      ADMIN_PASSWORD: td.admin.password,
      NODE: process.execPath,
      BIN,
      URL: td.url,
    };
    const before = (await refreshTokens()).length;
    const sessionsBefore = (await td.call('GET', '/0.1/sessions', {token: td.admin.token})).json.items.length;
    const r = await capture('dbus-run-session', ['--', 'sh', '-c', script], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /refresh token kept in the OS keychain\./);
    assert.match(r.stdout, new RegExp(`^whoami: ${td.admin.uuid}$`, 'm'));
    const [first, second] = /^sessions: (.*)\| (.*)$/m.exec(r.stdout)!.slice(1);
    assert.ok(first, r.stdout);
    assert.equal(second, first, 'no new session: the access token kept in the keychain was reused');
    assert.match(r.stdout, /^config\.json$/m);
    assert.ok(!r.stdout.includes('credentials.json'));
    assert.match(r.stdout, /^after logout: 4$/m);
    for (const {path, text} of filesUnder(join(op.home, '.config'))) assert.ok(!text.includes(td.admin.password), path);
    assert.equal((await refreshTokens()).length, before, 'logout revoked the login on the daemon');
    const sessionsAfter = (await td.call('GET', '/0.1/sessions', {token: td.admin.token})).json.items.length;
    assert.equal(sessionsAfter, sessionsBefore, 'logout revoked the kept access token too');
  });
});
