// client.tenants against a real daemon, and the client's `tenant` (Wazo-Tenant) that scopes calls.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let top: string;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  top = (await client.tokens.get(td.admin.token)).metadata.tenant_uuid;
});

after(async () => {
  await client.close();
  await td.stop();
});

const isApiError = (status: number, errorId?: string) => (error: unknown) =>
  error instanceof ApiError && error.status === status && (errorId === undefined || error.errorId === errorId);

test('create, get, update (a replacement), domains, delete', async () => {
  const created = await client.tenants.create({
    name: 'Acme',
    slug: 'acme',
    phone: '555',
    domain_names: ['acme.example.com', 'acme.example.org'],
    address: {city: 'Montréal', country: 'CA'},
  });
  assert.equal(created.parent_uuid, top);
  assert.equal(created.slug, 'acme');
  assert.equal(created.address.city, 'Montréal');
  assert.deepEqual(await client.tenants.get(created.uuid), created);

  const domains = await client.tenants.domains(created.uuid);
  assert.equal(domains.total, 2);
  assert.deepEqual(domains.items.map((d) => d.name).sort(), ['acme.example.com', 'acme.example.org']);

  const updated = await client.tenants.update(created.uuid, {name: 'Acme Inc', domain_names: ['acme.example.com']});
  assert.equal(updated.name, 'Acme Inc');
  assert.equal(updated.phone, null, 'a PUT clears what it leaves out');
  assert.equal(updated.slug, 'acme');
  assert.deepEqual(updated.domain_names, ['acme.example.com']);

  await client.tenants.delete(created.uuid);
  await assert.rejects(client.tenants.get(created.uuid), isApiError(404, 'unknown-tenant'));
});

test('a slug taken is ApiError 409 conflict', async () => {
  await client.tenants.create({slug: 'taken'});
  await assert.rejects(client.tenants.create({slug: 'taken'}), isApiError(409, 'conflict'));
});

test('list: search, filters (uuids repeated), order and paging', async () => {
  const made = [];
  for (const name of ['tl-a', 'tl-b', 'tl-c']) made.push(await client.tenants.create({name}));
  const all = await client.tenants.list();
  assert.ok(all.items.some((t) => t.uuid === top));
  const found = await client.tenants.list({search: 'tl-', order: 'name', direction: 'desc', limit: 2});
  assert.deepEqual(
    found.items.map((t) => t.name),
    ['tl-c', 'tl-b'],
  );
  assert.equal(found.filtered, 3);
  const picked = await client.tenants.list({uuids: [made[0]!.uuid, made[2]!.uuid], order: 'name'});
  assert.deepEqual(
    picked.items.map((t) => t.name),
    ['tl-a', 'tl-c'],
  );
  assert.deepEqual(
    (await client.tenants.list({name: 'tl-b'})).items.map((t) => t.uuid),
    [made[1]!.uuid],
  );
});

test('setParent moves a tenant; a move below itself is ApiError 409', async () => {
  const parent = await client.tenants.create({name: 'new-parent'});
  const child = await client.tenants.create({name: 'moving'});
  await client.tenants.setParent(child.uuid, parent.uuid);
  assert.equal((await client.tenants.get(child.uuid)).parent_uuid, parent.uuid);
  await assert.rejects(client.tenants.setParent(parent.uuid, child.uuid), isApiError(409));
  await assert.rejects(client.tenants.delete(parent.uuid), isApiError(400, 'unauthorized-tenant-with-children-delete'));
});

test('the client tenant scopes calls to that subtree', async () => {
  const branch = await client.tenants.create({name: 'scoping-branch'});
  const below = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
  try {
    const leaf = await below.tenants.create({name: 'scoping-leaf'});
    assert.equal(leaf.parent_uuid, branch.uuid);
    assert.deepEqual(
      (await below.tenants.list({order: 'name'})).items.map((t) => t.name),
      ['scoping-branch', 'scoping-leaf'],
    );
    below.tenant = undefined;
    assert.ok((await below.tenants.list()).items.some((t) => t.uuid === top));
  } finally {
    await below.close();
  }
});
