// Logins against real OpenLDAP directories (test/helpers/slapd.ts): upstream's ldap_user cases
// (by domain name and by tenant id, wrong password, entries without an address or without a wazo
// user, search filters, two tenants with two directories), filter injection, ldaps and StartTLS
// against a test CA, and a directory that stops or hangs mid-run.

import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLogger} from '../../src/log.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {slapdSkip, startSlapd, type Slapd} from '../helpers/slapd.js';

const skip = slapdSkip();
if (skip) console.log(`# skipped: the LDAP login tests need slapd: ${skip}`);

const alice = {uid: 'alice', cn: 'Alice Liddell', mail: 'Alice@Acme.example', password: 'white rabbit', attributes: {employeeType: 'human'}};
const carol = {uid: 'carol', cn: 'Carol Robot', mail: 'carol@acme.example', password: 'beep boop', attributes: {employeeType: 'robot'}};
const humpty = {uid: 'humpty', cn: 'Humpty Dumpty', password: 'great fall', attributes: {employeeType: 'human'}};
const zed = {uid: 'zed', cn: 'Zed Nobody', mail: 'zed@acme.example', password: 'no wazo user', attributes: {employeeType: 'human'}};
const nat = {uid: 'nat', cn: 'Nat Native', mail: 'nat@acme.example', password: 'directory pw', attributes: {employeeType: 'human'}};
// Two entries with one surname: a login by sn is ambiguous.
const twin1 = {uid: 'twin1', cn: 'Twin One', sn: 'Twin', mail: 'twin1@acme.example', password: 'first twin'};
const twin2 = {uid: 'twin2', cn: 'Twin Two', sn: 'Twin', mail: 'twin2@acme.example', password: 'second twin'};
const bob = {uid: 'bob', cn: 'Bob Builder', mail: 'bob@beta.example', password: 'can we fix it'};

let td: TestDaemon;
let acme: Slapd;
let beta: Slapd;
let elsewhere: Slapd;
let logDir: string;
let tenantA: Record<string, any>;
let tenantB: Record<string, any>;
const uuids: Record<string, string> = {};

const asAdmin = (method: string, path: string, body?: unknown, tenant?: string) =>
  td.call(method, path, {token: td.admin.token, body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const login = (username: string, password: string, body: Record<string, unknown> = {}) =>
  td.call('POST', '/0.1/token', {body: {expiration: 60, ...body}, headers: {authorization: basic(username, password)}});
const logText = () => readFile(join(logDir, 'auth.log'), 'utf8');

function directoryOf(slapd: Slapd, fields: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port: slapd.port,
    bind_dn: slapd.bindDn,
    bind_password: slapd.bindPassword,
    user_base_dn: slapd.peopleDn,
    user_login_attribute: 'uid',
    user_email_attribute: 'mail',
    // A PUT keeps the optional fields it leaves out, as upstream's: each test says them all.
    protocol_security: null,
    search_filters: null,
    ca_certificates: null,
    ...fields,
  };
}

async function configure(tenant: string, body: Record<string, unknown>): Promise<void> {
  const r = await asAdmin('PUT', '/0.1/backends/ldap', body, tenant);
  assert.equal(r.status, 200, r.text);
}

async function newUser(tenant: string, fields: Record<string, unknown>): Promise<string> {
  const r = await asAdmin('POST', '/0.1/users', fields, tenant);
  assert.equal(r.status, 200, r.text);
  return r.json.uuid;
}

describe('LDAP logins', {skip}, () => {
  before(async () => {
    [acme, beta, elsewhere] = await Promise.all([
      startSlapd({baseDn: 'dc=acme,dc=example', users: [alice, carol, humpty, zed, nat, twin1, twin2]}),
      startSlapd({baseDn: 'dc=beta,dc=example', users: [bob]}),
      startSlapd({baseDn: 'dc=acme,dc=example', users: [alice], certificate: 'other-name'}),
    ]);
    logDir = await mkdtemp(join(tmpdir(), 'wazo-auth-ldap-log-'));
    // Many refusals from one address on purpose: login throttling would answer 429 instead.
    td = await startTestDaemon({config: {login_throttle: {enabled: false}}, log: createLogger({level: 'debug', file: join(logDir, 'auth.log')})});
    td.admin.token = (await td.login(td.admin.username, td.admin.password)).token;
    tenantA = (
      await asAdmin('POST', '/0.1/tenants', {
        name: 'Acme',
        slug: 'acme',
        domain_names: ['acme.example', 'cust-42.myclients.com'],
        default_authentication_method: 'ldap',
      })
    ).json;
    tenantB = (await asAdmin('POST', '/0.1/tenants', {name: 'Beta', slug: 'beta', domain_names: ['beta.example'], default_authentication_method: 'ldap'})).json;
    uuids.alice = await newUser(tenantA.uuid, {username: 'alice-wazo', email_address: 'alice@acme.example'});
    uuids.carol = await newUser(tenantA.uuid, {username: 'carol-wazo', email_address: 'carol@acme.example'});
    uuids.humpty = await newUser(tenantA.uuid, {username: 'humpty-wazo', email_address: 'humpty@acme.example'});
    uuids.nat = await newUser(tenantA.uuid, {username: 'nat', password: 'native pw', email_address: 'nat@acme.example', authentication_method: 'native'});
    uuids.bob = await newUser(tenantB.uuid, {username: 'bob-wazo', email_address: 'bob@beta.example'});
    await configure(tenantA.uuid, directoryOf(acme));
    await configure(tenantB.uuid, directoryOf(beta));
  });
  after(async () => {
    await td?.stop();
    await Promise.all([acme?.close(), beta?.close(), elsewhere?.close()]);
    if (logDir)
      if (!process.env.KEEP_LOG) await rm(logDir, {recursive: true, force: true});
      else console.log(logDir);
  });

  test("by domain name (any case): the token is the wazo user's with the entry's address", async () => {
    for (const domain_name of ['acme.example', 'CUST-42.myclients.com']) {
      const r = await login('alice', alice.password, {domain_name});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.data.auth_id, uuids.alice);
      assert.equal(r.json.data.metadata.uuid, uuids.alice);
      assert.equal(r.json.data.metadata.tenant_uuid, tenantA.uuid);
    }
  });

  test('by tenant_id, its uuid or its slug', async () => {
    for (const tenant_id of [tenantA.uuid, 'acme']) {
      const r = await login('alice', alice.password, {tenant_id});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.data.auth_id, uuids.alice);
    }
  });

  test("upstream's refusals: unknown domain 401, unknown tenant_id 404, both fields 400", async () => {
    assert.equal((await login('alice', alice.password, {domain_name: 'nowhere.example'})).status, 401);
    const unknown = await login('alice', alice.password, {tenant_id: 'no-such-tenant'});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_id, 'unknown-tenant');
    assert.equal((await login('alice', alice.password, {domain_name: 'acme.example', tenant_id: 'acme'})).status, 400);
  });

  test('a wrong password, an unknown login, an entry without an address, an entry without a wazo user: 401', async () => {
    assert.equal((await login('alice', 'wrong password', {domain_name: 'acme.example'})).status, 401);
    assert.equal((await login('nobody', 'whatever', {domain_name: 'acme.example'})).status, 401);
    assert.equal((await login('humpty', humpty.password, {domain_name: 'acme.example'})).status, 401);
    assert.equal((await login('zed', zed.password, {domain_name: 'acme.example'})).status, 401);
  });

  test("two tenants, two directories: each login goes to its tenant's", async () => {
    const r = await login('bob', bob.password, {domain_name: 'beta.example'});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.auth_id, uuids.bob);
    assert.equal((await login('bob', bob.password, {domain_name: 'acme.example'})).status, 401);
    assert.equal((await login('alice', alice.password, {tenant_id: 'beta'})).status, 401);
  });

  test('authentication methods: a native user of an LDAP tenant logs in natively only; an LDAP user never natively', async () => {
    assert.equal((await login('nat', 'native pw')).status, 200);
    assert.equal((await login('nat', nat.password, {domain_name: 'acme.example'})).status, 401);
    assert.equal((await login('alice@acme.example', alice.password)).status, 401);
    assert.equal((await login('alice-wazo', alice.password)).status, 401);
  });

  test('filter injection: a login is a value, never a filter', async () => {
    for (const injected of ['*', '*)(uid=*', 'alice)(uid=*', 'al*', 'alice)(|(uid=*)', '\\2a', 'alice\0']) {
      assert.equal((await login(injected, alice.password, {domain_name: 'acme.example'})).status, 401, injected);
    }
    // Without a service account the login goes into a DN, escaped all the same. (A login with
    // spaces around it is the same uid to the directory, whose matching rule ignores them.)
    await configure(tenantA.uuid, directoryOf(acme, {bind_dn: null, bind_password: null}));
    try {
      for (const injected of ['alice,ou=people,dc=acme,dc=example', 'alice+cn=x', '*', 'alice\\', '#alice']) {
        assert.equal((await login(injected, alice.password, {domain_name: 'acme.example'})).status, 401, injected);
      }
    } finally {
      await configure(tenantA.uuid, directoryOf(acme));
    }
  });

  test('without a service account: the user binds straight away and reads its own address', async () => {
    await configure(tenantA.uuid, directoryOf(acme, {bind_dn: null, bind_password: null}));
    try {
      const r = await login('alice', alice.password, {domain_name: 'acme.example'});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.data.auth_id, uuids.alice);
      assert.equal((await login('alice', 'wrong', {domain_name: 'acme.example'})).status, 401);
    } finally {
      await configure(tenantA.uuid, directoryOf(acme));
    }
  });

  test('search_filters narrow the service search', async () => {
    await configure(tenantA.uuid, directoryOf(acme, {search_filters: '(&({user_login_attribute}={username})(employeeType=human))'}));
    try {
      assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 200);
      assert.equal((await login('carol', carol.password, {domain_name: 'acme.example'})).status, 401);
    } finally {
      await configure(tenantA.uuid, directoryOf(acme));
    }
    assert.equal((await login('carol', carol.password, {domain_name: 'acme.example'})).status, 200);
  });

  test('a refused service bind is a 401, and a warning that names the account', async () => {
    await configure(tenantA.uuid, directoryOf(acme, {bind_password: 'not the service password'}));
    try {
      assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 401);
      assert.match(await logText(), new RegExp(`\\(WARNING\\).*the service bind as .*${acme.bindDn}.* was refused`));
    } finally {
      await configure(tenantA.uuid, directoryOf(acme));
    }
  });

  test('a login that matches two entries is refused, as upstream', async () => {
    await newUser(tenantA.uuid, {username: 'twin1-wazo', email_address: 'twin1@acme.example'});
    await configure(tenantA.uuid, directoryOf(acme, {user_login_attribute: 'sn'}));
    try {
      assert.equal((await login('Twin', twin1.password, {domain_name: 'acme.example'})).status, 401);
      assert.equal((await login('Alice Liddell', alice.password, {domain_name: 'acme.example'})).status, 200, 'one entry: fine');
    } finally {
      await configure(tenantA.uuid, directoryOf(acme));
    }
  });

  test('a refresh token of an LDAP login logs in again through ldap_user', async () => {
    const first = await login('alice', alice.password, {domain_name: 'acme.example', access_type: 'offline', client_id: 'ldap-test'});
    assert.equal(first.status, 200, first.text);
    const again = await td.call('POST', '/0.1/token', {body: {refresh_token: first.json.data.refresh_token, client_id: 'ldap-test'}});
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.data.auth_id, uuids.alice);
  });

  test('ldaps and StartTLS verify the certificate against the configured CA', async () => {
    try {
      await configure(tenantA.uuid, directoryOf(acme, {port: acme.ldapsPort, protocol_security: 'ldaps', ca_certificates: acme.caPem}));
      assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 200);
      await configure(tenantA.uuid, directoryOf(acme, {protocol_security: 'tls', ca_certificates: acme.caPem}));
      assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 200);
      // Without the CA, the test CA is unknown: no login.
      for (const protocol_security of ['ldaps', 'tls']) {
        const port = protocol_security === 'ldaps' ? acme.ldapsPort : acme.port;
        await configure(tenantA.uuid, directoryOf(acme, {port, protocol_security, ca_certificates: null}));
        assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 401, protocol_security);
      }
      // A certificate for another name does not verify, CA or not.
      for (const protocol_security of ['ldaps', 'tls']) {
        const port = protocol_security === 'ldaps' ? elsewhere.ldapsPort : elsewhere.port;
        await configure(tenantA.uuid, directoryOf(elsewhere, {port, protocol_security, ca_certificates: elsewhere.caPem}));
        assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 401, protocol_security);
      }
    } finally {
      await configure(tenantA.uuid, directoryOf(acme, {protocol_security: null, ca_certificates: null}));
    }
  });

  test('a stopped directory: 401, other tenants and token checks unaffected, the cause logged once', async () => {
    const token = (await login('bob', bob.password, {domain_name: 'beta.example'})).json.data.token;
    await acme.stop();
    try {
      for (let i = 0; i < 3; i++) assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 401);
      assert.equal((await login('bob', bob.password, {domain_name: 'beta.example'})).status, 200);
      assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 204);
      assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
      const url = `ldap://127.0.0.1:${acme.port}`;
      assert.equal((await logText()).split(`LDAP directory ${url} of tenant "${tenantA.uuid}" does not answer`).length - 1, 1);
    } finally {
      await acme.restart();
    }
    assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 200);
    assert.match(await logText(), new RegExp(`LDAP directory ldap://127.0.0.1:${acme.port} answers again`));
  });

  test('a hung directory (accepts, never answers): 401 once the timeouts pass, while others log in', async () => {
    await acme.pause();
    try {
      const hung = login('alice', alice.password, {domain_name: 'acme.example'});
      const other = await login('bob', bob.password, {domain_name: 'beta.example'});
      assert.equal(other.status, 200);
      assert.equal((await hung).status, 401);
    } finally {
      acme.resume();
    }
    assert.equal((await login('alice', alice.password, {domain_name: 'acme.example'})).status, 200);
  });

  test('no password of a directory in the log', async () => {
    const log = await logText();
    for (const secret of [acme.bindPassword, beta.bindPassword, alice.password, bob.password]) assert.equal(log.includes(secret), false, secret);
  });
});
