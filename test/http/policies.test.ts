import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import type {DaemonConfig} from '../../src/config/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';
import {redactToken} from '../../src/log.js';

const POLICY_KEYS = ['uuid', 'tenant_uuid', 'name', 'slug', 'description', 'acl', 'read_only', 'shared'];
const DEFAULTS = {
  wazo_default_user_policy: {acl: ['confd.users.me.read'], description: 'For everyone'},
  wazo_default_admin_policy: {acl: ['confd.#'], shared: true},
};

let td: TestDaemon;
let top: string;
let sub: string;
let subAdmin: string;
let limited: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

async function tokenOf(username: string, acl: string[], tenantUuid?: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const admin = () => td.admin.token;
const create = (body: unknown, token = admin(), headers: Record<string, string> = {}) => td.call('POST', '/0.1/policies', {token, body, headers});
const get = (path: string, token = admin()) => td.call('GET', `/0.1/policies/${path}`, {token});
const without = (json: any, ...keys: string[]) => Object.fromEntries(Object.entries(json).filter(([k]) => !keys.includes(k)));

before(async () => {
  td = await startTestDaemon({config: {default_policies: DEFAULTS}});
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  subAdmin = await tokenOf('subadmin', ['#'], sub);
  limited = await tokenOf('limited', ['auth.policies.#', 'confd.users.read']);
});
after(() => td.stop());

describe('POST /0.1/policies', () => {
  test('creates a policy: 200, upstream fields, slug from the name, legacy acl_templates ignored', async () => {
    const r = await create({name: 'Call center: agents', description: 'd', acl: ['a.b', 'a.b', '!a.c'], acl_templates: ['x.y']});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), POLICY_KEYS);
    assert.deepEqual(without(r.json, 'uuid'), {
      tenant_uuid: top,
      name: 'Call center: agents',
      slug: 'Callcenteragents',
      description: 'd',
      acl: ['a.b', '!a.c'],
      read_only: false,
      shared: false,
    });
  });

  test('a given slug is kept; a taken or empty derived slug becomes a random one', async () => {
    assert.equal((await create({name: 'p1', slug: 'my-slug_1'})).json.slug, 'my-slug_1');
    assert.equal((await create({name: 'Call center agents'})).json.slug.length, 3);
    assert.match((await create({name: '!!!'})).json.slug, /^[a-z0-9]{3}$/);
  });

  test("an invalid body is upstream's 400 naming the field, in the reason shape", async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{name: ''}, 'name'],
      [{name: 'x'.repeat(81)}, 'name'],
      [{name: 'ok', slug: 'has space'}, 'slug'],
      [{name: 'ok', acl: 'a.b'}, 'acl'],
      [{name: 'ok', acl: [1]}, 'acl'],
      [{name: 'ok', shared: 'sometimes'}, 'shared'],
    ] as const) {
      const r = await create(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.json.reason, [`Invalid value supplied for field: ${field}`]);
      assert.equal(r.json.status_code, 400);
    }
  });

  test('a name or slug used in the tenant is 409', async () => {
    await create({name: 'dup', slug: 'dup'});
    const byName = await create({name: 'dup', slug: 'other'});
    assert.equal(byName.status, 409);
    assert.deepEqual(byName.json.reason, ['Policy "dup" already exists']);
    assert.equal((await create({name: 'other', slug: 'dup'})).status, 409);
  });

  test('401 without a token', async () => {
    const r = await td.call('POST', '/0.1/policies', {body: {name: 'x'}});
    assert.equal(r.status, 401);
    assert.equal(r.json.error_id, 'unauthorized');
  });
});

describe('GET /0.1/policies', () => {
  test('lists with items and total (no filtered, as upstream), searched and ordered', async () => {
    await create({name: 'zeta-list'});
    await create({name: 'alpha-list'});
    const r = await td.call('GET', '/0.1/policies?search=-list&order=name&direction=desc', {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['items', 'total']);
    assert.deepEqual(
      r.json.items.map((p: any) => p.name),
      ['zeta-list', 'alpha-list'],
    );
    assert.ok(r.json.total > 2);
    const limitedList = await td.call('GET', '/0.1/policies?limit=1', {token: admin()});
    assert.equal(limitedList.json.items.length, 1);
  });

  test('config-managed policies are read-only', async () => {
    const r = await td.call('GET', '/0.1/policies?search=wazo_default', {token: admin()});
    const byName = Object.fromEntries(r.json.items.map((p: any) => [p.name, p]));
    assert.deepEqual(without(byName.wazo_default_user_policy, 'uuid'), {
      tenant_uuid: top,
      name: 'wazo_default_user_policy',
      slug: 'wazo_default_user_policy',
      description: 'For everyone',
      acl: ['confd.users.me.read'],
      read_only: true,
      shared: false,
    });
    assert.equal(byName.wazo_default_admin_policy.description, 'Automatically created');
    assert.equal(byName.wazo_default_admin_policy.shared, true);
  });

  test('a bad list parameter is 400 invalid-list-param', async () => {
    const r = await td.call('GET', '/0.1/policies?order=acl', {token: admin()});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-list-param');
    assert.ok(r.json.details.order);
  });
});

describe('GET|PUT|DELETE /0.1/policies/{uuid or slug}', () => {
  test('reads by uuid and by slug; unknown ones are 404 in the reason shape', async () => {
    const created = await create({name: 'readable', acl: ['r.s']});
    assert.deepEqual((await get(created.json.uuid)).json, created.json);
    assert.deepEqual((await get('readable')).json, created.json);
    const unknown = await get(randomUUID());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.status_code, 404);
    assert.match(unknown.json.reason[0], /^No such policy/);
    assert.equal((await get('no-such-slug')).status, 404);
  });

  test('PUT replaces name, description and ACL; slug and shared are ignored', async () => {
    const created = await create({name: 'replaceable', description: 'd', acl: ['a.b']});
    const r = await td.call('PUT', `/0.1/policies/${created.json.uuid}`, {
      token: admin(),
      body: {name: 'replaced', slug: 'new-slug', shared: true},
    });
    assert.equal(r.status, 200);
    assert.deepEqual(without(r.json, 'uuid', 'tenant_uuid'), {
      name: 'replaced',
      slug: 'replaceable',
      description: null,
      acl: [],
      read_only: false,
      shared: false,
    });
    const bySlug = await td.call('PUT', '/0.1/policies/replaceable', {token: admin(), body: {...r.json, acl: ['c.d']}});
    assert.equal(bySlug.status, 200);
    assert.deepEqual(bySlug.json.acl, ['c.d']);
  });

  test("PUT: 400 in the reason shape, 404, 409 on another policy's name", async () => {
    const created = await create({name: 'put-errors'});
    const path = `/0.1/policies/${created.json.uuid}`;
    const bad = await td.call('PUT', path, {token: admin(), body: {description: 'no name'}});
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.reason, ['Invalid value supplied for field: name']);
    assert.equal((await td.call('PUT', `/0.1/policies/${randomUUID()}`, {token: admin(), body: {name: 'x'}})).status, 404);
    assert.equal((await td.call('PUT', path, {token: admin(), body: {name: 'readable'}})).status, 409);
  });

  test('DELETE by uuid and by slug: 204, then 404', async () => {
    const a = await create({name: 'deletable-a'});
    await create({name: 'deletable-b'});
    assert.equal((await td.call('DELETE', `/0.1/policies/${a.json.uuid}`, {token: admin()})).status, 204);
    assert.equal((await get(a.json.uuid)).status, 404);
    assert.equal((await td.call('DELETE', '/0.1/policies/deletable-b', {token: admin()})).status, 204);
    assert.equal((await td.call('DELETE', '/0.1/policies/deletable-b', {token: admin()})).status, 404);
  });

  test('config-managed policies cannot be changed or deleted: 403', async () => {
    const policy = (await get('wazo_default_user_policy')).json;
    for (const [method, path, body] of [
      ['PUT', policy.uuid, {name: 'mine'}],
      ['PUT', 'wazo_default_user_policy', {name: 'mine'}],
      ['DELETE', policy.uuid, undefined],
      ['PUT', `${policy.uuid}/acl/x.y`, undefined],
      ['DELETE', `${policy.uuid}/acl/confd.users.me.read`, undefined],
    ] as const) {
      const r = await td.call(method, `/0.1/policies/${path}`, {token: admin(), body});
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.json.status_code, 403);
    }
  });
});

describe('PUT|DELETE /0.1/policies/{uuid or slug}/acl/{access}', () => {
  test('adds one access (409 when present), removes one (204 even when absent)', async () => {
    const created = await create({name: 'acl-edit', acl: ['a.b']});
    const base = `/0.1/policies/${created.json.uuid}/acl`;
    const added = await td.call('PUT', `${base}/c.d`, {token: admin()});
    assert.equal(added.status, 204);
    assert.equal(added.headers['content-type'], 'application/json');
    const again = await td.call('PUT', '/0.1/policies/acl-edit/acl/c.d', {token: admin()});
    assert.equal(again.status, 409);
    assert.deepEqual(again.json.reason, ['Policy already has access: "c.d"']);
    assert.deepEqual((await get(created.json.uuid)).json.acl, ['a.b', 'c.d']);
    assert.equal((await td.call('DELETE', `${base}/a.b`, {token: admin()})).status, 204);
    assert.equal((await td.call('DELETE', '/0.1/policies/acl-edit/acl/never.there', {token: admin()})).status, 204);
    assert.deepEqual((await get(created.json.uuid)).json.acl, ['c.d']);
    assert.equal((await td.call('PUT', `/0.1/policies/${randomUUID()}/acl/x`, {token: admin()})).status, 404);
  });
});

describe('granting rules', () => {
  const unauthorizedFor = (r: any, access: string) => {
    assert.equal(r.status, 401);
    assert.deepEqual(without(r.json, 'timestamp'), {
      message: 'Unauthorized',
      error_id: 'unauthorized',
      details: {invalid_token: redactToken(limited), required_access: access},
    });
  };

  test('a token adds only accesses it holds, and any negative one', async () => {
    assert.equal((await create({name: 'g1', acl: ['confd.users.read', '!confd.users.read', '!anything.else']}, limited)).status, 200);
    unauthorizedFor(await create({name: 'g2', acl: ['confd.users.read', 'confd.#']}, limited), 'confd.#');
    const mine = await create({name: 'g3', acl: []}, limited);
    unauthorizedFor(await td.call('PUT', `/0.1/policies/${mine.json.uuid}/acl/confd.users.delete`, {token: limited}), 'confd.users.delete');
    assert.equal((await td.call('PUT', `/0.1/policies/${mine.json.uuid}/acl/!confd.users.delete`, {token: limited})).status, 204);
    const put = await td.call('PUT', `/0.1/policies/${mine.json.uuid}`, {token: limited, body: {name: 'g3', acl: ['x.y']}});
    unauthorizedFor(put, 'x.y');
  });

  test('a token withdraws only what it holds, and cannot lift a veto on what it lacks', async () => {
    const theirs = await create({name: 'g4', acl: ['secret.read', 'confd.users.read', '!confd.users.read', '!secret.write']});
    const path = `/0.1/policies/${theirs.json.uuid}`;
    unauthorizedFor(await td.call('DELETE', `${path}/acl/secret.read`, {token: limited}), 'secret.read');
    unauthorizedFor(await td.call('DELETE', `${path}/acl/!secret.write`, {token: limited}), '!secret.write');
    assert.equal((await td.call('DELETE', `${path}/acl/!confd.users.read`, {token: limited})).status, 204);
    assert.equal((await td.call('DELETE', `${path}/acl/confd.users.read`, {token: limited})).status, 204);
    unauthorizedFor(await td.call('DELETE', path, {token: limited}), 'secret.read');
    // As upstream, a PUT may not even keep an access the token could not give.
    const kept = await td.call('PUT', path, {token: limited, body: {name: 'g4-renamed', acl: ['secret.read', '!secret.write']}});
    unauthorizedFor(kept, 'secret.read');
    unauthorizedFor(await td.call('PUT', path, {token: limited, body: {name: 'g4', acl: ['!secret.write']}}), 'secret.read');
  });

  test("a token lacking the route's access gets the guard's 401", async () => {
    const reader = await tokenOf('policy-reader', ['auth.policies.read']);
    const r = await create({name: 'nope'}, reader);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.policies.create');
    assert.equal((await td.call('GET', '/0.1/policies', {token: reader})).status, 200);
  });
});

describe('tenants and shared policies', () => {
  test("a sub-tenant sees its own policies, and its parents' shared ones read-only", async () => {
    const shared = await create({name: 'shared-by-top', acl: ['s.t'], shared: true});
    assert.equal(shared.json.shared, true);
    const private_ = await create({name: 'private-to-top'});
    const own = await create({name: 'sub-own'}, subAdmin);
    assert.equal(own.json.tenant_uuid, sub);

    const list = await td.call('GET', '/0.1/policies', {token: subAdmin});
    const names = list.json.items.map((p: any) => p.name);
    assert.ok(names.includes('sub-own'));
    assert.ok(names.includes('shared-by-top'));
    assert.ok(!names.includes('private-to-top'));
    const seen = list.json.items.find((p: any) => p.name === 'shared-by-top');
    assert.deepEqual({tenant: seen.tenant_uuid, shared: seen.shared, readOnly: seen.read_only}, {tenant: sub, shared: false, readOnly: true});

    assert.equal((await get(shared.json.uuid, subAdmin)).json.tenant_uuid, sub);
    assert.equal((await get('shared-by-top', subAdmin)).json.read_only, true);
    assert.equal((await get('wazo_default_admin_policy', subAdmin)).json.read_only, true);
    assert.equal((await get(private_.json.uuid, subAdmin)).status, 404);
    assert.equal((await td.call('PUT', `/0.1/policies/${private_.json.uuid}`, {token: subAdmin, body: {name: 'x'}})).status, 404);
    assert.equal((await td.call('DELETE', `/0.1/policies/${private_.json.uuid}`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('DELETE', `/0.1/policies/${shared.json.uuid}`, {token: subAdmin})).status, 403);
    assert.equal((await td.call('PUT', '/0.1/policies/shared-by-top', {token: subAdmin, body: {name: 'x'}})).status, 403);
  });

  test('a sub-tenant cannot reuse the name of a shared parent policy', async () => {
    await create({name: 'shared-name', shared: true});
    assert.equal((await create({name: 'shared-name'}, subAdmin)).status, 409);
    await create({name: 'taken-below'}, subAdmin);
    assert.equal((await create({name: 'taken-below', shared: true})).status, 409);
    assert.equal((await create({name: 'taken-below'})).status, 200);
  });

  test('the top admin finds a sub-tenant policy by uuid, not by slug; Wazo-Tenant makes the slug work', async () => {
    const own = await create({name: 'sub-slugged'}, subAdmin);
    assert.equal((await get(own.json.uuid)).status, 200);
    assert.equal((await get('sub-slugged')).status, 404);
    const viaHeader = await td.call('GET', '/0.1/policies/sub-slugged', {token: admin(), headers: {'wazo-tenant': sub}});
    assert.equal(viaHeader.status, 200);
    const recursive = await td.call('GET', '/0.1/policies?recurse=true&search=sub-slugged', {token: admin()});
    assert.equal(recursive.json.items.length, 1);
    assert.equal((await td.call('GET', '/0.1/policies?search=sub-slugged', {token: admin()})).json.items.length, 0);
  });

  test("Wazo-Tenant outside the token's tree is 401", async () => {
    const r = await td.call('GET', '/0.1/policies', {token: subAdmin, headers: {'wazo-tenant': top}});
    assert.equal(r.status, 401);
  });
});

describe('default policies from the configuration', () => {
  test('a new start updates them and removes the withdrawn ones no user holds', async () => {
    const startWith = (defaults: DaemonConfig['default_policies']) => td.restart({default_policies: defaults});
    await startWith({...DEFAULTS, extra_held: {acl: ['h.i']}, extra_free: {acl: []}});
    const held = (await get('extra_held')).json;
    await td.call('PUT', `/0.1/users/${td.admin.uuid}/policies/${held.uuid}`, {token: admin()});
    await startWith({wazo_default_user_policy: {acl: ['changed.acl'], description: null}, wazo_default_admin_policy: null});
    const user = (await get('wazo_default_user_policy')).json;
    assert.deepEqual(user.acl, ['changed.acl']);
    assert.equal(user.description, null);
    assert.equal((await get('wazo_default_admin_policy')).status, 404);
    assert.equal((await get('extra_free')).status, 404);
    assert.equal((await get('extra_held')).json.read_only, true);
  });
});
