// How the guard resolves the tenant a request acts in from `Wazo-Tenant`: an empty header is no
// header, and a tenant outside the token's tree is refused only once the access is granted.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

const EMPTY_ADDRESS = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

let td: TestDaemon;
let top: string;
let branch: string;
let sibling: string;
let branchAdmin: string;
let branchReader: string;

async function tenantBelow(parentUuid: string, slug: string): Promise<string> {
  const uuid = randomUUID();
  await td.daemon.services.store.tenants.create({
    uuid,
    name: slug,
    slug,
    parentUuid,
    contactUuid: null,
    phone: null,
    address: EMPTY_ADDRESS,
    domainNames: [],
  });
  return uuid;
}

async function tokenOf(username: string, acl: string[], tenantUuid: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const withoutTimestamp = (body: any) => ({...body, timestamp: 0});
const listTenants = (token: string, wazoTenant: string) => td.call('GET', '/0.1/tenants', {token, headers: {'wazo-tenant': wazoTenant}});

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  branch = await tenantBelow(top, 'branch');
  sibling = await tenantBelow(top, 'sibling');
  branchAdmin = await tokenOf('branch-admin', ['#'], branch);
  branchReader = await tokenOf('branch-reader', ['auth.users.read'], branch);
});
after(() => td.stop());

describe('Wazo-Tenant', () => {
  test("an empty header acts in the token's own tenant, as no header", async () => {
    const r = await listTenants(branchAdmin, '');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.items.map((t: any) => t.uuid),
      [branch],
    );
    const created = await td.call('POST', '/0.1/tenants', {token: branchAdmin, body: {}, headers: {'wazo-tenant': ''}});
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.parent_uuid, branch);
  });

  test("a tenant outside the token's tree, unknown or not a uuid is 401 unauthorized-tenant", async () => {
    for (const outside of [sibling, top, randomUUID(), 'not-a-tenant']) {
      const r = await listTenants(branchAdmin, outside);
      assert.equal(r.status, 401, outside);
      assert.deepEqual(withoutTimestamp(r.json), {
        message: 'Unauthorized tenant',
        error_id: 'unauthorized-tenant',
        details: {tenant_uuid: outside},
        timestamp: 0,
      });
    }
  });

  test('the access is checked first: without it, any tenant gets the missing-permission 401', async () => {
    const r = await td.call('GET', '/0.1/tenants', {token: branchReader, headers: {'wazo-tenant': sibling}});
    assert.equal(r.status, 401);
    assert.equal(r.json.error_id, 'unauthorized');
    assert.equal(r.json.details.reason, 'missing_permission_or_invalid_tenant');
    assert.equal(r.json.details.required_access, 'auth.tenants.read');
    assert.equal(r.json.details.tenant_uuid, sibling);
  });

  test('an unknown token is refused as such, whatever the tenant', async () => {
    const r = await listTenants(randomUUID(), sibling);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.reason, 'not_found_or_expired');
  });

  test('an empty header shows as a null tenant in the missing-permission 401', async () => {
    const r = await listTenants(branchReader, '');
    assert.equal(r.status, 401);
    assert.equal(r.json.details.tenant_uuid, null);
  });
});
