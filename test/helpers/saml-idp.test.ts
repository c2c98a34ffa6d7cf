// The SAML test harness end to end: a minimal service provider made with @node-saml/node-saml,
// the real SimpleSAMLphp identity provider, and the browser stand-in between them.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {inflateRawSync} from 'node:zlib';
import {SAML, ValidateInResponseTo, type CacheItem, type CacheProvider, type Profile, type SamlConfig} from '@node-saml/node-saml';
import {createSamlBrowser, type SamlBrowserStep} from './saml-browser.js';
import {certBody, NAMEID_EMAIL, samlIdpSkip, selfSignedCertificate, startSamlIdp, type RunningSamlIdp} from './saml-idp.js';

// The claim Microsoft Entra ID sends the user principal name in; upstream's pysaml2 maps it to `name`.
const NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const alice = {username: 'alice', password: 'alice-secret', attributes: {[NAME_CLAIM]: 'alice@example.com', mail: 'alice@example.com'}};
const bob = {username: 'bob', password: 'bob-secret', attributes: {name: 'bob@example.org', mail: 'bob@example.org'}};

/** What wazo-auth keeps of its pending requests: one store for every tenant's service provider. */
class PendingRequests implements CacheProvider {
  readonly items = new Map<string, CacheItem>();
  async saveAsync(key: string, value: string) {
    if (this.items.has(key)) return null;
    const item = {value, createdAt: Date.now()};
    this.items.set(key, item);
    return item;
  }
  async getAsync(key: string) {
    return this.items.get(key)?.value ?? null;
  }
  async removeAsync(key: string | null) {
    if (key === null || !this.items.delete(key)) return null;
    return key;
  }
}

interface TestSp {
  entityId: string;
  acsUrl: string;
  slsUrl: string;
  keyPem: string;
  certPem: string;
}

async function makeSp(dir: string, name: string, base = `https://${name}.stack.example.com`): Promise<TestSp> {
  const keys = await selfSignedCertificate(dir, name);
  const saml = `${base}/api/auth/0.1/saml`;
  return {entityId: `${name}-entity`, acsUrl: `${saml}/acs`, slsUrl: `${saml}/sls`, keyPem: keys.keyPem, certPem: keys.certPem};
}

/**
 * A service provider's ACS over HTTP, where a browser posts the response: it checks it with the
 * SAML instance `check()` gives, and sends the browser to the app (303) or refuses it (403).
 */
async function listenAcs(check: () => SAML): Promise<{url: string; server: Server}> {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const {profile} = await check().validatePostResponseAsync(Object.fromEntries(new URLSearchParams(body)));
      res.writeHead(303, {location: `https://app.example.com/?name=${encodeURIComponent(String(profile?.[NAME_CLAIM]))}`}).end();
    } catch (error) {
      res.writeHead(403, {'content-type': 'text/plain'}).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${(server.address() as {port: number}).port}`, server};
}

/** The provider's signing certificate as its metadata gives it (what a tenant uploads). */
function signingCertFromMetadata(metadataXml: string): string {
  const cert = /<md:KeyDescriptor use="signing">[\s\S]*?<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(metadataXml)?.[1];
  assert.ok(cert, `no signing certificate in the metadata:\n${metadataXml}`);
  return cert;
}

/** A service provider as wazo-auth would configure node-saml: every check on. */
function serviceProvider(sp: TestSp, idp: RunningSamlIdp, cache: CacheProvider, overrides: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.slsUrl,
    entryPoint: idp.ssoUrl,
    logoutUrl: idp.sloUrl,
    idpCert: signingCertFromMetadata(idp.metadataXml),
    idpIssuer: idp.entityId,
    audience: sp.entityId,
    privateKey: sp.keyPem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 600_000,
    cacheProvider: cache,
    acceptedClockSkewMs: 5_000,
    identifierFormat: NAMEID_EMAIL,
    ...overrides,
  });
}

function expectPost(step: SamlBrowserStep): Record<string, string> {
  if (step.kind !== 'post') assert.fail(`expected the provider's posted response, got ${JSON.stringify(step).slice(0, 3000)}`);
  return step.form.fields;
}

/** The ID of the AuthnRequest in an HTTP-Redirect URL (deflated, then base64). */
function requestIdOf(url: string): string {
  const xml = inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const id = /<samlp:AuthnRequest [^>]*\bID="([^"]+)"/.exec(xml)?.[1];
  assert.ok(id, xml);
  return id;
}

function decoded(fields: Record<string, string>): string {
  return Buffer.from(fields.SAMLResponse ?? '', 'base64').toString('utf8');
}

describe('SimpleSAMLphp identity provider with a node-saml service provider', {skip: samlIdpSkip}, () => {
  let dir: string;
  let idp: RunningSamlIdp;
  let sp1: TestSp;
  let sp2: TestSp;
  let expiring: TestSp;
  let unsignedResponse: TestSp;
  let unsignedAssertion: TestSp;
  let acs: {url: string; server: Server};
  let acsSp: SAML;
  const pending = new PendingRequests();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-sp-'));
    acs = await listenAcs(() => acsSp);
    [sp1, sp2, expiring, unsignedResponse, unsignedAssertion] = await Promise.all([
      makeSp(dir, 'sp1', acs.url),
      makeSp(dir, 'sp2'),
      makeSp(dir, 'expiring'),
      makeSp(dir, 'unsigned-response'),
      makeSp(dir, 'unsigned-assertion'),
    ]);
    idp = await startSamlIdp({
      users: [alice, bob],
      serviceProviders: [
        {entityId: sp1.entityId, acsUrl: sp1.acsUrl, slsUrl: sp1.slsUrl, cert: sp1.certPem, nameIdFormat: NAMEID_EMAIL, nameIdAttribute: 'mail'},
        {entityId: sp2.entityId, acsUrl: sp2.acsUrl, slsUrl: sp2.slsUrl, cert: sp2.certPem},
        {entityId: expiring.entityId, acsUrl: expiring.acsUrl, cert: expiring.certPem, assertionLifetimeSeconds: -600},
        {entityId: unsignedResponse.entityId, acsUrl: unsignedResponse.acsUrl, cert: unsignedResponse.certPem, signResponse: false},
        {entityId: unsignedAssertion.entityId, acsUrl: unsignedAssertion.acsUrl, cert: unsignedAssertion.certPem, signAssertion: false},
      ],
    });
    acsSp = serviceProvider(sp1, idp, pending);
  });

  after(async () => {
    acs?.server.close();
    await idp?.stop();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  test('serves its metadata with its signing certificate and endpoints', () => {
    assert.equal(signingCertFromMetadata(idp.metadataXml), certBody(idp.certPem));
    assert.match(idp.metadataXml, new RegExp(`entityID="${idp.entityId}"`));
    assert.match(idp.metadataXml, new RegExp(`SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${idp.ssoUrl}"`));
    assert.match(idp.metadataXml, new RegExp(`SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${idp.sloUrl}"`));
  });

  test('a full login: signed request, login form, signed response accepted with its attributes', async () => {
    const url = await acsSp.getAuthorizeUrlAsync('relay-full-login', undefined, {});
    assert.ok(new URL(url).searchParams.get('Signature'), 'the request is signed');
    const requestId = requestIdOf(url);
    assert.ok(pending.items.has(requestId), 'the request is pending');

    const browser = createSamlBrowser();
    const step = await browser.signIn(url, alice.username, alice.password);
    const fields = expectPost(step);
    assert.equal(step.kind === 'post' && step.form.action, sp1.acsUrl);
    assert.equal(fields.RelayState, 'relay-full-login');

    // SimpleSAMLphp signs the Response and the Assertion inside it, both by default.
    const xml = decoded(fields);
    assert.match(xml, new RegExp(`^<samlp:Response [^>]*InResponseTo="${requestId}"[^>]*>\\s*<saml:Issuer>[^<]+</saml:Issuer>\\s*<ds:Signature`));
    assert.match(xml, /<saml:Assertion [^>]*>\s*<saml:Issuer>[^<]+<\/saml:Issuer>\s*<ds:Signature/);
    assert.ok(xml.includes(`Destination="${sp1.acsUrl}"`));
    assert.ok(xml.includes(`Recipient="${sp1.acsUrl}"`));
    assert.ok(xml.includes(`<saml:Attribute Name="${NAME_CLAIM}"><saml:AttributeValue xsi:type="xs:string">alice@example.com</saml:AttributeValue>`));

    // The browser posts it to the service provider's ACS, which lets the user in.
    const answer = await browser.submit(step.kind === 'post' ? step.form : assert.fail());
    assert.equal(answer.status, 303, answer.text);
    assert.equal(answer.location, 'https://app.example.com/?name=alice%40example.com');
    assert.equal(pending.items.has(requestId), false, 'the request is consumed');

    const replayed = await browser.submit(step.kind === 'post' ? step.form : assert.fail());
    assert.equal(replayed.status, 403, 'a replayed response is refused');
    assert.equal(replayed.text, 'InResponseTo is not valid');
  });

  test('the profile node-saml makes of a response', async () => {
    const sp = serviceProvider(sp1, idp, pending);
    const fields = expectPost(await createSamlBrowser().signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));
    const {profile, loggedOut} = await sp.validatePostResponseAsync(fields);
    assert.equal(loggedOut, false);
    assert.ok(profile);
    assert.equal(profile.issuer, idp.entityId);
    assert.equal(profile.nameID, 'alice@example.com');
    assert.equal(profile.nameIDFormat, NAMEID_EMAIL);
    assert.equal(profile.spNameQualifier, sp1.entityId);
    assert.equal(profile[NAME_CLAIM], 'alice@example.com');
    assert.deepEqual(profile.attributes, alice.attributes);
    assert.match(profile.sessionIndex ?? '', /^_[0-9a-f]+$/);
  });

  test('a tampered response is refused', async () => {
    const sp = serviceProvider(sp1, idp, pending);
    const fields = expectPost(await createSamlBrowser().signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));
    const forged = decoded(fields).replaceAll('alice@example.com', 'mallory@example.com');
    assert.notEqual(forged, decoded(fields));
    await assert.rejects(sp.validatePostResponseAsync({...fields, SAMLResponse: Buffer.from(forged).toString('base64')}), /signature/i);
  });

  test('a wrong password shows the login form again, with the error; the right one then passes', async () => {
    const sp = serviceProvider(sp1, idp, pending);
    const browser = createSamlBrowser();
    const first = await browser.open(await sp.getAuthorizeUrlAsync('', undefined, {}));
    assert.equal(first.kind, 'login');
    assert.equal(first.kind === 'login' && first.error, undefined);
    assert.ok(first.kind === 'login' && first.form.fields.AuthState);

    const again = await browser.login(first.kind === 'login' ? first.form : assert.fail(), alice.username, 'not-the-password');
    assert.equal(again.kind, 'login');
    assert.equal(again.kind === 'login' && again.error, 'Incorrect username or password');

    const fields = expectPost(await browser.login(again.kind === 'login' ? again.form : assert.fail(), alice.username, alice.password));
    assert.equal((await sp.validatePostResponseAsync(fields)).profile?.nameID, 'alice@example.com');
  });

  test('the provider session skips the form on the next login of the same browser', async () => {
    const sp = serviceProvider(sp1, idp, pending);
    const browser = createSamlBrowser();
    expectPost(await browser.signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));
    const second = await browser.open(await sp.getAuthorizeUrlAsync('', undefined, {}));
    assert.equal((await sp.validatePostResponseAsync(expectPost(second))).profile?.nameID, 'alice@example.com');
  });

  test('an unsigned request from a service provider with a registered certificate is refused by the provider', async () => {
    const sp = serviceProvider(sp1, idp, pending, {privateKey: undefined});
    const step = await createSamlBrowser().open(await sp.getAuthorizeUrlAsync('', undefined, {}));
    // SimpleSAMLphp answers its error page with a 200.
    assert.equal(step.kind, 'page');
    assert.match(step.kind === 'page' ? step.html : '', /Validation of received messages enabled, but no signature found on message/);
  });

  test('a response for another service provider is refused for its audience; a failed check consumes the request', async () => {
    // Both providers share the pending requests, as the daemon's tenants would: only the audience tells them apart.
    const mine = serviceProvider(sp1, idp, pending);
    const theirs = serviceProvider(sp2, idp, pending, {identifierFormat: null});
    const fields = expectPost(await createSamlBrowser().signIn(await theirs.getAuthorizeUrlAsync('', undefined, {}), bob.username, bob.password));
    await assert.rejects(mine.validatePostResponseAsync(fields), /audience mismatch/i);
    await assert.rejects(theirs.validatePostResponseAsync(fields), /InResponseTo is not valid/);

    const again = expectPost(await createSamlBrowser().signIn(await theirs.getAuthorizeUrlAsync('', undefined, {}), bob.username, bob.password));
    const {profile} = await theirs.validatePostResponseAsync(again);
    assert.equal(profile?.name, 'bob@example.org');
    assert.equal(profile?.nameIDFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  });

  test('an expired assertion is refused', async () => {
    const sp = serviceProvider(expiring, idp, pending);
    const fields = expectPost(await createSamlBrowser().signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));
    // node-saml checks the subject's NotOnOrAfter before the assertion's Conditions.
    await assert.rejects(sp.validatePostResponseAsync(fields), /No valid subject confirmation found/);
    assert.match(decoded(fields), /<saml:Conditions NotBefore="[^"]+" NotOnOrAfter="[^"]+">/);
  });

  test('wantAuthnResponseSigned refuses a response signed only in its assertion; wantAssertionsSigned, an assertion signed only by its response', async () => {
    const responseFor = async (sp: SAML) =>
      expectPost(await createSamlBrowser().signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));

    const assertionOnly = serviceProvider(unsignedResponse, idp, pending, {identifierFormat: null});
    const onlyInAssertion = await responseFor(assertionOnly);
    assert.doesNotMatch(decoded(onlyInAssertion), /^<samlp:Response [^>]*>\s*<saml:Issuer>[^<]+<\/saml:Issuer>\s*<ds:Signature/);
    await assert.rejects(assertionOnly.validatePostResponseAsync(onlyInAssertion), /Invalid document signature/);
    const lenient = serviceProvider(unsignedResponse, idp, pending, {identifierFormat: null, wantAuthnResponseSigned: false});
    assert.equal((await lenient.validatePostResponseAsync(await responseFor(lenient))).profile?.[NAME_CLAIM], 'alice@example.com');

    const responseOnly = serviceProvider(unsignedAssertion, idp, pending, {identifierFormat: null});
    const onlyInResponse = await responseFor(responseOnly);
    assert.doesNotMatch(decoded(onlyInResponse), /<saml:Assertion [^>]*>\s*<saml:Issuer>[^<]+<\/saml:Issuer>\s*<ds:Signature/);
    await assert.rejects(responseOnly.validatePostResponseAsync(onlyInResponse), /^Error: Invalid signature$/);
    const trustingResponse = serviceProvider(unsignedAssertion, idp, pending, {identifierFormat: null, wantAssertionsSigned: false});
    assert.equal((await trustingResponse.validatePostResponseAsync(await responseFor(trustingResponse))).profile?.[NAME_CLAIM], 'alice@example.com');
  });

  test('single logout: a signed LogoutRequest ends the provider session; its signed LogoutResponse is accepted', async () => {
    const sp = serviceProvider(sp1, idp, pending);
    const browser = createSamlBrowser();
    const {profile} = await sp.validatePostResponseAsync(
      expectPost(await browser.signIn(await sp.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password)),
    );
    assert.ok(profile);

    const logoutUrl = await sp.getLogoutUrlAsync(profile as Profile, 'relay-logout', {});
    assert.ok(new URL(logoutUrl).searchParams.get('Signature'), 'the logout request is signed');
    const back = await browser.open(logoutUrl);
    if (back.kind !== 'redirect') assert.fail(`expected a redirect to the SLS, got ${JSON.stringify(back).slice(0, 3000)}`);
    const answer = new URL(back.url);
    assert.equal(`${answer.origin}${answer.pathname}`, sp1.slsUrl);
    assert.equal(answer.searchParams.get('RelayState'), 'relay-logout');
    assert.ok(answer.searchParams.get('Signature'), 'the provider signs its LogoutResponse');
    const result = await sp.validateRedirectAsync(Object.fromEntries(answer.searchParams), answer.search.slice(1));
    assert.equal(result.loggedOut, true);

    // node-saml takes a LogoutResponse with its signature cut off: the daemon must demand one itself.
    answer.searchParams.delete('Signature');
    answer.searchParams.delete('SigAlg');
    assert.equal((await sp.validateRedirectAsync(Object.fromEntries(answer.searchParams), answer.search.slice(1))).loggedOut, true);

    const next = await browser.open(await sp.getAuthorizeUrlAsync('', undefined, {}));
    assert.equal(next.kind, 'login', 'the provider session is over');
  });
});

describe('two identity providers side by side', {skip: samlIdpSkip}, () => {
  test('each signs for itself; a service provider trusts only its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-sp-'));
    const [spA, spB] = await Promise.all([makeSp(dir, 'tenant-a'), makeSp(dir, 'tenant-b')]);
    const [idpA, idpB] = await Promise.all([
      startSamlIdp({users: [alice], serviceProviders: [{entityId: spA.entityId, acsUrl: spA.acsUrl, cert: spA.certPem}]}),
      startSamlIdp({users: [bob], serviceProviders: [{entityId: spB.entityId, acsUrl: spB.acsUrl, cert: spB.certPem}]}),
    ]);
    try {
      assert.notEqual(idpA.entityId, idpB.entityId);
      assert.notEqual(idpA.certPem, idpB.certPem);
      const pending = new PendingRequests();
      const a = serviceProvider(spA, idpA, pending, {identifierFormat: null});
      const b = serviceProvider(spB, idpB, pending, {identifierFormat: null});
      const fromA = expectPost(await createSamlBrowser().signIn(await a.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password));
      const fromB = expectPost(await createSamlBrowser().signIn(await b.getAuthorizeUrlAsync('', undefined, {}), bob.username, bob.password));

      assert.equal((await a.validatePostResponseAsync(fromA)).profile?.[NAME_CLAIM], 'alice@example.com');
      // B's response checked against A's certificate (a failed check would consume B's request: no InResponseTo here).
      const trustingOnlyA = serviceProvider(spB, idpA, pending, {idpIssuer: idpB.entityId, validateInResponseTo: ValidateInResponseTo.never});
      await assert.rejects(trustingOnlyA.validatePostResponseAsync(fromB), /signature/i);
      assert.equal((await b.validatePostResponseAsync(fromB)).profile?.name, 'bob@example.org');
      // Alice is not a user of B's provider.
      const step = await createSamlBrowser().signIn(await b.getAuthorizeUrlAsync('', undefined, {}), alice.username, alice.password);
      assert.equal(step.kind === 'login' && step.error, 'Incorrect username or password');
    } finally {
      await Promise.all([idpA.stop(), idpB.stop()]);
      await rm(dir, {recursive: true, force: true});
    }
  });
});
