// secrets.key: made at the first start, kept across restarts, and a daemon whose key is not the one
// that sealed the database's secrets refuses to start rather than fail every directory login.

import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
before(async () => {
  td = await startTestDaemon();
});
after(() => td?.stop());

test('a restart keeps the key and opens what it sealed; another key stops the start, naming the file', async () => {
  const path = join(td.dir, 'secrets.key');
  const key = readFileSync(path, 'utf8');
  const put = await td.call('PUT', '/0.1/backends/ldap', {
    token: td.admin.token,
    body: {
      host: 'ldap.example.com',
      port: 389,
      bind_dn: 'cn=svc',
      bind_password: 'kept secret',
      user_base_dn: 'dc=example',
      user_login_attribute: 'uid',
      user_email_attribute: 'mail',
    },
  });
  assert.equal(put.status, 200, put.text);
  const top = put.json.tenant_uuid;

  await td.restart();
  assert.equal(readFileSync(path, 'utf8'), key);
  const sealed = (await td.daemon.services.store.ldapConfigs.get(top))!.bindPasswordSealed!;
  assert.equal(td.daemon.services.secrets.open(sealed, `ldap_config.bind_password:${top}`), 'kept secret');

  writeFileSync(path, randomBytes(32).toString('hex') + '\n');
  await assert.rejects(td.restart(), /secrets\.key is not the key of the other daemons on this database/);
  writeFileSync(path, key);
  await td.restart();
  assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
});
