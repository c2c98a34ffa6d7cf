// `wazo-auth ldap show|set|delete`, `idp list`, `user update --authentication-method` and
// `token create --domain-name|--tenant-id` through the built binary, against a real daemon and a
// real slapd: a tenant set up for LDAP step by step, as the README tells it.

import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {slapdSkip, startSlapd, type Slapd} from '../helpers/slapd.js';

const skip = slapdSkip();
if (skip) console.log(`# skipped: the ldap command tests need slapd: ${skip}`);

const alice = {uid: 'alice', cn: 'Alice Liddell', mail: 'alice@acme.example', password: 'white rabbit'};

describe('wazo-auth ldap, idp, and directory logins', {skip}, () => {
  let td: TestDaemon;
  let slapd: Slapd;
  let client: AuthClient;
  let cli: AdminCli;
  let acme: string;

  before(async () => {
    slapd = await startSlapd({baseDn: 'dc=acme,dc=example', users: [alice]});
    td = await startTestDaemon();
    td.admin.token = (await td.login(td.admin.username, td.admin.password)).token;
    client = new AuthClient({url: td.url, token: td.admin.token});
    cli = adminCli(td.url, td.admin.token);
    acme = (await client.tenants.create({name: 'Acme', slug: 'acme', domain_names: ['acme.example']})).uuid;
    client.tenant = acme;
    await client.users.create({username: 'alice', email_address: 'alice@acme.example'});
    client.tenant = undefined;
  });
  after(async () => {
    cli?.remove();
    await client?.close();
    await td?.stop();
    await slapd?.close();
  });

  const settings = () => [
    '--host',
    '127.0.0.1',
    '--port',
    String(slapd.port),
    '--security',
    'tls',
    '--ca-file',
    slapd.caFile,
    '--bind-dn',
    slapd.bindDn,
    '--bind-password-stdin',
    '--user-base-dn',
    slapd.peopleDn,
    '--login-attribute',
    'uid',
    '--email-attribute',
    'mail',
  ];

  test('ldap show without a directory: every field null', async () => {
    const r = await cli.run(['ldap', 'show', '--tenant', 'acme', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout);
    assert.equal(shown.host, null);
    assert.equal('bind_password' in shown, false);
  });

  test('ldap set on a tenant without a directory needs the required fields: exit 2', async () => {
    const r = await cli.run(['ldap', 'set', '--tenant', 'acme', '--host', 'ldap.example.com']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /give --port, --user-base-dn, --login-attribute, --email-attribute/);
  });

  test('ldap set: the bind password from stdin, sealed by the daemon, never printed', async () => {
    const r = await cli.run(['ldap', 'set', '--tenant', 'acme', ...settings(), '--json'], slapd.bindPassword + '\n');
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout);
    assert.equal(shown.tenant_uuid, acme);
    assert.equal(shown.protocol_security, 'tls');
    assert.match(shown.ca_certificates, /BEGIN CERTIFICATE/);
    assert.equal(r.stdout.includes(slapd.bindPassword), false);
    const table = await cli.run(['ldap', 'show', '--tenant', 'acme']);
    assert.match(table.stdout, /^ca_certificates: 1 certificate \(PEM\)$/m);
    assert.equal(table.stdout.includes(slapd.bindPassword), false);
    assert.equal((await td.databaseText()).includes(slapd.bindPassword), false);
  });

  test('ldap set with one field keeps the others, the bind password among them', async () => {
    const before = await td.daemon.services.store.ldapConfigs.get(acme);
    const r = await cli.run([
      'ldap',
      'set',
      '--tenant',
      'acme',
      '--search-filter',
      '(&({user_login_attribute}={username})(objectClass=inetOrgPerson))',
      '--format',
      'plain',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '127.0.0.1\n');
    const after = await td.daemon.services.store.ldapConfigs.get(acme);
    assert.equal(after?.bindPasswordSealed, before?.bindPasswordSealed);
    assert.equal(after?.searchFilters, '(&({user_login_attribute}={username})(objectClass=inetOrgPerson))');
    assert.equal(after?.userBaseDn, slapd.peopleDn);
  });

  test('idp list names the methods; user update --authentication-method ldap assigns one', async () => {
    const list = await cli.run(['idp', 'list', '--format', 'plain']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout, 'default\nldap\nnative\nsaml\n');
    const updated = await cli.run(['user', 'update', 'alice', '--authentication-method', 'ldap', '--json']);
    assert.equal(updated.status, 0, updated.stderr);
    assert.equal(JSON.parse(updated.stdout).authentication_method, 'ldap');
  });

  test('token create --domain-name and --tenant-id log in against the directory; a wrong password exits 4', async () => {
    for (const scope of [
      ['--domain-name', 'acme.example'],
      ['--tenant-id', 'acme'],
    ]) {
      const r = await cli.run(['token', 'create', '--username', 'alice', '--password-stdin', ...scope, '--json'], alice.password);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).metadata.tenant_uuid, acme);
    }
    const wrong = await cli.run(['token', 'create', '--username', 'alice', '--password-stdin', '--domain-name', 'acme.example'], 'wrong');
    assert.equal(wrong.status, 4);
    const both = await cli.run(['token', 'create', '--username', 'alice', '--password-stdin', '--domain-name', 'acme.example', '--tenant-id', 'acme'], 'x');
    assert.equal(both.status, 2);
  });

  test('tenant update --authentication-method ldap: its users on `default` log in against its directory', async () => {
    const tenant = await cli.run(['tenant', 'update', 'acme', '--authentication-method', 'ldap', '--json']);
    assert.equal(tenant.status, 0, tenant.stderr);
    assert.equal(JSON.parse(tenant.stdout).default_authentication_method, 'ldap');
    const user = await cli.run(['user', 'update', 'alice', '--authentication-method', 'default', '--json']);
    assert.equal(JSON.parse(user.stdout).authentication_method, 'default');
    const r = await cli.run(
      ['token', 'create', '--username', 'alice', '--password-stdin', '--domain-name', 'acme.example', '--format', 'plain'],
      alice.password,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
  });

  test('--ca-file that cannot be read: exit 2; ldap delete removes the directory, twice as well', async () => {
    const missing = await cli.run(['ldap', 'set', '--tenant', 'acme', '--ca-file', join(td.dir, 'nowhere.pem')]);
    assert.equal(missing.status, 2);
    const bad = join(td.dir, 'bad.pem');
    writeFileSync(bad, 'not a certificate');
    const refused = await cli.run(['ldap', 'set', '--tenant', 'acme', '--ca-file', bad]);
    assert.equal(refused.status, 1, refused.stderr);
    for (let i = 0; i < 2; i++) {
      const r = await cli.run(['ldap', 'delete', '--yes', '--tenant', 'acme']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.equal(JSON.parse((await cli.run(['ldap', 'show', '--tenant', 'acme', '--json'])).stdout).host, null);
  });
});
