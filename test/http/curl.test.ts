// The four curl lines of the wazo-auth documentation, verbatim but for the port, against a
// daemon serving HTTPS with a self-signed certificate under the /api/auth prefix.

import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {loadConfig} from '../../src/config/index.js';
import {startDaemon, type RunningDaemon} from '../../src/daemon/start.js';
import {createLogger} from '../../src/log.js';
import {ensureTopTenant} from '../../src/services/tenants.js';
import {createUser} from '../helpers/users.js';

const run = promisify(execFile);
let dir: string;
let daemon: RunningDaemon;

async function curl(line: string): Promise<string> {
  const {stdout} = await run('bash', ['-c', line], {timeout: 15_000});
  return stdout;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-curl-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    {stdio: 'ignore'},
  );
  writeFileSync(
    join(dir, 'config.yml'),
    [
      `data_dir: ${dir}`,
      `db_uri: sqlite://${join(dir, 'auth.db')}`,
      'rest_api:',
      '  listen: 127.0.0.1',
      '  port: 9497',
      '  prefix: /api/auth',
      `  certificate: ${join(dir, 'cert.pem')}`,
      `  private_key: ${join(dir, 'key.pem')}`,
      '',
    ].join('\n'),
  );
  const config = loadConfig({configFile: join(dir, 'config.yml'), env: {}});
  config.rest_api.port = 0;
  daemon = await startDaemon(config, {log: createLogger({level: 'critical'})});
  await ensureTopTenant(daemon.services.store);
  await createUser(daemon.services.store, {username: 'alice', password: 's3cre7', acl: ['confd.users.me.read']});
});

after(async () => {
  await daemon.stop();
  rmSync(dir, {recursive: true, force: true});
});

test('the documented curl lines work verbatim over HTTPS under /api/auth', async () => {
  const host = `localhost:${daemon.port}`;
  const created = JSON.parse(
    await curl(
      `curl -k -X POST -H 'Content-Type: application/json' -u 'alice:s3cre7' "https://${host}/api/auth/0.1/token" -d '{"backend": "wazo_user", "expiration": 600}'`,
    ),
  );
  const token: string = created.data.token;
  assert.match(token, /^[0-9a-f-]{36}$/);
  assert.deepEqual(created.data.acl, ['confd.users.me.read']);

  const head = await curl(`curl -k -i -X HEAD -H 'Content-Type: application/json' "https://${host}/api/auth/0.1/token/${token}"`);
  assert.match(head, /^HTTP\/1\.1 204 NO CONTENT\r\n/);
  assert.match(head, /Content-Type: application\/json/i);

  const shown = JSON.parse(await curl(`curl -k -X GET -H 'Content-Type: application/json' "https://${host}/api/auth/0.1/token/${token}"`));
  assert.equal(shown.data.token, token);
  assert.equal(shown.data.auth_id, created.data.auth_id);

  const deleted = JSON.parse(await curl(`curl -k -X DELETE -H 'Content-Type: application/json' "https://${host}/api/auth/0.1/token/${token}"`));
  assert.deepEqual(deleted, {data: {message: 'success'}});

  // -I, not -X HEAD: a 404 announces the length of the body it does not send, as upstream.
  const after = await curl(`curl -k -s -I "https://${host}/api/auth/0.1/token/${token}"`);
  assert.match(after, /^HTTP\/1\.1 404 NOT FOUND\r\n/);
});

test('outside the prefix there is nothing', async () => {
  const out = await curl(`curl -k -s -o /dev/null -w '%{http_code}' "https://localhost:${daemon.port}/0.1/token/00000000-0000-0000-0000-000000000000"`);
  assert.equal(out, '404');
});
