// GET|PUT|DELETE /0.1/backends/ldap and the /0.1/idp routes, as upstream's ldap_config and idp
// suites see them: fields, defaults, refusals, ACLs, tenant isolation, and a bind password that
// no answer and no byte of the database shows.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createTenant, createUser} from '../helpers/users.js';

let td: TestDaemon;
let top: string;
let tenantA: string;
let tenantB: string;
const tokens: Record<string, string> = {};

const SECRET = 'S3cr$t-bind-password-4f1c';
const valid = {
  host: 'localhost',
  port: 389,
  protocol_version: 3,
  protocol_security: null,
  bind_dn: 'uid=admin,ou=people,dc=wazo-platform,dc=io',
  bind_password: SECRET,
  user_base_dn: 'ou=people,dc=wazo-platform,dc=io',
  user_login_attribute: 'uid',
  user_email_attribute: 'mail',
  search_filters: '(&({user_login_attribute}={username})(objectClass=inetOrgPerson))',
};

const LDAP_ACL = ['auth.backends.ldap.read', 'auth.backends.ldap.update', 'auth.backends.ldap.delete'];

before(async () => {
  td = await startTestDaemon();
  td.admin.token = (await td.login(td.admin.username, td.admin.password)).token;
  const store = td.daemon.services.store;
  top = (await store.tenants.top())!.uuid;
  tenantA = await createTenant(store, top, 'tenant-a');
  tenantB = await createTenant(store, top, 'tenant-b');
  const acl = [...LDAP_ACL, 'auth.idp.#', 'auth.users.read'];
  await createUser(store, {username: 'admin-a', password: 'pa', acl, tenantUuid: tenantA});
  await createUser(store, {username: 'admin-b', password: 'pb', acl, tenantUuid: tenantB});
  await createUser(store, {username: 'nobody', password: 'pn', acl: ['auth.users.read'], tenantUuid: tenantA});
  for (const [name, password] of [
    ['admin-a', 'pa'],
    ['admin-b', 'pb'],
    ['nobody', 'pn'],
  ] as const)
    tokens[name] = (await td.login(name, password)).token;
});
after(() => td?.stop());

const as = (token: string, tenant?: string) => (method: string, path: string, body?: unknown) =>
  td.call(method, path, {token, body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const admin = (tenant?: string) => as(td.admin.token, tenant);

describe('GET|PUT|DELETE /0.1/backends/ldap', () => {
  test('GET without a configuration: every field null', async () => {
    const r = await admin()('GET', '/0.1/backends/ldap');
    assert.equal(r.status, 200);
    for (const field of [
      'host',
      'port',
      'protocol_version',
      'protocol_security',
      'bind_dn',
      'user_base_dn',
      'user_login_attribute',
      'user_email_attribute',
      'search_filters',
    ]) {
      assert.equal(r.json[field], null, field);
    }
    assert.equal('bind_password' in r.json, false);
  });

  test('PUT creates, answers the configuration without the password, and GET reads it back', async () => {
    const r = await admin()('PUT', '/0.1/backends/ldap', valid);
    assert.equal(r.status, 200, r.text);
    const {bind_password: _, ...shown} = valid;
    assert.deepEqual(r.json, {tenant_uuid: top, ...shown, ca_certificates: null});
    assert.deepEqual((await admin()('GET', '/0.1/backends/ldap')).json, r.json);
    assert.equal(r.text.includes(SECRET), false);
  });

  test('PUT with the required fields only: protocol_version 3, the rest null', async () => {
    const r = await admin(tenantB)('PUT', '/0.1/backends/ldap', {
      host: 'patate',
      port: 689,
      user_base_dn: 'ou=genses,dc=wazo-platform,dc=io',
      user_login_attribute: 'cn',
      user_email_attribute: 'email',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.tenant_uuid, tenantB);
    assert.equal(r.json.protocol_version, 3);
    assert.equal(r.json.protocol_security, null);
    assert.equal(r.json.bind_dn, null);
    assert.equal((await admin(tenantB)('DELETE', '/0.1/backends/ldap')).status, 204);
  });

  test('PUT over a configuration replaces what it gives, keeps the bind password it does not give', async () => {
    await admin(tenantA)('PUT', '/0.1/backends/ldap', valid);
    const {bind_password: _, ...withoutPassword} = valid;
    const r = await admin(tenantA)('PUT', '/0.1/backends/ldap', {...withoutPassword, host: 'other', protocol_security: 'ldaps', port: 636});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.host, 'other');
    assert.equal(r.json.protocol_security, 'ldaps');
    const stored = await td.daemon.services.store.ldapConfigs.get(tenantA);
    assert.ok(stored?.bindPasswordSealed?.startsWith('v1:'));
    assert.equal((await admin(tenantA)('PUT', '/0.1/backends/ldap', {...withoutPassword, bind_password: null})).status, 200);
    assert.equal((await td.daemon.services.store.ldapConfigs.get(tenantA))?.bindPasswordSealed, null);
  });

  test("upstream's invalid bodies are 400, naming the field", async () => {
    const invalid: Record<string, unknown>[] = [
      {host: 1},
      {host: true},
      {host: 'a'.repeat(513)},
      {host: []},
      {host: {}},
      {host: null},
      {port: true},
      {port: 'a'.repeat(513)},
      {port: []},
      {port: {}},
      {port: null},
      {port: 70000},
      {protocol_version: 'patate'},
      {protocol_version: true},
      {protocol_version: []},
      {protocol_version: {}},
      {protocol_version: 4},
      {protocol_security: 'patate'},
      {protocol_security: true},
      {protocol_security: []},
      {protocol_security: {}},
      {bind_dn: 1},
      {bind_dn: true},
      {bind_dn: 'a'.repeat(257)},
      {bind_dn: []},
      {bind_dn: {}},
      {bind_password: 1},
      {bind_password: true},
      {bind_password: []},
      {bind_password: {}},
      {user_base_dn: 1},
      {user_base_dn: 'a'.repeat(257)},
      {user_base_dn: true},
      {user_base_dn: []},
      {user_base_dn: {}},
      {user_login_attribute: 1},
      {user_login_attribute: true},
      {user_login_attribute: 'a'.repeat(65)},
      {user_login_attribute: []},
      {user_email_attribute: 1},
      {user_email_attribute: true},
      {user_email_attribute: 'a'.repeat(65)},
      {user_email_attribute: {}},
      {search_filters: 1},
      {search_filters: true},
      {search_filters: []},
      {search_filters: {}},
      {search_filters: '(&(uid={username})'},
      {ca_certificates: 'not a certificate'},
      {ca_certificates: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'},
    ];
    for (const change of invalid) {
      const r = await admin(tenantB)('PUT', '/0.1/backends/ldap', {...valid, ...change});
      assert.equal(r.status, 400, JSON.stringify(change));
      assert.deepEqual(r.json.reason, [`Invalid value supplied for field: ${Object.keys(change)[0]}`], JSON.stringify(change));
    }
    const missing = await admin(tenantB)('PUT', '/0.1/backends/ldap', {host: 'h', port: 389});
    assert.equal(missing.status, 400);
    assert.equal((await admin(tenantB)('GET', '/0.1/backends/ldap')).json.host, null, 'nothing was written');
  });

  test('DELETE answers 204, with or without a configuration', async () => {
    await admin(tenantB)('PUT', '/0.1/backends/ldap', valid);
    assert.equal((await admin(tenantB)('DELETE', '/0.1/backends/ldap')).status, 204);
    assert.equal((await admin(tenantB)('DELETE', '/0.1/backends/ldap')).status, 204);
    assert.equal((await admin(tenantB)('GET', '/0.1/backends/ldap')).json.host, null);
  });

  test("each ACL opens its method; a tenant's administrator cannot read or change another tenant's directory", async () => {
    await admin(tenantA)('PUT', '/0.1/backends/ldap', {...valid, host: 'a.example'});
    await admin(tenantB)('PUT', '/0.1/backends/ldap', {...valid, host: 'b.example'});
    const a = as(tokens['admin-a']!);
    assert.equal((await a('GET', '/0.1/backends/ldap')).json.host, 'a.example');
    for (const [method, body] of [['GET'], ['PUT', {...valid, host: 'stolen'}], ['DELETE']] as const) {
      const r = await as(tokens['admin-a']!, tenantB)(method, '/0.1/backends/ldap', body);
      assert.equal(r.status, 401, `${method} ${r.text}`);
      assert.equal((await as(tokens['nobody']!)(method, '/0.1/backends/ldap', body)).status, 401, method);
      assert.equal((await td.call(method, '/0.1/backends/ldap', {body})).status, 401, method);
    }
    assert.equal((await admin(tenantB)('GET', '/0.1/backends/ldap')).json.host, 'b.example', "B's is as it was");
    assert.equal((await as(tokens['admin-a']!, top)('GET', '/0.1/backends/ldap')).status, 401, "nor its parent's");
    assert.equal((await as(tokens['admin-b']!)('PUT', '/0.1/backends/ldap', {...valid, host: 'b2.example'})).json.tenant_uuid, tenantB);
  });

  test('the bind password is sealed: not in the database, not in the key file, only under secrets.key', async () => {
    await admin(tenantA)('PUT', '/0.1/backends/ldap', valid);
    const text = await td.databaseText();
    assert.equal(text.includes(SECRET), false, 'the database holds no clear bind password');
    assert.equal(text.includes(Buffer.from(SECRET).toString('base64')), false);
    const keyFile = join(td.dir, 'secrets.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\n$/);
    const sealed = (await td.daemon.services.store.ldapConfigs.get(tenantA))!.bindPasswordSealed!;
    assert.equal(td.daemon.services.secrets.open(sealed, `ldap_config.bind_password:${tenantA}`), SECRET);
    assert.throws(() => td.daemon.services.secrets.open(sealed, `ldap_config.bind_password:${tenantB}`), /does not open/);
  });

  test("a tenant's configuration goes with the tenant", async () => {
    const doomed = await createTenant(td.daemon.services.store, top, 'doomed');
    await admin(doomed)('PUT', '/0.1/backends/ldap', valid);
    assert.equal((await admin()('DELETE', `/0.1/tenants/${doomed}`)).status, 204);
    assert.equal(await td.daemon.services.store.ldapConfigs.get(doomed), undefined);
  });
});

describe('/0.1/idp', () => {
  test('GET lists the loaded methods and default', async () => {
    const r = await admin()('GET', '/0.1/idp');
    assert.equal(r.status, 200);
    // saml is loaded by default too, as upstream.
    assert.deepEqual(r.json, {total: 4, filtered: 4, items: ['default', 'ldap', 'native', 'saml']});
    assert.equal((await as(tokens['nobody']!)('GET', '/0.1/idp')).status, 401);
  });

  test('PUT and DELETE /idp/{type}/users/{uuid} assign a user of the subtree; others are 404', async () => {
    const store = td.daemon.services.store;
    const mine = await createUser(store, {username: 'idp-a', tenantUuid: tenantA});
    const theirs = await createUser(store, {username: 'idp-b', tenantUuid: tenantB});
    const a = as(tokens['admin-a']!);
    assert.equal((await a('PUT', `/0.1/idp/ldap/users/${mine}`)).status, 204);
    assert.equal((await store.users.get(mine))?.authenticationMethod, 'ldap');
    assert.equal((await a('DELETE', `/0.1/idp/native/users/${mine}`)).status, 204, 'another method: nothing changes');
    assert.equal((await store.users.get(mine))?.authenticationMethod, 'ldap');
    assert.equal((await a('DELETE', `/0.1/idp/ldap/users/${mine}`)).status, 204);
    assert.equal((await store.users.get(mine))?.authenticationMethod, 'default');

    const unknownType = await a('PUT', `/0.1/idp/unknown/users/${mine}`);
    assert.equal(unknownType.status, 404);
    assert.equal(unknownType.json.error_id, 'unknown-idp-type');
    assert.equal((await a('PUT', `/0.1/idp/ldap/users/${randomUUID()}`)).status, 404);
    for (const method of ['PUT', 'DELETE']) {
      const r = await a(method, `/0.1/idp/ldap/users/${theirs}`);
      assert.equal(r.status, 404, method);
      assert.equal(r.json.error_id, 'unknown-user');
    }
    assert.equal((await store.users.get(theirs))?.authenticationMethod, 'default');
    assert.equal((await as(tokens['nobody']!)('PUT', `/0.1/idp/ldap/users/${mine}`)).status, 401);
  });

  test('PUT /idp/{type}/users assigns all or none', async () => {
    const store = td.daemon.services.store;
    const one = await createUser(store, {username: 'bulk-1', tenantUuid: tenantA});
    const two = await createUser(store, {username: 'bulk-2', tenantUuid: tenantA});
    const theirs = await createUser(store, {username: 'bulk-b', tenantUuid: tenantB});
    const a = as(tokens['admin-a']!);
    assert.equal((await a('PUT', '/0.1/idp/ldap/users', {users: [one]})).status, 400);
    assert.equal((await a('PUT', '/0.1/idp/ldap/users', [{uuid: one}])).status, 400);
    assert.equal((await a('PUT', '/0.1/idp/unknown/users', {users: [{uuid: one}]})).status, 404);
    assert.equal((await a('PUT', '/0.1/idp/ldap/users', {users: [{uuid: one}, {uuid: theirs}]})).status, 404);
    assert.equal((await store.users.get(one))?.authenticationMethod, 'default', 'none assigned');
    assert.equal((await a('PUT', '/0.1/idp/ldap/users', {users: [{uuid: one}, {uuid: two}]})).status, 204);
    assert.equal((await store.users.get(two))?.authenticationMethod, 'ldap');
  });
});
