// A daemon with SAML set up for two tenants, each with its own identity provider (SimpleSAMLphp),
// and the helpers the SAML tests share: configuration uploads, the browser's round trip, tokens.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FormData, request} from 'undici';
import {ManualClock} from '../../src/clock.js';
import type {Email} from '../../src/domain/types.js';
import {startTestDaemon, type Answer, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';
import {createSamlBrowser, type HtmlForm, type SamlBrowser, type SamlBrowserStep} from '../helpers/saml-browser.js';
import {selfSignedCertificate, startSamlIdp, type RunningSamlIdp, type SamlTestUser} from '../helpers/saml-idp.js';

export const NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
export const APP = 'https://app.example.com/after-login';

export const alice: SamlTestUser = {username: 'alice', password: 'alice-pw', attributes: {[NAME_CLAIM]: 'alice@example.com'}};
export const carol: SamlTestUser = {username: 'carol', password: 'carol-pw', attributes: {[NAME_CLAIM]: 'carol@example.com'}};
export const nobody: SamlTestUser = {username: 'nobody', password: 'nobody-pw', attributes: {mail: 'nobody@example.com'}};
export const bob: SamlTestUser = {username: 'bob', password: 'bob-pw', attributes: {name: 'bob@example.org'}};
/** Tenant B's provider vouching for a login of tenant A. */
export const impostor: SamlTestUser = {username: 'mallory', password: 'mallory-pw', attributes: {name: 'alice@example.com'}};

export interface Tenant {
  uuid: string;
  domain: string;
  domainUuid: string;
  entityId: string;
}

export interface SamlWorld {
  td: TestDaemon;
  clock: ManualClock;
  log: RecordingLog;
  idpA: RunningSamlIdp;
  idpB: RunningSamlIdp;
  a: Tenant;
  b: Tenant;
  /** A tenant whose provider issues assertions already expired. */
  late: Tenant;
  acsUrl: string;
  users: Record<string, string>;
  stop(): Promise<void>;
}

export async function tenantWithDomain(td: TestDaemon, slug: string, domain: string): Promise<{uuid: string; domainUuid: string}> {
  const created = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: slug, slug, domain_names: [domain]}});
  assert.equal(created.status, 200, created.text);
  const domains = await td.call('GET', `/0.1/tenants/${created.json.uuid}/domains`, {token: td.admin.token});
  return {uuid: created.json.uuid, domainUuid: domains.json.items[0].uuid};
}

/** A multipart call of the configuration routes. */
export async function configCall(
  td: TestDaemon,
  method: 'POST' | 'PUT',
  token: string,
  tenantUuid: string,
  fields: Record<string, string>,
  metadata?: {xml: string | Buffer; filename?: string},
): Promise<Answer> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (metadata) form.append('metadata', new Blob([metadata.xml]), metadata.filename ?? 'metadata.xml');
  const res = await request(`${td.url}/0.1/backends/saml`, {method, body: form, headers: {'x-auth-token': token, 'wazo-tenant': tenantUuid}});
  const text = await res.body.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {status: res.statusCode, headers: res.headers as Answer['headers'], text, json};
}

async function samlUser(td: TestDaemon, tenantUuid: string, username: string, method: 'saml' | 'native', emails: Email[] = []): Promise<string> {
  const uuid = randomUUID();
  await td.daemon.services.store.users.create(
    {uuid, tenantUuid, username, firstname: null, lastname: null, purpose: 'user', enabled: true, authenticationMethod: method, emails},
    null,
  );
  return uuid;
}

export async function startSamlWorld(): Promise<SamlWorld> {
  const keysDir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-sp-'));
  const sp = await selfSignedCertificate(keysDir, 'wazo-auth-sp');
  const clock = new ManualClock();
  const log = recordingLog();
  const td = await startTestDaemon({clock, log, config: {saml: {key_file: sp.keyFile, cert_file: sp.certFile}}});
  const acsUrl = `${td.url}/0.1/saml/acs`;
  const slsUrl = `${td.url}/0.1/saml/sls`;
  const provider = (entityId: string, extra = {}) => ({entityId, acsUrl, slsUrl, cert: sp.certPem, ...extra});
  const [idpA, idpB] = await Promise.all([
    startSamlIdp({users: [alice, carol, nobody], serviceProviders: [provider('wazo-tenant-a'), provider('wazo-late', {assertionLifetimeSeconds: -600})]}),
    startSamlIdp({users: [bob, impostor], serviceProviders: [provider('wazo-tenant-b')]}),
  ]);
  const configure = async (slug: string, domain: string, entityId: string, idp: RunningSamlIdp): Promise<Tenant> => {
    const tenant = await tenantWithDomain(td, slug, domain);
    const answer = await configCall(
      td,
      'POST',
      td.admin.token,
      tenant.uuid,
      {domain_uuid: tenant.domainUuid, entity_id: entityId, acs_url: acsUrl},
      {xml: idp.metadataXml},
    );
    assert.equal(answer.status, 200, answer.text);
    return {uuid: tenant.uuid, domain, domainUuid: tenant.domainUuid, entityId};
  };
  const stopAll = async () => {
    await Promise.all([idpA.stop(), idpB.stop(), td.stop()]);
    await rm(keysDir, {recursive: true, force: true});
  };
  let a: Tenant, b: Tenant, late: Tenant, users: Record<string, string>;
  try {
    a = await configure('saml_a', 'a.example.com', 'wazo-tenant-a', idpA);
    b = await configure('saml_b', 'b.example.com', 'wazo-tenant-b', idpB);
    late = await configure('saml_late', 'late.example.com', 'wazo-late', idpA);
    const confirmed = (address: string): Email => ({uuid: randomUUID(), address, main: true, confirmed: true});
    users = {
      alice: await samlUser(td, a.uuid, 'alice-a', 'saml', [confirmed('alice@example.com')]),
      // carol's method is native: a SAML login must not open her account.
      carol: await samlUser(td, a.uuid, 'carol@example.com', 'native'),
      bob: await samlUser(td, b.uuid, 'bob@example.org', 'saml'),
      lateAlice: await samlUser(td, late.uuid, 'late-alice', 'saml'),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    td,
    clock,
    log,
    idpA,
    idpB,
    a,
    b,
    late,
    acsUrl,
    users,
    stop: stopAll,
  };
}

export async function sso(td: TestDaemon, domain: string, redirectUrl = APP): Promise<{location: string; saml_session_id: string}> {
  const answer = await td.call('POST', '/0.1/saml/sso', {body: {redirect_url: redirectUrl, domain}});
  assert.equal(answer.status, 200, answer.text);
  return answer.json;
}

export function expectPost(step: SamlBrowserStep): HtmlForm {
  if (step.kind !== 'post') assert.fail(`expected the provider's posted response, got ${JSON.stringify(step).slice(0, 2000)}`);
  return step.form;
}

/** sso, the provider's login form, and the posted response (not yet submitted). */
export async function providerAnswer(world: SamlWorld, domain: string, user: SamlTestUser, browser: SamlBrowser = createSamlBrowser()) {
  const started = await sso(world.td, domain);
  const form = expectPost(await browser.signIn(started.location, user.username, user.password));
  assert.equal(form.action, world.acsUrl);
  return {started, form, browser};
}

export function exchange(td: TestDaemon, samlSessionId: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  return td.call('POST', '/0.1/token', {body: {saml_session_id: samlSessionId, ...extra}});
}

export const failed = `${APP}?login_failure_code=500`;
