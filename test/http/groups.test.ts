import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {allUsersGroupName, groupWorld, newTenant, tokenOf, type GroupWorld} from './group-fixtures.js';

let w: GroupWorld;

const admin = () => w.td.admin.token;
const call: GroupWorld['td']['call'] = (...args) => w.td.call(...args);
const newGroup = async (body: unknown, token = admin(), headers: Record<string, string> = {}) =>
  (await call('POST', '/0.1/groups', {token, body, headers})).json;
const listGroups = async (query = '', token = admin(), headers: Record<string, string> = {}) =>
  (await call('GET', `/0.1/groups${query}`, {token, headers})).json;
const allUsersGroup = async (tenantUuid: string) => (await listGroups(`?name=${allUsersGroupName(tenantUuid)}`, admin(), {'wazo-tenant': tenantUuid})).items[0];

before(async () => {
  w = await groupWorld();
});
after(() => w.td.stop());

describe('POST /0.1/groups', () => {
  test("creates a group in the acting tenant: 200 with upstream's fields in order, the slug from the name", async () => {
    const r = await call('POST', '/0.1/groups', {token: admin(), body: {name: 'Sales team!'}});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['uuid', 'tenant_uuid', 'name', 'slug', 'read_only', 'system_managed']);
    assert.deepEqual(
      {...r.json, uuid: undefined},
      {
        uuid: undefined,
        tenant_uuid: w.top,
        name: 'Sales team!',
        slug: 'Salesteam',
        read_only: false,
        system_managed: false,
      },
    );
    const below = await newGroup({name: 'Sales team!'}, admin(), {'wazo-tenant': w.sub});
    assert.equal(below.tenant_uuid, w.sub);
    assert.equal(below.slug, 'Salesteam');
  });

  test('a derived slug already taken becomes three random characters; a chosen one is a 409', async () => {
    await newGroup({name: 'first', slug: 'first'});
    const derived = await newGroup({name: 'FIRST'});
    assert.match(derived.slug, /^[a-z0-9]{3}$/);
    const chosen = await call('POST', '/0.1/groups', {token: admin(), body: {name: 'other', slug: 'First'}});
    assert.equal(chosen.status, 409);
    assert.deepEqual(chosen.json.reason, ['Group "other" already exists']);
    assert.equal(chosen.json.status_code, 409);
    const sameName = await call('POST', '/0.1/groups', {token: admin(), body: {name: 'first'}});
    assert.equal(sameName.status, 409);
    assert.deepEqual(sameName.json.reason, ['Group "first" already exists']);
  });

  test('an invalid body is 400 invalid-data naming the first bad field', async () => {
    const bodies: [unknown, string][] = [
      [{}, 'name'],
      [{name: null}, 'name'],
      [{name: 42}, 'name'],
      [{'not name': 'x'}, 'name'],
      [{name: ''}, 'name'],
      [{name: 'x'.repeat(129)}, 'name'],
      [{name: 'ok', slug: 'no spaces'}, 'slug'],
      [{name: 'ok', slug: 'x'.repeat(81)}, 'slug'],
      [null, 'name'],
      [[1], '_schema'],
      ['text', '_schema'],
    ];
    for (const [body, field] of bodies) {
      const r = await call('POST', '/0.1/groups', {token: admin(), body});
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error_id, 'invalid-data');
      assert.equal(r.json.resource, 'groups');
      assert.deepEqual(Object.keys(r.json.details), [field], JSON.stringify(body));
      assert.equal(r.json.message, r.json.details[field].message);
    }
    const malformed = await call('POST', '/0.1/groups', {token: admin(), rawBody: '{"name": ', headers: {'content-type': 'application/json'}});
    assert.equal(malformed.status, 400);
    assert.equal((await call('POST', '/0.1/groups', {token: admin(), body: {name: 'x'.repeat(128), slug: null}})).status, 200);
  });
});

describe('GET|PUT|DELETE /0.1/groups/{uuid}', () => {
  test("reads a group with upstream's fields in their order; unknown is 404 unknown-group", async () => {
    const group = await newGroup({name: 'readable'});
    const r = await call('GET', `/0.1/groups/${group.uuid}`, {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['uuid', 'name', 'slug', 'tenant_uuid', 'system_managed', 'read_only']);
    assert.deepEqual(r.json, {...group});
    const upper = await call('GET', `/0.1/groups/${group.uuid.toUpperCase()}`, {token: admin()});
    assert.equal(upper.json.uuid, group.uuid);

    const unknown = randomUUID();
    const missing = await call('GET', `/0.1/groups/${unknown}`, {token: admin()});
    assert.equal(missing.status, 404);
    assert.deepEqual(
      {...missing.json, timestamp: undefined},
      {
        message: `No such group: "${unknown}"`,
        error_id: 'unknown-group',
        details: {uuid: unknown},
        timestamp: undefined,
        resource: 'groups',
      },
    );
    const notUuid = await call('GET', '/0.1/groups/not-a-uuid', {token: admin()});
    assert.equal(notUuid.status, 404);
    assert.match(String(notUuid.headers['content-type']), /text\/html/);
  });

  test('PUT renames; the slug and unknown fields sent back are ignored', async () => {
    const group = await newGroup({name: 'old name', slug: 'ABC'});
    const r = await call('PUT', `/0.1/groups/${group.uuid}`, {token: admin(), body: {...group, name: 'new name', slug: 'DEF', extra: 1}});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['uuid', 'tenant_uuid', 'name', 'slug', 'read_only', 'system_managed']);
    assert.deepEqual(r.json, {...group, name: 'new name'});
    assert.equal((await call('GET', `/0.1/groups/${group.uuid}`, {token: admin()})).json.name, 'new name');

    await newGroup({name: 'taken'});
    const clash = await call('PUT', `/0.1/groups/${group.uuid}`, {token: admin(), body: {name: 'taken'}});
    assert.equal(clash.status, 409);
    assert.deepEqual(clash.json.reason, ['Group "taken" already exists']);
    const invalid = await call('PUT', `/0.1/groups/${group.uuid}`, {token: admin(), body: {name: 42}});
    assert.equal(invalid.status, 400);
    assert.deepEqual(Object.keys(invalid.json.details), ['name']);
    assert.equal((await call('PUT', `/0.1/groups/${randomUUID()}`, {token: admin(), body: {name: 'x'}})).json.error_id, 'unknown-group');
  });

  test('DELETE is 204, then 404', async () => {
    const group = await newGroup({name: 'doomed'});
    const r = await call('DELETE', `/0.1/groups/${group.uuid}`, {token: admin()});
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal((await call('DELETE', `/0.1/groups/${group.uuid}`, {token: admin()})).status, 404);
    assert.equal((await call('GET', `/0.1/groups/${group.uuid}`, {token: admin()})).status, 404);
  });

  test('401 without a token or without the access, naming the access required', async () => {
    const group = await newGroup({name: 'guarded'});
    const anonymous = await call('DELETE', `/0.1/groups/${group.uuid}`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, `auth.groups.${group.uuid}.delete`);
    const reader = await tokenOf(w.td, 'group-reader', ['auth.groups.read', `auth.groups.${group.uuid}.read`]);
    assert.equal((await call('GET', `/0.1/groups/${group.uuid}`, {token: reader})).status, 200);
    assert.equal((await call('GET', '/0.1/groups', {token: reader})).status, 200);
    const refused = await call('PUT', `/0.1/groups/${group.uuid}`, {token: reader, body: {name: 'x'}});
    assert.equal(refused.status, 401);
    assert.equal(refused.json.details.required_access, `auth.groups.${group.uuid}.update`);
    assert.equal((await call('POST', '/0.1/groups', {token: reader, body: {name: 'x'}})).status, 401);
  });
});

describe('the all-users group of each tenant', () => {
  test("is upstream's read-only, system-managed group named after the tenant", async () => {
    for (const tenant of [w.top, w.sub]) {
      const group = await allUsersGroup(tenant);
      assert.deepEqual(
        {...group, uuid: undefined},
        {
          uuid: undefined,
          name: allUsersGroupName(tenant),
          slug: allUsersGroupName(tenant),
          tenant_uuid: tenant,
          system_managed: true,
          read_only: true,
        },
      );
    }
  });

  test('cannot be renamed nor deleted: 403 forbidden-group', async () => {
    const group = await allUsersGroup(w.sub);
    const rename = await call('PUT', `/0.1/groups/${group.uuid}`, {token: w.subAdmin, body: {name: 'mine now'}});
    assert.equal(rename.status, 403);
    assert.deepEqual(
      {...rename.json, timestamp: undefined},
      {
        message: `Forbidden group modification: "${group.uuid}"`,
        error_id: 'forbidden-group',
        details: {uuid: group.uuid},
        timestamp: undefined,
        resource: 'groups',
      },
    );
    assert.equal((await call('DELETE', `/0.1/groups/${group.uuid}`, {token: admin()})).status, 403);
    assert.equal((await call('GET', `/0.1/groups/${group.uuid}`, {token: admin()})).json.name, allUsersGroupName(w.sub));
  });

  test('is made once per tenant, and for tenants without one when a daemon starts', async () => {
    const {groups, store} = w.td.daemon.services;
    const before = await allUsersGroup(w.sub);
    await groups.setUpTenant(w.sub);
    assert.deepEqual(await allUsersGroup(w.sub), before);

    const bare = randomUUID();
    const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
    await store.tenants.create({uuid: bare, name: 'bare', slug: 'bare', parentUuid: w.top, contactUuid: null, phone: null, address, domainNames: []});
    assert.equal(await allUsersGroup(bare), undefined);
    await w.td.restart();
    assert.equal((await allUsersGroup(bare)).tenant_uuid, bare);
    assert.deepEqual(await allUsersGroup(w.sub), before);
  });
});

describe('GET /0.1/groups', () => {
  let tenant: string;
  const names = ['group-12-one', 'group-12-two', 'three'];
  const inTenant = (query = '') => listGroups(query, admin(), {'wazo-tenant': tenant});

  before(async () => {
    tenant = await newTenant(w.td, w.top, 'lists');
    for (const name of names) await newGroup({name}, admin(), {'wazo-tenant': tenant});
  });

  test("lists the acting tenant's groups, all-users group included, by name", async () => {
    const all = await inTenant();
    assert.deepEqual(Object.keys(all), ['filtered', 'total', 'items']);
    assert.deepEqual(
      all.items.map((g: any) => g.name),
      [...names, allUsersGroupName(tenant)],
    );
    assert.deepEqual({total: all.total, filtered: all.filtered}, {total: 4, filtered: 4});
    assert.deepEqual(Object.keys(all.items[0]), ['uuid', 'name', 'slug', 'tenant_uuid', 'system_managed', 'read_only']);
  });

  test('pages, sorts and searches; `filtered` counts the search and the filters', async () => {
    const page = await inTenant('?order=name&direction=desc&limit=2&offset=1');
    assert.deepEqual(
      page.items.map((g: any) => g.name),
      ['three', 'group-12-two'],
    );
    assert.deepEqual({total: page.total, filtered: page.filtered}, {total: 4, filtered: 4});
    const searched = await inTenant('?search=GROUP-12');
    assert.deepEqual(
      searched.items.map((g: any) => g.name),
      ['group-12-one', 'group-12-two'],
    );
    assert.deepEqual({total: searched.total, filtered: searched.filtered}, {total: 4, filtered: 2});
    const named = await inTenant('?name=three');
    assert.deepEqual({total: named.total, filtered: named.filtered, names: named.items.map((g: any) => g.name)}, {total: 4, filtered: 1, names: ['three']});
    const writable = await inTenant('?read_only=false');
    assert.deepEqual(
      writable.items.map((g: any) => g.name),
      names,
    );
    assert.equal((await inTenant('?read_only=true')).items[0].name, allUsersGroupName(tenant));
    assert.equal((await inTenant('?order=read_only&direction=desc')).items[0].read_only, true);
    const bySlug = await inTenant(`?slug=group-12-two`);
    assert.deepEqual(
      bySlug.items.map((g: any) => g.name),
      ['group-12-two'],
    );
  });

  test('filters by a member and by a policy held', async () => {
    const group = await newGroup({name: 'filtered-by'});
    const user = (await call('POST', '/0.1/users', {token: admin(), body: {username: 'filter-member'}})).json;
    const policy = (await call('POST', '/0.1/policies', {token: admin(), body: {name: 'filter-policy'}})).json;
    await call('PUT', `/0.1/groups/${group.uuid}/users/${user.uuid}`, {token: admin()});
    await call('PUT', `/0.1/groups/${group.uuid}/policies/${policy.uuid}`, {token: admin()});
    const ofUser = await listGroups(`?user_uuid=${user.uuid}`);
    assert.deepEqual(
      ofUser.items.map((g: any) => g.name),
      ['filtered-by', allUsersGroupName(w.top)],
    );
    assert.deepEqual(
      (await listGroups(`?policy_uuid=${policy.uuid}`)).items.map((g: any) => g.uuid),
      [group.uuid],
    );
    assert.deepEqual(
      (await listGroups(`?policy_slug=${policy.slug}`)).items.map((g: any) => g.uuid),
      [group.uuid],
    );
    assert.equal((await listGroups(`?policy_uuid=${randomUUID()}`)).filtered, 0);
  });

  test('bad list parameters are 400 invalid-list-param', async () => {
    for (const query of ['?order=bogus', '?direction=up', '?limit=-1', '?offset=x', '?read_only=maybe', '?recurse=perhaps']) {
      const r = await call('GET', `/0.1/groups${query}`, {token: admin()});
      assert.equal(r.status, 400, query);
      assert.equal(r.json.error_id, 'invalid-list-param', query);
    }
  });
});

describe('tenant isolation', () => {
  test('a sub-tenant admin sees and changes only the groups of its subtree', async () => {
    const topGroup = await newGroup({name: 'top-only'});
    const subGroup = await newGroup({name: 'sub-group'}, w.subAdmin);
    assert.equal(subGroup.tenant_uuid, w.sub);

    const seen = await listGroups('?recurse=true', w.subAdmin);
    assert.ok(seen.items.every((g: any) => g.tenant_uuid === w.sub));
    assert.ok(seen.items.some((g: any) => g.uuid === subGroup.uuid));
    for (const [method, body] of [['GET'], ['PUT', {name: 'taken over'}], ['DELETE']] as const) {
      const r = await call(method, `/0.1/groups/${topGroup.uuid}`, {token: w.subAdmin, body});
      assert.equal(r.status, 404, method);
      assert.equal(r.json.error_id, 'unknown-group');
    }
    const viaHeader = await call('GET', '/0.1/groups', {token: w.subAdmin, headers: {'wazo-tenant': w.top}});
    assert.equal(viaHeader.status, 401);
    assert.equal((await call('POST', '/0.1/groups', {token: w.subAdmin, body: {name: 'x'}, headers: {'wazo-tenant': w.sibling}})).status, 401);
    assert.equal((await call('GET', `/0.1/groups/${topGroup.uuid}`, {token: admin()})).json.name, 'top-only');
  });

  test("a sibling admin cannot reach the other sub-tenant's groups; the top admin can", async () => {
    const subGroup = await newGroup({name: 'private-to-sub'}, w.subAdmin);
    for (const method of ['GET', 'DELETE']) {
      assert.equal((await call(method, `/0.1/groups/${subGroup.uuid}`, {token: w.siblingAdmin})).status, 404, method);
    }
    const names = (await listGroups('?recurse=true', w.siblingAdmin)).items.map((g: any) => g.name);
    assert.ok(!names.includes('private-to-sub'));
    const fromTop = await listGroups('?recurse=true');
    assert.ok(fromTop.items.some((g: any) => g.uuid === subGroup.uuid));
    assert.ok(!(await listGroups()).items.some((g: any) => g.uuid === subGroup.uuid));
    assert.equal((await call('GET', `/0.1/groups/${subGroup.uuid}`, {token: admin()})).status, 200);
    assert.equal((await call('PUT', `/0.1/groups/${subGroup.uuid}`, {token: admin(), body: {name: 'renamed from top'}})).status, 200);
  });
});
