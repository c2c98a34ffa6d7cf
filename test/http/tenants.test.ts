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

  test('shows upstream\'s fields', async () => {
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
    assert.deepEqual(r.json.items.map((t: any) => t.slug), ['sub', 'sibling']);
  });

  test('a bad list parameter is 400 invalid-list-param', async () => {
    const r = await td.call('GET', '/0.1/tenants?order=uuid', {token: admin()});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-list-param');
    assert.equal(r.json.resource, 'tenants');
    assert.ok(r.json.details.order);
  });

  test('Wazo-Tenant narrows the scope; outside the token\'s tree it is 401', async () => {
    const narrowed = await td.call('GET', '/0.1/tenants', {token: admin(), headers: {'wazo-tenant': sub}});
    assert.deepEqual(uuidsOf(narrowed), [sub, subSub].sort());
    const outside = await td.call('GET', '/0.1/tenants', {token: subAdmin, headers: {'wazo-tenant': top}});
    assert.equal(outside.status, 401);
    assert.equal(outside.json.details.reason, 'missing_permission_or_invalid_tenant');
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
