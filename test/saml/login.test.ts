// SAML logins end to end: the daemon, a real identity provider (SimpleSAMLphp) per tenant, and the
// browser's part in between: sso -> the provider's login -> acs -> token, and what must fail.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {createSamlBrowser} from '../helpers/saml-browser.js';
import {samlIdpSkip} from '../helpers/saml-idp.js';
import {
  configCall,
  alice,
  bob,
  carol,
  impostor,
  nobody,
  APP,
  exchange,
  expectPost,
  failed,
  providerAnswer,
  sso,
  startSamlWorld,
  type SamlWorld,
} from './saml-fixture.js';

const decoded = (form: {fields: Record<string, string>}) => Buffer.from(form.fields.SAMLResponse ?? '', 'base64').toString('utf8');
const encoded = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

describe('SAML login', {skip: samlIdpSkip}, () => {
  let w: SamlWorld;
  before(async () => {
    w = await startSamlWorld();
  });
  after(() => w?.stop());

  const lastRefusal = () =>
    w.log
      .at('warning')
      .filter((l) => l.startsWith('SAML: login'))
      .at(-1) ?? '';

  test('a full login: sso, the provider, the ACS back to the app, then the token of the user with that confirmed e-mail', async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    assert.match(started.location, new RegExp(`^${w.idpA.ssoUrl}\\?SAMLRequest=`));
    assert.ok(new URL(started.location).searchParams.get('Signature'), 'our request is signed');
    assert.match(started.saml_session_id, /^[A-Za-z0-9_-]{22}$/);
    // The id never leaves for the provider: only its digest, as RelayState.
    assert.ok(!started.location.includes(started.saml_session_id));
    assert.notEqual(form.fields.RelayState, started.saml_session_id);

    const back = await browser.submit(form);
    assert.equal(back.status, 302, back.text);
    assert.equal(back.location, APP);

    const token = await exchange(w.td, started.saml_session_id);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.json.data.auth_id, w.users.alice);
    assert.equal(token.json.data.metadata.tenant_uuid, w.a.uuid);

    // Once only.
    assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    // The provider's answer posted again is refused.
    const replay = await browser.submit(form);
    assert.equal(replay.status, 302);
    assert.equal(replay.location, failed);
    assert.match(lastRefusal(), /already received \(replay\)/);
  });

  test('the user is found by username when no confirmed e-mail matches, in the tenant of the provider', async () => {
    const {started, form, browser} = await providerAnswer(w, w.b.domain, bob);
    assert.equal((await browser.submit(form)).location, APP);
    const token = await exchange(w.td, started.saml_session_id, {access_type: 'offline', client_id: 'web'});
    assert.equal(token.status, 200, token.text);
    assert.equal(token.json.data.auth_id, w.users.bob);
    assert.ok(token.json.data.refresh_token);
  });

  test("each tenant's provider signs for that tenant only: B's answer to A's login is refused", async () => {
    const mine = await sso(w.td, w.a.domain);
    const theirs = await providerAnswer(w, w.b.domain, bob);
    const crossed = await createSamlBrowser().submit({
      ...theirs.form,
      fields: {...theirs.form.fields, RelayState: new URL(mine.location).searchParams.get('RelayState')!},
    });
    assert.equal(crossed.location, failed);
    assert.match(lastRefusal(), /InResponseTo is not valid/);
    assert.equal((await exchange(w.td, mine.saml_session_id)).status, 401);
  });

  test("a tenant's provider cannot log in a user of another tenant", async () => {
    const {started, form, browser} = await providerAnswer(w, w.b.domain, impostor);
    assert.equal((await browser.submit(form)).location, APP);
    assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    assert.ok(w.log.at('info').some((l) => l.includes('no enabled user of the tenant for alice@example.com')));
  });

  test('a tampered response is refused, and its login forgotten', async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    const forged = decoded(form).replaceAll('alice@example.com', 'carol@example.com');
    assert.notEqual(forged, decoded(form));
    const answer = await browser.submit({...form, fields: {...form.fields, SAMLResponse: encoded(forged)}});
    assert.equal(answer.location, failed);
    assert.match(lastRefusal(), /signature/i);
    assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    // Forgotten: even the genuine answer finds no login now.
    assert.equal((await browser.submit(form)).status, 404);
  });

  test('an unsigned response (signatures cut out) is refused', async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    const unsigned = decoded(form).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    assert.doesNotMatch(unsigned, /<ds:Signature/);
    assert.equal((await browser.submit({...form, fields: {...form.fields, SAMLResponse: encoded(unsigned)}})).location, failed);
    assert.match(lastRefusal(), /signature/i);
    assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
  });

  test("a response signed by another provider is refused (the tenant's metadata names another certificate)", async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    const swap = await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {}, {xml: w.idpB.metadataXml});
    assert.equal(swap.status, 200, swap.text);
    try {
      assert.equal((await browser.submit(form)).location, failed);
      assert.match(lastRefusal(), /signature/i);
      assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    } finally {
      assert.equal((await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {}, {xml: w.idpA.metadataXml})).status, 200);
    }
  });

  test('an assertion for another audience is refused', async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    assert.equal((await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {entity_id: 'wazo-someone-else'})).status, 200);
    try {
      assert.equal((await browser.submit(form)).location, failed);
      assert.match(lastRefusal(), /audience/i);
      assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    } finally {
      assert.equal((await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {entity_id: w.a.entityId})).status, 200);
    }
  });

  test('an assertion for another recipient (the ACS URL of the configuration) is refused', async () => {
    const {started, form, browser} = await providerAnswer(w, w.a.domain, alice);
    assert.equal((await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {acs_url: 'https://elsewhere.example.com/api/auth/0.1/saml/acs'})).status, 200);
    try {
      assert.equal((await browser.submit(form)).location, failed);
      assert.match(lastRefusal(), /another recipient/);
      assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
    } finally {
      assert.equal((await configCall(w.td, 'PUT', w.td.admin.token, w.a.uuid, {acs_url: w.acsUrl})).status, 200);
    }
  });

  test('an expired assertion is refused', async () => {
    const {started, form, browser} = await providerAnswer(w, w.late.domain, alice);
    assert.equal((await browser.submit(form)).location, failed);
    assert.match(lastRefusal(), /subject confirmation|expired|NotOnOrAfter/i);
    assert.equal((await exchange(w.td, started.saml_session_id)).status, 401);
  });

  test('a login past saml_login_timeout_seconds is refused at the ACS, and at the token exchange', async () => {
    const slow = await providerAnswer(w, w.a.domain, alice);
    w.clock.advance(601);
    assert.equal((await slow.browser.submit(slow.form)).location, failed);
    assert.match(lastRefusal(), /timed out/);
    assert.equal((await exchange(w.td, slow.started.saml_session_id)).status, 401);

    const late = await providerAnswer(w, w.a.domain, alice);
    assert.equal((await late.browser.submit(late.form)).location, APP);
    w.clock.advance(601);
    assert.equal((await exchange(w.td, late.started.saml_session_id)).status, 401);
  });

  test('an unknown saml_session_id gets no token', async () => {
    assert.equal((await exchange(w.td, 'AAAAAAAAAAAAAAAAAAAAAA')).status, 401);
    const pending = await sso(w.td, w.a.domain);
    // Not yet answered by the provider.
    assert.equal((await exchange(w.td, pending.saml_session_id)).status, 401);
  });

  test('a user whose method is not saml gets no token; nor does an assertion without the name attribute', async () => {
    const native = await providerAnswer(w, w.a.domain, carol);
    assert.equal((await native.browser.submit(native.form)).location, APP);
    const refused = await exchange(w.td, native.started.saml_session_id);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json.reason, ['Authentication Failed']);

    const nameless = await providerAnswer(w, w.a.domain, nobody);
    assert.equal((await nameless.browser.submit(nameless.form)).location, failed);
    assert.match(lastRefusal(), /no .* nor name attribute/);
  });

  test('single logout: the signed LogoutRequest ends the provider session; its signed LogoutResponse ends ours', async () => {
    const browser = createSamlBrowser();
    const {started, form} = await providerAnswer(w, w.a.domain, alice, browser);
    assert.equal((await browser.submit(form)).location, APP);
    const token = (await exchange(w.td, started.saml_session_id, {access_type: 'offline', client_id: 'logout-app'})).json.data;

    const out = await w.td.call('GET', '/0.1/saml/logout', {token: token.token});
    assert.equal(out.status, 200, out.text);
    assert.match(out.json.location, new RegExp(`^${w.idpA.sloUrl}\\?SAMLRequest=`));
    // The token and its refresh token are gone at once.
    assert.equal((await w.td.call('GET', `/0.1/token/${token.token}`)).status, 404);
    const refreshed = await w.td.call('POST', '/0.1/token', {body: {refresh_token: token.refresh_token, client_id: 'logout-app'}});
    assert.equal(refreshed.status, 401);

    const step = await browser.open(out.json.location);
    if (step.kind !== 'redirect') assert.fail(`expected the provider's redirect to the SLS, got ${JSON.stringify(step).slice(0, 2000)}`);
    const sls = new URL(step.url);
    assert.equal(`${sls.origin}${sls.pathname}`, `${w.td.url}/0.1/saml/sls`);

    // Unsigned, it is refused.
    const stripped = new URLSearchParams(sls.search);
    stripped.delete('Signature');
    stripped.delete('SigAlg');
    const unsigned = await w.td.call('GET', `/0.1/saml/sls?${stripped}`);
    assert.equal(unsigned.status, 500);
    assert.equal(unsigned.json.error_id, 'processing-error');

    const done = await w.td.call('GET', `/0.1/saml/sls${sls.search}`);
    assert.equal(done.status, 302, done.text);
    assert.equal(done.headers.location, `${APP}?logged_out=true`);
    // Taken once.
    assert.equal((await w.td.call('GET', `/0.1/saml/sls${sls.search}`)).status, 500);
    // The provider session is over: the next login asks for the password again.
    const again = await browser.open((await sso(w.td, w.a.domain)).location);
    assert.equal(again.kind, 'login');
  });

  test('upstream answers to bad requests', async () => {
    const ssoCall = (body: unknown) => w.td.call('POST', '/0.1/saml/sso', {body});
    const partial = (answer: {status: number; json: any}, status: number, message: string, errorId: string, details: unknown) => {
      assert.equal(answer.status, status);
      assert.deepEqual(
        {message: answer.json.message, error_id: answer.json.error_id, resource: answer.json.resource, details: answer.json.details},
        {message, error_id: errorId, resource: 'saml', details},
      );
    };
    partial(await ssoCall({domain: 'example.com', redirect_url: null}), 400, 'redirect_url', 'invalid-data', {});
    partial(await ssoCall({redirect_url: 'https://example.com/acs', domain: null}), 400, 'domain', 'invalid-data', {});
    partial(await ssoCall({}), 400, 'redirect_url', 'invalid-data', {});
    partial(await ssoCall({redirect_url: 'https://example.com/acs', domain: 'notadomain'}), 400, 'domain', 'invalid-data', {});
    partial(
      await ssoCall({redirect_url: 'https://example.com/acs', domain: 'unknown.com'}),
      500,
      'SAML client for domain not found or failed',
      'configuration-error',
      {domain: 'unknown.com'},
    );

    const acs = (body: string) => w.td.call('POST', '/0.1/saml/acs', {rawBody: body, headers: {'content-type': 'application/x-www-form-urlencoded'}});
    for (const body of ['RelayState=state', 'SAMLResponse=response', '']) {
      partial(await acs(body), 400, 'RelayState and/or SAMLResponse', 'invalid-data', {});
    }
    partial(await acs('RelayState=nothing-of-ours&SAMLResponse=eA=='), 404, 'SAML processing failed', 'processing-error', {error: 'Context not found'});
    // A body past the ACS's limit is refused before it is parsed.
    const huge = await acs(`RelayState=x&SAMLResponse=${'A'.repeat(2 * 1024 * 1024)}`);
    assert.equal(huge.status, 413);

    // A token that is not of a SAML login.
    partial(await w.td.call('GET', '/0.1/saml/logout', {token: w.td.admin.token}), 404, 'SAML processing failed', 'processing-error', {
      error: 'Context not found',
    });
    assert.equal((await w.td.call('GET', '/0.1/saml/logout')).status, 404);
    assert.equal((await w.td.call('GET', '/0.1/saml/sls?RelayState=x&SAMLResponse=y&Signature=z&SigAlg=w')).status, 500);
    // The daemon is still there.
    assert.equal((await w.td.call('HEAD', '/0.1/status')).status, 200);
    void expectPost;
  });
});
