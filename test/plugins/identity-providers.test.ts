// Identity providers as upstream picks them: a refresh token first, else the enabled idp_plugins by
// ascending priority, else native; a login stands only through the provider of the user's
// effective authentication method, and its backend decides the policy and the metadata.

import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

const DIRECTORY = join(import.meta.dirname, 'fixtures', 'directory');
const SECRET = 'directory-secret';

/** The two providers' switches; null: disabled. The built-in ldap provider is off: these serve its method. */
const directories = (a: number | null, b: number | null) => ({
  ldap: {enabled: false, priority: 2},
  directory_a: {enabled: a !== null, priority: a ?? 0},
  directory_b: {enabled: b !== null, priority: b ?? 0},
});

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon({
    config: {
      plugin_packages: {[DIRECTORY]: true},
      enabled_backend_plugins: {directory_a: true, directory_b: true},
      idp_plugins: directories(5, 3),
      backend_policies: {directory_b: 'directory-b-policy'},
    },
  });
  const policy = await asAdmin('POST', '/0.1/policies', {name: 'directory-b-policy', acl: ['directory.b.#']});
  assert.equal(policy.status, 200, policy.text);
});
after(() => td.stop());

/** The daemon again, with these priorities over upstream's saml and ldap switches. */
const restartWith = (a: number | null, b: number | null) => td.restart({idp_plugins: {...td.config.idp_plugins, ...directories(a, b)}});

const asAdmin = (method: string, path: string, body?: unknown, tenant?: string) =>
  td.call(method, path, {token: td.admin.token, body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const login = (username: string, password: string, body: Record<string, unknown> = {}) =>
  td.call('POST', '/0.1/token', {body, headers: {authorization: basic(username, password)}});

async function newUser(fields: Record<string, unknown>, tenant?: string): Promise<Record<string, unknown>> {
  const r = await asAdmin('POST', '/0.1/users', fields, tenant);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test("GET /backends lists the loaded backends: the package's, enabled, and the built-in ldap_user and wazo_user", async () => {
  const r = await td.call('GET', '/0.1/backends');
  assert.equal(r.status, 200);
  assert.deepEqual([...r.json.data].sort(), ['directory_a', 'directory_b', 'ldap_user', 'wazo_user']);
});

describe('priority', () => {
  before(() => newUser({username: 'dora@directory', authentication_method: 'ldap'}));

  test('of two providers taking the request, the lower priority number judges it, and its backend gives the policy', async () => {
    const r = await login('dora@directory', SECRET);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.metadata.directory, 'b');
    assert.deepEqual(r.json.data.acl, ['directory.b.#']);
  });

  test("a refresh token goes through the backend of the provider of the user's method", async () => {
    const offline = await login('dora@directory', SECRET, {access_type: 'offline', client_id: 'dora-phone'});
    assert.equal(offline.status, 200, offline.text);
    const refreshed = await td.call('POST', '/0.1/token', {body: {refresh_token: offline.json.data.refresh_token, client_id: 'dora-phone'}});
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.json.data.metadata.directory, 'b');
    assert.deepEqual(refreshed.json.data.acl, ['directory.b.#']);
  });

  test('swapped priorities swap the provider; a disabled provider is never asked', async () => {
    try {
      await restartWith(1, 3);
      assert.equal((await login('dora@directory', SECRET)).json.data.metadata.directory, 'a');
      await restartWith(1, null);
      assert.equal((await login('dora@directory', SECRET)).json.data.metadata.directory, 'a');
      await restartWith(null, 7);
      assert.equal((await login('dora@directory', SECRET)).json.data.metadata.directory, 'b');
    } finally {
      await restartWith(5, 3);
    }
  });

  test('without any ldap provider, the user can use neither a password nor its refresh token', async () => {
    const offline = await login('dora@directory', SECRET, {access_type: 'offline', client_id: 'dora-laptop'});
    try {
      await restartWith(null, null);
      assert.equal((await login('dora@directory', SECRET)).status, 401);
      const refreshed = await td.call('POST', '/0.1/token', {body: {refresh_token: offline.json.data.refresh_token, client_id: 'dora-laptop'}});
      assert.equal(refreshed.status, 401);
    } finally {
      await restartWith(5, 3);
    }
  });
});

describe("the user's effective authentication method", () => {
  test('a native user is refused by a provider of ldap, even with the right password for either', async () => {
    await newUser({username: 'nate@directory', password: 'pw', authentication_method: 'native'});
    assert.equal((await login('nate@directory', SECRET)).status, 401);
    assert.equal((await login('nate@directory', 'pw')).status, 401);
  });

  test('a user on `default` in a tenant whose default is ldap logs in through the ldap provider', async () => {
    const tenant = await asAdmin('POST', '/0.1/tenants', {name: 'ldap-tenant', default_authentication_method: 'ldap'});
    assert.equal(tenant.status, 200, tenant.text);
    await newUser({username: 'tina@directory', authentication_method: 'default'}, tenant.json.uuid);
    const r = await login('tina@directory', SECRET);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.metadata.tenant_uuid, tenant.json.uuid);
  });

  test('a saml user is refused by the ldap provider; a login no provider takes goes to native', async () => {
    await newUser({username: 'sara@directory', authentication_method: 'saml'});
    assert.equal((await login('sara@directory', SECRET)).status, 401);
    await newUser({username: 'plain', password: 'pw', authentication_method: 'native'});
    const r = await login('plain', 'pw');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.metadata.directory, undefined);
    assert.equal(r.json.data.metadata.purpose, 'user');
  });

  test('a refused login through a provider counts as a failed login', async () => {
    await newUser({username: 'tries@directory', authentication_method: 'ldap'});
    for (let i = 0; i < 5; i += 1) assert.equal((await login('tries@directory', 'wrong')).status, 401);
    const r = await login('tries@directory', SECRET);
    assert.equal(r.status, 429, 'the sixth attempt waits, even with the right secret');
  });
});

describe('with no provider of ldap or saml loaded (the built-in ldap switched off)', () => {
  let plain: TestDaemon;
  before(async () => {
    plain = await startTestDaemon({config: {idp_plugins: {ldap: {enabled: false, priority: 2}}}});
  });
  after(() => plain.stop());

  test('users of ldap or saml cannot log in with a password; a native user whose method changes loses its refresh token', async () => {
    const create = (username: string, method: string) =>
      plain.call('POST', '/0.1/users', {token: plain.admin.token, body: {username, password: 'pw', authentication_method: method}});
    for (const method of ['ldap', 'saml']) {
      assert.equal((await create(`by-${method}`, method)).status, 200);
      const r = await plain.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(`by-${method}`, 'pw')}});
      assert.equal(r.status, 401, method);
    }
    const user = (await create('moving', 'native')).json;
    const offline = await plain.login('moving', 'pw', {access_type: 'offline', client_id: 'c'});
    const grant = {body: {refresh_token: offline.refresh_token, client_id: 'c'}};
    assert.equal((await plain.call('POST', '/0.1/token', grant)).status, 200);
    const moved = await plain.call('PUT', `/0.1/users/${user.uuid}`, {token: plain.admin.token, body: {...user, authentication_method: 'ldap'}});
    assert.equal(moved.status, 200, moved.text);
    assert.equal((await plain.call('POST', '/0.1/token', grant)).status, 401);
  });
});
