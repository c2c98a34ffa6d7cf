// Two daemons on one PostgreSQL schema, as behind a load balancer: whatever one of them does, the
// other sees at once (no daemon keeps state that the other needs).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {basic, call, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {freshSchema, pgSkip, testPgSettings, type TestSchema} from '../helpers/pg.js';

let schema: TestSchema;
let a: TestDaemon;
let b: TestDaemon;
let admin: string;

/** The schema's uri with its own application_name, so that each daemon's connections are told apart. */
function uriFor(name: string): string {
  const uri = new URL(schema.uri);
  uri.searchParams.set('application_name', name);
  return uri.toString();
}

function daemonOn(name: string, keyOf?: TestDaemon): Promise<TestDaemon> {
  return startTestDaemon({
    config: {db_uri: uriFor(name), db_pool_size: testPgSettings.poolSize, db_statement_timeout_ms: testPgSettings.statementTimeoutMs},
    keyOf,
  });
}

async function login(td: TestDaemon, username: string, password: string): Promise<{status: number; token?: string}> {
  const r = await call(td.url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic(username, password)}});
  return {status: r.status, token: r.json?.data?.token};
}

const check = (td: TestDaemon, token: string, query = '') => td.call('HEAD', `/0.1/token/${token}${query}`).then((r) => r.status);

describe('two daemons on one PostgreSQL database', {skip: pgSkip}, () => {
  before(async () => {
    schema = await freshSchema();
    // One after the other: the second bootstrap gives the administrator another password, which
    // leaves the first daemon's administrator token valid.
    a = await daemonOn('wazo-auth-a');
    b = await daemonOn('wazo-auth-b', a);
    admin = a.admin.token;
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await schema?.drop();
  });

  test('both daemons opened the same schema: one top tenant, one installation uuid', async () => {
    const tenantsA = await a.call('GET', '/0.1/tenants', {token: admin});
    const tenantsB = await b.call('GET', '/0.1/tenants', {token: b.admin.token});
    assert.deepEqual(tenantsB.json, tenantsA.json);
    assert.equal(tenantsA.json.total, 1);
    const tokenA = await a.call('GET', `/0.1/token/${admin}`);
    const tokenB = await b.call('GET', `/0.1/token/${b.admin.token}`);
    assert.equal(tokenA.json.data.xivo_uuid, tokenB.json.data.xivo_uuid);
  });

  test('a daemon with another refresh-token key refuses to start on the same database', async () => {
    await assert.rejects(daemonOn('wazo-auth-c'), /refresh-token\.key is not the key of the other daemons/);
  });

  test('a refresh token from A is the one B hands out again, and B accepts it', async () => {
    const offline = {access_type: 'offline', client_id: 'load-balanced'};
    const headers = {authorization: basic('admin', b.admin.password)};
    const first = (await call(a.url, 'POST', '/0.1/token', {body: offline, headers})).json.data;
    const second = (await call(b.url, 'POST', '/0.1/token', {body: offline, headers})).json.data;
    assert.equal(second.refresh_token, first.refresh_token);
    const refreshed = await call(b.url, 'POST', '/0.1/token', {body: {refresh_token: first.refresh_token, client_id: 'load-balanced'}});
    assert.equal(refreshed.status, 200);
    assert.equal(await check(a, refreshed.json.data.token), 204);
  });

  test('a token created on A is valid on B at once, with the same data', async () => {
    const {token} = await login(a, 'admin', b.admin.password);
    assert.equal(await check(b, token!), 204);
    const onA = await a.call('GET', `/0.1/token/${token}`);
    const onB = await b.call('GET', `/0.1/token/${token}`);
    assert.equal(onB.status, 200);
    assert.deepEqual(onB.json, onA.json);
  });

  test('a token revoked on B is refused by A at once, even right after A checked it', async () => {
    for (let i = 0; i < 20; i++) {
      const {token} = await login(a, 'admin', b.admin.password);
      assert.equal(await check(a, token!), 204);
      assert.equal((await b.call('DELETE', `/0.1/token/${token}`)).status, 200);
      assert.equal(await check(a, token!), 404, `round ${i}`);
      assert.equal(await check(b, token!), 404, `round ${i}`);
    }
  });

  test('a session ended on A ends the token on B', async () => {
    const {token} = await login(b, 'admin', b.admin.password);
    const session = (await b.call('GET', `/0.1/token/${token}`)).json.data.session_uuid;
    assert.equal((await a.call('DELETE', `/0.1/sessions/${session}`, {token: admin})).status, 204);
    assert.equal(await check(b, token!), 404);
  });

  test('a policy changed on one daemon is what the other grants at the next login', async () => {
    const policy = (await a.call('POST', '/0.1/policies', {token: admin, body: {name: 'shared-view', acl: ['first.access']}})).json;
    assert.deepEqual((await b.call('GET', `/0.1/policies/${policy.uuid}`, {token: admin})).json.acl, ['first.access']);
    const user = (await b.call('POST', '/0.1/users', {token: admin, body: {username: 'carol', password: 'pw-carol'}})).json;
    assert.equal((await a.call('PUT', `/0.1/users/${user.uuid}/policies/${policy.uuid}`, {token: admin})).status, 204);

    const first = await login(b, 'carol', 'pw-carol');
    assert.equal(await check(a, first.token!, '?scope=first.access'), 204);

    const changed = await b.call('PUT', `/0.1/policies/${policy.uuid}`, {token: admin, body: {name: 'shared-view', acl: ['second.access']}});
    assert.equal(changed.status, 200);
    assert.deepEqual((await a.call('GET', `/0.1/policies/${policy.uuid}`, {token: admin})).json.acl, ['second.access']);
    const second = await login(a, 'carol', 'pw-carol');
    assert.equal(await check(b, second.token!, '?scope=second.access'), 204);
    assert.equal(await check(b, second.token!, '?scope=first.access'), 403);
  });

  test('a user disabled or deleted on one daemon is refused by the other at once', async () => {
    const user = (await a.call('POST', '/0.1/users', {token: admin, body: {username: 'dave', password: 'pw-dave'}})).json;
    const {token} = await login(b, 'dave', 'pw-dave');
    assert.equal((await b.call('PUT', `/0.1/users/${user.uuid}`, {token: admin, body: {username: 'dave', enabled: false}})).status, 200);
    assert.equal((await login(a, 'dave', 'pw-dave')).status, 401);
    assert.equal(await check(a, token!), 404, 'disabling ends the sessions');
    assert.equal((await b.call('PUT', `/0.1/users/${user.uuid}`, {token: admin, body: {username: 'dave', enabled: true}})).status, 200);
    const again = await login(a, 'dave', 'pw-dave');
    assert.equal(await check(b, again.token!), 204);
    assert.equal((await b.call('DELETE', `/0.1/users/${user.uuid}`, {token: admin})).status, 204);
    assert.equal(await check(a, again.token!), 404);
    assert.equal((await a.call('GET', `/0.1/users/${user.uuid}`, {token: admin})).status, 404);
  });

  test('a tenant created, moved or deleted through one daemon is seen so by the other at once', async () => {
    const parent = (await a.call('POST', '/0.1/tenants', {token: admin, body: {name: 'north', slug: 'north'}})).json;
    const child = (await b.call('POST', '/0.1/tenants', {token: admin, body: {name: 'north-east', slug: 'northeast'}})).json;
    assert.equal((await a.call('GET', `/0.1/tenants/${child.uuid}`, {token: admin})).status, 200);

    const user = (await a.call('POST', '/0.1/users', {token: admin, body: {username: 'erin', password: 'pw-erin'}, headers: {'Wazo-Tenant': parent.uuid}}))
      .json;
    await a.call(
      'PUT',
      `/0.1/users/${user.uuid}/policies/${(await a.call('POST', '/0.1/policies', {token: admin, body: {name: 'erin-all', acl: ['#']}, headers: {'Wazo-Tenant': parent.uuid}})).json.uuid}`,
      {token: admin, headers: {'Wazo-Tenant': parent.uuid}},
    );
    const {token} = await login(a, 'erin', 'pw-erin');
    assert.equal(await check(b, token!, `?tenant=${child.uuid}`), 403, 'a sibling is not covered');

    assert.equal((await b.call('PUT', `/0.1/tenants/${child.uuid}/parent/${parent.uuid}`, {token: admin})).status, 204);
    assert.equal(await check(a, token!, `?tenant=${child.uuid}`), 204, 'moved below the token tenant, covered at once');

    assert.equal((await a.call('DELETE', `/0.1/tenants/${child.uuid}`, {token: admin})).status, 204);
    assert.equal((await b.call('GET', `/0.1/tenants/${child.uuid}`, {token: admin})).status, 404);
  });
});
