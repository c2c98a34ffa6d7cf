import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {tokenDigest} from '../../src/store/digest.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';

let td: TestDaemon;
let top: string;
let sub: string;
let sibling: string;
let subAdmin: string;
let siblingAdmin: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

let users = 0;
async function newUser(tenantUuid: string, acl: string[] = []) {
  const username = `refresh-user-${++users}`;
  const uuid = await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return {uuid, username};
}

/** An offline login: the access token and the refresh token of `clientId`. */
async function offline(username: string, clientId: string, headers: Record<string, string> = {}) {
  const data = await td.login(username, 'pw', {access_type: 'offline', client_id: clientId}, headers);
  return {token: data.token as string, refreshToken: data.refresh_token as string};
}

const refreshGrant = (refreshToken: string, clientId: string) => td.call('POST', '/0.1/token', {body: {refresh_token: refreshToken, client_id: clientId}});
const tokenStatus = async (token: string) => (await td.call('HEAD', `/0.1/token/${token}`)).status;
const admin = () => td.admin.token;
const clientsOf = (answer: {json: {items: {client_id: string}[]}}) => answer.json.items.map((t) => t.client_id);
const ownersOf = (answer: {json: {items: {user_uuid: string}[]}}) => answer.json.items.map((t) => t.user_uuid);

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  sibling = await newTenant(top, 'sibling');
  subAdmin = (await td.login((await newUser(sub, ['#'])).username, 'pw')).token;
  siblingAdmin = (await td.login((await newUser(sibling, ['#'])).username, 'pw')).token;
});
after(() => td.stop());

describe('GET /0.1/users/me/tokens and /0.1/users/{uuid}/tokens', () => {
  test("upstream's fields in upstream's order; never the value nor its digest", async () => {
    const alice = await newUser(top, ['auth.users.me.tokens.read']);
    const {token, refreshToken} = await offline(alice.username, 'my-phone', {'wazo-session-type': 'mobile'});
    const r = await td.call('GET', '/0.1/users/me/tokens', {token});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['total', 'filtered', 'items']);
    assert.equal(r.json.items.length, 1);
    const [item] = r.json.items;
    assert.deepEqual(Object.keys(item), ['client_id', 'created_at', 'mobile', 'user_uuid', 'tenant_uuid', 'metadata']);
    assert.deepEqual(
      {...item, created_at: undefined},
      {
        client_id: 'my-phone',
        created_at: undefined,
        mobile: true,
        user_uuid: alice.uuid,
        tenant_uuid: top,
        metadata: {},
      },
    );
    assert.match(item.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    assert.ok(Math.abs(Date.parse(item.created_at) - Date.now()) < 60_000);
    for (const secret of [refreshToken, tokenDigest(refreshToken)]) assert.ok(!r.text.includes(secret));

    const byUuid = await td.call('GET', `/0.1/users/${alice.uuid}/tokens`, {token});
    assert.equal(byUuid.status, 200, 'auth.users.me.* stands for the own uuid too');
    assert.deepEqual(byUuid.json, r.json);
  });

  test("an administrator lists a sub-tenant user's tokens; outside the tree is 404 unknown-user", async () => {
    const bob = await newUser(sub);
    await offline(bob.username, 'desk');
    const fromTop = await td.call('GET', `/0.1/users/${bob.uuid}/tokens`, {token: admin()});
    assert.equal(fromTop.status, 200);
    assert.deepEqual(clientsOf(fromTop), ['desk']);
    assert.equal(fromTop.json.items[0].tenant_uuid, sub);
    assert.equal((await td.call('GET', `/0.1/users/${bob.uuid}/tokens`, {token: subAdmin})).status, 200);

    const fromSibling = await td.call('GET', `/0.1/users/${bob.uuid}/tokens`, {token: siblingAdmin});
    assert.equal(fromSibling.status, 404);
    assert.equal(fromSibling.json.error_id, 'unknown-user');
    const carol = await newUser(top);
    await offline(carol.username, 'desk');
    assert.equal((await td.call('GET', `/0.1/users/${carol.uuid}/tokens`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('GET', `/0.1/users/${randomUUID()}/tokens`, {token: admin()})).status, 404);
  });

  test('filters, searches, orders and pages; bad parameters are 400 invalid-list-param', async () => {
    const dan = await newUser(top);
    await offline(dan.username, 'cli');
    await offline(dan.username, 'Phone-App', {'wazo-session-type': 'mobile'});
    await offline(dan.username, 'web-app');
    const list = (query: string) => td.call('GET', `/0.1/users/${dan.uuid}/tokens?${query}`, {token: admin()});
    const summary = async (query: string) => {
      const r = await list(query);
      return [r.json.total, r.json.filtered, clientsOf(r)];
    };

    assert.deepEqual(await summary('order=client_id'), [3, 3, ['cli', 'Phone-App', 'web-app']]);
    assert.deepEqual(await summary('order=client_id&direction=desc&limit=2'), [3, 3, ['web-app', 'Phone-App']]);
    assert.deepEqual(await summary('order=client_id&offset=2'), [3, 3, ['web-app']]);
    assert.deepEqual(await summary('mobile=true'), [3, 1, ['Phone-App']]);
    assert.deepEqual(await summary('mobile=false&order=client_id'), [3, 2, ['cli', 'web-app']]);
    assert.deepEqual(await summary('client_id=cli'), [3, 1, ['cli']]);
    assert.deepEqual(await summary('search=APP&order=client_id'), [3, 2, ['Phone-App', 'web-app']]);
    assert.deepEqual(await summary('order=mobile&direction=desc&limit=1'), [3, 3, ['Phone-App']]);

    const created = (await list('client_id=cli')).json.items[0].created_at as string;
    const sameSecond = (await list('')).json.items.filter((t: {created_at: string}) => t.created_at === created);
    assert.deepEqual(await summary(`created_at=${encodeURIComponent(created)}`), [
      3,
      sameSecond.length,
      sameSecond.map((t: {client_id: string}) => t.client_id),
    ]);
    assert.deepEqual(await summary(`created_at=${created.replace('+00:00', '')}&client_id=cli`), [3, 1, ['cli']]);
    assert.deepEqual(await summary(`created_at=${created}&client_id=cli`), [3, 1, ['cli']], 'an unencoded + reads as a space');
    const inParis = new Date(Date.parse(created) + 3_600_000).toISOString().slice(0, 19) + '+01:00';
    assert.deepEqual(await summary(`created_at=${encodeURIComponent(inParis)}&client_id=cli`), [3, 1, ['cli']]);
    assert.deepEqual(await summary('created_at=2001-01-01T00:00:00Z'), [3, 0, []]);

    for (const query of [
      'order=uuid',
      'direction=sideways',
      'limit=x',
      'offset=-2',
      'mobile=perhaps',
      'created_at=yesterday',
      'created_at=2026-13-45T00:00:00Z',
    ]) {
      const r = await list(query);
      assert.equal(r.status, 400, query);
      assert.equal(r.json.error_id, 'invalid-list-param', query);
    }
  });

  test('401 without a token or without the access', async () => {
    const erin = await newUser(top);
    const {token} = await offline(erin.username, 'x');
    assert.equal((await td.call('GET', '/0.1/users/me/tokens')).status, 401);
    const r = await td.call('GET', '/0.1/users/me/tokens', {token});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.users.me.tokens.read');
    assert.equal((await td.call('GET', `/0.1/users/${erin.uuid}/tokens`, {token})).status, 401);
  });
});

describe('GET /0.1/tokens', () => {
  test('the refresh tokens of the tenant the request acts in, and below it with recurse', async () => {
    const inTop = await newUser(top);
    const inSub = await newUser(sub);
    const inSibling = await newUser(sibling);
    for (const who of [inTop, inSub, inSibling]) await offline(who.username, 'listing');

    const own = ownersOf(await td.call('GET', '/0.1/tokens?client_id=listing', {token: admin()}));
    assert.deepEqual(own, [inTop.uuid]);
    const all = await td.call('GET', '/0.1/tokens?client_id=listing&recurse=true', {token: admin()});
    assert.deepEqual(new Set(ownersOf(all)), new Set([inTop.uuid, inSub.uuid, inSibling.uuid]));
    assert.ok(all.json.total >= 3);
    const actingInSub = await td.call('GET', '/0.1/tokens', {token: admin(), headers: {'wazo-tenant': sub}});
    assert.ok(actingInSub.json.items.length > 0);
    assert.ok(actingInSub.json.items.every((t: {tenant_uuid: string}) => t.tenant_uuid === sub));
  });

  test('a sub-tenant administrator sees neither its parent nor its sibling', async () => {
    const inTop = await newUser(top);
    const inSibling = await newUser(sibling);
    const inSub = await newUser(sub);
    for (const who of [inTop, inSibling, inSub]) await offline(who.username, 'isolated');
    const seen = await td.call('GET', '/0.1/tokens?recurse=true&client_id=isolated', {token: subAdmin});
    assert.equal(seen.status, 200);
    assert.deepEqual(ownersOf(seen), [inSub.uuid]);
    assert.ok((await td.call('GET', '/0.1/tokens?recurse=true', {token: subAdmin})).json.items.every((t: {tenant_uuid: string}) => t.tenant_uuid === sub));
    for (const tenant of [top, sibling]) {
      assert.equal((await td.call('GET', '/0.1/tokens', {token: subAdmin, headers: {'wazo-tenant': tenant}})).status, 401);
    }
  });

  test('401 without auth.tokens.read; bad parameters are 400', async () => {
    const frank = await newUser(top, ['auth.users.me.#']);
    const {token} = await offline(frank.username, 'f');
    const r = await td.call('GET', '/0.1/tokens', {token});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.tokens.read');
    assert.equal((await td.call('GET', '/0.1/tokens?recurse=sometimes', {token: admin()})).status, 400);
  });
});

describe('DELETE /0.1/users/{uuid}/tokens/{client_id} and /0.1/users/me/tokens/{client_id}', () => {
  test('the refresh token stops logging in; the access tokens it produced stay valid', async () => {
    const gina = await newUser(sub);
    const first = await offline(gina.username, 'tablet');
    const refreshed = await refreshGrant(first.refreshToken, 'tablet');
    assert.equal(refreshed.status, 200);

    const r = await td.call('DELETE', `/0.1/users/${gina.uuid}/tokens/tablet`, {token: subAdmin});
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal((await refreshGrant(first.refreshToken, 'tablet')).status, 401);
    assert.equal(await tokenStatus(first.token), 204);
    assert.equal(await tokenStatus(refreshed.json.data.token), 204);
    assert.deepEqual((await td.call('GET', `/0.1/users/${gina.uuid}/tokens`, {token: admin()})).json.items, []);

    const again = await td.call('DELETE', `/0.1/users/${gina.uuid}/tokens/tablet`, {token: subAdmin});
    assert.equal(again.status, 404);
    assert.equal(again.json.error_id, 'cannot-find-refresh-token-matching-client-id');
    assert.deepEqual(again.json.details, {client_id: 'tablet'});
    assert.equal(again.json.resource, 'tokens');
  });

  test("outside the caller's tree: 404 unknown-user, and the refresh token still works", async () => {
    for (const tenant of [top, sibling]) {
      const other = await newUser(tenant);
      const {refreshToken} = await offline(other.username, 'kept');
      const r = await td.call('DELETE', `/0.1/users/${other.uuid}/tokens/kept`, {token: subAdmin});
      assert.equal(r.status, 404, tenant);
      assert.equal(r.json.error_id, 'unknown-user');
      assert.equal((await refreshGrant(refreshToken, 'kept')).status, 200);
    }
    assert.equal((await td.call('DELETE', `/0.1/users/${randomUUID()}/tokens/kept`, {token: admin()})).status, 404);
  });

  test('me acts on the caller, whose own access names the client_id (dots become underscores)', async () => {
    const hugo = await newUser(top, ['auth.users.me.tokens.my_app.delete', 'auth.users.me.tokens.web app.delete']);
    const dotted = await offline(hugo.username, 'my.app');
    const spaced = await offline(hugo.username, 'web app');
    await offline(hugo.username, 'other');
    const other = await newUser(top);
    const notMine = await offline(other.username, 'my.app');

    assert.equal((await td.call('DELETE', '/0.1/users/me/tokens/my.app', {token: dotted.token})).status, 204);
    assert.equal((await refreshGrant(dotted.refreshToken, 'my.app')).status, 401);
    assert.equal((await refreshGrant(notMine.refreshToken, 'my.app')).status, 200, "another user's token of that client stays");
    assert.equal((await td.call('DELETE', '/0.1/users/me/tokens/web%20app', {token: dotted.token})).status, 204);
    assert.equal((await refreshGrant(spaced.refreshToken, 'web app')).status, 401);

    const denied = await td.call('DELETE', '/0.1/users/me/tokens/other', {token: dotted.token});
    assert.equal(denied.status, 401);
    assert.equal(denied.json.details.required_access, 'auth.users.me.tokens.other.delete');
    const unknown = await td.call('DELETE', '/0.1/users/me/tokens/my.app', {token: dotted.token});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_id, 'cannot-find-refresh-token-matching-client-id');
  });
});
