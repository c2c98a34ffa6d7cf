// The external auth routes with the mobile plugin, as upstream's test_mobile and test_external
// suites see them: device tokens, the tenant's push settings and sender id, the user's list,
// the connected users, ACLs (`me` included), tenant isolation, the four bus events through the
// outbox, and secrets absent from the database file, the log and every list.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {SecretBox} from '../../src/services/secret-box.js';
import type {OutboxMessage} from '../../src/store/store.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';
import {createTenant, createUser} from '../helpers/users.js';

let td: TestDaemon;
let log: RecordingLog;
let top: string;
let tenantA: string;
let tenantB: string;
const users: Record<string, string> = {};
const tokens: Record<string, string> = {};

const SECRETS = {
  fcm_sender_id: 'sender-1234',
  fcm_api_key: 'fcm-api-key-7c1e5b0d',
  fcm_service_account_info: JSON.stringify({
    type: 'service_account',
    private_key: '-----BEGIN PRIVATE KEY-----\\nMIIEvQ-sa-key-9f2a\\n-----END PRIVATE KEY-----\\n',
  }),
  ios_apn_certificate: '-----BEGIN CERTIFICATE-----\nMIIC-apns-cert-41d8\n-----END CERTIFICATE-----',
  ios_apn_private: '-----BEGIN PRIVATE KEY-----\nMIIE-apns-key-0be3\n-----END PRIVATE KEY-----',
  use_sandbox: true,
};
const DEVICE = {
  token: 'fcm-device-token-5e6f',
  apns_token: 'apns-voip-token-77aa',
  apns_voip_token: 'apns-voip-token-77aa',
  apns_notification_token: 'apns-notif-token-88bb',
  apns_call_topic: 'com.example.app.voip',
  apns_default_topic: 'com.example.app',
};

const MOBILE_ADMIN = ['auth.users.*.external.#', 'auth.mobile.external.#', 'auth.google.external.#', 'auth.users.read'];

before(async () => {
  log = recordingLog();
  // A broker no one listens on: the events wait in the outbox, where the tests read them.
  td = await startTestDaemon({log, config: {amqp: {uri: 'amqp://guest:guest@127.0.0.1:1/'}}});
  const store = td.daemon.services.store;
  top = (await store.tenants.top())!.uuid;
  tenantA = await createTenant(store, top, 'tenant-a');
  tenantB = await createTenant(store, top, 'tenant-b');
  const people: [string, string, string[]][] = [
    ['alice', tenantA, ['auth.users.me.external.#']],
    ['bob', tenantA, ['auth.users.me.external.mobile.read']],
    ['admin-a', tenantA, MOBILE_ADMIN],
    ['admin-b', tenantB, MOBILE_ADMIN],
    ['carol', tenantB, ['auth.users.me.external.#']],
  ];
  for (const [name, tenant, acl] of people) {
    users[name] = await createUser(store, {username: name, password: `pw-${name}`, acl, tenantUuid: tenant});
    tokens[name] = (await td.login(name, `pw-${name}`)).token;
  }
});
after(() => td?.stop());

const as = (name: string, tenant?: string) => (method: string, path: string, body?: unknown) =>
  td.call(method, path, {token: name === 'root' ? td.admin.token : tokens[name], body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const mobilePath = (user: string) => `/0.1/users/${users[user]}/external/mobile`;

/** Takes the events waiting in the outbox (the publisher never connects). */
async function takeEvents(): Promise<OutboxMessage[]> {
  const taken: OutboxMessage[] = [];
  await td.daemon.services.store.outbox.drain(1000, async (messages) => void taken.push(...messages));
  return taken;
}

describe('tenant settings: /0.1/external/{type}/config', () => {
  test('GET without settings: 404 unknown-external-auth', async () => {
    const r = await as('admin-a')('GET', '/0.1/external/mobile/config');
    assert.equal(r.status, 404);
    assert.equal(r.json.error_id, 'unknown-external-auth');
    assert.deepEqual(r.json.details, {type: 'mobile'});
  });

  test('POST creates (201 with the JSON string "", which wazo-auth-client parses), GET answers them whole, a second POST is 409', async () => {
    const created = await as('admin-a')('POST', '/0.1/external/mobile/config', SECRETS);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.text, '""\n');
    assert.equal(created.json, '');
    const r = await as('admin-a')('GET', '/0.1/external/mobile/config');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, SECRETS);
    const again = await as('admin-a')('POST', '/0.1/external/mobile/config', SECRETS);
    assert.equal(again.status, 409);
    assert.equal(again.json.error_id, 'conflict');
  });

  test("another tenant's administrator sees none and cannot reach them", async () => {
    assert.equal((await as('admin-b')('GET', '/0.1/external/mobile/config')).status, 404);
    // Wazo-Tenant naming a tenant outside the token's tree: 401, as upstream.
    assert.equal((await as('admin-b', tenantA)('GET', '/0.1/external/mobile/config')).status, 401);
    assert.equal((await as('admin-b', tenantA)('PUT', '/0.1/external/mobile/config', {})).status, 401);
    assert.equal((await as('admin-b', tenantA)('DELETE', '/0.1/external/mobile/config')).status, 401);
    // The top tenant's administrator reaches them with Wazo-Tenant, not without.
    assert.equal((await as('root')('GET', '/0.1/external/mobile/config')).status, 404);
    assert.deepEqual((await as('root', tenantA)('GET', '/0.1/external/mobile/config')).json, SECRETS);
  });

  test('the accesses are per type: auth.{type}.external.config.*', async () => {
    const r = await as('admin-a')('GET', '/0.1/external/microsoft/config');
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.microsoft.external.config.read');
    assert.equal((await as('alice')('GET', '/0.1/external/mobile/config')).status, 401);
  });

  test('PUT replaces (204) or is 404 without settings; a body that is no object is 400', async () => {
    const r = await as('admin-b')('PUT', '/0.1/external/google/config', {client_id: 'x'});
    assert.equal(r.status, 404);
    const bad = await td.call('POST', '/0.1/external/google/config', {token: tokens['admin-b'], rawBody: '[1]', headers: {'content-type': 'application/json'}});
    assert.equal(bad.status, 400);
    await as('admin-b')('POST', '/0.1/external/google/config', {client_id: 'id-b', client_secret: 'secret-b-3e9d'});
    const put = await as('admin-b')('PUT', '/0.1/external/google/config', {client_id: 'id-b2', client_secret: 'secret-b2-3e9d', extra: {kept: [1]}});
    assert.equal(put.status, 204);
    assert.deepEqual((await as('admin-b')('GET', '/0.1/external/google/config')).json, {
      client_id: 'id-b2',
      client_secret: 'secret-b2-3e9d',
      extra: {kept: [1]},
    });
    assert.equal((await as('admin-b')('DELETE', '/0.1/external/google/config')).status, 204);
    assert.equal((await as('admin-b')('DELETE', '/0.1/external/google/config')).status, 404);
  });

  test('settings nested deeper than any other JSON body are refused with a 400 before parsing (no 500)', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    for (const method of ['POST', 'PUT']) {
      const r = await td.call(method, '/0.1/external/google/config', {token: tokens['admin-b'], rawBody: deep, headers: {'content-type': 'application/json'}});
      assert.equal(r.status, 400, `${method}: ${r.text}`);
      assert.match(r.json.message, /could not understand/);
    }
    assert.equal((await as('admin-b')('GET', '/0.1/external/google/config')).status, 404);
  });
});

describe('device tokens: /0.1/users/{uuid}/external/mobile', () => {
  test('a user registers its own with a `me` access: 201 with every field; GET reads them back', async () => {
    assert.equal((await as('alice')('GET', mobilePath('alice'))).status, 404);
    const r = await as('alice')('POST', mobilePath('alice'), {token: 'TOKEN', apns_voip_token: 'VOIP'});
    assert.equal(r.status, 201, r.text);
    const expected = {
      token: 'TOKEN',
      apns_token: null,
      apns_voip_token: 'VOIP',
      apns_notification_token: null,
      apns_call_topic: null,
      apns_default_topic: null,
    };
    assert.deepEqual(r.json, expected);
    assert.deepEqual((await as('alice')('GET', mobilePath('alice'))).json, expected);
    const again = await as('alice')('POST', mobilePath('alice'), {token: 'OTHER'});
    assert.equal(again.status, 409);
  });

  test('PUT replaces, DELETE removes (204, then 404); PUT without tokens registers them', async () => {
    const put = await as('alice')('PUT', mobilePath('alice'), DEVICE);
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, DEVICE);
    assert.deepEqual((await as('alice')('GET', mobilePath('alice'))).json, DEVICE);
    assert.equal((await as('alice')('DELETE', mobilePath('alice'))).status, 204);
    assert.equal((await as('alice')('GET', mobilePath('alice'))).status, 404);
    assert.equal((await as('alice')('DELETE', mobilePath('alice'))).status, 404);
    assert.equal((await as('alice')('PUT', mobilePath('alice'), DEVICE)).status, 200);
    assert.deepEqual((await as('alice')('GET', mobilePath('alice'))).json, DEVICE);
  });

  test('a body field too long, or of the wrong type, is 400 invalid-data', async () => {
    const r = await as('alice')('PUT', mobilePath('alice'), {token: 'x'.repeat(513)});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-data');
    assert.ok('token' in r.json.details);
    assert.equal((await as('alice')('POST', mobilePath('alice'), {apns_token: 5})).status, 400);
  });

  test("`me` grants one's own only; a narrower access grants only its verb", async () => {
    assert.equal((await as('alice')('GET', mobilePath('bob'))).status, 401);
    assert.equal((await as('bob')('GET', mobilePath('bob'))).status, 404);
    assert.equal((await as('bob')('POST', mobilePath('bob'), DEVICE)).status, 401);
    assert.equal((await as('bob')('GET', `${mobilePath('bob')}/sender_id`)).status, 401);
  });

  test("another tenant's user is 404 to an administrator, for every route", async () => {
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['POST', '', DEVICE],
      ['PUT', '', DEVICE],
      ['DELETE', '', undefined],
      ['GET', '/sender_id', undefined],
    ] as const) {
      const r = await as('admin-b')(method, `${mobilePath('alice')}${suffix}`, body);
      assert.equal(r.status, 404, `${method} ${suffix}`);
      assert.equal(r.json.error_id, 'unknown-user', `${method} ${suffix}`);
    }
    assert.deepEqual((await as('admin-a')('GET', mobilePath('alice'))).json, DEVICE);
  });

  test('sender_id: the fcm_sender_id of the user’s tenant; 404 when the tenant has no settings', async () => {
    const r = await as('alice')('GET', `${mobilePath('alice')}/sender_id`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {sender_id: SECRETS.fcm_sender_id});
    const none = await as('carol')('GET', `${mobilePath('carol')}/sender_id`);
    assert.equal(none.status, 404);
  });
});

describe('GET /0.1/users/{uuid}/external and /0.1/external/{type}/users', () => {
  test("the user's list: every loaded type, which ones are linked, no data", async () => {
    const r = await as('alice')('GET', `/0.1/users/${users.alice}/external`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      total: 3,
      filtered: 3,
      items: [
        {type: 'google', data: {}, plugin_info: {}, enabled: false},
        {type: 'microsoft', data: {}, plugin_info: {}, enabled: false},
        {type: 'mobile', data: {}, plugin_info: {}, enabled: true},
      ],
    });
    const filtered = await as('alice')('GET', `/0.1/users/${users.alice}/external?search=MOB&direction=desc`);
    assert.deepEqual(
      filtered.json.items.map((i: any) => i.type),
      ['mobile'],
    );
    assert.equal(filtered.json.filtered, 1);
    const byType = await as('alice')('GET', `/0.1/users/${users.alice}/external?type=google&limit=5`);
    assert.deepEqual([byType.json.total, byType.json.filtered, byType.json.items.length], [3, 1, 1]);
    const paged = await as('alice')('GET', `/0.1/users/${users.alice}/external?order=type&direction=desc&limit=1&offset=1`);
    assert.deepEqual(
      paged.json.items.map((i: any) => i.type),
      ['microsoft'],
    );
    assert.equal((await as('alice')('GET', `/0.1/users/${users.alice}/external?order=data`)).status, 400);
    assert.equal((await as('admin-b')('GET', `/0.1/users/${users.alice}/external`)).status, 404);
    assert.equal((await as('alice')('GET', `/0.1/users/${users.bob}/external`)).status, 401);
  });

  test('the connected users: of the tenant, and below with recurse; unknown type 404', async () => {
    await as('carol')('POST', mobilePath('carol'), DEVICE);
    const a = await as('admin-a')('GET', '/0.1/external/mobile/users');
    assert.deepEqual(a.json, {total: 1, filtered: 1, items: [{uuid: users.alice}]});
    const b = await as('admin-b')('GET', '/0.1/external/mobile/users');
    assert.deepEqual(b.json, {total: 1, filtered: 1, items: [{uuid: users.carol}]});
    const root = await as('root')('GET', '/0.1/external/mobile/users');
    assert.equal(root.json.total, 0);
    const all = await as('root')('GET', '/0.1/external/mobile/users?recurse=true');
    assert.deepEqual(all.json.items.map((i: any) => i.uuid).sort(), [users.alice, users.carol].sort());
    const page = await as('root')('GET', '/0.1/external/mobile/users?recurse=true&limit=1');
    assert.deepEqual([page.json.total, page.json.items.length], [2, 1]);
    assert.equal((await as('admin-a')('GET', '/0.1/external/nothing/users')).status, 401, 'the access is per type');
    const rootUnknown = await as('root')('GET', '/0.1/external/nothing/users');
    assert.equal(rootUnknown.status, 404);
    assert.equal(rootUnknown.json.error_id, 'unknown-external-auth-type');
  });
});

describe('events and secrets', () => {
  test('added, updated, deleted: with the user and type, for the tenant, routed as upstream', async () => {
    await takeEvents();
    const path = mobilePath('bob');
    await as('admin-a')('POST', path, DEVICE);
    await as('admin-a')('PUT', path, DEVICE);
    await as('admin-a')('DELETE', path);
    const events = await takeEvents();
    assert.deepEqual(
      events.map((e) => [e.headers.name, e.routingKey, e.headers.tenant_uuid, e.data]),
      [
        ['auth_user_external_auth_added', `auth.users.${users.bob}.external.mobile.created`, tenantA, {user_uuid: users.bob, external_auth_name: 'mobile'}],
        ['auth_user_external_auth_updated', `auth.users.${users.bob}.external.mobile.updated`, tenantA, {user_uuid: users.bob, external_auth_name: 'mobile'}],
        ['auth_user_external_auth_deleted', `auth.users.${users.bob}.external.mobile.deleted`, tenantA, {user_uuid: users.bob, external_auth_name: 'mobile'}],
      ],
    );
  });

  test('a refused change records no event', async () => {
    await takeEvents();
    await as('admin-a')('DELETE', mobilePath('bob'));
    await as('alice')('POST', mobilePath('alice'), DEVICE);
    assert.deepEqual(await takeEvents(), []);
  });

  test('no secret or device token in the database file, in clear', async () => {
    const bytes = await td.databaseText();
    for (const secret of [SECRETS.fcm_api_key, 'sa-key-9f2a', 'apns-cert-41d8', 'apns-key-0be3', SECRETS.fcm_sender_id, DEVICE.token, DEVICE.apns_voip_token]) {
      assert.equal(bytes.includes(secret), false, secret);
    }
    assert.ok(bytes.includes('v1:'), 'the sealed values are there');
  });

  test('no secret or device token in the log', () => {
    const text = log.lines.map((l) => l.message).join('\n');
    for (const secret of [SECRETS.fcm_api_key, 'sa-key-9f2a', 'apns-key-0be3', DEVICE.token, DEVICE.apns_notification_token]) {
      assert.equal(text.includes(secret), false, secret);
    }
    assert.ok(text.includes('in plugin external mobile'), 'the registrations are logged');
  });
});

describe("sealed data this daemon's secrets key does not open", () => {
  // Sealed under another key, as rows written by a daemon with another secrets.key would be.
  const foreign = new SecretBox(Buffer.alloc(32, 7));

  test('settings: a clear 503 naming the type, logged, with no content; writing them again mends it', async () => {
    const store = td.daemon.services.store;
    await as('admin-b')('DELETE', '/0.1/external/mobile/config');
    assert.equal((await as('admin-b')('POST', '/0.1/external/mobile/config', {fcm_sender_id: 'sender-b'})).status, 201);
    const context = `external_auth_config:${tenantB}:mobile`;
    assert.ok(await store.externalAuth.updateConfig(tenantB, 'mobile', foreign.seal(JSON.stringify(SECRETS), context)));
    const errorsBefore = log.at('error').length;
    for (const path of ['/0.1/external/mobile/config', `${mobilePath('carol')}/sender_id`]) {
      const r = await as(path.startsWith('/0.1/users') ? 'carol' : 'admin-b')('GET', path);
      assert.equal(r.status, 503, path);
      assert.equal(r.json.error_id, 'external-auth-unreadable', path);
      assert.deepEqual(r.json.details, {type: 'mobile'});
      assert.match(r.json.message, /cannot be read with this server's secrets key: "mobile"; set it again/);
      assert.equal(r.text.includes(SECRETS.fcm_api_key), false);
    }
    // Each unreadable read, once; a background job's error may fall in the same window.
    const logged = log
      .at('error')
      .slice(errorsBefore)
      .filter((line) => line.includes('cannot be read'));
    assert.equal(logged.length, 2, logged.join('\n'));
    assert.match(logged[0]!, new RegExp(`the mobile config of tenant "${tenantB}" cannot be read \\(a sealed value does not open`));
    assert.equal(logged.join('\n').includes('sender-b'), false);
    assert.equal((await as('admin-b')('PUT', '/0.1/external/mobile/config', {fcm_sender_id: 'sender-b2'})).status, 204);
    assert.deepEqual((await as('carol')('GET', `${mobilePath('carol')}/sender_id`)).json, {sender_id: 'sender-b2'});
  });

  test("a user's device tokens: the same 503 on GET; PUT replaces them without reading them", async () => {
    await as('carol')('PUT', mobilePath('carol'), DEVICE);
    const context = `user_external_auth:${users['carol']}:mobile`;
    assert.ok(await td.daemon.services.store.externalAuth.updateUserData(users['carol']!, 'mobile', foreign.seal(JSON.stringify(DEVICE), context)));
    const r = await as('carol')('GET', mobilePath('carol'));
    assert.equal(r.status, 503);
    assert.equal(r.json.error_id, 'external-auth-unreadable');
    assert.equal(r.text.includes(DEVICE.token), false);
    assert.match(log.at('error').at(-1)!, new RegExp(`the mobile data of user "${users['carol']}" cannot be read`));
    assert.equal((await as('carol')('PUT', mobilePath('carol'), {token: 'fresh-token'})).status, 200);
    assert.equal((await as('carol')('GET', mobilePath('carol'))).json.token, 'fresh-token');
  });
});
