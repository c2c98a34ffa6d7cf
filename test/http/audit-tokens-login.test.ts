// Logins as upstream's token and wazo_user backend suites see them: which authentication method a
// password may use, and what the log says about each attempt.

import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLogger} from '../../src/log.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let logDir: string;
let logFile: string;

before(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'wazo-auth-log-'));
  logFile = join(logDir, 'auth.log');
  td = await startTestDaemon({log: createLogger({level: 'info', file: logFile})});
});
after(async () => {
  await td.stop();
  await rm(logDir, {recursive: true, force: true});
});

const asAdmin = (method: string, path: string, body?: unknown, tenant?: string) =>
  td.call(method, path, {token: td.admin.token, body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const login = (username: string, password: string) =>
  td.call('POST', '/0.1/token', {body: {expiration: 60}, headers: {authorization: basic(username, password), 'user-agent': 'audit/1'}});

async function newTenant(defaultMethod: string): Promise<Record<string, unknown>> {
  const r = await asAdmin('POST', '/0.1/tenants', {name: `t-${defaultMethod}`, default_authentication_method: defaultMethod});
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function newUser(tenantUuid: string, username: string, authenticationMethod: string): Promise<Record<string, unknown>> {
  const r = await asAdmin('POST', '/0.1/users', {username, password: 'pw', authentication_method: authenticationMethod}, tenantUuid);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

describe('authentication methods', () => {
  test("a user on `default` follows its tenant's method: no password login while the tenant says saml", async () => {
    const tenant = await newTenant('saml');
    await newUser(tenant.uuid as string, 'follows-tenant', 'default');
    assert.equal((await login('follows-tenant', 'pw')).status, 401);

    const edited = await asAdmin('PUT', `/0.1/tenants/${tenant.uuid}`, {...tenant, default_authentication_method: 'native'});
    assert.equal(edited.status, 200, edited.text);
    assert.equal((await login('follows-tenant', 'pw')).status, 200);
  });

  test("a user's own method wins over its tenant's", async () => {
    const tenant = await newTenant('native');
    const user = await newUser(tenant.uuid as string, 'ldap-user', 'ldap');
    assert.equal((await login('ldap-user', 'pw')).status, 401);

    const edited = await asAdmin('PUT', `/0.1/users/${user.uuid}`, {...user, authentication_method: 'native'});
    assert.equal(edited.status, 200, edited.text);
    assert.equal((await login('ldap-user', 'pw')).status, 200);
  });
});

describe('the log of logins', () => {
  test('a failed login is logged at INFO with the login tried', async () => {
    await asAdmin('POST', '/0.1/users', {username: 'logged', password: 'right'});
    assert.equal((await login('logged', 'wrong')).status, 401);
    const log = await readFile(logFile, 'utf8');
    assert.match(log, /\(INFO\).*Failed login: "logged" from 127\.0\.0\.1 using agent "audit\/1"/);
    assert.doesNotMatch(log, /wrong/);
  });

  test('a successful login is logged at INFO with the login and only the end of the token', async () => {
    const r = await login('logged', 'right');
    assert.equal(r.status, 200);
    const token: string = r.json.data.token;
    const log = await readFile(logFile, 'utf8');
    assert.ok(log.includes(`Successful login: "logged" got token XXXXXXXX-XXXX-XXXX-XXXX-XXXX${token.slice(-8)} from 127.0.0.1`), log);
    assert.ok(!log.includes(token));
  });

  test('a login that would forge a log line is quoted', async () => {
    const r = await td.call('POST', '/0.1/token', {
      body: {},
      headers: {authorization: 'Basic ' + Buffer.from('evil\n(INFO) forged:pw').toString('base64')},
    });
    assert.equal(r.status, 401);
    assert.doesNotMatch(await readFile(logFile, 'utf8'), /^\(INFO\) forged/m);
  });
});
