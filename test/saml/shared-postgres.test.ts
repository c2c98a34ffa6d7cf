// A SAML login across two daemons sharing one PostgreSQL database, as behind a load balancer:
// each step may reach either daemon, and each is taken once.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {freshSchema, pgSkip, testPgSettings, type TestSchema} from '../helpers/pg.js';
import {createSamlBrowser} from '../helpers/saml-browser.js';
import {samlIdpSkip, selfSignedCertificate, startSamlIdp, type RunningSamlIdp} from '../helpers/saml-idp.js';
import {alice, APP, configCall, exchange, expectPost, failed, sso, tenantWithDomain} from './saml-fixture.js';

describe('SAML on two daemons sharing PostgreSQL', {skip: pgSkip || samlIdpSkip}, () => {
  let schema: TestSchema;
  let one: TestDaemon;
  let two: TestDaemon;
  let idp: RunningSamlIdp;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-shared-'));
    const sp = await selfSignedCertificate(dir, 'sp');
    schema = await freshSchema();
    const config = {
      db_uri: schema.uri,
      db_pool_size: testPgSettings.poolSize,
      db_statement_timeout_ms: testPgSettings.statementTimeoutMs,
      saml: {key_file: sp.keyFile, cert_file: sp.certFile},
    };
    one = await startTestDaemon({config});
    two = await startTestDaemon({config, keyOf: one});
    idp = await startSamlIdp({
      users: [alice],
      serviceProviders: [{entityId: 'wazo-shared', acsUrl: `${one.url}/0.1/saml/acs`, slsUrl: `${one.url}/0.1/saml/sls`, cert: sp.certPem}],
    });
    const tenant = await tenantWithDomain(one, 'shared', 'shared.example.com');
    const created = await configCall(
      one,
      'POST',
      one.admin.token,
      tenant.uuid,
      {domain_uuid: tenant.domainUuid, entity_id: 'wazo-shared', acs_url: `${one.url}/0.1/saml/acs`},
      {xml: idp.metadataXml},
    );
    assert.equal(created.status, 200, created.text);
    await one.daemon.services.store.users.create(
      {
        uuid: randomUUID(),
        tenantUuid: tenant.uuid,
        username: 'alice@example.com',
        firstname: null,
        lastname: null,
        purpose: 'user',
        enabled: true,
        authenticationMethod: 'saml',
        emails: [],
      },
      null,
    );
  });
  after(async () => {
    await idp?.stop();
    await one?.stop();
    await two?.stop();
    await schema?.drop();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  test('sso on one, the ACS on the other, the token on the first; logout on the second, its SLS on the first', async () => {
    const browser = createSamlBrowser();
    const started = await sso(one, 'shared.example.com');
    const form = expectPost(await browser.signIn(started.location, alice.username, alice.password));
    // The load balancer sends the browser's post to the other daemon.
    const atTwo = {...form, action: `${two.url}/0.1/saml/acs`};
    assert.equal((await browser.submit(atTwo)).location, APP);
    assert.equal((await browser.submit(form)).location, failed, 'the first daemon refuses the replay');

    const token = await exchange(one, started.saml_session_id);
    assert.equal(token.status, 200, token.text);
    assert.equal((await exchange(two, started.saml_session_id)).status, 401, 'taken once across daemons');

    const out = await two.call('GET', '/0.1/saml/logout', {token: token.json.data.token});
    assert.equal(out.status, 200, out.text);
    const back = await browser.open(out.json.location);
    if (back.kind !== 'redirect') assert.fail(JSON.stringify(back).slice(0, 2000));
    const done = await one.call('GET', `/0.1/saml/sls${new URL(back.url).search}`);
    assert.equal(done.status, 302, done.text);
    assert.equal(done.headers.location, `${APP}?logged_out=true`);
  });

  test('two daemons racing on the same answer: one accepts it', async () => {
    const started = await sso(two, 'shared.example.com');
    const form = expectPost(await createSamlBrowser().signIn(started.location, alice.username, alice.password));
    const answers = await Promise.all([one, two, one, two].map((td) => createSamlBrowser().submit({...form, action: `${td.url}/0.1/saml/acs`})));
    assert.equal(answers.filter((a) => a.location === APP).length, 1, JSON.stringify(answers.map((a) => a.location)));
    assert.equal((await exchange(one, started.saml_session_id)).status, 200);
  });
});
