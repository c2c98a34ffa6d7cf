// What every store keeps of users' linked accounts and tenants' external settings, whatever its
// engine: each test file calls externalAuthContract() with a function that opens a fresh store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {ConflictError} from '../../src/domain/errors.js';
import type {NewTenant, User} from '../../src/domain/types.js';
import type {Store} from '../../src/store/store.js';

const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

function tenantOf(parentUuid: string | null, slug: string): NewTenant {
  const uuid = randomUUID();
  return {uuid, name: slug, slug, parentUuid: parentUuid ?? uuid, contactUuid: null, phone: null, address: noAddress, domainNames: []};
}

async function userIn(store: Store, tenantUuid: string, username: string): Promise<string> {
  const user: User = {
    uuid: randomUUID(),
    tenantUuid,
    username,
    firstname: null,
    lastname: null,
    purpose: 'user',
    enabled: true,
    authenticationMethod: 'default',
    emails: [],
  };
  await store.users.create(user, null);
  return user.uuid;
}

export function externalAuthContract(name: string, open: () => Promise<Store>): void {
  const withTenants = (body: (store: Store, top: string, child: string) => Promise<void>) => async () => {
    const store = await open();
    try {
      const top = await store.tenants.create(tenantOf(null, 'top'));
      const child = await store.tenants.create(tenantOf(top.uuid, 'child'));
      await body(store, top.uuid, child.uuid);
    } finally {
      await store.close();
    }
  };

  describe(`${name}: external auth`, () => {
    test(
      "a user's data: create, a second create conflicts on the type, update, delete",
      withTenants(async (store, top) => {
        const x = store.externalAuth;
        const alice = await userIn(store, top, 'alice');
        assert.equal(await x.userData(alice, 'mobile'), undefined);
        assert.equal(await x.updateUserData(alice, 'mobile', 'v1:a'), false);
        await x.createUserData(alice, 'mobile', 'v1:a');
        await assert.rejects(x.createUserData(alice, 'mobile', 'v1:b'), (e) => e instanceof ConflictError && e.field === 'type' && e.value === 'mobile');
        await x.createUserData(alice, 'google', 'v1:g');
        assert.equal(await x.updateUserData(alice, 'mobile', 'v1:c'), true);
        assert.equal(await x.userData(alice, 'mobile'), 'v1:c');
        assert.deepEqual(await x.typesOfUser(alice), ['google', 'mobile']);
        assert.equal(await x.deleteUserData(alice, 'mobile'), true);
        assert.equal(await x.deleteUserData(alice, 'mobile'), false);
        assert.deepEqual(await x.typesOfUser(alice), ['google']);
      }),
    );

    test(
      'connected users: of the tenants given, a page and the count; gone with the user',
      withTenants(async (store, top, child) => {
        const x = store.externalAuth;
        const [a, b, c] = [await userIn(store, top, 'a'), await userIn(store, child, 'b'), await userIn(store, child, 'c')];
        for (const user of [a, b, c]) await x.createUserData(user, 'mobile', 'v1:x');
        await x.createUserData(a, 'google', 'v1:x');
        assert.deepEqual(await x.connectedUsers('mobile', [child], {limit: null, offset: 0}), {uuids: [b, c].sort(), total: 2});
        assert.deepEqual(await x.connectedUsers('mobile', [top, child], {limit: 1, offset: 1}), {uuids: [[a, b, c].sort()[1]!], total: 3});
        assert.deepEqual(await x.connectedUsers('google', [child], {limit: null, offset: 0}), {uuids: [], total: 0});
        await store.users.delete(b);
        assert.deepEqual(await x.connectedUsers('mobile', [child], {limit: null, offset: 0}), {uuids: [c], total: 1});
      }),
    );

    test(
      "a tenant's settings: one per type, a second create conflicts, gone with the tenant",
      withTenants(async (store, top, child) => {
        const x = store.externalAuth;
        assert.equal(await x.config(child, 'mobile'), undefined);
        assert.equal(await x.updateConfig(child, 'mobile', 'v1:a'), false);
        await x.createConfig(child, 'mobile', 'v1:a');
        await x.createConfig(top, 'mobile', 'v1:top');
        await assert.rejects(x.createConfig(child, 'mobile', 'v1:b'), (e) => e instanceof ConflictError && e.field === 'type');
        assert.equal(await x.updateConfig(child, 'mobile', 'v1:c'), true);
        assert.equal(await x.config(child, 'mobile'), 'v1:c');
        assert.equal(await x.config(top, 'mobile'), 'v1:top');
        await store.tenants.delete(child);
        assert.equal(await x.config(child, 'mobile'), undefined);
        assert.equal(await x.deleteConfig(top, 'mobile'), true);
        assert.equal(await x.deleteConfig(top, 'mobile'), false);
      }),
    );
  });
}
