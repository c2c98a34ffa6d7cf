// The tenant administration part of the store contract: changing, moving and deleting tenants,
// their domain names and the filters of tenant lists. Each store implementation's test file calls
// tenantStoreContract() with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {tokenDigest} from '../../src/store/digest.js';
import {type NewTenant, type Tenant, type User} from '../../src/domain/types.js';
import {ConflictError} from '../../src/domain/errors.js';
import {type Store} from '../../src/store/store.js';

let serial = 0;
const next = () => ++serial;

const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

function tenantOf(parentUuid: string | null, fields: Partial<NewTenant> = {}): NewTenant {
  const uuid = fields.uuid ?? randomUUID();
  const n = next();
  return {
    uuid,
    name: `tenant ${n}`,
    slug: `t${n}`,
    parentUuid: parentUuid ?? uuid,
    contactUuid: null,
    phone: null,
    address: noAddress,
    domainNames: [],
    ...fields,
  };
}

function userOf(tenantUuid: string): User {
  return {
    uuid: randomUUID(),
    tenantUuid,
    username: `member${next()}`,
    firstname: null,
    lastname: null,
    purpose: 'user',
    enabled: true,
    authenticationMethod: 'default',
    emails: [],
  };
}

/** A user of the tenant holding a policy, a live token and a refresh token; returns what to look for afterwards. */
async function populate(store: Store, tenantUuid: string) {
  const user = await store.users.create(userOf(tenantUuid), null);
  const policy = await store.policies.create({
    uuid: randomUUID(),
    tenantUuid,
    name: `policy ${next()}`,
    slug: `policy_${next()}`,
    description: null,
    acl: ['confd.#'],
    shared: false,
    configManaged: false,
  });
  await store.users.addPolicy(user.uuid, policy.uuid);
  const session = {uuid: randomUUID(), tenantUuid, userUuid: user.uuid, mobile: false, createdAt: 1_700_000_000};
  const digest = tokenDigest(randomUUID());
  await store.tokens.create(session, {
    digest,
    sessionUuid: session.uuid,
    authId: user.uuid,
    pbxUserUuid: user.uuid,
    xivoUuid: randomUUID(),
    issuedAt: 1_700_000_000,
    expiresAt: 4_000_000_000,
    acl: ['confd.#'],
    metadata: {uuid: user.uuid, tenant_uuid: tenantUuid},
    userAgent: 'contract-test',
    remoteAddr: '10.1.2.3',
    refreshTokenUuid: null,
  });
  await store.refreshTokens.create({
    uuid: randomUUID(),
    digest: tokenDigest(randomUUID()),
    clientId: 'desk',
    userUuid: user.uuid,
    backend: 'wazo_user',
    login: user.username!,
    userAgent: 'contract-test',
    remoteAddr: '10.1.2.3',
    mobile: false,
    createdAt: 1_700_000_000,
  });
  return {user, policy, digest};
}

function conflictOn(field: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConflictError, `expected a ConflictError, got ${String(error)}`);
    assert.equal(error.field, field);
    return true;
  };
}

const sorted = (values: readonly string[]): string[] => [...values].sort();
const uuidsOf = (items: Tenant[]) => sorted(items.map((tenant) => tenant.uuid));

export function tenantStoreContract(name: string, open: () => Promise<Store>): void {
  /** A test body run against a fresh store holding a top tenant, closed afterwards whatever happens. */
  function withTop(body: (store: Store, top: Tenant) => Promise<void>): () => Promise<void> {
    return async () => {
      const store = await open();
      try {
        await body(store, await store.tenants.create(tenantOf(null, {name: 'master', slug: 'master'})));
      } finally {
        await store.close();
      }
    };
  }

  const below = (store: Store, parent: Tenant, fields: Partial<NewTenant> = {}) => store.tenants.create(tenantOf(parent.uuid, fields));

  describe(`tenant store contract: ${name}`, () => {
    describe('create and default authentication method', () => {
      test(
        'a tenant created without a default authentication method has native; one given is kept',
        withTop(async (store, top) => {
          assert.equal(top.defaultAuthenticationMethod, 'native');
          const ldap = await below(store, top, {defaultAuthenticationMethod: 'ldap'});
          assert.equal(ldap.defaultAuthenticationMethod, 'ldap');
          assert.equal((await store.tenants.get(ldap.uuid))?.defaultAuthenticationMethod, 'ldap');
        }),
      );

      test(
        'domain names are unique whatever their case',
        withTop(async (store, top) => {
          await below(store, top, {domainNames: ['Acme.example']});
          await assert.rejects(below(store, top, {domainNames: ['acme.EXAMPLE']}), conflictOn('domain_names'));
        }),
      );

      test(
        'slugTaken tells whether a slug is used, with its case',
        withTop(async (store, top) => {
          await below(store, top, {slug: 'Acme'});
          assert.equal(await store.tenants.slugTaken('Acme'), true);
          assert.equal(await store.tenants.slugTaken('acme'), false);
          assert.equal(await store.tenants.slugTaken('other'), false);
        }),
      );
    });

    describe('update', () => {
      test(
        'replaces the fields but never the slug nor the parent',
        withTop(async (store, top) => {
          const parent = await below(store, top);
          const tenant = await below(store, parent, {name: 'before', phone: '555', domainNames: ['before.example']});
          const contact = await store.users.create(userOf(top.uuid), null);
          const wanted: Tenant = {
            ...tenant,
            name: 'after',
            slug: 'changed',
            parentUuid: top.uuid,
            contactUuid: contact.uuid,
            phone: null,
            address: {...noAddress, city: 'Québec', zip_code: 'G1A'},
            domainNames: ['after.example'],
            defaultAuthenticationMethod: 'saml',
          };
          const expected = {...wanted, slug: tenant.slug, parentUuid: parent.uuid};
          assert.deepEqual(await store.tenants.update(wanted), expected);
          assert.deepEqual(await store.tenants.get(tenant.uuid), expected);
        }),
      );

      test(
        'a domain name kept keeps its uuid, also under another spelling; the others go',
        withTop(async (store, top) => {
          const tenant = await below(store, top, {domainNames: ['kept.example', 'gone.example', 'case.example']});
          const before = await store.tenants.domains(tenant.uuid);
          const uuidOf = (domains: {uuid: string; name: string}[], name: string) => domains.find((d) => d.name.toLowerCase() === name.toLowerCase())?.uuid;

          await store.tenants.update({...tenant, domainNames: ['kept.example', 'CASE.example', 'new.example']});
          const after = await store.tenants.domains(tenant.uuid);
          assert.deepEqual(
            after.map((d) => d.name),
            ['kept.example', 'CASE.example', 'new.example'],
          );
          assert.equal(uuidOf(after, 'kept.example'), uuidOf(before, 'kept.example'));
          assert.equal(uuidOf(after, 'case.example'), uuidOf(before, 'case.example'));
          assert.ok(!before.some((d) => d.uuid === uuidOf(after, 'new.example')));
          // The name let go is free for another tenant.
          await below(store, top, {domainNames: ['gone.example']});
        }),
      );

      test(
        'a domain name of another tenant is a ConflictError and changes nothing',
        withTop(async (store, top) => {
          await below(store, top, {domainNames: ['taken.example']});
          const tenant = await below(store, top, {name: 'unchanged', domainNames: ['mine.example']});
          const change = {...tenant, name: 'changed', domainNames: ['mine.example', 'TAKEN.example']};
          await assert.rejects(store.tenants.update(change), conflictOn('domain_names'));
          assert.deepEqual(await store.tenants.get(tenant.uuid), tenant);
        }),
      );

      test(
        'an unknown tenant is undefined',
        withTop(async (store, top) => {
          assert.equal(await store.tenants.update(tenantOf(top.uuid) as Tenant), undefined);
        }),
      );
    });

    describe('domains', () => {
      test(
        'lists the names with their uuids, oldest first; none for an unknown tenant',
        withTop(async (store, top) => {
          const tenant = await below(store, top, {domainNames: ['b.example', 'a.example']});
          const domains = await store.tenants.domains(tenant.uuid);
          assert.deepEqual(
            domains.map((d) => d.name),
            ['b.example', 'a.example'],
          );
          for (const domain of domains) assert.match(domain.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          assert.notEqual(domains[0]!.uuid, domains[1]!.uuid);
          assert.deepEqual(await store.tenants.domains(randomUUID()), []);
        }),
      );
    });

    describe('setParent', () => {
      test(
        'moves a tenant with its own subtree',
        withTop(async (store, top) => {
          const a = await below(store, top);
          const b = await below(store, top);
          const bChild = await below(store, b);
          assert.equal(await store.tenants.setParent(b.uuid, a.uuid), true);
          assert.equal((await store.tenants.get(b.uuid))?.parentUuid, a.uuid);
          assert.deepEqual(sorted(await store.tenants.subtree(a.uuid)), sorted([a.uuid, b.uuid, bChild.uuid]));
        }),
      );

      test(
        'refuses the tenant itself or a tenant below it, and so never moves the top tenant',
        withTop(async (store, top) => {
          const a = await below(store, top);
          const child = await below(store, a);
          const grandchild = await below(store, child);
          for (const parent of [a, child, grandchild]) assert.equal(await store.tenants.setParent(a.uuid, parent.uuid), false);
          assert.equal(await store.tenants.setParent(top.uuid, a.uuid), false);
          assert.equal(await store.tenants.setParent(top.uuid, top.uuid), false);
          assert.equal((await store.tenants.get(a.uuid))?.parentUuid, top.uuid);
          assert.equal((await store.tenants.top())?.uuid, top.uuid);
        }),
      );
    });

    describe('delete', () => {
      test(
        'removes the tenant with its users, policies, domains, sessions, tokens and refresh tokens',
        withTop(async (store, top) => {
          const doomed = await below(store, top, {domainNames: ['doomed.example']});
          const kept = await below(store, top);
          const inDoomed = await populate(store, doomed.uuid);
          const inKept = await populate(store, kept.uuid);
          // A tenant elsewhere whose contact lived in the deleted tenant.
          const contacting = await below(store, top, {contactUuid: inDoomed.user.uuid});

          assert.equal(await store.tenants.delete(doomed.uuid), 'deleted');
          assert.equal(await store.tenants.get(doomed.uuid), undefined);
          assert.equal(await store.users.get(inDoomed.user.uuid), undefined);
          assert.equal(await store.policies.get(inDoomed.policy.uuid), undefined);
          assert.equal(await store.tokens.findByDigest(inDoomed.digest), undefined);
          assert.equal(await store.tokens.countSessions(inDoomed.user.uuid), 0);
          assert.deepEqual(await store.refreshTokens.listByUser(inDoomed.user.uuid), []);
          assert.equal((await store.tenants.get(contacting.uuid))?.contactUuid, null);
          await below(store, top, {domainNames: ['doomed.example']});

          assert.ok(await store.users.get(inKept.user.uuid));
          assert.ok(await store.policies.get(inKept.policy.uuid));
          assert.ok(await store.tokens.findByDigest(inKept.digest));
          assert.equal((await store.refreshTokens.listByUser(inKept.user.uuid)).length, 1);
        }),
      );

      test(
        'refuses a tenant with a tenant below it and removes nothing',
        withTop(async (store, top) => {
          const parent = await below(store, top);
          await below(store, parent);
          const {user} = await populate(store, parent.uuid);
          assert.equal(await store.tenants.delete(parent.uuid), 'has-children');
          assert.ok(await store.tenants.get(parent.uuid));
          assert.ok(await store.users.get(user.uuid));
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
        }),
      );

      test(
        'an unknown tenant is not-found',
        withTop(async (store) => {
          assert.equal(await store.tenants.delete(randomUUID()), 'not-found');
        }),
      );
    });

    describe('list filters and search', () => {
      test(
        'exact filters narrow `filtered` and the items, never `total`',
        withTop(async (store, top) => {
          const foobar = await below(store, top, {name: 'foobar', slug: 'aaa', domainNames: ['wazo.io', 'shopify.ca']});
          const foobaz = await below(store, top, {name: 'foobaz', slug: 'bbb', domainNames: ['gmail.com', 'yahoo.com']});
          const other = await below(store, top, {name: 'Foobar', slug: 'ccc', domainNames: ['mail.yahoo.fr']});
          const scope = [top.uuid, foobar.uuid, foobaz.uuid, other.uuid];
          const check = async (filters: Parameters<Store['tenants']['list']>[1], expected: Tenant[]) => {
            const result = await store.tenants.list(scope, filters);
            assert.equal(result.total, 4, JSON.stringify(filters));
            assert.equal(result.filtered, expected.length, JSON.stringify(filters));
            assert.deepEqual(uuidsOf(result.items), uuidsOf(expected), JSON.stringify(filters));
          };

          await check({uuid: foobaz.uuid}, [foobaz]);
          await check({uuid: 'not-a-uuid'}, []);
          await check({uuids: [foobar.uuid, foobaz.uuid, randomUUID()]}, [foobar, foobaz]);
          await check({uuids: []}, []);
          await check({name: 'foobar'}, [foobar]);
          await check({slug: 'ccc'}, [other]);
          await check({domainName: 'gmail.com'}, [foobaz]);
          await check({domainName: 'gmail'}, []);
          await check({name: 'foobaz', slug: 'aaa'}, []);
          await check({search: 'yahoo'}, [foobaz, other]);
          await check({search: 'yahoo', name: 'Foobar'}, [other]);
          await check({}, [top, foobar, foobaz, other]);
        }),
      );

      test(
        'a filter never reaches outside the tenants given',
        withTop(async (store, top) => {
          const inside = await below(store, top);
          const outside = await below(store, top, {domainNames: ['outside.example']});
          const result = await store.tenants.list([inside.uuid], {uuids: [outside.uuid]});
          assert.deepEqual(result, {total: 1, filtered: 0, items: []});
          assert.equal((await store.tenants.list([inside.uuid], {domainName: 'outside.example'})).filtered, 0);
        }),
      );

      test(
        'search looks for its words, in order, in the name, the slug or a domain name; % and _ are literal',
        withTop(async (store, top) => {
          const words = await below(store, top, {name: 'Foo and Bar', slug: 'x1'});
          const slugged = await below(store, top, {name: null, slug: 'rab_oof'});
          const domained = await below(store, top, {name: 'plain', slug: 'x2', domainNames: ['bar.example']});
          const scope = [words.uuid, slugged.uuid, domained.uuid];
          const found = async (search: string) => uuidsOf((await store.tenants.list(scope, {search})).items);

          assert.deepEqual(await found('foo bar'), uuidsOf([words]));
          assert.deepEqual(await found('bar  foo'), []);
          assert.deepEqual(await found('BAR'), uuidsOf([words, domained]));
          assert.deepEqual(await found('b_oof'), uuidsOf([slugged]));
          assert.deepEqual(await found('ab_'), uuidsOf([slugged]));
          assert.deepEqual(await found('r_b'), []);
          assert.deepEqual(await found('%'), []);
          assert.deepEqual(await found('.example'), uuidsOf([domained]));
          assert.equal((await store.tenants.list(scope, {search: 'bar'})).filtered, 2);
        }),
      );
    });
  });
}
