// `wazo-auth saml keygen|set|show|metadata|delete`, the built binary against a real daemon whose
// service provider key pair keygen made.
import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {certBody} from '../helpers/saml-idp.js';
import {capture, BIN} from './binary.js';
import {tenantWithDomain} from '../saml/saml-fixture.js';

const idpMetadata = (certPem: string) => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://login.example.net/idp">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.example.net/idp/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;

describe('wazo-auth saml', () => {
  let dir: string;
  let td: TestDaemon;
  let cli: AdminCli;
  let keyFile: string;
  let certFile: string;
  let tenant: {uuid: string; domainUuid: string};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-cli-saml-'));
    keyFile = join(dir, 'saml', 'server.key');
    certFile = join(dir, 'saml', 'server.crt');
    const made = await capture(
      process.execPath,
      [BIN, 'saml', 'keygen', '--key-file', keyFile, '--cert-file', certFile, '--common-name', 'pbx.example.com', '--json'],
      {...process.env},
    );
    assert.equal(made.status, 0, made.stderr);
    assert.deepEqual(JSON.parse(made.stdout), {key_file: keyFile, cert_file: certFile});
    td = await startTestDaemon({config: {saml: {key_file: keyFile, cert_file: certFile}}});
    cli = adminCli(td.url, td.admin.token);
    tenant = await tenantWithDomain(td, 'cli_saml', 'cli-saml.example.com');
  });
  after(async () => {
    cli?.remove();
    await td?.stop();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  test('keygen: a key only its owner reads, a certificate for it; existing files kept unless --force', async () => {
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    const cert = new X509Certificate(await readFile(certFile));
    assert.match(cert.subject, /CN=pbx\.example\.com/);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    const before = await readFile(keyFile, 'utf8');
    const again = await capture(process.execPath, [BIN, 'saml', 'keygen', '--key-file', keyFile, '--cert-file', certFile], {...process.env});
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists: give --force/);
    assert.equal(await readFile(keyFile, 'utf8'), before);
    const other = join(dir, 'other');
    const forced = await capture(
      process.execPath,
      [BIN, 'saml', 'keygen', '--key-file', `${other}.key`, '--cert-file', `${other}.crt`, '--force', '--common-name', 'x'],
      {...process.env},
    );
    assert.equal(forced.status, 0, forced.stderr);
    assert.doesNotMatch(forced.stdout + forced.stderr, /BEGIN/, 'the key is never printed');
  });

  test('set, show, metadata and delete in a tenant named by slug', async () => {
    const metadataFile = join(dir, 'idp.xml');
    const idpXml = idpMetadata(await readFile(certFile, 'utf8'));
    await writeFile(metadataFile, idpXml);

    assert.equal((await cli.run(['saml', 'show', '--tenant', 'cli_saml'])).status, 1);
    const incomplete = await cli.run(['saml', 'set', '--tenant', 'cli_saml', '--metadata-file', metadataFile]);
    assert.equal(incomplete.status, 2);
    assert.match(incomplete.stderr, /give --domain, --entity-id, --acs-url/);
    assert.equal((await cli.run(['saml', 'set', '--tenant', 'cli_saml', '--metadata-file', join(dir, 'nowhere.xml')])).status, 2);

    const acs = `${td.url}/0.1/saml/acs`;
    const set = await cli.run([
      'saml',
      'set',
      '--tenant',
      'cli_saml',
      '--metadata-file',
      metadataFile,
      '--domain',
      'CLI-SAML.example.com',
      '--entity-id',
      'wazo-cli',
      '--acs-url',
      acs,
      '--json',
    ]);
    assert.equal(set.status, 0, set.stderr + set.stdout);
    const expected = {domain_uuid: tenant.domainUuid, entity_id: 'wazo-cli', tenant_uuid: tenant.uuid, acs_url: acs};
    assert.deepEqual(JSON.parse(set.stdout), expected);
    assert.deepEqual(JSON.parse((await cli.run(['saml', 'show', '--tenant', 'cli_saml', '--json'])).stdout), expected);
    assert.equal((await cli.run(['saml', 'show', '--tenant', 'cli_saml', '--metadata'])).stdout, idpXml);

    const changed = await cli.run(['saml', 'set', '--tenant', 'cli_saml', '--entity-id', 'wazo-cli-2', '--format', 'plain']);
    assert.equal(changed.status, 0, changed.stderr);
    assert.equal(changed.stdout.trim(), tenant.uuid);

    const sp = await cli.run(['saml', 'metadata', '--tenant', 'cli_saml']);
    assert.equal(sp.status, 0, sp.stderr + sp.stdout);
    assert.match(sp.stdout, /entityID="wazo-cli-2"/);
    assert.ok(sp.stdout.includes(`Location="${acs}"`));
    assert.ok(sp.stdout.includes(`Location="${td.url}/0.1/saml/sls"`));
    assert.ok(sp.stdout.replace(/\s+/g, '').includes(certBody(await readFile(certFile, 'utf8'))));

    // Another tenant's domain: not found by name from this tenant; by uuid, refused by the daemon.
    const foreign = await tenantWithDomain(td, 'cli_other', 'cli-other.example.com');
    const byName = await cli.run(['saml', 'set', '--tenant', 'cli_saml', '--domain', 'cli-other.example.com']);
    assert.equal(byName.status, 2);
    assert.match(byName.stderr, /no tenant in reach has the domain cli-other\.example\.com/);
    const byUuid = await cli.run(['saml', 'set', '--tenant', 'cli_saml', '--domain', foreign.domainUuid]);
    assert.equal(byUuid.status, 1);
    assert.match(byUuid.stderr, /Domain not from tenant/);

    const removed = await cli.run(['saml', 'delete', '--yes', '--tenant', 'cli_saml']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(removed.stdout, '');
    assert.equal((await cli.run(['saml', 'show', '--tenant', 'cli_saml'])).status, 1);
  });
});
