import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const KEYS = [
  'token',
  'auth_id',
  'xivo_user_uuid',
  'xivo_uuid',
  'issued_at',
  'expires_at',
  'utc_issued_at',
  'utc_expires_at',
  'acl',
  'metadata',
  'session_uuid',
  'remote_addr',
  'user_agent',
];

let td: TestDaemon;
let clock: ManualClock;
let aliceUuid: string;
let topTenant: string;

const login = (credentials: string, body?: unknown, headers: Record<string, string> = {}) =>
  td.call('POST', '/0.1/token', {body, headers: {authorization: credentials, ...headers}});
const alice = basic('alice', 's3cre7');

before(async () => {
  clock = new ManualClock();
  td = await startTestDaemon({clock});
  aliceUuid = await createUser(td.daemon.services.store, {username: 'alice', password: 's3cre7', acl: ['some.acl', 'auth.users.me.#']});
  topTenant = (await td.daemon.services.store.tenants.top())!.uuid;
});
after(() => td.stop());

describe('POST /0.1/token', () => {
  test('a login answers 200 with upstream fields in upstream order', async () => {
    const r = await login(alice, {backend: 'wazo_user', expiration: 600}, {'user-agent': 'tests/1.0'});
    assert.equal(r.status, 200);
    assert.equal(r.headers['wazo-sessions-revoked'], '0');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(r.text, /^\{"data": \{"token": "/);
    assert.ok(r.text.endsWith('}}\n'));
    const data = r.json.data;
    assert.deepEqual(Object.keys(data), KEYS);
    assert.match(data.token, UUID4);
    assert.match(data.session_uuid, UUID4);
    assert.equal(data.auth_id, aliceUuid);
    assert.equal(data.xivo_user_uuid, aliceUuid);
    assert.deepEqual(data.acl, ['some.acl', 'auth.users.me.#']);
    assert.deepEqual(Object.keys(data.metadata), ['uuid', 'tenant_uuid', 'auth_id', 'pbx_user_uuid', 'xivo_uuid', 'purpose']);
    assert.equal(data.metadata.tenant_uuid, topTenant);
    assert.equal(data.metadata.purpose, 'user');
    assert.equal(data.metadata.xivo_uuid, data.xivo_uuid);
    assert.equal(data.remote_addr, '127.0.0.1');
    assert.equal(data.user_agent, 'tests/1.0');
    assert.match(data.utc_issued_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const seconds = (Date.parse(data.utc_expires_at + 'Z') - Date.parse(data.utc_issued_at + 'Z')) / 1000;
    assert.equal(seconds, 600);
    // local time: the same instant as the UTC field, read in this process's time zone
    assert.equal(new Date(data.issued_at).getTime(), Date.parse(data.utc_issued_at + 'Z'));
  });

  test('bodies null, [] and {} give a token with the default lifetime', async () => {
    for (const raw of ['null', '[]', '{}', 'false']) {
      const r = await td.call('POST', '/0.1/token', {rawBody: raw, headers: {authorization: alice, 'content-type': 'application/json'}});
      assert.equal(r.status, 200, raw);
      const d = r.json.data;
      assert.equal((Date.parse(d.utc_expires_at + 'Z') - Date.parse(d.utc_issued_at + 'Z')) / 1000, 7200);
    }
  });

  test('the body is JSON whatever the Content-Type says', async () => {
    const r = await td.call('POST', '/0.1/token', {rawBody: '{"expiration": 60}', headers: {authorization: alice}});
    assert.equal(r.status, 200);
  });

  test("an empty or malformed body is werkzeug's 400", async () => {
    for (const raw of ['', '{"expiration": ']) {
      const r = await td.call('POST', '/0.1/token', {rawBody: raw, headers: {authorization: alice, 'content-type': 'application/json'}});
      assert.equal(r.status, 400);
      assert.equal(r.text, '{"message": "The browser (or proxy) sent a request that this server could not understand."}\n');
    }
  });

  test("expiration out of range is a 400 with marshmallow's error text", async () => {
    for (const expiration of [0, -5, 315360001]) {
      const r = await login(alice, {expiration});
      assert.equal(r.status, 400);
      assert.deepEqual(r.json.reason, [
        "{'expiration': [{'constraint_id': 'range', 'constraint': {'min': 1, 'max': 315360000}, 'message': 'Must be greater than or equal to 1 and less than or equal to 315360000.'}]}",
      ]);
      assert.equal(r.json.status_code, 400);
      assert.equal(typeof r.json.timestamp[0], 'number');
    }
  });

  test('expiration of the wrong type is a 400; numeric strings and floats are accepted', async () => {
    for (const expiration of ['abc', true]) {
      const r = await login(alice, {expiration});
      assert.equal(r.status, 400);
      assert.deepEqual(r.json.reason, ["{'expiration': {'message': 'Not a valid integer.', 'constraint_id': 'type', 'constraint': 'integer'}}"]);
    }
    const fromString = await login(alice, {expiration: '60'});
    assert.equal(fromString.status, 200);
    const truncated = (await login(alice, {expiration: 1.5})).json.data;
    assert.equal((Date.parse(truncated.utc_expires_at + 'Z') - Date.parse(truncated.utc_issued_at + 'Z')) / 1000, 1);
  });

  test('the bounds 1 and 315360000 are accepted', async () => {
    assert.equal((await login(alice, {expiration: 1})).status, 200);
    assert.equal((await login(alice, {expiration: 315360000})).status, 200);
  });

  test('any backend and unknown fields are accepted', async () => {
    assert.equal((await login(alice, {backend: 'nope', expiration: 60, foo: 1})).status, 200);
  });

  test('wrong password, unknown user and no credentials get the same 401', async () => {
    for (const credentials of [basic('alice', 'wrong'), basic('bob', 'bob'), '', 'Bearer x', basic('alice', '')]) {
      const r = await login(credentials, {expiration: 60});
      assert.equal(r.status, 401, credentials);
      assert.deepEqual(r.json.reason, ['Authentication Failed']);
      assert.equal(r.json.status_code, 401);
    }
  });

  test('logins are case-insensitive', async () => {
    assert.equal((await login(basic('ALICE', 's3cre7'), {})).status, 200);
  });

  test('Basic credentials in UTF-8 and in Latin-1 both work', async () => {
    await createUser(td.daemon.services.store, {username: 'élodie', password: 'pâté', acl: []});
    const utf8 = 'Basic ' + Buffer.from('élodie:pâté', 'utf8').toString('base64');
    const latin1 = 'Basic ' + Buffer.from('élodie:pâté', 'latin1').toString('base64');
    assert.equal((await login(utf8, {})).status, 200);
    assert.equal((await login(latin1, {})).status, 200);
  });

  test('remote_addr honours one X-Forwarded-For hop; user_agent is empty when absent', async () => {
    const r = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: alice, 'x-forwarded-for': '10.1.2.3', 'user-agent': ''}});
    assert.equal(r.json.data.remote_addr, '10.1.2.3');
    assert.equal(r.json.data.user_agent, '');
  });

  test('a disabled user cannot log in', async () => {
    const uuid = await createUser(td.daemon.services.store, {username: 'disabled', password: 'pw', acl: []});
    const user = (await td.daemon.services.store.users.get(uuid))!;
    await td.daemon.services.store.users.update({...user, enabled: false});
    assert.equal((await login(basic('disabled', 'pw'), {})).status, 401);
  });
});

describe('refresh tokens', () => {
  test('offline without client_id is a 400', async () => {
    const r = await login(alice, {access_type: 'offline'});
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.reason, ['{\'_schema\': [\'"client_id" must be specified when using "access_type" is "offline"\']}']);
  });

  test('offline login returns a refresh token, the same one for the same client', async () => {
    const first = await login(alice, {access_type: 'offline', client_id: 'samples', expiration: 60});
    assert.equal(first.status, 200);
    const keys = Object.keys(first.json.data);
    assert.equal(keys.at(-1), 'refresh_token');
    assert.match(first.json.data.refresh_token, UUID4);
    const again = await login(alice, {access_type: 'offline', client_id: 'samples', expiration: 60});
    assert.equal(again.json.data.refresh_token, first.json.data.refresh_token);
    const other = await login(alice, {access_type: 'offline', client_id: 'other-client'});
    assert.notEqual(other.json.data.refresh_token, first.json.data.refresh_token);
  });

  test('a refresh-token grant needs no Basic auth and returns no refresh token', async () => {
    const rt = (await login(alice, {access_type: 'offline', client_id: 'grant'})).json.data.refresh_token;
    const r = await td.call('POST', '/0.1/token', {body: {refresh_token: rt, client_id: 'grant', expiration: 60}});
    assert.equal(r.status, 200);
    assert.equal(r.json.data.auth_id, aliceUuid);
    assert.ok(!('refresh_token' in r.json.data));
    assert.deepEqual(r.json.data.acl, ['some.acl', 'auth.users.me.#']);
  });

  test('a refresh token with the wrong client_id is a 401; without client_id a 400', async () => {
    const rt = (await login(alice, {access_type: 'offline', client_id: 'right'})).json.data.refresh_token;
    const wrong = await td.call('POST', '/0.1/token', {body: {refresh_token: rt, client_id: 'other'}});
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json.reason, ['Authentication Failed']);
    const missing = await td.call('POST', '/0.1/token', {body: {refresh_token: rt}});
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json.reason, ['{\'_schema\': [\'"client_id" must be specified when using a "refresh_token"\']}']);
  });

  test("a mobile offline login ends the user's other mobile sessions and says how many", async () => {
    await createUser(td.daemon.services.store, {username: 'mobileuser', password: 'pw', acl: []});
    const creds = basic('mobileuser', 'pw');
    const mobile = {'wazo-session-type': 'mobile'};
    const phone = await login(creds, {access_type: 'offline', client_id: 'phone'}, mobile);
    assert.equal(phone.headers['wazo-sessions-revoked'], '0');
    const tablet = await login(creds, {access_type: 'offline', client_id: 'tablet'}, mobile);
    assert.equal(tablet.status, 200);
    assert.equal(tablet.headers['wazo-sessions-revoked'], '1');
    assert.equal((await td.call('HEAD', `/0.1/token/${phone.json.data.token}`)).status, 404);
    assert.equal((await td.call('HEAD', `/0.1/token/${tablet.json.data.token}`)).status, 204);
    // the same mobile client logging in again gets a new refresh token
    const again = await login(creds, {access_type: 'offline', client_id: 'tablet'}, mobile);
    assert.notEqual(again.json.data.refresh_token, tablet.json.data.refresh_token);
    assert.equal(again.headers['wazo-sessions-revoked'], '1');
  });
});

describe('session cap', () => {
  test('a user-purpose user gets 429 beyond max_user_concurrent_sessions; internal users have no cap', async () => {
    const capped = await startTestDaemon({config: {max_user_concurrent_sessions: 5}});
    after(() => capped.stop());
    const login = (username: string) => capped.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(username, 'pw')}});
    const uuid = await createUser(capped.daemon.services.store, {username: 'capped', password: 'pw', acl: []});
    for (let i = 0; i < 5; i++) assert.equal((await login('capped')).status, 200);
    const r = await login('capped');
    assert.equal(r.status, 429);
    assert.deepEqual(r.json.reason, [`User ${uuid} has exceeded the maximum number of active sessions`]);
    assert.equal(r.json.status_code, 429);

    await createUser(capped.daemon.services.store, {username: 'robot', password: 'pw', acl: [], purpose: 'internal'});
    for (let i = 0; i < 7; i++) assert.equal((await login('robot')).status, 200);
  });
});

describe('GET, HEAD and DELETE /0.1/token/{token}', () => {
  let token: string;
  before(async () => {
    token = (await login(alice, {expiration: 600})).json.data.token;
  });

  test('GET shows the stored token with whole-second times', async () => {
    const r = await td.call('GET', `/0.1/token/${token}`);
    assert.equal(r.status, 200);
    const d = r.json.data;
    assert.deepEqual(Object.keys(d), KEYS);
    assert.equal(d.token, token);
    assert.match(d.issued_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(d.utc_issued_at, /\.000000$/);
  });

  test('HEAD answers 204 with a JSON content type and no body', async () => {
    const r = await td.call('HEAD', `/0.1/token/${token}`);
    assert.equal(r.status, 204);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['content-length'], undefined);
    assert.equal(r.text, '');
  });

  test('an upper-case token is the same token', async () => {
    assert.equal((await td.call('HEAD', `/0.1/token/${token.toUpperCase()}`)).status, 204);
  });

  test('?scope= grants through me and the ACL; a missing scope is 403', async () => {
    assert.equal((await td.call('GET', `/0.1/token/${token}?scope=some.acl`)).status, 200);
    assert.equal((await td.call('HEAD', `/0.1/token/${token}?scope=auth.users.me.password.edit`)).status, 204);
    assert.equal((await td.call('HEAD', `/0.1/token/${token}?scope=auth.users.${aliceUuid}.password.edit`)).status, 204);
    const denied = await td.call('GET', `/0.1/token/${token}?scope=other.acl`);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json.reason, ['Unauthorized for other.acl']);
    assert.equal((await td.call('GET', `/0.1/token/${token}?scope=`)).status, 403);
    const head = await td.call('HEAD', `/0.1/token/${token}?scope=other.acl`);
    assert.equal(head.status, 403);
    assert.equal(head.text, '');
    assert.ok(Number(head.headers['content-length']) > 0);
  });

  test("?tenant= accepts the token's tenant and refuses others", async () => {
    assert.equal((await td.call('GET', `/0.1/token/${token}?tenant=${topTenant}`)).status, 200);
    const other = '00000000-0000-0000-0000-000000000000';
    const r = await td.call('GET', `/0.1/token/${token}?tenant=${other}`);
    assert.equal(r.status, 403);
    assert.deepEqual(r.json.reason, [`Unauthorized for tenant ${other}`]);
  });

  test('an unknown token is 404 "No such token"; a non-UUID path is the HTML 404', async () => {
    const r = await td.call('GET', '/0.1/token/00000000-0000-0000-0000-000000000000');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json.reason, ['No such token']);
    const head = await td.call('HEAD', '/0.1/token/00000000-0000-0000-0000-000000000000');
    assert.equal(head.status, 404);
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      const html = await td.call(method, '/0.1/token/not-a-uuid');
      assert.equal(html.status, 404);
      assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
    }
  });

  test('an expired token is 404 at once, and the cleaner removes it in batches', async () => {
    const short = [];
    for (let i = 0; i < 3; i++) short.push((await login(alice, {expiration: 1})).json.data.token);
    clock.advance(2);
    for (const t of short) assert.equal((await td.call('HEAD', `/0.1/token/${t}`)).status, 404);
    const removed = await td.daemon.services.tokens.removeExpired(2);
    assert.ok(removed >= 3, `removed ${removed}`);
    for (const t of short)
      assert.equal(await td.daemon.services.store.tokens.findByDigest((await import('../../src/store/digest.js')).tokenDigest(t)), undefined);
    clock.advance(-2);
  });

  test('DELETE revokes, and is idempotent', async () => {
    const t = (await login(alice, {})).json.data.token;
    const r = await td.call('DELETE', `/0.1/token/${t}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"data": {"message": "success"}}\n');
    assert.equal((await td.call('GET', `/0.1/token/${t}`)).status, 404);
    assert.equal((await td.call('DELETE', `/0.1/token/${t}`)).status, 200);
  });
});

describe('POST /0.1/token/{token}/scopes/check', () => {
  test('tells each scope, duplicates collapsed', async () => {
    const token = (await login(alice, {})).json.data.token;
    const r = await td.call('POST', `/0.1/token/${token}/scopes/check`, {
      body: {scopes: ['some.acl', 'other.acl', 'auth.users.me.password.edit', 'some.acl']},
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {scopes: {'some.acl': true, 'other.acl': false, 'auth.users.me.password.edit': true}});
    const tenant = await td.call('POST', `/0.1/token/${token}/scopes/check`, {body: {scopes: ['some.acl'], tenant_uuid: topTenant}});
    assert.deepEqual(tenant.json, {scopes: {'some.acl': true}});
    const outside = await td.call('POST', `/0.1/token/${token}/scopes/check`, {
      body: {scopes: ['some.acl'], tenant_uuid: '00000000-0000-0000-0000-000000000000'},
    });
    assert.equal(outside.status, 403);
  });

  test('bad bodies are 400s and unknown tokens 404', async () => {
    const token = (await login(alice, {})).json.data.token;
    const bad = await td.call('POST', `/0.1/token/${token}/scopes/check`, {body: {scopes: 'some.acl'}});
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.reason, ["{'scopes': {'message': 'Not a valid list.', 'constraint_id': 'type', 'constraint': 'list'}}"]);
    assert.equal((await td.call('POST', `/0.1/token/${token}/scopes/check`, {body: {}})).status, 400);
    const unknown = await td.call('POST', '/0.1/token/00000000-0000-0000-0000-000000000000/scopes/check', {body: {scopes: ['a']}});
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json.reason, ['No such token']);
  });
});

describe('passwords', () => {
  test('a user imported with an upstream PBKDF2 hash logs in, and the hash becomes argon2id', async () => {
    const {pbkdf2Sync, randomBytes} = await import('node:crypto');
    const {legacyHash} = await import('../../src/services/passwords.js');
    const salt = randomBytes(64);
    const hash = pbkdf2Sync('old-secret', salt, 250000, 64, 'sha512').toString('hex');
    const uuid = await createUser(td.daemon.services.store, {username: 'imported', passwordHash: legacyHash(salt.toString('hex'), hash), acl: []});
    assert.equal((await login(basic('imported', 'wrong'), {})).status, 401);
    assert.equal((await login(basic('imported', 'old-secret'), {})).status, 200);
    const stored = await td.daemon.services.store.users.findByLogin('imported');
    assert.equal(stored!.user.uuid, uuid);
    assert.match(stored!.passwordHash!, /^\$argon2id\$/);
    assert.equal((await login(basic('imported', 'old-secret'), {})).status, 200);
  });
});

describe('at rest', () => {
  test('the database never contains a token or refresh token value', async () => {
    const data = (await login(alice, {access_type: 'offline', client_id: 'at-rest'})).json.data;
    const bytes = await td.databaseText();
    assert.ok(bytes.length > 0);
    assert.ok(!bytes.includes(data.token));
    assert.ok(!bytes.includes(data.refresh_token));
    assert.ok(bytes.includes(data.session_uuid), 'the check can see the database content');
  });
});
