// Bus events against the machine's RabbitMQ: each action's message, with upstream's routing key,
// headers and body (wazo-bus, resources/auth/events.py and the WazoEventMixin envelope).
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {amqpSkip, consumeExchange, freshExchange, testAmqpUri, type BusConsumer, type Received} from '../helpers/amqp.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

const ORIGIN = randomUUID();
const ISO_LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;

/** What every message carries: the headers repeated in the body, with `data`; JSON, persistent. */
function assertEnvelope(message: Received, name: string, routingKey: string, expectedHeaders: Record<string, unknown>, data: unknown): void {
  assert.equal(message.routingKey, routingKey);
  assert.equal(message.contentType, 'application/json');
  assert.equal(message.contentEncoding, 'utf-8');
  assert.equal(message.deliveryMode, 2);
  const {timestamp, ...headers} = message.headers;
  assert.match(String(timestamp), ISO_LOCAL);
  assert.deepEqual(headers, {
    ...expectedHeaders,
    name,
    required_access: `event.${name}`,
    required_acl: `events.${routingKey}`,
    origin_uuid: ORIGIN,
  });
  assert.deepEqual(
    Object.keys(message.headers),
    Object.keys(message.body).filter((key) => key !== 'data'),
    'the body repeats the headers, in order',
  );
  assert.deepEqual(message.body, {...message.headers, data});
}

describe('bus events on RabbitMQ', {skip: amqpSkip}, () => {
  let td: TestDaemon;
  let bus: BusConsumer;
  const exchange = freshExchange();
  let top: string;

  before(async () => {
    bus = await consumeExchange(testAmqpUri!, exchange);
    td = await startTestDaemon({config: {uuid: ORIGIN, amqp: {uri: testAmqpUri, exchange_name: exchange, exchange_type: 'topic'}}});
    top = await td.daemon.services.tenants.top();
    // The administrator's own login at start.
    await bus.waitFor(1, (m) => m.headers['name'] === 'auth_session_created');
  });
  after(async () => {
    await td?.stop();
    await bus?.close();
  });

  const named = (name: string) => (m: Received) => m.headers['name'] === name;
  const only = async (name: string, n = 1) => (await bus.waitFor(n, named(name))).slice(-1)[0]!;

  test('tenants: added, updated, deleted', async () => {
    const created = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'Acme', slug: 'acme', domain_names: ['acme.example']}});
    assert.equal(created.status, 200);
    const uuid = created.json.uuid as string;
    const tenantHeaders = {tenant_uuid: uuid, 'user_uuid:*': true};
    assertEnvelope(await only('auth_tenant_added'), 'auth_tenant_added', `auth.tenants.${uuid}.created`, tenantHeaders, {
      uuid,
      name: 'Acme',
      slug: 'acme',
      domain_names: ['acme.example'],
    });

    assert.equal((await td.call('PUT', `/0.1/tenants/${uuid}`, {token: td.admin.token, body: {name: 'Acme Corp', domain_names: []}})).status, 200);
    assertEnvelope(await only('auth_tenant_updated'), 'auth_tenant_updated', `auth.tenants.${uuid}.updated`, tenantHeaders, {uuid, name: 'Acme Corp'});

    assert.equal((await td.call('DELETE', `/0.1/tenants/${uuid}`, {token: td.admin.token})).status, 204);
    assertEnvelope(await only('auth_tenant_deleted'), 'auth_tenant_deleted', `auth.tenants.${uuid}.deleted`, tenantHeaders, {uuid});
  });

  test('sessions and refresh tokens: created, deleted; a client id with dots and wildcards is escaped', async () => {
    const userUuid = await createUser(td.daemon.services.store, {username: 'alice', password: 'secret'});
    const before = bus.received.length;
    const clientId = 'my.app#1*';
    const login = await td.call('POST', '/0.1/token', {
      body: {access_type: 'offline', client_id: clientId},
      headers: {authorization: basic('alice', 'secret'), 'wazo-session-type': 'mobile'},
    });
    assert.equal(login.status, 200);
    const {session_uuid: sessionUuid, token} = login.json.data as {session_uuid: string; token: string};
    const fresh = await bus.waitFor(before + 2);
    const [refreshCreated, sessionCreated] = fresh.slice(before);
    const escaped = 'my__DOT__app__HASH__1__STAR__';
    const userHeaders = {tenant_uuid: top, [`user_uuid:${userUuid}`]: true};
    assertEnvelope(refreshCreated!, 'auth_refresh_token_created', `auth.users.${userUuid}.tokens.${escaped}.created`, userHeaders, {
      client_id: clientId,
      mobile: true,
      user_uuid: userUuid,
      tenant_uuid: top,
    });
    const sessionHeaders = {tenant_uuid: top, session_uuid: sessionUuid, [`user_uuid:${userUuid}`]: true};
    assertEnvelope(sessionCreated!, 'auth_session_created', `auth.sessions.${sessionUuid}.created`, sessionHeaders, {
      uuid: sessionUuid,
      tenant_uuid: top,
      user_uuid: userUuid,
      mobile: true,
    });

    // Revoking the token ends its session.
    assert.equal((await td.call('DELETE', `/0.1/token/${token}`)).status, 200);
    assertEnvelope(await only('auth_session_deleted'), 'auth_session_deleted', `auth.sessions.${sessionUuid}.deleted`, sessionHeaders, {
      uuid: sessionUuid,
      user_uuid: userUuid,
      tenant_uuid: top,
    });

    const removed = await td.call('DELETE', `/0.1/users/${userUuid}/tokens/${encodeURIComponent(clientId)}`, {token: td.admin.token});
    assert.equal(removed.status, 204);
    assertEnvelope(await only('auth_refresh_token_deleted'), 'auth_refresh_token_deleted', `auth.users.${userUuid}.tokens.${escaped}.deleted`, userHeaders, {
      client_id: clientId,
      mobile: true,
      user_uuid: userUuid,
      tenant_uuid: top,
    });
  });

  test('an administrator ending a session, and a password change ending them all, announce each', async () => {
    const userUuid = await createUser(td.daemon.services.store, {username: 'bob', password: 'pw'});
    const sessions: string[] = [];
    for (let i = 0; i < 3; i++) {
      sessions.push((await td.login('bob', 'pw')).session_uuid as string);
    }
    const deletedBefore = bus.received.filter(named('auth_session_deleted')).length;
    assert.equal((await td.call('DELETE', `/0.1/sessions/${sessions[0]}`, {token: td.admin.token})).status, 204);
    const [byAdmin] = (await bus.waitFor(deletedBefore + 1, named('auth_session_deleted'))).slice(deletedBefore);
    assert.equal(byAdmin!.routingKey, `auth.sessions.${sessions[0]}.deleted`);

    const changed = await td.call('PUT', `/0.1/users/${userUuid}/password`, {token: td.admin.token, body: {old_password: 'pw', new_password: 'pw2'}});
    assert.equal(changed.status, 204);
    const rest = (await bus.waitFor(deletedBefore + 3, named('auth_session_deleted'))).slice(deletedBefore + 1);
    assert.deepEqual(
      rest.map((m) => m.body['data']).sort((a, b) => String((a as {uuid: string}).uuid).localeCompare((b as {uuid: string}).uuid)),
      sessions
        .slice(1)
        .sort()
        .map((uuid) => ({uuid, user_uuid: userUuid, tenant_uuid: top})),
    );
  });

  test("an administrator's password reset and a user's deletion announce the sessions they end", async () => {
    const userUuid = await createUser(td.daemon.services.store, {username: 'gail', password: 'pw'});
    const deleted = named('auth_session_deleted');
    const ended = (uuid: string) => (m: Received) => deleted(m) && (m.body['data'] as {uuid: string}).uuid === uuid;
    const first = (await td.login('gail', 'pw')).session_uuid as string;
    const reset = await td.call('POST', `/0.1/users/password/reset?user_uuid=${userUuid}`, {token: td.admin.token, body: {password: 'pw2'}});
    assert.equal(reset.status, 204, reset.text);
    const [byReset] = await bus.waitFor(1, ended(first));
    assert.deepEqual(byReset!.body['data'], {uuid: first, user_uuid: userUuid, tenant_uuid: top});

    const second = (await td.login('gail', 'pw2')).session_uuid as string;
    assert.equal((await td.call('DELETE', `/0.1/users/${userUuid}`, {token: td.admin.token})).status, 204);
    await bus.waitFor(1, ended(second));
  });

  test('external auth: a phone registering, replacing and removing its push tokens', async () => {
    const userUuid = await createUser(td.daemon.services.store, {username: 'hugo', password: 'pw'});
    const path = `/0.1/users/${userUuid}/external/mobile`;
    const userHeaders = {tenant_uuid: top, [`user_uuid:${userUuid}`]: true};
    const data = {user_uuid: userUuid, external_auth_name: 'mobile'};
    for (const [method, name, verb] of [
      ['POST', 'auth_user_external_auth_added', 'created'],
      ['PUT', 'auth_user_external_auth_updated', 'updated'],
      ['DELETE', 'auth_user_external_auth_deleted', 'deleted'],
    ] as const) {
      const r = await td.call(method, path, {token: td.admin.token, body: method === 'DELETE' ? undefined : {token: 'device-token'}});
      assert.ok(r.status < 300, `${method}: ${r.status} ${r.text}`);
      assertEnvelope(await only(name), name, `auth.users.${userUuid}.external.mobile.${verb}`, userHeaders, data);
    }
  });

  test('the outbox is empty once everything is confirmed', async () => {
    await bus.waitFor(bus.received.length);
    const depth = async () => td.daemon.services.store.outbox.depth();
    for (let tries = 0; (await depth()) > 0 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await depth(), 0);
  });
});
