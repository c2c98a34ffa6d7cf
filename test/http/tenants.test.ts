import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {ensureTopTenant} from '../../src/services/tenants.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

const TENANT_KEYS = ['uuid', 'parent_uuid', 'name', 'slug', 'contact', 'phone', 'default_authentication_method', 'domain_names', 'address'];
const EMPTY_ADDRESS = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

let td: TestDaemon;
let top: string;
let sub: string;
let subSub: string;
let sibling: string;
let subAdmin: string;

async function newTenant(parentUuid: string, slug: string, extra: {phone?: string; domainNames?: string[]} = {}): Promise<string> {
  const uuid = randomUUID();
  await td.daemon.services.store.tenants.create({
    uuid,
    name: `${slug} name`,
    slug,
    parentUuid,
    contactUuid: null,
    phone: extra.phone ?? null,
    address: {...EMPTY_ADDRESS, city: 'Quebec'},
    domainNames: extra.domainNames ?? [],
  });
  return uuid;
}

async function tokenOf(username: string, acl: string[], tenantUuid?: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const admin = () => td.admin.token;
const uuidsOf = (answer: any) => answer.json.items.map((t: any) => t.uuid).sort();

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub', {phone: '555-0100', domainNames: ['sub.example.com']});
  subSub = await newTenant(sub, 'subsub');
  sibling = await newTenant(top, 'sibling');
  subAdmin = await tokenOf('subadmin', ['#'], sub);
});
after(() => td.stop());

describe('the top tenant', () => {
  test('is named master, its own parent, and created only once', async () => {
    const r = await td.call('GET', `/0.1/tenants/${top}`, {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), TENANT_KEYS);
    assert.deepEqual(r.json, {
      uuid: top,
      parent_uuid: top,
      name: 'master',
      slug: 'master',
      contact: null,
      phone: null,
      default_authentication_method: 'native',
      domain_names: [],
      address: EMPTY_ADDRESS,
    });
    assert.equal((await ensureTopTenant(td.daemon.services.store)).uuid, top);
  });
});

describe('GET /0.1/tenants', () => {
  test('lists the acting tenant and every tenant below it, whatever recurse says', async () => {
    const r = await td.call('GET', '/0.1/tenants', {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['filtered', 'total', 'items']);
    assert.deepEqual(uuidsOf(r), [top, sub, subSub, sibling].sort());
    assert.equal(r.json.total, 4);
    const mine = await td.call('GET', '/0.1/tenants?recurse=false', {token: subAdmin});
    assert.deepEqual(uuidsOf(mine), [sub, subSub].sort());
  });

  test("shows upstream's fields", async () => {
    const r = await td.call('GET', '/0.1/tenants?search=subsub', {token: admin()});
    assert.equal(r.json.filtered, 1);
    assert.equal(r.json.total, 4);
    const [t] = r.json.items;
    assert.deepEqual(t, {
      uuid: subSub,
      parent_uuid: sub,
      name: 'subsub name',
      slug: 'subsub',
      contact: null,
      phone: null,
      default_authentication_method: 'native',
      domain_names: [],
      address: {...EMPTY_ADDRESS, city: 'Quebec'},
    });
  });

  test('orders and pages', async () => {
    const r = await td.call('GET', '/0.1/tenants?order=slug&direction=desc&limit=2&offset=1', {token: admin()});
    assert.deepEqual(
      r.json.items.map((t: any) => t.slug),
      ['sub', 'sibling'],
    );
  });

  test('a bad list parameter is 400 invalid-list-param', async () => {
    const r = await td.call('GET', '/0.1/tenants?order=uuid', {token: admin()});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-list-param');
    assert.equal(r.json.resource, 'tenants');
    assert.ok(r.json.details.order);
  });

  test("Wazo-Tenant narrows the scope; outside the token's tree it is 401", async () => {
    const narrowed = await td.call('GET', '/0.1/tenants', {token: admin(), headers: {'wazo-tenant': sub}});
    assert.deepEqual(uuidsOf(narrowed), [sub, subSub].sort());
    const outside = await td.call('GET', '/0.1/tenants', {token: subAdmin, headers: {'wazo-tenant': top}});
    assert.equal(outside.status, 401);
    assert.equal(outside.json.error_id, 'unauthorized-tenant');
  });

  test('401 without a token or without auth.tenants.read', async () => {
    const anonymous = await td.call('GET', '/0.1/tenants');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, 'auth.tenants.read');
    const limited = await tokenOf('limited', ['auth.users.read']);
    assert.equal((await td.call('GET', '/0.1/tenants', {token: limited})).status, 401);
  });
});

describe('GET /0.1/tenants/{uuid}', () => {
  test('reads a tenant of the subtree', async () => {
    const r = await td.call('GET', `/0.1/tenants/${sub}`, {token: subAdmin});
    assert.equal(r.status, 200);
    assert.equal(r.json.phone, '555-0100');
    assert.deepEqual(r.json.domain_names, ['sub.example.com']);
    assert.equal((await td.call('GET', `/0.1/tenants/${subSub}`, {token: subAdmin})).status, 200);
  });

  test('a tenant outside the subtree, or unknown, is 404 unknown-tenant', async () => {
    for (const uuid of [top, sibling, randomUUID()]) {
      const r = await td.call('GET', `/0.1/tenants/${uuid}`, {token: subAdmin});
      assert.equal(r.status, 404, uuid);
      assert.deepEqual(
        {...r.json, timestamp: 0},
        {message: `No such tenant: "${uuid}"`, error_id: 'unknown-tenant', details: {uuid}, timestamp: 0, resource: 'tenants'},
      );
    }
  });

  test('the access names the tenant: auth.tenants.{uuid}.read', async () => {
    const one = await tokenOf('one-tenant', [`auth.tenants.${sub}.read`]);
    assert.equal((await td.call('GET', `/0.1/tenants/${sub}`, {token: one})).status, 200);
    const other = await td.call('GET', `/0.1/tenants/${top}`, {token: one});
    assert.equal(other.status, 401);
    assert.equal(other.json.details.required_access, `auth.tenants.${top}.read`);
  });
});

// Tenant administration. Each test makes the tenants it changes, so that the tests above, which
// count the tenants, and the ones below stay independent.

let serial = 0;
const unique = (prefix: string) => `${prefix}${++serial}`;
const post = (body: unknown, token = admin(), headers: Record<string, string> = {}) => td.call('POST', '/0.1/tenants', {token, body, headers});
const put = (uuid: string, body: unknown, token = admin()) => td.call('PUT', `/0.1/tenants/${uuid}`, {token, body});
const remove = (uuid: string, token = admin(), headers: Record<string, string> = {}) => td.call('DELETE', `/0.1/tenants/${uuid}`, {token, headers});
const move = (uuid: string, parentUuid: string, token = admin()) => td.call('PUT', `/0.1/tenants/${uuid}/parent/${parentUuid}`, {token});
const tokenIsLive = async (token: string) => (await td.call('HEAD', `/0.1/token/${token}`)).status === 204;
const withoutTimestamp = (body: any) => ({...body, timestamp: 0});

/** A tenant made through the API; returns its body. */
async function created(body: Record<string, unknown> = {}, token = admin(), headers: Record<string, string> = {}): Promise<any> {
  const r = await post({name: unique('tenant '), ...body}, token, headers);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** A tenant with an administrator whose policy grants everything; returns the tenant uuid and the token. */
async function administered(parentUuid = top): Promise<{uuid: string; token: string}> {
  const {uuid} = await created({}, admin(), {'wazo-tenant': parentUuid});
  return {uuid, token: await tokenOf(unique('admin'), ['#'], uuid)};
}

function assertUnknownTenant(r: {status: number; json: any}, uuid: string): void {
  assert.equal(r.status, 404, JSON.stringify(r.json));
  assert.deepEqual(withoutTimestamp(r.json), {
    message: `No such tenant: "${uuid}"`,
    error_id: 'unknown-tenant',
    details: {uuid},
    timestamp: 0,
    resource: 'tenants',
  });
}

describe('POST /0.1/tenants', () => {
  test("creates a tenant below the acting tenant with upstream's fields", async () => {
    const address = {line_1: 'Here', line_2: null, city: 'Québec', state: 'Québec', country: 'Canada', zip_code: 'H0H 0H0'};
    const r = await post({
      name: 'foobar',
      slug: 'slug_1',
      phone: '555-555-5555',
      domain_names: ['wazo.io', 'shopify.ca'],
      address,
      default_authentication_method: 'ldap',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), TENANT_KEYS);
    assert.match(r.json.uuid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(r.json, {
      uuid: r.json.uuid,
      parent_uuid: top,
      name: 'foobar',
      slug: 'slug_1',
      contact: null,
      phone: '555-555-5555',
      default_authentication_method: 'ldap',
      domain_names: ['shopify.ca', 'wazo.io'],
      address,
    });
    assert.deepEqual((await td.call('GET', `/0.1/tenants/${r.json.uuid}`, {token: admin()})).json, r.json);
  });

  test('an empty body is a tenant with defaults and a random slug; parent_uuid in the body is ignored', async () => {
    for (const body of [{}, [], null, {parent_uuid: sub}]) {
      const r = await post(body);
      assert.equal(r.status, 200, JSON.stringify(body));
      assert.equal(r.json.parent_uuid, top);
      assert.equal(r.json.name, null);
      assert.match(r.json.slug, /^[a-z0-9]{3}$/);
      assert.equal(r.json.default_authentication_method, 'native');
      assert.deepEqual(r.json.domain_names, []);
      assert.deepEqual(r.json.address, EMPTY_ADDRESS);
    }
  });

  test('Wazo-Tenant chooses the parent; a sub-tenant admin creates below its own tenant', async () => {
    const viaHeader = await created({}, admin(), {'wazo-tenant': sub});
    assert.equal(viaHeader.parent_uuid, sub);
    const own = await administered();
    const mine = await created({}, own.token);
    assert.equal(mine.parent_uuid, own.uuid);
    const outside = await post({}, own.token, {'wazo-tenant': top});
    assert.equal(outside.status, 401);
  });

  test('the slug is derived from the name: its letters, digits and underscores, 10 at most', async () => {
    assert.equal((await created({name: 'Wazo Rocks!'})).slug, 'WazoRocks');
    assert.equal((await created({name: 'a_b-c d.e'})).slug, 'a_bcde');
    assert.equal((await created({name: 'Abcdefghijklmnop'})).slug, 'Abcdefghij');
    // Taken, or nothing left of the name: three random characters.
    assert.match((await created({name: 'Abcdefghijkl'})).slug, /^[a-z0-9]{3}$/);
    assert.match((await created({name: '!!! ---'})).slug, /^[a-z0-9]{3}$/);
  });

  test('a slug is unique, case included: 409 conflict', async () => {
    await created({slug: 'dup'});
    const r = await post({slug: 'dup'});
    assert.equal(r.status, 409);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'Conflict detected',
      error_id: 'conflict',
      details: {slug: {constraint_id: 'unique', message: 'The slug "dup" is already used'}},
      timestamp: 0,
      resource: 'tenants',
    });
    assert.equal((await post({slug: 'DUP'})).status, 200);
  });

  test("a given uuid is kept; one taken is 409 tenant-identity-conflict; the acting tenant's own is 403", async () => {
    const uuid = randomUUID();
    assert.equal((await created({uuid})).uuid, uuid);
    const taken = await post({uuid});
    assert.equal(taken.status, 409);
    assert.deepEqual(withoutTimestamp(taken.json), {
      message: 'Tenant Conflict detected',
      error_id: 'tenant-identity-conflict',
      details: {uuid: {constraint_id: 'unique', message: `A tenant with identity uuid="${uuid}" already exists`}},
      timestamp: 0,
      resource: 'tenants',
    });
    const own = await post({uuid: top});
    assert.equal(own.status, 403);
    assert.deepEqual(withoutTimestamp(own.json), {
      message: 'Conflict detected',
      error_id: 'conflict',
      details: {parent_uuid: {constraint_id: 'unique', msg: 'A master tenant already exist'}},
      timestamp: 0,
      resource: 'tenants',
    });
  });

  test('domain names are validated: each invalid one is 400 invalid-data', async () => {
    const invalid = [
      ['-wazo.io'],
      [' wazo.io'],
      ['#'],
      ['123'],
      ['wazo .io'],
      ['wazo.io-'],
      ['wazo'],
      ['=wazo.io'],
      ['+wazo.io'],
      ['_wazo.io'],
      ['wazo_io'],
      ['wazo_io  '],
      null,
      true,
      false,
      'wazo.community',
      42,
      {name: 'wazo.community'},
    ];
    for (const domain_names of invalid) {
      const r = await post({domain_names});
      assert.equal(r.status, 400, JSON.stringify(domain_names));
      assert.equal(r.json.error_id, 'invalid-data');
      assert.equal(r.json.resource, 'tenants');
      assert.ok(r.json.details.domain_names, JSON.stringify(r.json));
    }
    const r = await post({domain_names: ['ok.example', 'not ok']});
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'String does not match expected pattern.',
      error_id: 'invalid-data',
      details: {domain_names: {'1': r.json.details.domain_names['1']}},
      timestamp: 0,
      resource: 'tenants',
    });
    assert.equal(r.json.details.domain_names['1'].constraint_id, 'regex');
  });

  test('domain names are kept sorted without duplicates; one of another tenant, whatever its case, is 409', async () => {
    const first = await created({domain_names: ['b.taken.example', 'a.taken.example', 'b.taken.example', 'A.TAKEN.example']});
    assert.deepEqual(first.domain_names, ['A.TAKEN.example', 'b.taken.example']);
    const r = await post({domain_names: ['free.example', 'B.Taken.Example']});
    assert.equal(r.status, 409);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'Conflict detected',
      error_id: 'conflict',
      details: {
        domain_names: {
          'constraint-id': 'unique',
          message: `Domain name : "['B.Taken.Example', 'free.example']" is already in use, no duplicates allowed`,
        },
      },
      timestamp: 0,
      resource: 'tenants',
    });
    const none = await td.call('GET', '/0.1/tenants?domain_name=free.example', {token: admin()});
    assert.equal(none.json.filtered, 0, 'the failed creation left nothing behind');
  });

  test('address: any falsy value is empty, another non-object is 400 (not 500), its parts are checked', async () => {
    for (const address of [[], {}, '', 0, false]) {
      const r = await post({address});
      assert.equal(r.status, 200, JSON.stringify(address));
      assert.deepEqual(r.json.address, EMPTY_ADDRESS);
    }
    const partial = await created({address: {city: 'Paris', ignored: 'x'}});
    assert.deepEqual(partial.address, {...EMPTY_ADDRESS, city: 'Paris'});
    for (const address of ['somewhere', ['somewhere'], 42, true]) {
      const r = await post({address});
      assert.equal(r.status, 400, JSON.stringify(address));
      assert.deepEqual(withoutTimestamp(r.json), {
        message: 'Invalid input type.',
        error_id: 'invalid-data',
        details: {address: {_schema: {constraint_id: 'type', constraint: 'dict', message: 'Invalid input type.'}}},
        timestamp: 0,
        resource: 'tenants',
      });
    }
    const empty = await post({address: {line_1: ''}});
    assert.equal(empty.status, 400);
    assert.equal(empty.json.details.address.line_1.constraint_id, 'length');
    assert.equal(empty.json.message, empty.json.details.address.line_1.message);
    const long = await post({address: {zip_code: '1'.repeat(17)}});
    assert.equal(long.status, 400);
    assert.ok(long.json.details.address.zip_code);
    const nothing = await post({address: null});
    assert.equal(nothing.status, 400);
    assert.equal(nothing.json.details.address.constraint_id, 'not_null');
  });

  test('field checks: the first invalid field is reported as invalid-data', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{name: ''}, 'name'],
      [{name: 'x'.repeat(129)}, 'name'],
      [{name: false}, 'name'],
      [{slug: 'abcdefghijk'}, 'slug'],
      [{slug: 'with-dash'}, 'slug'],
      [{slug: ''}, 'slug'],
      [{phone: 'x'.repeat(33)}, 'phone'],
      [{contact: 'not-a-uuid'}, 'contact'],
      [{uuid: 'not-a-uuid'}, 'uuid'],
      [{name: '', slug: 'with-dash'}, 'name'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(Object.keys(r.json.details), [field], JSON.stringify(body));
      assert.equal(r.json.message, r.json.details[field].message);
    }
    const malformed = await td.call('POST', '/0.1/tenants', {token: admin(), rawBody: '{"name": ', headers: {'content-type': 'application/json'}});
    assert.equal(malformed.status, 400);
  });

  test("default_authentication_method: native by default, one of upstream's methods, else 400", async () => {
    assert.equal((await created({default_authentication_method: 'saml'})).default_authentication_method, 'saml');
    for (const method of [null, false, true, 42, ['native'], 'not-native', '']) {
      const r = await post({default_authentication_method: method});
      assert.equal(r.status, 400, JSON.stringify(method));
      assert.equal(r.json.error_id, 'invalid-data');
      assert.ok(r.json.details.default_authentication_method !== undefined);
    }
    const r = await post({default_authentication_method: 'not-native'});
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'Invalid default authentication method not-native',
      error_id: 'invalid-data',
      details: {default_authentication_method: 'not-native'},
      timestamp: 0,
      resource: 'tenants',
    });
  });

  test("the contact must be a user of the caller's tree or above it: another is 404 unknown-user", async () => {
    const own = await administered();
    const sibling = await administered();
    const visible = await createUser(td.daemon.services.store, {username: unique('contact'), tenantUuid: own.uuid});
    const hidden = await createUser(td.daemon.services.store, {username: unique('hidden'), tenantUuid: sibling.uuid});
    assert.equal((await created({contact: visible}, own.token)).contact, visible);
    // a user of a tenant above the caller's is fine too, as upstream allows
    assert.equal((await created({contact: td.admin.uuid}, own.token)).contact, td.admin.uuid);
    for (const contact of [hidden, randomUUID()]) {
      const r = await post({contact}, own.token);
      assert.equal(r.status, 404);
      assert.deepEqual(withoutTimestamp(r.json), {
        message: `No such user: "${contact}"`,
        error_id: 'unknown-user',
        details: {uuid: contact},
        timestamp: 0,
        resource: 'users',
      });
    }
  });

  test('a new tenant has its all-users group, which goes with the tenant', async () => {
    const tenant = await created();
    const name = `wazo-all-users-tenant-${tenant.uuid}`;
    const groups = () => td.call('GET', `/0.1/groups?recurse=true&search=${name}`, {token: admin()});
    const before = await groups();
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.json.items.map((g: any) => [g.name, g.tenant_uuid]),
      [[name, tenant.uuid]],
    );
    assert.equal((await remove(tenant.uuid)).status, 204);
    assert.deepEqual((await groups()).json.items, []);
  });

  test('401 without auth.tenants.create', async () => {
    const reader = await tokenOf(unique('reader'), ['auth.tenants.read']);
    const r = await post({}, reader);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.tenants.create');
  });
});

describe('PUT /0.1/tenants/{uuid}', () => {
  test('replaces the fields: omitted ones are cleared; uuid, slug and parent in the body are ignored', async () => {
    const tenant = await created({
      slug: unique('put'),
      phone: '555',
      domain_names: ['before.example'],
      address: {city: 'Quebec'},
      default_authentication_method: 'ldap',
    });
    const contact = await createUser(td.daemon.services.store, {username: unique('contact')});
    const r = await put(tenant.uuid, {
      uuid: randomUUID(),
      slug: 'changed',
      parent_uuid: sub,
      name: 'renamed',
      contact,
      address: {line_1: 'Here', city: 'Montreal'},
    });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), TENANT_KEYS);
    assert.deepEqual(r.json, {
      uuid: tenant.uuid,
      parent_uuid: top,
      name: 'renamed',
      slug: tenant.slug,
      contact,
      phone: null,
      default_authentication_method: 'native',
      domain_names: [],
      address: {...EMPTY_ADDRESS, line_1: 'Here', city: 'Montreal'},
    });
    assert.deepEqual((await td.call('GET', `/0.1/tenants/${tenant.uuid}`, {token: admin()})).json, r.json);
    // A GET's body sent back changes nothing.
    assert.deepEqual((await put(tenant.uuid, r.json)).json, r.json);
    const emptied = await put(tenant.uuid, []);
    assert.equal(emptied.status, 200);
    assert.equal(emptied.json.name, null);
    assert.equal(emptied.json.contact, null);
  });

  test('domain names: one of another tenant is 409; those kept keep their uuid', async () => {
    const other = await created({domain_names: ['other.put.example']});
    const tenant = await created({domain_names: ['kept.put.example', 'gone.put.example']});
    const before = (await td.call('GET', `/0.1/tenants/${tenant.uuid}/domains`, {token: admin()})).json.items;
    const clash = await put(tenant.uuid, {name: 'x', domain_names: ['kept.put.example', 'OTHER.put.example']});
    assert.equal(clash.status, 409);
    assert.equal(clash.json.error_id, 'conflict');
    assert.ok(clash.json.details.domain_names.message.includes("'OTHER.put.example'"));
    assert.deepEqual((await td.call('GET', `/0.1/tenants/${other.uuid}`, {token: admin()})).json.domain_names, ['other.put.example']);

    const r = await put(tenant.uuid, {domain_names: ['new.put.example', 'kept.put.example']});
    assert.equal(r.status, 200);
    assert.deepEqual(sortedStrings(r.json.domain_names), ['kept.put.example', 'new.put.example']);
    const after = (await td.call('GET', `/0.1/tenants/${tenant.uuid}/domains`, {token: admin()})).json.items;
    const uuidOf = (items: any[], name: string) => items.find((d) => d.name === name)?.uuid;
    assert.equal(uuidOf(after, 'kept.put.example'), uuidOf(before, 'kept.put.example'));
    assert.equal(uuidOf(after, 'gone.put.example'), undefined);
  });

  test('isolation: a sub-tenant admin changes its subtree only; elsewhere is 404 and unchanged', async () => {
    const own = await administered();
    const child = await created({name: 'child'}, own.token);
    const sibling = await administered();
    assert.equal((await put(own.uuid, {name: 'mine'}, own.token)).status, 200);
    assert.equal((await put(child.uuid, {name: 'my child'}, own.token)).json.name, 'my child');
    for (const uuid of [sibling.uuid, top, randomUUID()]) assertUnknownTenant(await put(uuid, {name: 'taken over'}, own.token), uuid);
    assert.notEqual((await td.call('GET', `/0.1/tenants/${sibling.uuid}`, {token: admin()})).json.name, 'taken over');
    const hiddenContact = await createUser(td.daemon.services.store, {username: unique('hidden'), tenantUuid: sibling.uuid});
    const r = await put(own.uuid, {contact: hiddenContact}, own.token);
    assert.equal(r.status, 404);
    assert.equal(r.json.error_id, 'unknown-user');
  });

  test('an invalid body is 400; a path that is not a uuid is 404', async () => {
    const tenant = await created();
    const r = await put(tenant.uuid, {name: false});
    assert.equal(r.status, 400);
    assert.deepEqual(Object.keys(r.json.details), ['name']);
    assert.equal((await put(tenant.uuid, {default_authentication_method: 'nope'})).status, 400);
    assert.equal((await put('not-a-uuid', {})).status, 404);
  });
});

describe('DELETE /0.1/tenants/{uuid}', () => {
  test('deletes the tenant with its users, whose tokens stop working', async () => {
    const doomed = await administered();
    const user = await createUser(td.daemon.services.store, {username: unique('doomed'), password: 'pw', tenantUuid: doomed.uuid});
    const userToken = (await td.login((await td.daemon.services.store.users.get(user))!.username!, 'pw')).token;
    assert.ok(await tokenIsLive(userToken));

    const r = await remove(doomed.uuid);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assertUnknownTenant(await td.call('GET', `/0.1/tenants/${doomed.uuid}`, {token: admin()}), doomed.uuid);
    assert.equal((await td.call('GET', `/0.1/users/${user}`, {token: admin()})).status, 404);
    assert.equal(await tokenIsLive(userToken), false);
    assert.equal(await tokenIsLive(doomed.token), false);
    assertUnknownTenant(await remove(doomed.uuid), doomed.uuid);
  });

  test('a tenant with a tenant below it is 400 and stays', async () => {
    const parent = await created();
    await created({}, admin(), {'wazo-tenant': parent.uuid});
    const r = await remove(parent.uuid);
    assert.equal(r.status, 400);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: `Unauthorized delete of tenant : "${parent.uuid}" ; since it has at least one child`,
      error_id: 'unauthorized-tenant-with-children-delete',
      details: {uuid: parent.uuid},
      timestamp: 0,
      resource: 'tenants',
    });
    assert.equal((await td.call('GET', `/0.1/tenants/${parent.uuid}`, {token: admin()})).status, 200);
  });

  test('the acting tenant cannot delete itself: 403, also when chosen with Wazo-Tenant', async () => {
    const own = await administered();
    const r = await remove(own.uuid, own.token);
    assert.equal(r.status, 403);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: `Deleting its own tenant is forbidden: "${own.uuid}"`,
      error_id: 'deleting-own-tenant-forbidden',
      details: {tenant_uuid: own.uuid},
      timestamp: 0,
      resource: 'tenants',
    });
    assert.equal((await remove(own.uuid, admin(), {'wazo-tenant': own.uuid})).status, 403);
    assert.equal((await remove(top)).status, 403);
    assert.ok(await tokenIsLive(own.token));
  });

  test('isolation: a sub-tenant admin deletes below its tenant only; elsewhere is 404 and stays', async () => {
    const own = await administered();
    const child = await created({}, own.token);
    const sibling = await administered();
    for (const uuid of [sibling.uuid, top, randomUUID()]) assertUnknownTenant(await remove(uuid, own.token), uuid);
    assert.ok(await tokenIsLive(sibling.token));
    assert.equal((await remove(child.uuid, own.token)).status, 204);
  });

  test('401 without auth.tenants.{uuid}.delete', async () => {
    const tenant = await created();
    const reader = await tokenOf(unique('reader'), [`auth.tenants.${tenant.uuid}.read`]);
    const r = await remove(tenant.uuid, reader);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, `auth.tenants.${tenant.uuid}.delete`);
  });
});

describe('GET /0.1/tenants/{uuid}/domains', () => {
  test('lists the domain names with their uuids', async () => {
    const tenant = await created({domain_names: ['one.domains.example', 'two.domains.example']});
    const r = await td.call('GET', `/0.1/tenants/${tenant.uuid}/domains`, {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['total', 'items']);
    assert.equal(r.json.total, 2);
    assert.deepEqual(
      r.json.items.map((d: any) => Object.keys(d)),
      [
        ['name', 'uuid'],
        ['name', 'uuid'],
      ],
    );
    assert.deepEqual(
      r.json.items.map((d: any) => d.name),
      ['one.domains.example', 'two.domains.example'],
    );
    for (const d of r.json.items) assert.match(d.uuid, /^[0-9a-f-]{36}$/);
    const empty = await td.call('GET', `/0.1/tenants/${(await created()).uuid}/domains`, {token: admin()});
    assert.deepEqual(empty.json, {total: 0, items: []});
  });

  test("isolation: another tenant's domains, or an unknown tenant's, are 404", async () => {
    const own = await administered();
    const sibling = await created({domain_names: ['secret.domains.example']});
    assert.equal((await td.call('GET', `/0.1/tenants/${own.uuid}/domains`, {token: own.token})).status, 200);
    for (const uuid of [sibling.uuid, top, randomUUID()]) {
      assertUnknownTenant(await td.call('GET', `/0.1/tenants/${uuid}/domains`, {token: own.token}), uuid);
    }
    const anonymous = await td.call('GET', `/0.1/tenants/${sibling.uuid}/domains`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, `auth.tenants.${sibling.uuid}.domains.read`);
  });
});

describe('PUT /0.1/tenants/{uuid}/parent/{parent_uuid}', () => {
  test('moves a tenant, with what is below it, below another', async () => {
    const a = await created();
    const b = await created();
    const bChild = await created({}, admin(), {'wazo-tenant': b.uuid});
    const r = await move(b.uuid, a.uuid);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal((await td.call('GET', `/0.1/tenants/${b.uuid}`, {token: admin()})).json.parent_uuid, a.uuid);
    const underA = await td.call('GET', '/0.1/tenants', {token: admin(), headers: {'wazo-tenant': a.uuid}});
    assert.deepEqual(uuidsOf(underA), [a.uuid, b.uuid, bChild.uuid].sort());
  });

  test('the tenant itself, one below it, or any new parent of the top tenant is 409 and moves nothing', async () => {
    const a = await created();
    const child = await created({}, admin(), {'wazo-tenant': a.uuid});
    for (const [uuid, parent] of [
      [a.uuid, child.uuid],
      [a.uuid, a.uuid],
      [top, a.uuid],
      [top, top],
    ] as const) {
      const r = await move(uuid, parent);
      assert.equal(r.status, 409, `${uuid} below ${parent}`);
      assert.deepEqual(withoutTimestamp(r.json), {
        message: `Parent (${parent}) is a descendent of tenant: "${uuid}"`,
        error_id: 'conflict',
        details: {uuid, parent_uuid: parent},
        timestamp: 0,
        resource: 'tenants',
      });
    }
    assert.equal((await td.call('GET', `/0.1/tenants/${a.uuid}`, {token: admin()})).json.parent_uuid, top);
    assert.equal((await td.call('GET', `/0.1/tenants/${top}`, {token: admin()})).json.parent_uuid, top);
  });

  test("isolation: both tenants must be in the caller's subtree, else 404 naming the one outside", async () => {
    const own = await administered();
    const child = await created({}, own.token);
    const grandchild = await created({}, own.token, {'wazo-tenant': child.uuid});
    const sibling = await created();
    assertUnknownTenant(await move(sibling.uuid, own.uuid, own.token), sibling.uuid);
    assertUnknownTenant(await move(child.uuid, sibling.uuid, own.token), sibling.uuid);
    assertUnknownTenant(await move(child.uuid, top, own.token), top);
    assert.equal((await td.call('GET', `/0.1/tenants/${child.uuid}`, {token: admin()})).json.parent_uuid, own.uuid);
    // Its own tenant can never move: any parent it may name lies below it.
    assert.equal((await move(own.uuid, child.uuid, own.token)).status, 409);
    assert.equal((await move(grandchild.uuid, own.uuid, own.token)).status, 204);
  });

  test('the access names both tenants; a path that is not a uuid is 404', async () => {
    const a = await created();
    const b = await created();
    const limited = await tokenOf(unique('mover'), [`auth.tenants.${a.uuid}.parent.${b.uuid}.update`]);
    const denied = await move(b.uuid, a.uuid, limited);
    assert.equal(denied.status, 401);
    assert.equal(denied.json.details.required_access, `auth.tenants.${b.uuid}.parent.${a.uuid}.update`);
    assert.equal((await move(a.uuid, b.uuid, limited)).status, 204);
    assert.equal((await td.call('PUT', `/0.1/tenants/${a.uuid}/parent/not-a-uuid`, {token: admin()})).status, 404);
  });
});

describe('GET /0.1/tenants: filters and search', () => {
  test('uuid, uuids, name, slug and domain_name narrow `filtered` and the items, never `total`', async () => {
    const parent = await created();
    const scope = {token: admin(), headers: {'wazo-tenant': parent.uuid}};
    const foobar = await created({name: 'foobar', slug: unique('aaa'), domain_names: ['wazo.filter.io']}, admin(), scope.headers);
    const foobaz = await created({name: 'foobaz', slug: unique('bbb'), domain_names: ['yahoo.filter.com']}, admin(), scope.headers);
    const other = await created({name: 'foobarbaz', slug: unique('ccc'), domain_names: ['mail.yahoo.filter.fr']}, admin(), scope.headers);
    const list = (query: string) => td.call('GET', `/0.1/tenants?${query}`, scope);
    const check = async (query: string, expected: any[]) => {
      const r = await list(query);
      assert.equal(r.status, 200, query);
      assert.equal(r.json.total, 4, query);
      assert.equal(r.json.filtered, expected.length, query);
      assert.deepEqual(uuidsOf(r), expected.map((t) => t.uuid).sort(), query);
    };
    await check(`uuid=${foobaz.uuid}`, [foobaz]);
    await check(`uuids=${foobaz.uuid}&uuids=${foobar.uuid}`, [foobar, foobaz]);
    await check('name=foobar', [foobar]);
    await check(`slug=${other.slug}`, [other]);
    await check('domain_name=mail.yahoo.filter.fr', [other]);
    await check('domain_name=', [parent, foobar, foobaz, other]);
    await check('search=yahoo', [foobaz, other]);
    await check('search=bar', [foobar, other]);
    await check('search=foo%20baz', [foobaz, other]);
    await check(`search=${foobaz.slug}`, [foobaz]);
    await check('search=yahoo&name=foobaz', [foobaz]);

    const paged = await list('limit=1&offset=1&order=name');
    assert.deepEqual(
      paged.json.items.map((t: any) => t.name),
      ['foobarbaz'],
    );
    const desc = await list('order=name&direction=desc');
    assert.deepEqual(
      desc.json.items.map((t: any) => t.name),
      [parent.name, 'foobaz', 'foobarbaz', 'foobar'],
    );
  });

  test('more than 25 uuids, or a bad paging value, is 400 invalid-list-param', async () => {
    const many = Array.from({length: 26}, () => `uuids=${randomUUID()}`).join('&');
    const r = await td.call('GET', `/0.1/tenants?${many}`, {token: admin()});
    assert.equal(r.status, 400);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'Longer than maximum length 25.',
      error_id: 'invalid-list-param',
      details: {uuids: {constraint_id: 'length', constraint: {min: null, max: 25}, message: 'Longer than maximum length 25.'}},
      timestamp: 0,
      resource: 'tenants',
    });
    const ok = Array.from({length: 25}, () => `uuids=${randomUUID()}`).join('&');
    assert.equal((await td.call('GET', `/0.1/tenants?${ok}`, {token: admin()})).json.filtered, 0);
    for (const query of ['limit=foo', 'offset=-1', 'direction=up']) {
      assert.equal((await td.call('GET', `/0.1/tenants?${query}`, {token: admin()})).status, 400, query);
    }
  });

  test("isolation: no filter reaches a tenant outside the caller's subtree", async () => {
    const own = await administered();
    const sibling = await created({name: 'sibling filtered', domain_names: ['sibling.filter.example']});
    for (const query of [
      `uuid=${sibling.uuid}`,
      `uuids=${sibling.uuid}`,
      'name=sibling%20filtered',
      `slug=${sibling.slug}`,
      'domain_name=sibling.filter.example',
      'search=sibling',
    ]) {
      const r = await td.call('GET', `/0.1/tenants?${query}`, {token: own.token});
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.items, [], query);
      assert.equal(r.json.total, 1, query);
    }
  });
});

const sortedStrings = (values: string[]) => [...values].sort();
