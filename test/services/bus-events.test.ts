// The event builders against upstream's shapes (wazo-bus resources/auth/events.py and the
// WazoEventMixin envelope): names, routing keys with their escaping, headers in upstream's order.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {busEvents, escapeKeyPart, type EventOrigin} from '../../src/services/events/bus-events.js';

const origin: EventOrigin = {originUuid: 'origin-uuid', nowMicros: Date.UTC(2026, 11, 7, 8, 0, 0) * 1000 + 123_456};
const T = 'tenant-uuid';
const U = 'user-uuid';
const S = 'session-uuid';

test('routing-key words: dots, hashes and stars escaped as upstream', () => {
  assert.equal(escapeKeyPart('a.b#c*d'), 'a__DOT__b__HASH__c__STAR__d');
  assert.equal(escapeKeyPart('plain-word_1'), 'plain-word_1');
});

test("a tenant event goes to the tenant's every user; headers in upstream's order", () => {
  const event = busEvents.tenantUpdated(T, 'Acme', origin);
  assert.equal(event.routingKey, `auth.tenants.${T}.updated`);
  assert.deepEqual(Object.keys(event.headers), ['tenant_uuid', 'user_uuid:*', 'name', 'required_access', 'required_acl', 'origin_uuid', 'timestamp']);
  assert.equal(event.headers['required_acl'], `events.auth.tenants.${T}.updated`);
  assert.equal(event.headers['required_access'], 'event.auth_tenant_updated');
  assert.match(String(event.headers['timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.123456$/);
  assert.deepEqual(event.data, {uuid: T, name: 'Acme'});
});

test('session events carry session_uuid before the name, and the user header after it', () => {
  const event = busEvents.sessionExpireSoon({uuid: S, tenantUuid: T, userUuid: U}, origin);
  assert.equal(event.routingKey, `auth.users.${U}.sessions.${S}.expire_soon`);
  assert.deepEqual(Object.keys(event.headers), [
    'tenant_uuid',
    'session_uuid',
    'name',
    `user_uuid:${U}`,
    'required_access',
    'required_acl',
    'origin_uuid',
    'timestamp',
  ]);
  assert.deepEqual(event.data, {uuid: S, user_uuid: U, tenant_uuid: T});
  const created = busEvents.sessionCreated({uuid: S, tenantUuid: T, userUuid: U, mobile: true}, origin);
  assert.deepEqual(created.data, {uuid: S, tenant_uuid: T, user_uuid: U, mobile: true});
  assert.equal(created.routingKey, `auth.sessions.${S}.created`);
});

test('the four external-auth events: names, verbs and an escaped service name', () => {
  const expected = [
    ['added', 'auth_user_external_auth_added', 'created'],
    ['authorized', 'auth_user_external_auth_authorized', 'authorized'],
    ['updated', 'auth_user_external_auth_updated', 'updated'],
    ['deleted', 'auth_user_external_auth_deleted', 'deleted'],
  ] as const;
  for (const [action, name, verb] of expected) {
    const event = busEvents.externalAuth(action, {externalAuthName: 'my.service', tenantUuid: T, userUuid: U}, origin);
    assert.equal(event.headers['name'], name);
    assert.equal(event.routingKey, `auth.users.${U}.external.my__DOT__service.${verb}`);
    assert.deepEqual(Object.keys(event.headers), ['tenant_uuid', 'name', `user_uuid:${U}`, 'required_access', 'required_acl', 'origin_uuid', 'timestamp']);
    assert.deepEqual(event.data, {user_uuid: U, external_auth_name: 'my.service'});
  }
});

test('refresh-token events: client id escaped in the key, kept as is in the data', () => {
  const event = busEvents.refreshTokenDeleted({clientId: 'a.b', mobile: false, tenantUuid: T, userUuid: U}, origin);
  assert.equal(event.routingKey, `auth.users.${U}.tokens.a__DOT__b.deleted`);
  assert.deepEqual(event.data, {client_id: 'a.b', mobile: false, user_uuid: U, tenant_uuid: T});
});
