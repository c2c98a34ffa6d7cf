import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';

let td: TestDaemon;
let top: string;
let sub: string;
let sibling: string;
/** Administrators ('#') of `sub` and of `sibling`. */
let subAdmin: string;
let siblingAdmin: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

let users = 0;
/** A new user of `tenantUuid` holding `acl`, logged in once; returns its uuid and login data. */
async function loggedIn(tenantUuid: string, acl: string[] = [], headers: Record<string, string> = {}) {
  const username = `sessions-user-${++users}`;
  const uuid = await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  const data = await td.login(username, 'pw', {}, headers);
  return {uuid, username, token: data.token as string, session: data.session_uuid as string};
}

const admin = () => td.admin.token;
const tokenStatus = async (token: string) => (await td.call('HEAD', `/0.1/token/${token}`)).status;
const sessionUuids = (answer: {json: {items: {uuid: string}[]}}) => answer.json.items.map((s) => s.uuid);

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  sibling = await newTenant(top, 'sibling');
  subAdmin = (await loggedIn(sub, ['#'])).token;
  siblingAdmin = (await loggedIn(sibling, ['#'])).token;
});
after(() => td.stop());

describe('GET /0.1/sessions', () => {
  test("shows upstream's fields in upstream's order, then the token's times, address and agent", async () => {
    const alice = await loggedIn(top, [], {'user-agent': 'phone-app/2.0', 'x-forwarded-for': '10.1.2.3', 'wazo-session-type': 'mobile'});
    const r = await td.call('GET', '/0.1/sessions', {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['filtered', 'total', 'items']);
    const item = r.json.items.find((s: {uuid: string}) => s.uuid === alice.session);
    assert.deepEqual(Object.keys(item), ['uuid', 'mobile', 'tenant_uuid', 'user_uuid', 'created_at', 'expires_at', 'remote_addr', 'user_agent']);
    assert.equal(item.mobile, true);
    assert.equal(item.tenant_uuid, top);
    assert.equal(item.user_uuid, alice.uuid);
    assert.equal(item.remote_addr, '10.1.2.3');
    assert.equal(item.user_agent, 'phone-app/2.0');
    assert.match(item.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    assert.equal((Date.parse(item.expires_at) - Date.parse(item.created_at)) / 1000, 7200);
    assert.equal(r.json.total, r.json.items.length);
  });

  test('the tenant the request acts in, and the ones below with recurse', async () => {
    const inSub = await loggedIn(sub);
    const inSibling = await loggedIn(sibling);
    const own = sessionUuids(await td.call('GET', '/0.1/sessions', {token: admin()}));
    assert.ok(!own.includes(inSub.session) && !own.includes(inSibling.session));
    const all = sessionUuids(await td.call('GET', '/0.1/sessions?recurse=true', {token: admin()}));
    assert.ok(all.includes(inSub.session) && all.includes(inSibling.session));
    const actingInSub = await td.call('GET', '/0.1/sessions', {token: admin(), headers: {'wazo-tenant': sub}});
    assert.ok(sessionUuids(actingInSub).includes(inSub.session));
    assert.ok(actingInSub.json.items.every((s: {tenant_uuid: string}) => s.tenant_uuid === sub));
  });

  test('a sub-tenant administrator sees neither its parent nor its sibling', async () => {
    const inTop = await loggedIn(top);
    const inSibling = await loggedIn(sibling);
    const seen = await td.call('GET', '/0.1/sessions?recurse=true', {token: subAdmin});
    assert.equal(seen.status, 200);
    assert.ok(seen.json.items.length > 0);
    assert.ok(seen.json.items.every((s: {tenant_uuid: string}) => s.tenant_uuid === sub));
    assert.ok(!sessionUuids(seen).includes(inTop.session) && !sessionUuids(seen).includes(inSibling.session));
    for (const tenant of [top, sibling]) {
      const r = await td.call('GET', '/0.1/sessions', {token: subAdmin, headers: {'wazo-tenant': tenant}});
      assert.equal(r.status, 401, tenant);
    }
  });

  test('pages, orders, searches; bad list parameters are 400 invalid-list-param', async () => {
    const tenant = await newTenant(top, 'paging');
    const desk = await loggedIn(tenant, [], {'user-agent': 'Desk/1'});
    const phone = await loggedIn(tenant, [], {'user-agent': 'Phone/1', 'wazo-session-type': 'mobile'});
    const list = (query: string) => td.call('GET', `/0.1/sessions?${query}`, {token: admin(), headers: {'wazo-tenant': tenant}});

    assert.deepEqual(sessionUuids(await list('order=mobile&direction=desc')), [phone.session, desk.session]);
    assert.deepEqual(sessionUuids(await list('order=mobile&direction=asc&limit=1')), [desk.session]);
    const second = await list('order=mobile&offset=1');
    assert.deepEqual([second.json.total, second.json.filtered, sessionUuids(second)], [2, 2, [phone.session]]);
    const searched = await list('search=phone');
    assert.deepEqual([searched.json.total, searched.json.filtered, sessionUuids(searched)], [2, 1, [phone.session]]);

    for (const query of ['order=uuid', 'direction=up', 'limit=-1', 'offset=x', 'recurse=maybe']) {
      const r = await list(query);
      assert.equal(r.status, 400, query);
      assert.equal(r.json.error_id, 'invalid-list-param', query);
    }
  });

  test('401 without a token or without auth.sessions.read', async () => {
    assert.equal((await td.call('GET', '/0.1/sessions')).status, 401);
    const nobody = await loggedIn(top, ['auth.users.me.#']);
    const r = await td.call('GET', '/0.1/sessions', {token: nobody.token});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.sessions.read');
  });
});

describe('DELETE /0.1/sessions/{uuid}', () => {
  test('ends the session: its token fails HEAD /token at once', async () => {
    const alice = await loggedIn(top);
    assert.equal(await tokenStatus(alice.token), 204);
    const r = await td.call('DELETE', `/0.1/sessions/${alice.session}`, {token: admin()});
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(await tokenStatus(alice.token), 404);
    assert.ok(!sessionUuids(await td.call('GET', '/0.1/sessions', {token: admin()})).includes(alice.session));
  });

  test("204 for an unknown session; a session outside the caller's tree is left untouched", async () => {
    assert.equal((await td.call('DELETE', `/0.1/sessions/${randomUUID()}`, {token: admin()})).status, 204);
    const inTop = await loggedIn(top);
    const inSibling = await loggedIn(sibling);
    for (const target of [inTop, inSibling]) {
      assert.equal((await td.call('DELETE', `/0.1/sessions/${target.session}`, {token: subAdmin})).status, 204);
      assert.equal(await tokenStatus(target.token), 204, 'still valid');
    }
    const inSub = await loggedIn(sub);
    assert.equal((await td.call('DELETE', `/0.1/sessions/${inSub.session}`, {token: subAdmin})).status, 204);
    assert.equal(await tokenStatus(inSub.token), 404);
    assert.equal((await td.call('DELETE', `/0.1/sessions/${inSibling.session}`, {token: siblingAdmin})).status, 204);
    assert.equal(await tokenStatus(inSibling.token), 404);
  });

  test('the top administrator reaches sub-tenant sessions; a path that is not a uuid does not route', async () => {
    const inSub = await loggedIn(sub);
    assert.equal((await td.call('DELETE', `/0.1/sessions/${inSub.session}`, {token: admin()})).status, 204);
    assert.equal(await tokenStatus(inSub.token), 404);
    assert.equal((await td.call('DELETE', '/0.1/sessions/not-a-uuid', {token: admin()})).status, 404);
  });

  test('401 without the access for this session', async () => {
    const alice = await loggedIn(top, ['auth.sessions.read']);
    const r = await td.call('DELETE', `/0.1/sessions/${alice.session}`, {token: alice.token});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, `auth.sessions.${alice.session}.delete`);
    assert.equal(await tokenStatus(alice.token), 204);
  });
});

describe('GET /0.1/users/{uuid}/sessions', () => {
  test("lists the user's sessions only, with paging", async () => {
    const alice = await loggedIn(top);
    const second = await td.login(alice.username, 'pw', {}, {'wazo-session-type': 'mobile'});
    await loggedIn(top);
    const r = await td.call('GET', `/0.1/users/${alice.uuid}/sessions?order=mobile`, {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual([r.json.total, r.json.filtered], [2, 2]);
    assert.deepEqual(sessionUuids(r), [alice.session, second.session_uuid]);
    assert.ok(r.json.items.every((s: {user_uuid: string}) => s.user_uuid === alice.uuid));
    const page = await td.call('GET', `/0.1/users/${alice.uuid}/sessions?order=mobile&direction=desc&limit=1`, {token: admin()});
    assert.deepEqual(sessionUuids(page), [second.session_uuid]);
    const bad = await td.call('GET', `/0.1/users/${alice.uuid}/sessions?limit=lots`, {token: admin()});
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_id, 'invalid-list-param');
  });

  test('a user reads its own sessions with auth.users.me.#', async () => {
    const bob = await loggedIn(top, ['auth.users.me.#']);
    const r = await td.call('GET', `/0.1/users/${bob.uuid}/sessions`, {token: bob.token});
    assert.equal(r.status, 200);
    assert.deepEqual(sessionUuids(r), [bob.session]);
  });

  test("an unknown user, or one outside the caller's tree, is 404 unknown-user", async () => {
    const unknown = await td.call('GET', `/0.1/users/${randomUUID()}/sessions`, {token: admin()});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_id, 'unknown-user');
    for (const tenant of [top, sibling]) {
      const other = await loggedIn(tenant);
      const r = await td.call('GET', `/0.1/users/${other.uuid}/sessions`, {token: subAdmin});
      assert.equal(r.status, 404, tenant);
      assert.equal(r.json.error_id, 'unknown-user');
    }
  });
});

describe('DELETE /0.1/users/{uuid}/sessions/{uuid}', () => {
  test("ends one of the user's sessions at once", async () => {
    const alice = await loggedIn(sub);
    const r = await td.call('DELETE', `/0.1/users/${alice.uuid}/sessions/${alice.session}`, {token: subAdmin});
    assert.equal(r.status, 204);
    assert.equal(await tokenStatus(alice.token), 404);
  });

  test("a user may end its own session, never another user's through its own path", async () => {
    const carol = await loggedIn(top, ['auth.users.me.#']);
    const dave = await loggedIn(top);
    const other = await td.call('DELETE', `/0.1/users/${carol.uuid}/sessions/${dave.session}`, {token: carol.token});
    assert.equal(other.status, 204);
    assert.equal(await tokenStatus(dave.token), 204, "dave's session is untouched");
    const extra = await td.login(carol.username, 'pw');
    assert.equal((await td.call('DELETE', `/0.1/users/${carol.uuid}/sessions/${extra.session_uuid}`, {token: carol.token})).status, 204);
    assert.equal(await tokenStatus(extra.token), 404);
    assert.equal(await tokenStatus(carol.token), 204);
  });

  test("a user outside the caller's tree is 404 and keeps its session", async () => {
    for (const tenant of [top, sibling]) {
      const other = await loggedIn(tenant);
      const r = await td.call('DELETE', `/0.1/users/${other.uuid}/sessions/${other.session}`, {token: subAdmin});
      assert.equal(r.status, 404, tenant);
      assert.equal(r.json.error_id, 'unknown-user');
      assert.equal(await tokenStatus(other.token), 204);
    }
  });
});
