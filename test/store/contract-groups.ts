// The behaviour every GroupStore must show, with what groups change in UserStore.acl: each
// implementation's test file calls groupStoreContract() with a function that opens an empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {type Group, type NewTenant, type Policy, type User} from '../../src/domain/types.js';
import {ConflictError} from '../../src/domain/errors.js';
import {type Store} from '../../src/store/store.js';

let serial = 0;
const next = () => ++serial;

const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

async function tenantIn(store: Store, parentUuid?: string): Promise<string> {
  const uuid = randomUUID();
  const n = next();
  const tenant: NewTenant = {
    uuid,
    name: `tenant ${n}`,
    slug: `g${n}`,
    parentUuid: parentUuid ?? uuid,
    contactUuid: null,
    phone: null,
    address: noAddress,
    domainNames: [],
  };
  await store.tenants.create(tenant);
  return uuid;
}

async function userIn(store: Store, tenantUuid: string, fields: Partial<User> = {}): Promise<User> {
  const user: User = {
    uuid: randomUUID(),
    tenantUuid,
    username: `member${next()}`,
    firstname: null,
    lastname: null,
    purpose: 'user',
    enabled: true,
    authenticationMethod: 'default',
    emails: [],
    ...fields,
  };
  return store.users.create(user, null);
}

async function policyIn(store: Store, tenantUuid: string, fields: Partial<Policy> = {}): Promise<Policy> {
  const n = next();
  return store.policies.create({
    uuid: randomUUID(),
    tenantUuid,
    name: `policy ${n}`,
    slug: `policy_${n}`,
    description: null,
    acl: [],
    shared: false,
    configManaged: false,
    ...fields,
  });
}

function groupOf(tenantUuid: string, fields: Partial<Group> = {}): Group {
  const n = next();
  return {uuid: randomUUID(), tenantUuid, name: `group ${n}`, slug: `group_${n}`, systemManaged: false, ...fields};
}

function allUsersOf(tenantUuid: string): Group {
  return groupOf(tenantUuid, {name: `all ${tenantUuid}`, slug: `all_${tenantUuid}`, systemManaged: true});
}

const uuids = (items: {uuid: string}[]) => items.map((item) => item.uuid);

export function groupStoreContract(name: string, open: () => Promise<Store>): void {
  async function using(body: (store: Store, top: string) => Promise<void>): Promise<void> {
    const store = await open();
    try {
      await body(store, await tenantIn(store));
    } finally {
      await store.close();
    }
  }

  describe(`group store contract: ${name}`, () => {
    test('a group is created and read back by uuid and by slug, whatever its case', () =>
      using(async (store, top) => {
        const group = groupOf(top, {name: 'Sales', slug: 'Sales_Team'});
        assert.deepEqual(await store.groups.create(group), group);
        assert.deepEqual(await store.groups.get(group.uuid), group);
        assert.deepEqual(await store.groups.getBySlug(top, 'sales_team'), group);
        assert.equal(await store.groups.getBySlug(await tenantIn(store, top), 'Sales_Team'), undefined);
        assert.equal(await store.groups.get(randomUUID()), undefined);
      }));

    test('names and slugs are unique within a tenant only, slugs whatever their case', () =>
      using(async (store, top) => {
        const sub = await tenantIn(store, top);
        await store.groups.create(groupOf(top, {name: 'dup', slug: 'dup'}));
        await assert.rejects(store.groups.create(groupOf(top, {name: 'dup'})), (e) => e instanceof ConflictError && e.field === 'name');
        await assert.rejects(store.groups.create(groupOf(top, {slug: 'DUP'})), (e) => e instanceof ConflictError && e.field === 'slug');
        await store.groups.create(groupOf(top, {name: 'Dup'}));
        await store.groups.create(groupOf(sub, {name: 'dup', slug: 'dup'}));
      }));

    test('a group needs an existing tenant', () =>
      using(async (store) => {
        await assert.rejects(store.groups.create(groupOf(randomUUID())), /does not exist/);
      }));

    test('each tenant has at most one all-users group, whoever creates it first', () =>
      using(async (store, top) => {
        const first = await store.groups.ensureAllUsersGroup(allUsersOf(top));
        assert.equal(first.systemManaged, true);
        assert.deepEqual(await store.groups.ensureAllUsersGroup(allUsersOf(top)), first);
        const other = await store.groups.ensureAllUsersGroup(allUsersOf(await tenantIn(store, top)));
        assert.notEqual(other.uuid, first.uuid);
        assert.equal((await store.groups.list([top], {}, {readOnly: true})).total, 1);
      }));

    test('a rename keeps the slug; a taken name is a conflict; an unknown group is undefined', () =>
      using(async (store, top) => {
        const group = await store.groups.create(groupOf(top, {name: 'before', slug: 'before'}));
        const other = await store.groups.create(groupOf(top));
        assert.deepEqual(await store.groups.rename(group.uuid, 'after'), {...group, name: 'after'});
        await assert.rejects(store.groups.rename(group.uuid, other.name), (e) => e instanceof ConflictError && e.field === 'name');
        assert.equal(await store.groups.rename(randomUUID(), 'x'), undefined);
      }));

    test('deleting a group removes its links, not its members nor its policies', () =>
      using(async (store, top) => {
        const group = await store.groups.create(groupOf(top));
        const user = await userIn(store, top);
        const policy = await policyIn(store, top, {acl: ['a.b']});
        await store.groups.addUser(group.uuid, user.uuid);
        await store.groups.addPolicy(group.uuid, policy.uuid);
        assert.deepEqual(await store.users.acl(user.uuid), ['a.b']);
        assert.equal(await store.groups.delete(group.uuid), true);
        assert.equal(await store.groups.delete(group.uuid), false);
        assert.deepEqual(await store.users.get(user.uuid), user);
        assert.deepEqual(await store.policies.get(policy.uuid), policy);
        assert.deepEqual(await store.users.acl(user.uuid), []);
      }));

    test('lists count the scope in total and the search and filters in filtered', () =>
      using(async (store, top) => {
        const sub = await tenantIn(store, top);
        const policy = await policyIn(store, top, {slug: 'held'});
        const alpha = await store.groups.create(groupOf(top, {name: 'alpha-one', slug: 'zz'}));
        const beta = await store.groups.create(groupOf(top, {name: 'Beta-one', slug: 'aa'}));
        const gamma = await store.groups.create(groupOf(top, {name: 'gamma'}));
        const all = await store.groups.ensureAllUsersGroup(allUsersOf(top));
        await store.groups.create(groupOf(sub, {name: 'below'}));
        await store.groups.addPolicy(beta.uuid, policy.uuid);

        const everything = await store.groups.list([top], {});
        assert.deepEqual(uuids(everything.items), uuids([all, alpha, beta, gamma]));
        assert.deepEqual({total: everything.total, filtered: everything.filtered}, {total: 4, filtered: 4});
        const searched = await store.groups.list([top], {search: 'ONE', order: 'slug', direction: 'desc', limit: 1});
        assert.deepEqual({total: searched.total, filtered: searched.filtered}, {total: 4, filtered: 2});
        assert.deepEqual(uuids(searched.items), [alpha.uuid]);
        const byPolicy = await store.groups.list([top], {}, {policyUuid: policy.uuid});
        assert.deepEqual({total: byPolicy.total, filtered: byPolicy.filtered, items: uuids(byPolicy.items)}, {total: 4, filtered: 1, items: [beta.uuid]});
        assert.deepEqual(uuids((await store.groups.list([top], {}, {policySlug: 'held'})).items), [beta.uuid]);
        assert.deepEqual(uuids((await store.groups.list([top], {}, {readOnly: false})).items), uuids([alpha, beta, gamma]));
        assert.deepEqual(uuids((await store.groups.list([top], {order: 'read_only', direction: 'desc'})).items)[0], all.uuid);
        assert.deepEqual(uuids((await store.groups.list([top], {}, {name: 'gamma', slug: gamma.slug, uuid: gamma.uuid})).items), [gamma.uuid]);
        assert.equal((await store.groups.list([top], {}, {name: 'gamm'})).filtered, 0);
        assert.equal((await store.groups.list([top, sub], {})).total, 5);
        assert.equal((await store.groups.list([], {})).total, 0);
      }));

    test('every user of the tenant belongs to its all-users group, and only they', () =>
      using(async (store, top) => {
        const sub = await tenantIn(store, top);
        const all = await store.groups.ensureAllUsersGroup(allUsersOf(top));
        const alice = await userIn(store, top, {username: 'alice'});
        const bob = await userIn(store, top, {username: 'bob', emails: [{uuid: randomUUID(), address: 'bob@example.com', main: true, confirmed: true}]});
        await userIn(store, sub);
        const members = await store.groups.listUsers(all.uuid, {});
        assert.deepEqual(members.items, [alice, bob]);
        assert.equal(members.total, 2);
        const filtered = await store.groups.listUsers(all.uuid, {}, {emailAddress: 'bob@example.com'});
        assert.deepEqual({total: filtered.total, filtered: filtered.filtered, items: uuids(filtered.items)}, {total: 2, filtered: 1, items: [bob.uuid]});
        assert.deepEqual(uuids((await store.groups.list([top], {}, {userUuid: alice.uuid})).items), [all.uuid]);
        assert.deepEqual(uuids((await store.groups.listOfUser(alice.uuid, {})).items), [all.uuid]);
      }));

    test('members join once, leave, and go when their user is deleted', () =>
      using(async (store, top) => {
        const group = await store.groups.create(groupOf(top, {name: 'team'}));
        const other = await store.groups.create(groupOf(top, {name: 'another'}));
        const all = await store.groups.ensureAllUsersGroup(allUsersOf(top));
        const carol = await userIn(store, top, {username: 'carol', firstname: 'Carol'});
        const dave = await userIn(store, top, {username: 'dave'});
        await store.groups.addUser(group.uuid, carol.uuid);
        await store.groups.addUser(group.uuid, carol.uuid);
        await store.groups.addUser(group.uuid, dave.uuid);
        await store.groups.addUser(other.uuid, carol.uuid);

        const members = await store.groups.listUsers(group.uuid, {search: 'CAR'});
        assert.deepEqual({total: members.total, filtered: members.filtered, items: uuids(members.items)}, {total: 2, filtered: 1, items: [carol.uuid]});
        assert.deepEqual(uuids((await store.groups.listUsers(group.uuid, {}, {username: 'dave'})).items), [dave.uuid]);
        const ofCarol = await store.groups.listOfUser(carol.uuid, {order: 'name'});
        assert.deepEqual(uuids(ofCarol.items), uuids([all, other, group]));
        const named = await store.groups.listOfUser(carol.uuid, {}, {name: 'team'});
        assert.deepEqual({total: named.total, filtered: named.filtered}, {total: 3, filtered: 1});

        assert.equal(await store.groups.removeUser(group.uuid, dave.uuid), true);
        assert.equal(await store.groups.removeUser(group.uuid, dave.uuid), false);
        assert.equal(await store.users.delete(carol.uuid), true);
        assert.equal((await store.groups.listUsers(group.uuid, {})).total, 0);
        assert.equal((await store.groups.listOfUser(carol.uuid, {})).total, 0);
      }));

    test('links need an existing group, user and policy', () =>
      using(async (store, top) => {
        const group = await store.groups.create(groupOf(top));
        await assert.rejects(store.groups.addUser(group.uuid, randomUUID()), /does not exist/);
        await assert.rejects(store.groups.addUser(randomUUID(), (await userIn(store, top)).uuid), /does not exist/);
        await assert.rejects(store.groups.addPolicy(group.uuid, randomUUID()), /does not exist/);
      }));

    test("a group's policies are listed among those visible, config-managed ones everywhere", () =>
      using(async (store, top) => {
        const sub = await tenantIn(store, top);
        const sibling = await tenantIn(store, top);
        const group = await store.groups.create(groupOf(sub));
        const own = await policyIn(store, sub, {name: 'b-own', description: 'mine'});
        const shared = await policyIn(store, top, {name: 'a-shared', shared: true});
        const managed = await policyIn(store, top, {name: 'c-managed', configManaged: true});
        const hidden = await policyIn(store, sibling, {name: 'd-hidden'});
        for (const policy of [own, shared, managed, hidden]) await store.groups.addPolicy(group.uuid, policy.uuid);
        await store.groups.addPolicy(group.uuid, own.uuid);

        const fromSub = await store.groups.listPolicies(group.uuid, {tenantUuids: [sub], sharedFrom: [sub, top]}, {});
        assert.deepEqual(uuids(fromSub.items), uuids([shared, own, managed]));
        assert.equal(fromSub.total, 3);
        const searched = await store.groups.listPolicies(group.uuid, {tenantUuids: [sub], sharedFrom: [sub, top]}, {search: 'MINE'}, {tenantUuid: sub});
        assert.deepEqual({total: searched.total, filtered: searched.filtered, items: uuids(searched.items)}, {total: 3, filtered: 1, items: [own.uuid]});
        const everywhere = await store.groups.listPolicies(
          group.uuid,
          {tenantUuids: [top, sub, sibling], sharedFrom: [top]},
          {order: 'name', direction: 'desc'},
        );
        assert.deepEqual(uuids(everywhere.items), uuids([hidden, managed, own, shared]));

        assert.equal(await store.groups.removePolicy(group.uuid, hidden.uuid), true);
        assert.equal(await store.groups.removePolicy(group.uuid, hidden.uuid), false);
        await store.policies.delete(own.uuid);
        assert.equal((await store.groups.listPolicies(group.uuid, {tenantUuids: [sub], sharedFrom: [top]}, {})).total, 2);
      }));

    test("a user's ACL is its groups' accesses, then its own, each once", () =>
      using(async (store, top) => {
        const all = await store.groups.ensureAllUsersGroup(allUsersOf(top));
        const zeta = await store.groups.create(groupOf(top, {name: 'zeta'}));
        const alpha = await store.groups.create(groupOf(top, {name: 'alpha'}));
        const user = await userIn(store, top);
        const outsider = await userIn(store, await tenantIn(store, top));
        const policy = async (acl: string[]) => (await policyIn(store, top, {acl})).uuid;
        await store.users.addPolicy(user.uuid, await policy(['own.one', 'zeta.two']));
        await store.groups.addPolicy(zeta.uuid, await policy(['zeta.one', 'zeta.two']));
        await store.groups.addPolicy(alpha.uuid, await policy(['alpha.two']));
        await store.groups.addPolicy(alpha.uuid, await policy(['alpha.one']));
        await store.groups.addPolicy(all.uuid, await policy(['everyone']));
        await store.groups.addUser(zeta.uuid, user.uuid);
        await store.groups.addUser(alpha.uuid, user.uuid);

        // Groups by name: "all …" comes before "alpha".
        assert.deepEqual(await store.users.acl(user.uuid), ['everyone', 'alpha.two', 'alpha.one', 'zeta.one', 'zeta.two', 'own.one']);
        assert.deepEqual(await store.users.acl(outsider.uuid), []);
        await store.groups.removeUser(zeta.uuid, user.uuid);
        assert.deepEqual(await store.users.acl(user.uuid), ['everyone', 'alpha.two', 'alpha.one', 'own.one', 'zeta.two']);
      }));

    test("a tenant's deletion takes its groups along", () =>
      using(async (store, top) => {
        const sub = await tenantIn(store, top);
        const group = await store.groups.create(groupOf(sub));
        await store.groups.ensureAllUsersGroup(allUsersOf(sub));
        assert.equal(await store.tenants.delete(sub), 'deleted');
        assert.equal(await store.groups.get(group.uuid), undefined);
        assert.equal((await store.groups.list([sub], {})).total, 0);
      }));
  });
}
