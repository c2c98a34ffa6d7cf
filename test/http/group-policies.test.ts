import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {createUser} from '../helpers/users.js';
import {allUsersGroupName, groupWorld, tokenOf, type GroupWorld} from './group-fixtures.js';
import {redactToken} from '../../src/log.js';

let w: GroupWorld;

const admin = () => w.td.admin.token;
const call: GroupWorld['td']['call'] = (...args) => w.td.call(...args);
const newGroup = async (name: string, token = admin()) => (await call('POST', '/0.1/groups', {token, body: {name}})).json;
const newPolicy = async (body: Record<string, unknown>, token = admin()) => (await call('POST', '/0.1/policies', {token, body})).json;
const newUser = async (username: string, token = admin()) => (await call('POST', '/0.1/users', {token, body: {username, password: 'pw'}})).json.uuid as string;
const give = (group: string, policy: string, token = admin()) => call('PUT', `/0.1/groups/${group}/policies/${policy}`, {token});
const take = (group: string, policy: string, token = admin()) => call('DELETE', `/0.1/groups/${group}/policies/${policy}`, {token});
const policiesOf = async (group: string, query = '', token = admin()) => (await call('GET', `/0.1/groups/${group}/policies${query}`, {token})).json;
const addMember = (group: string, user: string, token = admin()) => call('PUT', `/0.1/groups/${group}/users/${user}`, {token});
const allUsersGroupOf = async (tenant: string, token = admin()) =>
  (await call('GET', `/0.1/groups?name=${allUsersGroupName(tenant)}`, {token, headers: {'wazo-tenant': tenant}})).json.items[0];

before(async () => {
  w = await groupWorld();
});
after(() => w.td.stop());

describe('PUT|DELETE /0.1/groups/{uuid}/policies/{uuid or slug}', () => {
  test('gives and takes a policy by uuid or slug: 204 with a JSON content type and no body', async () => {
    const group = await newGroup('holders');
    const one = await newPolicy({name: 'one', acl: ['a.b']});
    const two = await newPolicy({name: 'two', acl: ['c.d']});
    const put = await give(group.uuid, one.uuid);
    assert.equal(put.status, 204);
    assert.equal(put.headers['content-type'], 'application/json');
    assert.equal(put.text, '');
    assert.equal((await give(group.uuid, 'two')).status, 204);
    assert.equal((await give(group.uuid, 'two')).status, 204);
    assert.deepEqual(
      (await policiesOf(group.uuid)).items.map((p: any) => p.uuid),
      [one.uuid, two.uuid],
    );

    assert.equal((await take(group.uuid, 'two')).status, 204);
    assert.equal((await take(group.uuid, one.uuid)).status, 204);
    assert.equal((await take(group.uuid, one.uuid)).status, 204);
    assert.equal((await policiesOf(group.uuid)).total, 0);
  });

  test('an unknown group is 404 unknown-group; an unknown policy 404 in the reason shape', async () => {
    const group = await newGroup('lookups');
    const policy = await newPolicy({name: 'known'});
    for (const method of ['PUT', 'DELETE']) {
      const noGroup = await call(method, `/0.1/groups/${randomUUID()}/policies/${policy.uuid}`, {token: admin()});
      assert.equal(noGroup.status, 404, method);
      assert.equal(noGroup.json.error_id, 'unknown-group');
      for (const ref of [randomUUID(), 'no-such-slug']) {
        const r = await call(method, `/0.1/groups/${group.uuid}/policies/${ref}`, {token: admin()});
        assert.equal(r.status, 404, `${method} ${ref}`);
        assert.deepEqual(r.json.reason, [`No such policy ${ref}`]);
      }
    }
  });

  test('a token may give or take only a policy whose every access it holds', async () => {
    const manager = await tokenOf(w.td, 'gp-manager', ['auth.groups.#', 'confd.users.read']);
    const group = await newGroup('managed');
    const small = await newPolicy({name: 'small', acl: ['confd.users.read', '!confd.users.delete']});
    const big = await newPolicy({name: 'big', acl: ['confd.users.read', 'confd.#']});
    const refused = await give(group.uuid, big.uuid, manager);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json.details, {invalid_token: redactToken(manager), required_access: 'confd.#'});
    assert.equal((await give(group.uuid, small.uuid, manager)).status, 204);
    assert.deepEqual(
      (await policiesOf(group.uuid)).items.map((p: any) => p.uuid),
      [small.uuid],
    );

    const veto = await newPolicy({name: 'veto', acl: ['!secret.read']});
    await give(group.uuid, veto.uuid);
    const lift = await take(group.uuid, veto.uuid, manager);
    assert.equal(lift.status, 401);
    assert.equal(lift.json.details.required_access, '!secret.read');
    const missing = await give(group.uuid, small.uuid, await tokenOf(w.td, 'gp-reader', ['auth.groups.*.policies.read']));
    assert.equal(missing.status, 401);
    assert.equal(missing.json.details.required_access, `auth.groups.${group.uuid}.policies.${small.uuid}.create`);
  });
});

describe("a group's policies in its members' tokens", () => {
  test("a member's new token holds the group's accesses; a former member's does not", async () => {
    const group = await newGroup('acl-givers');
    const policy = await newPolicy({name: 'given-by-group', acl: ['group.access', 'shared.access']});
    const own = await newPolicy({name: 'own-policy', acl: ['own.access', 'shared.access']});
    const user = await newUser('member-alice');
    await call('PUT', `/0.1/users/${user}/policies/${own.uuid}`, {token: admin()});
    assert.deepEqual((await w.td.login('member-alice', 'pw')).acl, ['own.access', 'shared.access']);

    assert.equal((await addMember(group.uuid, user)).status, 204);
    assert.equal((await give(group.uuid, policy.uuid)).status, 204);
    assert.deepEqual((await w.td.login('member-alice', 'pw')).acl, ['group.access', 'shared.access', 'own.access']);

    assert.equal((await call('DELETE', `/0.1/groups/${group.uuid}/users/${user}`, {token: admin()})).status, 204);
    assert.deepEqual((await w.td.login('member-alice', 'pw')).acl, ['own.access', 'shared.access']);
  });

  test("the all-users group's policies reach every user of its tenant and no other", async () => {
    const policy = await newPolicy({name: 'for-everyone-in-sub', acl: ['everyone.read']}, w.subAdmin);
    const everyone = await allUsersGroupOf(w.sub, w.subAdmin);
    assert.equal((await give(everyone.uuid, policy.uuid, w.subAdmin)).status, 204);
    await newUser('sub-member', w.subAdmin);
    await createUser(w.td.daemon.services.store, {username: 'sibling-member', password: 'pw', tenantUuid: w.sibling});
    assert.deepEqual((await w.td.login('sub-member', 'pw')).acl, ['everyone.read']);
    assert.deepEqual((await w.td.login('sibling-member', 'pw')).acl, []);
    const listed = await policiesOf(everyone.uuid, '', w.subAdmin);
    assert.deepEqual(
      listed.items.map((p: any) => p.uuid),
      [policy.uuid],
    );
    assert.equal((await take(everyone.uuid, 'for-everyone-in-sub', w.subAdmin)).status, 204);
    assert.deepEqual((await w.td.login('sub-member', 'pw')).acl, []);
  });

  test('deleting a policy takes it from its groups', async () => {
    const group = await newGroup('loses-policy');
    const policy = await newPolicy({name: 'short-lived'});
    await give(group.uuid, policy.uuid);
    assert.equal((await call('DELETE', `/0.1/policies/${policy.uuid}`, {token: admin()})).status, 204);
    assert.equal((await policiesOf(group.uuid)).total, 0);
  });
});

describe('GET /0.1/groups/{uuid}/policies', () => {
  test('lists with items, total and filtered, as policies are shown elsewhere', async () => {
    const group = await newGroup('listed');
    for (const name of ['foo', 'bar', 'baz']) {
      const policy = await newPolicy({name: `gp-${name}`, description: `about ${name}`});
      await give(group.uuid, policy.uuid);
    }
    await newPolicy({name: 'gp-ignored'});
    const all = await policiesOf(group.uuid);
    assert.deepEqual(Object.keys(all), ['items', 'total', 'filtered']);
    assert.deepEqual(
      all.items.map((p: any) => p.name),
      ['gp-bar', 'gp-baz', 'gp-foo'],
    );
    assert.deepEqual(Object.keys(all.items[0]), ['uuid', 'tenant_uuid', 'name', 'slug', 'description', 'acl', 'read_only', 'shared']);
    const searched = await policiesOf(group.uuid, '?search=gp-ba&direction=desc&limit=1');
    assert.deepEqual(
      {total: searched.total, filtered: searched.filtered, names: searched.items.map((p: any) => p.name)},
      {
        total: 3,
        filtered: 2,
        names: ['gp-baz'],
      },
    );
    const named = await policiesOf(group.uuid, '?name=gp-foo&offset=0');
    assert.deepEqual(
      {total: named.total, filtered: named.filtered, names: named.items.map((p: any) => p.name)},
      {
        total: 3,
        filtered: 1,
        names: ['gp-foo'],
      },
    );
    assert.equal((await policiesOf(group.uuid, `?tenant_uuid=${w.sub}`)).filtered, 0);
    for (const query of ['?order=slug', '?limit=x']) {
      const bad = await call('GET', `/0.1/groups/${group.uuid}/policies${query}`, {token: admin()});
      assert.equal(bad.status, 400, query);
      assert.equal(bad.json.error_id, 'invalid-list-param');
    }
    assert.equal((await call('GET', `/0.1/groups/${randomUUID()}/policies`, {token: admin()})).json.error_id, 'unknown-group');
  });

  test("a parent's shared policy is given by uuid or slug and shown read-only in the sub-tenant", async () => {
    const shared = await newPolicy({name: 'top-shared', slug: 'top_shared', acl: ['x.y'], shared: true});
    const group = await newGroup('sub-with-shared', w.subAdmin);
    assert.equal((await give(group.uuid, 'top_shared', w.subAdmin)).status, 204);
    const [seen] = (await policiesOf(group.uuid, '', w.subAdmin)).items;
    assert.deepEqual(
      {uuid: seen.uuid, tenant_uuid: seen.tenant_uuid, read_only: seen.read_only, shared: seen.shared},
      {
        uuid: shared.uuid,
        tenant_uuid: w.sub,
        read_only: true,
        shared: false,
      },
    );
    assert.equal((await take(group.uuid, shared.uuid, w.subAdmin)).status, 204);
    assert.equal((await give(group.uuid, shared.uuid, w.subAdmin)).status, 204);
  });
});

describe('tenant isolation', () => {
  test("a sub-tenant admin cannot touch another tenant's groups or private policies", async () => {
    const topGroup = await newGroup('top-group');
    const topPolicy = await newPolicy({name: 'top-private', acl: ['top.secret']});
    const subGroup = await newGroup('sub-group', w.subAdmin);
    const subPolicy = await newPolicy({name: 'sub-policy'}, w.subAdmin);
    await give(topGroup.uuid, topPolicy.uuid);

    assert.equal((await give(topGroup.uuid, subPolicy.uuid, w.subAdmin)).json.error_id, 'unknown-group');
    assert.equal((await take(topGroup.uuid, topPolicy.uuid, w.subAdmin)).json.error_id, 'unknown-group');
    assert.equal((await call('GET', `/0.1/groups/${topGroup.uuid}/policies`, {token: w.subAdmin})).json.error_id, 'unknown-group');
    assert.equal((await give(subGroup.uuid, topPolicy.uuid, w.subAdmin)).status, 404);
    assert.equal((await give(subGroup.uuid, 'top-private', w.subAdmin)).status, 404);
    assert.equal((await give(subGroup.uuid, subPolicy.uuid, w.subAdmin)).status, 204);
    assert.equal((await give(subGroup.uuid, subPolicy.uuid, w.siblingAdmin)).status, 404);
    assert.equal((await call('GET', `/0.1/groups/${subGroup.uuid}/policies`, {token: w.siblingAdmin})).status, 404);
    const viaHeader = await call('GET', `/0.1/groups/${topGroup.uuid}/policies`, {token: w.subAdmin, headers: {'wazo-tenant': w.top}});
    assert.equal(viaHeader.status, 401);
  });

  test("a parent's private policy put on a sub-tenant group stays out of the sub-tenant's sight", async () => {
    const subGroup = await newGroup('sub-group-2', w.subAdmin);
    const topPolicy = await newPolicy({name: 'top-private-2', acl: ['top.only']});
    assert.equal((await give(subGroup.uuid, topPolicy.uuid)).status, 204);
    const fromSub = await policiesOf(subGroup.uuid, '', w.subAdmin);
    assert.deepEqual({total: fromSub.total, items: fromSub.items}, {total: 0, items: []});
    assert.equal((await take(subGroup.uuid, topPolicy.uuid, w.subAdmin)).status, 404);
    assert.deepEqual(
      (await policiesOf(subGroup.uuid)).items.map((p: any) => p.uuid),
      [topPolicy.uuid],
    );
  });
});
