// wazo-auth-cli's habits, in-process against a real daemon: a token given with --token, uuids
// chosen at creation, token create from a refresh token (and the old tool's option spellings),
// durations as people write them, global options before the command, and a wazo-auth-cli
// configuration folder as the source of the daemon and the credentials.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {newOperator, type Operator} from './binary.js';

let td: TestDaemon;
let op: Operator;
let client: AuthClient;
let folders: string;

const lifetime = (token: {utc_issued_at: string; utc_expires_at: string}) => (Date.parse(token.utc_expires_at) - Date.parse(token.utc_issued_at)) / 1000;

before(async () => {
  td = await startTestDaemon();
  op = newOperator();
  client = new AuthClient({url: td.url, token: td.admin.token});
  folders = mkdtempSync(join(tmpdir(), 'wazo-auth-cli-config-'));
});

after(async () => {
  rmSync(folders, {recursive: true, force: true});
  await client.close();
  op.remove();
  await td.stop();
});

test('--token uses the token given, with no login; before the command too, as wazo-auth-cli scripts write it', async () => {
  const after = await op.run(['whoami', '--url', td.url, '--token', td.admin.token, '--format', 'plain']);
  assert.equal(after.status, 0, after.stderr);
  assert.equal(after.stdout, `${td.admin.uuid}\n`);
  const before = await op.run(['--token', td.admin.token, '--url', td.url, 'user', 'show', 'admin', '--format', 'plain']);
  assert.equal(before.status, 0, before.stderr);
  assert.equal(before.stdout, `${td.admin.uuid}\n`);
});

test('user create --uuid and tenant create --uuid keep the uuid other services already know', async () => {
  const env = {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token};
  const tenantUuid = randomUUID();
  const tenant = await op.run(['tenant', 'create', 'Known', '--uuid', tenantUuid, '--format', 'plain'], {env});
  assert.equal(tenant.status, 0, tenant.stderr);
  assert.equal(tenant.stdout, `${tenantUuid}\n`);
  const userUuid = randomUUID();
  const user = await op.run(['user', 'create', 'known', '--uuid', userUuid, '--tenant', tenantUuid, '--no-password', '--format', 'plain'], {env});
  assert.equal(user.status, 0, user.stderr);
  assert.equal(user.stdout, `${userUuid}\n`);
  assert.equal((await client.users.get(userUuid)).tenant_uuid, tenantUuid);
  const again = await op.run(['user', 'create', 'other', '--uuid', userUuid, '--no-password'], {env});
  assert.equal(again.status, 1);
});

describe('token create from a refresh token', () => {
  test('--refresh-token - reads it from stdin; --expiration takes 10m; a wrong one exits 4', async () => {
    const offline = await td.login('admin', td.admin.password, {access_type: 'offline', client_id: 'compat-phone'});
    const r = await op.run(['token', 'create', '--url', td.url, '--refresh-token', '-', '--client-id', 'compat-phone', '--expiration', '10m', '--json'], {
      input: offline.refresh_token,
    });
    assert.equal(r.status, 0, r.stderr);
    const token = JSON.parse(r.stdout);
    assert.equal(token.auth_id, td.admin.uuid);
    assert.equal(lifetime(token), 600);
    assert.equal(await client.tokens.check(token.token), true);

    const wrong = await op.run(['token', 'create', '--url', td.url, '--refresh-token', randomUUID(), '--client-id', 'compat-phone']);
    assert.equal(wrong.status, 4);
    assert.match(wrong.stderr, /^Error: .* refused the refresh token for client compat-phone/);
    const noClient = await op.run(['token', 'create', '--url', td.url, '--refresh-token', 'x']);
    assert.equal(noClient.status, 2);
  });

  test("wazo-auth-cli's spellings: --refresh_token, --client_id, --mobile; a duration in hours", async () => {
    const offline = await td.login('admin', td.admin.password, {access_type: 'offline', client_id: 'compat-old'});
    const r = await op.run([
      'token',
      'create',
      '--url',
      td.url,
      '--refresh_token',
      offline.refresh_token,
      '--client_id',
      'compat-old',
      '--mobile',
      '--expiration',
      '2h',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const token = JSON.parse(r.stdout);
    assert.equal(lifetime(token), 7200);
    const sessions = (await client.users.listSessions(td.admin.uuid)).items as {uuid: string; mobile: boolean}[];
    assert.equal(sessions.find((session) => session.uuid === token.session_uuid)?.mobile, true);
    const bad = await op.run(['token', 'create', '--url', td.url, '--username', 'admin', '--password-stdin', '--expiration', '10 minutes'], {input: 'x'});
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'Error: --expiration: not a duration: "10 minutes"; use seconds (600) or 10m, 2h, 1d, 1h30m\n');
  });
});

describe('a wazo-auth-cli configuration folder (--config, WAZO_AUTH_CLI_CONFIG)', () => {
  /** A folder as wazo-auth-cli's packages leave it: config.yml, conf.d/, and the credentials file of wazo-auth-bootstrap. */
  function folder(credentials: string): string {
    const dir = mkdtempSync(join(folders, 'etc-'));
    const {hostname, port} = new URL(td.url);
    writeFileSync(join(dir, 'config.yml'), 'extra_config_files: conf.d\nauth:\n  host: localhost\n  port: 9497\n  https: false\n');
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '010-host.yml'), `auth:\n  host: ${hostname}\n  port: 1\n`);
    writeFileSync(join(dir, 'conf.d', '020-port.yml'), `auth:\n  port: ${port}\n`);
    writeFileSync(join(dir, '050-credentials.yml'), credentials, {mode: 0o600});
    return dir;
  }

  test('the daemon and the credentials come from it; the token of the command is revoked at its end', async () => {
    const dir = folder(`auth:\n  username: admin\n  password: "${td.admin.password}"\n  backend: wazo_user\n`);
    const before = (await client.users.listSessions(td.admin.uuid)).total;
    const r = await op.run(['--config', dir, 'user', 'show', 'admin', '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${td.admin.uuid}\n`);
    const fromEnv = await op.run(['whoami', '--format', 'plain'], {env: {WAZO_AUTH_CLI_CONFIG: dir}});
    assert.equal(fromEnv.status, 0, fromEnv.stderr);
    assert.equal(fromEnv.stdout, `${td.admin.uuid}\n`);
    assert.equal((await client.users.listSessions(td.admin.uuid)).total, before, 'each command revoked its token');
    assert.equal((await op.run(['status', '--config', dir, '--format', 'plain'])).stdout, 'ok\n');
  });

  test('credentials it holds that the daemon refuses: exit 4 naming the folder; no folder: exit 2', async () => {
    const dir = folder('auth:\n  username: admin\n  password: wrong\n');
    const r = await op.run(['user', 'list', '--config', dir]);
    assert.equal(r.status, 4);
    assert.match(r.stderr, new RegExp(`refused the credentials of ${dir}`));
    const none = await op.run(['user', 'list', '--config', join(folders, 'nowhere')]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no such folder/);
  });
});
