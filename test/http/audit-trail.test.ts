// The audit trail after real changes through the API: who, from where, in which tenant, what; the
// JSON lines file (mode 0600, reopened after a rotation); never a password, a token or a bind password.

import assert from 'node:assert/strict';
import {readFileSync, renameSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';

let td: TestDaemon;
let log: RecordingLog;
let file: string;
const SECRETS = ['user-pass-1', 'user-pass-2', 'bind-secret-9'];

before(async () => {
  log = recordingLog();
  // The file beside the data: startTestDaemon makes the folder, so a first daemon names it.
  td = await startTestDaemon({log, config: {audit: {file: null}}});
  file = join(td.dir, 'audit.jsonl');
  await td.restart({audit: {file}});
});
after(() => td.stop());

const records = () =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

test('each change is one record: who, from where, which tenant, what; the file is 0600', async () => {
  const token = td.admin.token;
  const policy = await td.call('POST', '/0.1/policies', {token, body: {name: 'audited', acl: ['auth.users.read']}});
  assert.equal(policy.status, 200, policy.text);
  await td.call('PUT', `/0.1/policies/${policy.json.uuid}`, {token, body: {name: 'audited', acl: []}});
  const user = await td.call('POST', '/0.1/users', {token, body: {username: 'audited-user', password: SECRETS[0]}});
  assert.equal(user.status, 200, user.text);
  const own = await td.login('audited-user', SECRETS[0]);
  const changed = await td.call('PUT', `/0.1/users/${user.json.uuid}/password`, {token, body: {old_password: SECRETS[0], new_password: SECRETS[1]}});
  assert.equal(changed.status, 204, changed.text);
  const ldap = await td.call('PUT', '/0.1/backends/ldap', {
    token,
    body: {
      host: 'ldap.example.com',
      port: 389,
      protocol_version: 3,
      protocol_security: null,
      user_email_attribute: 'mail',
      search_filters: null,
      user_base_dn: 'ou=people,dc=example,dc=com',
      user_login_attribute: 'uid',
      bind_dn: 'cn=search',
      bind_password: SECRETS[2],
    },
  });
  assert.equal(ldap.status, 200, ldap.text);
  const session = await td.login('audited-user', SECRETS[1]);
  assert.equal((await td.call('DELETE', `/0.1/token/${session.token}`)).status, 200);
  const group = await td.call('POST', '/0.1/groups', {token, body: {name: 'audited-group'}});
  assert.equal(group.status, 200, group.text);
  assert.equal((await td.call('PUT', `/0.1/groups/${group.json.uuid}/users/${user.json.uuid}`, {token})).status, 204);
  const other = await td.login('audited-user', SECRETS[1]);
  assert.equal((await td.call('DELETE', `/0.1/sessions/${other.session_uuid}`, {token})).status, 204);
  assert.equal((await td.call('DELETE', `/0.1/users/${user.json.uuid}`, {token})).status, 204);
  assert.equal((await td.call('PATCH', '/0.1/config', {token, body: [{op: 'replace', path: '/debug', value: false}]})).status, 200);

  assert.equal(statSync(file).mode & 0o777, 0o600);
  const all = records();
  const summary = all.map((r) => `${r.method} ${r.route} ${r.status}`);
  assert.deepEqual(summary, [
    'POST /0.1/policies 200',
    'PUT /0.1/policies/{policy_uuid} 200',
    'POST /0.1/users 200',
    'PUT /0.1/users/{user_uuid}/password 204',
    'PUT /0.1/backends/ldap 200',
    'DELETE /0.1/token/{token} 200',
    'POST /0.1/groups 200',
    'PUT /0.1/groups/{group_uuid}/users/{user_uuid} 204',
    'DELETE /0.1/sessions/{session_uuid} 204',
    'DELETE /0.1/users/{user_uuid} 204',
    'PATCH /0.1/config 200',
  ]);
  const [created, edited, newUser, password, ldapConfig, revoked] = all;
  const topTenant = td.admin.uuid && (await td.call('GET', '/0.1/tenants', {token})).json.items[0].uuid;
  assert.deepEqual(created.actor, {user_uuid: td.admin.uuid, session_uuid: created.actor.session_uuid, tenant_uuid: topTenant});
  assert.equal(created.remote_addr, '127.0.0.1');
  assert.equal(created.tenant_uuid, topTenant);
  // The body as validated: its defaults included.
  assert.deepEqual(created.fields, {name: 'audited', acl: ['auth.users.read'], shared: false});
  assert.equal(created.created_uuid, policy.json.uuid);
  assert.deepEqual(edited.params, {policy_uuid: policy.json.uuid});
  assert.deepEqual(edited.fields.acl, []);
  assert.deepEqual([newUser.fields.username, newUser.hidden], ['audited-user', ['password']]);
  assert.deepEqual(password.params, {user_uuid: user.json.uuid});
  assert.deepEqual(password.hidden, ['old_password', 'new_password']);
  assert.equal(ldapConfig.fields.bind_dn, 'cn=search');
  assert.ok(ldapConfig.hidden.includes('bind_password'));
  assert.deepEqual([revoked.actor, revoked.params], [null, {token: '(not shown)'}]);
  assert.match(Date.parse(created.time).toString(), /^\d+$/);

  const logged = log.at('info').filter((line) => line.startsWith('audit: '));
  assert.equal(logged.length, all.length);
  assert.match(
    logged[0]!,
    new RegExp(
      `^audit: user ${td.admin.uuid} \\(session [0-9a-f-]{36}\\) from 127\\.0\\.0\\.1 in tenant ${topTenant}: POST /0\\.1/policies; fields name, acl, shared -> 200 created ${policy.json.uuid}$`,
    ),
  );

  const everything = readFileSync(file, 'utf8') + log.lines.map((l) => l.message).join('\n');
  for (const secret of [...SECRETS, td.admin.password, token, own.token, session.token, other.token])
    assert.ok(!everything.includes(secret), 'a secret was recorded');
});

test('reads, logins and refused changes are not recorded', async () => {
  const before = records().length;
  await td.call('GET', '/0.1/users', {token: td.admin.token});
  await td.login('admin', td.admin.password);
  assert.equal((await td.call('POST', '/0.1/policies', {body: {name: 'anonymous', acl: []}})).status, 401);
  assert.equal(records().length, before);
});

test('after a rotation, a reopen (SIGHUP) starts a new 0600 file', async () => {
  renameSync(file, `${file}.1`);
  td.daemon.reopenLogs();
  assert.equal((await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'rotated'}})).status, 200);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(
    records().map((r) => r.route),
    ['/0.1/tenants'],
  );
});
