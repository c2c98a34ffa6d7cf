import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';
import {redactToken} from '../../src/log.js';

let td: TestDaemon;
let top: string;
let sub: string;
let subAdmin: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

async function tokenOf(username: string, acl: string[], tenantUuid?: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const admin = () => td.admin.token;
const newPolicy = async (body: Record<string, unknown>, token = admin()) => (await td.call('POST', '/0.1/policies', {token, body})).json;
const newUser = async (username: string, token = admin()) =>
  (await td.call('POST', '/0.1/users', {token, body: {username, password: 'pw'}})).json.uuid as string;
const policiesOf = async (user: string, query = '') => (await td.call('GET', `/0.1/users/${user}/policies${query}`, {token: admin()})).json;

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  subAdmin = await tokenOf('subadmin', ['#'], sub);
});
after(() => td.stop());

describe('PUT|DELETE /0.1/users/{uuid}/policies/{uuid or slug}', () => {
  test('gives and takes a policy by uuid or slug: 204 with a JSON content type and no body', async () => {
    const user = await newUser('alice');
    const one = await newPolicy({name: 'one', acl: ['a.b']});
    await newPolicy({name: 'two', acl: ['c.d']});
    const put = await td.call('PUT', `/0.1/users/${user}/policies/${one.uuid}`, {token: admin()});
    assert.equal(put.status, 204);
    assert.equal(put.headers['content-type'], 'application/json');
    assert.equal(put.text, '');
    assert.equal((await td.call('PUT', `/0.1/users/${user}/policies/two`, {token: admin()})).status, 204);
    assert.equal((await td.call('PUT', `/0.1/users/${user}/policies/two`, {token: admin()})).status, 204);
    assert.deepEqual((await td.login('alice', 'pw')).acl, ['a.b', 'c.d']);

    assert.equal((await td.call('DELETE', `/0.1/users/${user}/policies/two`, {token: admin()})).status, 204);
    assert.equal((await td.call('DELETE', `/0.1/users/${user}/policies/${one.uuid}`, {token: admin()})).status, 204);
    assert.equal((await td.call('DELETE', `/0.1/users/${user}/policies/${one.uuid}`, {token: admin()})).status, 204);
    assert.deepEqual((await td.login('alice', 'pw')).acl, []);
  });

  test('an unknown user is 404 unknown-user; an unknown policy 404 in the reason shape', async () => {
    const policy = await newPolicy({name: 'known'});
    const user = await newUser('bob');
    const noUser = await td.call('PUT', `/0.1/users/${randomUUID()}/policies/${policy.uuid}`, {token: admin()});
    assert.equal(noUser.status, 404);
    assert.equal(noUser.json.error_id, 'unknown-user');
    for (const method of ['PUT', 'DELETE']) {
      for (const ref of [randomUUID(), 'no-such-slug']) {
        const r = await td.call(method, `/0.1/users/${user}/policies/${ref}`, {token: admin()});
        assert.equal(r.status, 404, `${method} ${ref}`);
        assert.equal(r.json.status_code, 404);
      }
    }
  });

  test('401 without a token or without the access', async () => {
    const user = await newUser('carol');
    const policy = await newPolicy({name: 'for-carol'});
    const path = `/0.1/users/${user}/policies/${policy.uuid}`;
    const anonymous = await td.call('PUT', path);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, `auth.users.${user}.policies.${policy.uuid}.create`);
    const reader = await tokenOf('up-reader', ['auth.users.*.policies.read']);
    assert.equal((await td.call('PUT', path, {token: reader})).status, 401);
    assert.equal((await td.call('GET', `/0.1/users/${user}/policies`, {token: reader})).status, 200);
  });

  test('a token may give or take only a policy whose every access it holds', async () => {
    const manager = await tokenOf('manager', ['auth.users.#', 'confd.users.read']);
    const user = await newUser('dave');
    const small = await newPolicy({name: 'small', acl: ['confd.users.read', '!confd.users.delete']});
    const big = await newPolicy({name: 'big', acl: ['confd.users.read', 'confd.#']});
    const give = await td.call('PUT', `/0.1/users/${user}/policies/${big.uuid}`, {token: manager});
    assert.equal(give.status, 401);
    assert.deepEqual(give.json.details, {invalid_token: redactToken(manager), required_access: 'confd.#'});
    assert.equal((await td.call('PUT', `/0.1/users/${user}/policies/${small.uuid}`, {token: manager})).status, 204);

    const veto = await newPolicy({name: 'veto', acl: ['!secret.read']});
    await td.call('PUT', `/0.1/users/${user}/policies/${veto.uuid}`, {token: admin()});
    const take = await td.call('DELETE', `/0.1/users/${user}/policies/${veto.uuid}`, {token: manager});
    assert.equal(take.status, 401);
    assert.equal(take.json.details.required_access, '!secret.read');
  });
});

describe('GET /0.1/users/{uuid}/policies', () => {
  test("lists the user's policies with items, total and filtered", async () => {
    const user = await newUser('erin');
    for (const name of ['p-b', 'p-a', 'other']) {
      const policy = await newPolicy({name, description: `about ${name}`});
      await td.call('PUT', `/0.1/users/${user}/policies/${policy.uuid}`, {token: admin()});
    }
    const all = await policiesOf(user);
    assert.deepEqual(Object.keys(all), ['items', 'total', 'filtered']);
    assert.deepEqual(
      all.items.map((p: any) => p.name),
      ['other', 'p-a', 'p-b'],
    );
    assert.deepEqual(Object.keys(all.items[0]), ['uuid', 'tenant_uuid', 'name', 'slug', 'description', 'acl', 'read_only', 'shared']);
    const searched = await policiesOf(user, '?search=p-&direction=desc&limit=1');
    assert.deepEqual({total: searched.total, filtered: searched.filtered}, {total: 3, filtered: 2});
    assert.deepEqual(
      searched.items.map((p: any) => p.name),
      ['p-b'],
    );
    const bad = await td.call('GET', `/0.1/users/${user}/policies?order=slug`, {token: admin()});
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_id, 'invalid-list-param');
    const unknown = await td.call('GET', `/0.1/users/${randomUUID()}/policies`, {token: admin()});
    assert.equal(unknown.status, 404);
  });
});

describe('tenant isolation', () => {
  test("a sub-tenant admin cannot reach the top tenant's users or private policies", async () => {
    const topUser = await newUser('frank');
    const topPolicy = await newPolicy({name: 'top-private'});
    const subUser = await newUser('gina', subAdmin);
    const subPolicy = await newPolicy({name: 'sub-policy'}, subAdmin);

    assert.equal((await td.call('PUT', `/0.1/users/${topUser}/policies/${subPolicy.uuid}`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('GET', `/0.1/users/${topUser}/policies`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('PUT', `/0.1/users/${subUser}/policies/${topPolicy.uuid}`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('PUT', `/0.1/users/${subUser}/policies/sub-policy`, {token: subAdmin})).status, 204);
    assert.equal((await td.call('GET', `/0.1/users/${topUser}/policies`, {token: subAdmin, headers: {'wazo-tenant': top}})).status, 401);
  });

  test('a shared policy of the top tenant can be given in a sub-tenant', async () => {
    const shared = await newPolicy({name: 'shared-top', acl: ['x.y'], shared: true});
    const subUser = await newUser('hank', subAdmin);
    assert.equal((await td.call('PUT', `/0.1/users/${subUser}/policies/shared-top`, {token: subAdmin})).status, 204);
    const listed = (await td.call('GET', `/0.1/users/${subUser}/policies`, {token: subAdmin})).json.items;
    assert.deepEqual(
      listed.map((p: any) => p.uuid),
      [shared.uuid],
    );
  });
});
