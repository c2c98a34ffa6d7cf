import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {allUsersGroupName, groupWorld, newTenant, tokenOf, type GroupWorld} from './group-fixtures.js';

let w: GroupWorld;

const admin = () => w.td.admin.token;
const call: GroupWorld['td']['call'] = (...args) => w.td.call(...args);
const newGroup = async (name: string, token = admin(), headers: Record<string, string> = {}) =>
  (await call('POST', '/0.1/groups', {token, body: {name}, headers})).json;
const newUser = async (body: Record<string, unknown>, token = admin(), headers: Record<string, string> = {}) =>
  (await call('POST', '/0.1/users', {token, body, headers})).json;
const join = (group: string, user: string, token = admin()) => call('PUT', `/0.1/groups/${group}/users/${user}`, {token});
const leave = (group: string, user: string, token = admin()) => call('DELETE', `/0.1/groups/${group}/users/${user}`, {token});
const membersOf = async (group: string, query = '', token = admin()) => (await call('GET', `/0.1/groups/${group}/users${query}`, {token})).json;
const groupsOf = async (user: string, query = '', token = admin()) => (await call('GET', `/0.1/users/${user}/groups${query}`, {token})).json;
const allUsersGroupOf = async (tenant: string) =>
  (await call('GET', `/0.1/groups?name=${allUsersGroupName(tenant)}`, {token: admin(), headers: {'wazo-tenant': tenant}})).json.items[0];

before(async () => {
  w = await groupWorld();
});
after(() => w.td.stop());

describe('PUT|DELETE /0.1/groups/{uuid}/users/{uuid}', () => {
  test('adds and removes a member: 204 with a JSON content type and no body, twice alike', async () => {
    const group = await newGroup('team');
    const user = await newUser({username: 'joiner'});
    const put = await join(group.uuid, user.uuid);
    assert.equal(put.status, 204);
    assert.equal(put.headers['content-type'], 'application/json');
    assert.equal(put.text, '');
    assert.equal((await join(group.uuid, user.uuid)).status, 204);
    assert.deepEqual((await membersOf(group.uuid)).items, [user]);
    assert.equal((await leave(group.uuid, user.uuid)).status, 204);
    assert.equal((await leave(group.uuid, user.uuid)).status, 204);
    assert.equal((await membersOf(group.uuid)).total, 0);
  });

  test('an unknown group is 404 unknown-group, an unknown user 404 unknown-user', async () => {
    const group = await newGroup('lookups');
    const user = await newUser({username: 'looked-up'});
    for (const method of ['PUT', 'DELETE']) {
      const noGroup = await call(method, `/0.1/groups/${randomUUID()}/users/${user.uuid}`, {token: admin()});
      assert.equal(noGroup.status, 404, method);
      assert.equal(noGroup.json.error_id, 'unknown-group');
      const unknown = randomUUID();
      const noUser = await call(method, `/0.1/groups/${group.uuid}/users/${unknown}`, {token: admin()});
      assert.equal(noUser.status, 404, method);
      assert.deepEqual(
        {error_id: noUser.json.error_id, details: noUser.json.details, resource: noUser.json.resource},
        {
          error_id: 'unknown-user',
          details: {uuid: unknown},
          resource: 'users',
        },
      );
    }
  });

  test('a user joins only a group of its own tenant: 400 missmatching-tenant', async () => {
    const topGroup = await newGroup('top-team');
    const subUser = await newUser({username: 'sub-user'}, w.subAdmin);
    const r = await join(topGroup.uuid, subUser.uuid);
    assert.equal(r.status, 400);
    assert.deepEqual(
      {...r.json, timestamp: undefined},
      {
        message: 'Ressources are not in the same tenant',
        error_id: 'missmatching-tenant',
        details: {user_tenant_uuid: w.sub, group_tenant_uuid: w.top},
        timestamp: undefined,
        resource: 'groups',
      },
    );
    const subGroup = await newGroup('sub-team', w.subAdmin);
    assert.equal((await join(subGroup.uuid, subUser.uuid)).status, 204);
  });

  test('401 without the access, naming it', async () => {
    const group = await newGroup('guarded');
    const user = await newUser({username: 'guarded-user'});
    const reader = await tokenOf(w.td, 'members-reader', ['auth.groups.*.users.read', 'auth.users.*.groups.read']);
    assert.equal((await call('GET', `/0.1/groups/${group.uuid}/users`, {token: reader})).status, 200);
    assert.equal((await call('GET', `/0.1/users/${user.uuid}/groups`, {token: reader})).status, 200);
    for (const [method, verb] of [
      ['PUT', 'create'],
      ['DELETE', 'delete'],
    ]) {
      const r = await call(method!, `/0.1/groups/${group.uuid}/users/${user.uuid}`, {token: reader});
      assert.equal(r.status, 401, method);
      assert.equal(r.json.details.required_access, `auth.groups.${group.uuid}.users.${user.uuid}.${verb}`);
    }
  });
});

describe('the all-users group', () => {
  test('counts every user of its tenant, newcomers included, and no one else', async () => {
    const tenant = await newTenant(w.td, w.top, 'everyone');
    const everyone = await allUsersGroupOf(tenant);
    const headers = {'wazo-tenant': tenant};
    const bob = await newUser({username: 'everyone-bob'}, admin(), headers);
    const amy = await newUser({username: 'everyone-amy'}, admin(), headers);
    const members = await membersOf(everyone.uuid);
    assert.deepEqual(members, {items: [amy, bob], total: 2, filtered: 2});
    assert.deepEqual(
      (await groupsOf(bob.uuid)).items.map((g: any) => g.uuid),
      [everyone.uuid],
    );
    assert.equal((await call('DELETE', `/0.1/users/${amy.uuid}`, {token: admin()})).status, 204);
    assert.deepEqual((await membersOf(everyone.uuid)).items, [bob]);
  });

  test('its members cannot be changed: 403 forbidden-group', async () => {
    const everyone = await allUsersGroupOf(w.top);
    const user = await newUser({username: 'cannot-leave'});
    for (const method of ['PUT', 'DELETE']) {
      const r = await call(method, `/0.1/groups/${everyone.uuid}/users/${user.uuid}`, {token: admin()});
      assert.equal(r.status, 403, method);
      assert.equal(r.json.error_id, 'forbidden-group');
    }
    assert.ok((await membersOf(everyone.uuid, `?uuid=${user.uuid}`)).filtered === 1);
  });
});

describe('GET /0.1/groups/{uuid}/users', () => {
  test('lists members with items, total and filtered; search, username filter, paging', async () => {
    const group = await newGroup('listed-members');
    const users = [];
    for (const username of ['foo', 'bar', 'baz']) {
      const user = await newUser({username: `m-${username}`, firstname: username.toUpperCase(), email_address: `${username}@example.com`});
      await join(group.uuid, user.uuid);
      users.push(user);
    }
    await newUser({username: 'm-ignored'});
    const [foo, bar, baz] = users;
    const all = await membersOf(group.uuid);
    assert.deepEqual(Object.keys(all), ['items', 'total', 'filtered']);
    assert.deepEqual(all.items, [bar, baz, foo]);
    const searched = await membersOf(group.uuid, '?search=m-ba');
    assert.deepEqual({total: searched.total, filtered: searched.filtered, items: searched.items}, {total: 3, filtered: 2, items: [bar, baz]});
    assert.deepEqual((await membersOf(group.uuid, '?username=m-foo')).items, [foo]);
    assert.deepEqual((await membersOf(group.uuid, '?email_address=baz@example.com')).items, [baz]);
    assert.deepEqual((await membersOf(group.uuid, '?firstname=BAR&purpose=user')).items, [bar]);
    assert.deepEqual((await membersOf(group.uuid, '?order=username&direction=desc&limit=2&offset=1')).items, [baz, bar]);
    const bad = await call('GET', `/0.1/groups/${group.uuid}/users?order=firstname`, {token: admin()});
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_id, 'invalid-list-param');
    assert.equal((await call('GET', `/0.1/groups/${randomUUID()}/users`, {token: admin()})).json.error_id, 'unknown-group');
  });
});

describe('GET /0.1/users/{uuid}/groups', () => {
  test("lists a user's groups, its all-users group included", async () => {
    const user = await newUser({username: 'in-groups'});
    const groups = [];
    for (const name of ['group-foo', 'group-bar', 'group-baz']) {
      const group = await newGroup(name);
      await join(group.uuid, user.uuid);
      groups.push(group);
    }
    await newGroup('group-ignored');
    const [foo, bar, baz] = groups;
    const everyone = await allUsersGroupOf(w.top);
    const all = await groupsOf(user.uuid);
    assert.deepEqual(Object.keys(all), ['items', 'total', 'filtered']);
    assert.deepEqual(all.items, [bar, baz, foo, everyone]);
    assert.deepEqual(Object.keys(all.items[0]), ['uuid', 'name', 'slug', 'tenant_uuid', 'system_managed', 'read_only']);
    const searched = await groupsOf(user.uuid, '?search=group-ba');
    assert.deepEqual({total: searched.total, filtered: searched.filtered, items: searched.items}, {total: 4, filtered: 2, items: [bar, baz]});
    const named = await groupsOf(user.uuid, '?name=group-foo');
    assert.deepEqual({total: named.total, filtered: named.filtered, items: named.items}, {total: 4, filtered: 1, items: [foo]});
    assert.deepEqual((await groupsOf(user.uuid, '?order=name&limit=2&offset=1')).items, [baz, foo]);
    const bad = await call('GET', `/0.1/users/${user.uuid}/groups?order=slug`, {token: admin()});
    assert.equal(bad.status, 400);
    const unknown = await call('GET', `/0.1/users/${randomUUID()}/groups`, {token: admin()});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_id, 'unknown-user');
  });

  test("a deleted user's memberships go with it", async () => {
    const group = await newGroup('outlives-member');
    const user = await newUser({username: 'short-lived'});
    await join(group.uuid, user.uuid);
    assert.equal((await call('DELETE', `/0.1/users/${user.uuid}`, {token: admin()})).status, 204);
    assert.deepEqual(await membersOf(group.uuid), {items: [], total: 0, filtered: 0});
  });
});

describe('tenant isolation', () => {
  test("a sub-tenant admin cannot reach another tenant's groups or users", async () => {
    const topGroup = await newGroup('top-members');
    const topUser = await newUser({username: 'top-user'});
    await join(topGroup.uuid, topUser.uuid);
    const subGroup = await newGroup('sub-members', w.subAdmin);
    const subUser = await newUser({username: 'sub-member'}, w.subAdmin);

    assert.equal((await join(subGroup.uuid, topUser.uuid, w.subAdmin)).json.error_id, 'unknown-user');
    assert.equal((await leave(subGroup.uuid, topUser.uuid, w.subAdmin)).json.error_id, 'unknown-user');
    assert.equal((await join(topGroup.uuid, subUser.uuid, w.subAdmin)).json.error_id, 'unknown-group');
    assert.equal((await leave(topGroup.uuid, topUser.uuid, w.subAdmin)).json.error_id, 'unknown-group');
    assert.equal((await call('GET', `/0.1/groups/${topGroup.uuid}/users`, {token: w.subAdmin})).json.error_id, 'unknown-group');
    assert.equal((await call('GET', `/0.1/users/${topUser.uuid}/groups`, {token: w.subAdmin})).json.error_id, 'unknown-user');
    assert.equal((await join(subGroup.uuid, subUser.uuid, w.subAdmin)).status, 204);

    assert.equal((await call('GET', `/0.1/groups/${subGroup.uuid}/users`, {token: w.siblingAdmin})).status, 404);
    assert.equal((await call('GET', `/0.1/users/${subUser.uuid}/groups`, {token: w.siblingAdmin})).status, 404);
    assert.equal((await leave(subGroup.uuid, subUser.uuid, w.siblingAdmin)).status, 404);
    assert.equal((await membersOf(subGroup.uuid, '', w.subAdmin)).total, 1);
    assert.deepEqual(
      (await membersOf(topGroup.uuid)).items.map((u: any) => u.uuid),
      [topUser.uuid],
    );
  });
});
