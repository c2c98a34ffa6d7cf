// /backends/saml: a tenant's SAML configuration, uploaded as a multipart form; tenant isolation,
// upstream's answers and the upload's limits. No identity provider is needed here.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {FormData, request} from 'undici';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {certBody, selfSignedCertificate} from '../helpers/saml-idp.js';
import {createUser} from '../helpers/users.js';
import {configCall, tenantWithDomain} from './saml-fixture.js';

function metadataOf(entityId: string, certPem: string): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
}

describe('SAML configuration routes', () => {
  let td: TestDaemon;
  let dir: string;
  let metadata: string;
  let a: {uuid: string; domainUuid: string};
  let b: {uuid: string; domainUuid: string};
  let adminA: string;
  let reader: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-config-'));
    metadata = metadataOf('https://idp.example.com', (await selfSignedCertificate(dir, 'idp')).certPem);
    td = await startTestDaemon();
    a = await tenantWithDomain(td, 'cfg_a', 'cfg-a.example.com');
    b = await tenantWithDomain(td, 'cfg_b', 'cfg-b.example.com');
    const store = td.daemon.services.store;
    await createUser(store, {username: 'admin-a', password: 'pw-a', tenantUuid: a.uuid, acl: ['auth.backends.saml.#']});
    await createUser(store, {username: 'reader-a', password: 'pw-r', tenantUuid: a.uuid, acl: ['auth.backends.saml.read']});
    adminA = (await td.login('admin-a', 'pw-a')).token;
    reader = (await td.login('reader-a', 'pw-r')).token;
  });
  after(async () => {
    await td?.stop();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  const fieldsOf = (tenant: {domainUuid: string}) => ({
    domain_uuid: tenant.domainUuid,
    entity_id: 'wazo.dev',
    acs_url: 'https://stack.example.com/api/auth/0.1/saml/acs',
  });
  const get = (token: string, tenantUuid: string, path = '') => td.call('GET', `/0.1/backends/saml${path}`, {token, headers: {'wazo-tenant': tenantUuid}});

  test('create, read, change, read the metadata, delete: in the tenant of the request', async () => {
    assert.equal((await get(adminA, a.uuid)).status, 404);
    const created = await configCall(td, 'POST', adminA, a.uuid, fieldsOf(a), {xml: metadata});
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(created.json, {...fieldsOf(a), tenant_uuid: a.uuid});
    assert.deepEqual((await get(adminA, a.uuid)).json, created.json);

    const duplicate = await configCall(td, 'POST', adminA, a.uuid, fieldsOf(a), {xml: metadata});
    assert.equal(duplicate.status, 409);
    assert.deepEqual(
      {...duplicate.json, timestamp: 0},
      {
        message: 'Conflict detected',
        error_id: 'conflict',
        details: {tenant_uuid: {constraint_id: 'unique', message: 'Duplicated SAML config exists'}},
        resource: 'saml_config',
        timestamp: 0,
      },
    );

    const changed = await configCall(td, 'PUT', adminA, a.uuid, {entity_id: 'new_entity_id'});
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.entity_id, 'new_entity_id');
    assert.equal(changed.json.acs_url, fieldsOf(a).acs_url);

    const xml = await get(reader, a.uuid, '/metadata');
    assert.equal(xml.status, 200);
    assert.equal(xml.headers['content-type'], 'application/xml');
    assert.equal(xml.headers['content-disposition'], 'attachment');
    assert.equal(xml.text, metadata);

    assert.deepEqual((await get(reader, a.uuid, '/acs_url_template')).json, {acs_url: 'https://{{STACK_URL}}/api/auth/0.1/saml/acs'});

    // The reader may read, not change.
    assert.equal((await configCall(td, 'PUT', reader, a.uuid, {entity_id: 'x'})).status, 401);
    assert.equal((await td.call('DELETE', '/0.1/backends/saml', {token: reader, headers: {'wazo-tenant': a.uuid}})).status, 401);

    assert.equal((await td.call('DELETE', '/0.1/backends/saml', {token: adminA, headers: {'wazo-tenant': a.uuid}})).status, 204);
    assert.equal((await get(adminA, a.uuid)).status, 404);
    assert.equal((await get(adminA, a.uuid, '/metadata')).status, 404);
    // Again: nothing to delete is no error, as upstream.
    assert.equal((await td.call('DELETE', '/0.1/backends/saml', {token: adminA, headers: {'wazo-tenant': a.uuid}})).status, 204);
  });

  test("an admin of tenant A can neither read nor change tenant B's configuration, nor use B's domain", async () => {
    const ofB = await configCall(td, 'POST', td.admin.token, b.uuid, fieldsOf(b), {xml: metadata});
    assert.equal(ofB.status, 200, ofB.text);

    assert.equal((await get(adminA, b.uuid)).status, 401);
    assert.equal((await get(adminA, b.uuid, '/metadata')).status, 401);
    assert.equal((await configCall(td, 'PUT', adminA, b.uuid, {entity_id: 'stolen'})).status, 401);
    assert.equal((await configCall(td, 'POST', adminA, b.uuid, fieldsOf(b), {xml: metadata})).status, 401);
    assert.equal((await td.call('DELETE', '/0.1/backends/saml', {token: adminA, headers: {'wazo-tenant': b.uuid}})).status, 401);
    assert.deepEqual((await get(td.admin.token, b.uuid)).json, ofB.json, "B's configuration is unchanged");

    const foreignDomain = await configCall(td, 'POST', adminA, a.uuid, fieldsOf(b), {xml: metadata});
    assert.equal(foreignDomain.status, 400);
    assert.deepEqual(
      {message: foreignDomain.json.message, error_id: foreignDomain.json.error_id, details: foreignDomain.json.details, resource: foreignDomain.json.resource},
      {
        message: 'Domain not from tenant',
        error_id: 'unknown-saml-config',
        details: {uuid: a.uuid},
        resource: 'saml_config',
      },
    );
    // Without Wazo-Tenant, A's admin acts in A: B's configuration is not what it sees.
    assert.equal((await td.call('GET', '/0.1/backends/saml', {token: adminA})).status, 404);
    const created = await configCall(td, 'POST', adminA, a.uuid, fieldsOf(a), {xml: metadata});
    assert.equal(created.status, 200);
    assert.equal((await configCall(td, 'PUT', adminA, a.uuid, {domain_uuid: b.domainUuid})).status, 400);
    assert.equal((await td.call('DELETE', '/0.1/backends/saml', {token: adminA, headers: {'wazo-tenant': a.uuid}})).status, 204);
    assert.equal((await get(td.admin.token, b.uuid)).status, 200, "deleting A's left B's");
    // Without a token at all.
    assert.equal((await td.call('GET', '/0.1/backends/saml', {headers: {'wazo-tenant': b.uuid}})).status, 401);
  });

  test("upstream's refusals of the form: fields, file, XML", async () => {
    const refusal = async (
      fields: Record<string, string>,
      file: {xml: string | Buffer; filename?: string} | undefined,
      status: number,
      message: RegExp | string,
      errorId: string,
    ) => {
      const answer = await configCall(td, 'POST', adminA, a.uuid, fields, file);
      assert.equal(answer.status, status, answer.text);
      if (typeof message === 'string') assert.equal(answer.json.message, message);
      else assert.match(answer.json.message, message);
      assert.equal(answer.json.error_id, errorId);
      return answer.json;
    };
    const short = await refusal({...fieldsOf(a), domain_uuid: 'short'}, {xml: metadata}, 400, /36/, 'invalid-list-param');
    assert.deepEqual(Object.keys(short.details), ['domain_uuid']);
    assert.equal(short.resource, 'users');
    const missing = await refusal({entity_id: 'e', acs_url: 'https://x'}, {xml: metadata}, 400, /./, 'invalid-list-param');
    assert.deepEqual(Object.keys(missing.details), ['domain_uuid']);
    await refusal(fieldsOf(a), undefined, 400, 'No metadata file provided', 'unknown-saml-config');
    await refusal(fieldsOf(a), {xml: metadata, filename: ''}, 400, /No metadata file provided|Empty metadata file provided/, 'unknown-saml-config');
    await refusal(fieldsOf(a), {xml: 'not xml at all <'}, 400, /^Invalid XML \(/, 'unknown-saml-config');
    await refusal(
      fieldsOf(a),
      {xml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'},
      400,
      'Invalid XML (a DOCTYPE is not accepted)',
      'unknown-saml-config',
    );
    await refusal(
      fieldsOf(a),
      {xml: metadata.replace(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/, '')},
      400,
      /^Invalid XML \(no signing certificate/,
      'unknown-saml-config',
    );
    await refusal(fieldsOf(a), {xml: Buffer.from([0xff, 0xfe, 0x00])}, 400, 'Invalid XML (not UTF-8)', 'unknown-saml-config');
    // A JSON body is no form: its fields are missing.
    const json = await td.call('POST', '/0.1/backends/saml', {token: adminA, body: fieldsOf(a)});
    assert.equal(json.status, 400);
    assert.equal(json.json.error_id, 'invalid-list-param');
    assert.equal((await get(adminA, a.uuid)).status, 404, 'nothing was stored');
  });

  test('the upload is bounded: a metadata file past 1 MiB, too many parts or a long field is a 413; the daemon goes on', async () => {
    const big = metadata.replace('</md:EntityDescriptor>', `<!--${'x'.repeat(1024 * 1024)}--></md:EntityDescriptor>`);
    assert.equal((await configCall(td, 'POST', adminA, a.uuid, fieldsOf(a), {xml: big})).status, 413);
    const many: Record<string, string> = {...fieldsOf(a)};
    for (let i = 0; i < 20; i++) many[`extra${i}`] = 'x';
    assert.equal((await configCall(td, 'POST', adminA, a.uuid, many, {xml: metadata})).status, 413);
    assert.equal((await configCall(td, 'POST', adminA, a.uuid, {...fieldsOf(a), entity_id: 'e'.repeat(5000)}, {xml: metadata})).status, 413);
    // A body announced larger than the route takes is refused before it is read.
    const form = new FormData();
    form.append('metadata', new Blob([Buffer.alloc(3 * 1024 * 1024, 'a')]), 'm.xml');
    const res = await request(`${td.url}/0.1/backends/saml`, {method: 'POST', body: form, headers: {'x-auth-token': adminA}});
    await res.body.text();
    assert.equal(res.statusCode, 413);
    assert.equal((await get(adminA, a.uuid)).status, 404);
    assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
  });
});
