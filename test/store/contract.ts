// The behaviour every Store implementation must show, whatever its engine: each implementation's
// test file calls storeContract() with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {tokenDigest} from '../../src/store/digest.js';
import {type Email, type Policy, type RefreshToken, type Session, type Tenant, type TokenRecord, type User} from '../../src/domain/types.js';
import {ConflictError} from '../../src/domain/errors.js';
import {type Store} from '../../src/store/store.js';

let serial = 0;
const next = () => ++serial;

const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

function tenantOf(fields: Partial<Tenant> = {}): Tenant {
  const uuid = fields.uuid ?? randomUUID();
  const n = next();
  return {
    uuid,
    name: `tenant ${n}`,
    slug: `t${n}`,
    parentUuid: uuid,
    contactUuid: null,
    phone: null,
    address: noAddress,
    domainNames: [],
    defaultAuthenticationMethod: 'native',
    ...fields,
  };
}

function userOf(tenantUuid: string, fields: Partial<User> = {}): User {
  return {
    uuid: randomUUID(),
    tenantUuid,
    username: `user${next()}`,
    firstname: null,
    lastname: null,
    purpose: 'user',
    enabled: true,
    authenticationMethod: 'default',
    emails: [],
    ...fields,
  };
}

function emailOf(address: string, fields: Partial<Email> = {}): Email {
  return {uuid: randomUUID(), address, main: false, confirmed: false, ...fields};
}

function policyOf(tenantUuid: string, fields: Partial<Policy> = {}): Policy {
  const n = next();
  return {
    uuid: randomUUID(),
    tenantUuid,
    name: `policy ${n}`,
    slug: `policy_${n}`,
    description: null,
    acl: [],
    shared: false,
    configManaged: false,
    ...fields,
  };
}

function sessionOf(user: User, fields: Partial<Session> = {}): Session {
  return {uuid: randomUUID(), tenantUuid: user.tenantUuid, userUuid: user.uuid, mobile: false, createdAt: 1_700_000_000, ...fields};
}

function tokenOf(session: Session, fields: Partial<TokenRecord> = {}): TokenRecord {
  return {
    digest: tokenDigest(randomUUID()),
    sessionUuid: session.uuid,
    authId: session.userUuid,
    pbxUserUuid: session.userUuid,
    xivoUuid: '9e2e2e36-1111-4e2e-8e2e-2e2e2e2e2e2e',
    issuedAt: 1_700_000_000,
    expiresAt: 1_700_007_200,
    acl: ['auth.users.me.read', 'confd.#'],
    metadata: {uuid: session.userUuid, tenant_uuid: session.tenantUuid, purpose: 'user'},
    userAgent: 'contract-test',
    remoteAddr: '10.1.2.3',
    refreshTokenUuid: null,
    ...fields,
  };
}

function refreshTokenOf(user: User, clientId: string, fields: Partial<RefreshToken> = {}): RefreshToken {
  return {
    uuid: randomUUID(),
    digest: tokenDigest(randomUUID()),
    clientId,
    userUuid: user.uuid,
    backend: 'wazo_user',
    login: user.username ?? 'someone',
    userAgent: 'contract-test',
    remoteAddr: '10.1.2.3',
    mobile: false,
    createdAt: 1_700_000_000,
    ...fields,
  };
}

function conflictOn(field: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConflictError, `expected a ConflictError, got ${String(error)}`);
    assert.equal(error.field, field);
    return true;
  };
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

export function storeContract(name: string, open: () => Promise<Store>): void {
  /** A test body run against a fresh store, closed afterwards whatever happens. */
  function withStore(body: (store: Store) => Promise<void>): () => Promise<void> {
    return async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    };
  }

  async function topTenant(store: Store): Promise<Tenant> {
    return store.tenants.create(tenantOf());
  }

  async function tenantBelow(store: Store, parent: Tenant, fields: Partial<Tenant> = {}): Promise<Tenant> {
    return store.tenants.create(tenantOf({parentUuid: parent.uuid, ...fields}));
  }

  describe(`store contract: ${name}`, () => {
    describe('tenants', () => {
      test(
        'create returns the stored tenant and get reads it back',
        withStore(async (store) => {
          const top = await topTenant(store);
          const wanted = tenantOf({
            parentUuid: top.uuid,
            name: 'Acme',
            slug: 'acme',
            phone: '+1 555 0100',
            address: {line_1: '1 Main St', line_2: null, city: 'Quebec', state: 'QC', country: 'CA', zip_code: 'G1A'},
            domainNames: ['acme.example', 'acme.test'],
          });
          assert.deepEqual(await store.tenants.create(wanted), wanted);
          assert.deepEqual(await store.tenants.get(wanted.uuid), wanted);
          assert.equal(await store.tenants.get(randomUUID()), undefined);
        }),
      );

      test(
        'a contact must be a stored user and is kept',
        withStore(async (store) => {
          const top = await topTenant(store);
          const contact = await store.users.create(userOf(top.uuid), null);
          const tenant = await tenantBelow(store, top, {contactUuid: contact.uuid});
          assert.equal((await store.tenants.get(tenant.uuid))?.contactUuid, contact.uuid);
        }),
      );

      test(
        'top is undefined on an empty store, then the tenant that is its own parent',
        withStore(async (store) => {
          assert.equal(await store.tenants.top(), undefined);
          const top = await topTenant(store);
          await tenantBelow(store, top);
          const found = await store.tenants.top();
          assert.equal(found?.uuid, top.uuid);
          assert.equal(found?.parentUuid, top.uuid);
        }),
      );

      test(
        'subtree holds the tenant itself and every level below it, and ends at the self-parented top',
        withStore(async (store) => {
          const top = await topTenant(store);
          const a = await tenantBelow(store, top);
          const b = await tenantBelow(store, a);
          const c = await tenantBelow(store, b);
          const sibling = await tenantBelow(store, top);
          assert.deepEqual(sorted(await store.tenants.subtree(top.uuid)), sorted([top.uuid, a.uuid, b.uuid, c.uuid, sibling.uuid]));
          assert.deepEqual(sorted(await store.tenants.subtree(a.uuid)), sorted([a.uuid, b.uuid, c.uuid]));
          assert.deepEqual(await store.tenants.subtree(c.uuid), [c.uuid]);
          assert.deepEqual(await store.tenants.subtree(randomUUID()), []);
        }),
      );

      test(
        'create rejects a taken uuid, slug or domain name with a ConflictError and stores nothing',
        withStore(async (store) => {
          const top = await topTenant(store);
          await tenantBelow(store, top, {slug: 'taken', domainNames: ['taken.example']});
          await assert.rejects(tenantBelow(store, top, {uuid: top.uuid}), conflictOn('uuid'));
          await assert.rejects(tenantBelow(store, top, {slug: 'taken'}), conflictOn('slug'));
          const clash = tenantOf({parentUuid: top.uuid, domainNames: ['free.example', 'taken.example']});
          await assert.rejects(store.tenants.create(clash), conflictOn('domain_names'));
          assert.equal(await store.tenants.get(clash.uuid), undefined);
          // The failed create released the domain it had inserted before the clash.
          await tenantBelow(store, top, {domainNames: ['free.example']});
        }),
      );

      test(
        'list scopes to the given tenants, then searches, orders, pages and counts',
        withStore(async (store) => {
          const top = await topTenant(store);
          const alpha = await tenantBelow(store, top, {name: 'alpha', slug: 'zeta'});
          const bravo = await tenantBelow(store, top, {name: 'bravo', slug: 'yankee'});
          const charlie = await tenantBelow(store, top, {name: 'charlie', slug: 'xray'});
          const hidden = await tenantBelow(store, top, {name: 'charlie too', slug: 'hidden'});
          const scope = [alpha.uuid, bravo.uuid, charlie.uuid];
          const names = (items: Tenant[]) => items.map((tenant) => tenant.name);

          const all = await store.tenants.list(scope, {});
          assert.deepEqual(names(all.items), ['alpha', 'bravo', 'charlie']);
          assert.equal(all.total, 3);
          assert.equal(all.filtered, 3);
          assert.deepEqual(names((await store.tenants.list(scope, {direction: 'desc'})).items), ['charlie', 'bravo', 'alpha']);
          assert.deepEqual(names((await store.tenants.list(scope, {order: 'slug'})).items), ['charlie', 'bravo', 'alpha']);
          assert.deepEqual(
            (await store.tenants.list(scope, {order: 'uuid'})).items.map((tenant) => tenant.uuid),
            sorted(scope),
          );

          const page = await store.tenants.list(scope, {limit: 1, offset: 1});
          assert.deepEqual(names(page.items), ['bravo']);
          assert.equal(page.total, 3);
          assert.equal(page.filtered, 3);
          assert.deepEqual(names((await store.tenants.list(scope, {offset: 2})).items), ['charlie']);
          assert.deepEqual(names((await store.tenants.list(scope, {limit: null})).items), ['alpha', 'bravo', 'charlie']);
          assert.deepEqual((await store.tenants.list(scope, {limit: 0})).items, []);

          const byName = await store.tenants.list(scope, {search: 'ARL'});
          assert.deepEqual(names(byName.items), ['charlie']);
          assert.equal(byName.total, 3);
          assert.equal(byName.filtered, 1);
          assert.deepEqual(names((await store.tenants.list(scope, {search: 'Yank'})).items), ['bravo']);
          assert.equal((await store.tenants.list(scope, {search: 'hidden'})).filtered, 0);
          assert.equal((await store.tenants.list(scope, {search: '%'})).filtered, 0);
          assert.deepEqual(names((await store.tenants.list([hidden.uuid], {search: ''})).items), ['charlie too']);

          const none = await store.tenants.list([], {});
          assert.deepEqual(none, {total: 0, filtered: 0, items: []});
        }),
      );

      test(
        'list rejects an order that is not a known field',
        withStore(async (store) => {
          const top = await topTenant(store);
          await assert.rejects(store.tenants.list([top.uuid], {order: 'parent_uuid; DROP TABLE tenants'}), /order/);
          await assert.rejects(store.tenants.list([top.uuid], {order: 'password_hash'}), /order/);
          await assert.rejects(store.tenants.list([top.uuid], {order: 'toString'}), /order/);
          assert.equal((await store.tenants.list([top.uuid], {})).total, 1);
        }),
      );
    });

    describe('users', () => {
      test(
        'create returns the stored user with its e-mail addresses and get reads it back',
        withStore(async (store) => {
          const top = await topTenant(store);
          const wanted = userOf(top.uuid, {
            username: 'alice',
            firstname: 'Alice',
            lastname: 'Liddell',
            purpose: 'external_api',
            enabled: false,
            authenticationMethod: 'native',
            emails: [emailOf('alice@example.com', {main: true, confirmed: true}), emailOf('alice@example.org')],
          });
          assert.deepEqual(await store.users.create(wanted, 'hash'), wanted);
          assert.deepEqual(await store.users.get(wanted.uuid), wanted);
          assert.equal(await store.users.get(randomUUID()), undefined);
        }),
      );

      test(
        'create rejects a username taken in another case, and stores nothing',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.users.create(userOf(top.uuid, {username: 'alice'}), null);
          const clash = userOf(top.uuid, {username: 'ALICE', emails: [emailOf('other@example.com')]});
          await assert.rejects(store.users.create(clash, null), conflictOn('username'));
          assert.equal(await store.users.get(clash.uuid), undefined);
          await store.users.create(userOf(top.uuid, {emails: [emailOf('other@example.com')]}), null);
        }),
      );

      test(
        'create rejects an e-mail address taken in another case, and stores nothing',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.users.create(userOf(top.uuid, {emails: [emailOf('Alice@Example.com')]}), null);
          const clash = userOf(top.uuid, {username: 'bob', emails: [emailOf('bob@example.com'), emailOf('alice@example.COM')]});
          await assert.rejects(store.users.create(clash, null), conflictOn('email'));
          assert.equal(await store.users.get(clash.uuid), undefined);
          assert.equal(await store.users.findByLogin('bob'), undefined);
          // Neither the username nor the first address stayed reserved.
          await store.users.create(userOf(top.uuid, {username: 'bob', emails: [emailOf('bob@example.com')]}), null);
        }),
      );

      test(
        'several users may have no username',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.users.create(userOf(top.uuid, {username: null}), null);
          const second = await store.users.create(userOf(top.uuid, {username: null}), null);
          assert.equal(second.username, null);
        }),
      );

      test(
        'findByLogin matches a username or a confirmed e-mail address in any case, never an unconfirmed one',
        withStore(async (store) => {
          const top = await topTenant(store);
          const alice = await store.users.create(
            userOf(top.uuid, {
              username: 'Alice',
              emails: [emailOf('alice@example.com', {confirmed: true}), emailOf('pending@example.com')],
            }),
            'argon2-hash',
          );
          const byName = await store.users.findByLogin('aLiCe');
          assert.deepEqual(byName, {user: alice, passwordHash: 'argon2-hash'});
          assert.deepEqual(await store.users.findByLogin('ALICE@example.COM'), {user: alice, passwordHash: 'argon2-hash'});
          assert.equal(await store.users.findByLogin('pending@example.com'), undefined);
          assert.equal(await store.users.findByLogin('nobody'), undefined);
          assert.equal(await store.users.findByLogin('alic'), undefined);
        }),
      );

      test(
        'findByLogin gives a user without password a null hash',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.users.create(userOf(top.uuid, {username: 'nopass'}), null);
          assert.equal((await store.users.findByLogin('nopass'))?.passwordHash, null);
        }),
      );

      test(
        'update replaces the profile fields and keeps the e-mail addresses and the password',
        withStore(async (store) => {
          const top = await topTenant(store);
          const email = emailOf('carol@example.com', {confirmed: true, main: true});
          const carol = await store.users.create(userOf(top.uuid, {username: 'carol', firstname: 'Carol', emails: [email]}), 'h1');
          const changed: User = {
            ...carol,
            username: 'caroline',
            firstname: null,
            lastname: 'King',
            purpose: 'internal',
            enabled: false,
            authenticationMethod: 'ldap',
          };
          assert.deepEqual(await store.users.update(changed), changed);
          assert.deepEqual(await store.users.get(carol.uuid), changed);
          assert.equal(await store.users.findByLogin('carol'), undefined);
          assert.equal((await store.users.findByLogin('CAROLINE'))?.passwordHash, 'h1');
          // Its own username in another case is no conflict.
          assert.equal((await store.users.update({...changed, username: 'Caroline'})).username, 'Caroline');
        }),
      );

      test(
        'update rejects a username taken by another user, in any case; and an unknown user',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.users.create(userOf(top.uuid, {username: 'dave'}), null);
          const erin = await store.users.create(userOf(top.uuid, {username: 'erin'}), null);
          await assert.rejects(store.users.update({...erin, username: 'DAVE'}), conflictOn('username'));
          assert.equal((await store.users.get(erin.uuid))?.username, 'erin');
          await assert.rejects(store.users.update(userOf(top.uuid)));
        }),
      );

      test(
        'setPasswordHash replaces or clears the hash',
        withStore(async (store) => {
          const top = await topTenant(store);
          const frank = await store.users.create(userOf(top.uuid, {username: 'frank'}), 'old');
          await store.users.setPasswordHash(frank.uuid, 'new');
          assert.equal((await store.users.findByLogin('frank'))?.passwordHash, 'new');
          await store.users.setPasswordHash(frank.uuid, null);
          assert.equal((await store.users.findByLogin('frank'))?.passwordHash, null);
        }),
      );

      test(
        'delete removes the user with its addresses, policy links, sessions, tokens and refresh tokens',
        withStore(async (store) => {
          const top = await topTenant(store);
          const policy = await store.policies.create(policyOf(top.uuid, {acl: ['a.b']}));
          const gina = await store.users.create(userOf(top.uuid, {username: 'gina', emails: [emailOf('gina@example.com', {confirmed: true})]}), 'hash');
          const other = await store.users.create(userOf(top.uuid), null);
          await store.users.addPolicy(gina.uuid, policy.uuid);
          await store.users.addPolicy(other.uuid, policy.uuid);
          const sessions = [sessionOf(gina), sessionOf(gina, {mobile: true})];
          const tokens = sessions.map((session) => tokenOf(session));
          for (const [index, session] of sessions.entries()) await store.tokens.create(session, tokens[index]!);
          const otherSession = sessionOf(other);
          const otherToken = tokenOf(otherSession);
          await store.tokens.create(otherSession, otherToken);
          const refresh = await store.refreshTokens.create(refreshTokenOf(gina, 'phone'));

          assert.equal(await store.users.delete(gina.uuid), true);

          assert.equal(await store.users.get(gina.uuid), undefined);
          assert.equal(await store.users.findByLogin('gina@example.com'), undefined);
          assert.equal(await store.tokens.countSessions(gina.uuid), 0);
          for (const token of tokens) assert.equal(await store.tokens.findByDigest(token.digest), undefined);
          assert.equal(await store.refreshTokens.findByDigest(refresh.digest), undefined);
          assert.equal(await store.refreshTokens.findByClient(gina.uuid, 'phone'), undefined);
          assert.deepEqual(await store.users.acl(gina.uuid), []);
          assert.equal((await store.users.listPolicies(gina.uuid, {})).total, 0);
          // The policy and the other user are untouched.
          assert.deepEqual(await store.policies.get(policy.uuid), policy);
          assert.deepEqual(await store.users.acl(other.uuid), ['a.b']);
          assert.deepEqual(await store.tokens.findByDigest(otherToken.digest), otherToken);
          // The login and the address are free again.
          await store.users.create(userOf(top.uuid, {username: 'gina', emails: [emailOf('gina@example.com')]}), null);

          assert.equal(await store.users.delete(gina.uuid), false);
          assert.equal(await store.users.delete(randomUUID()), false);
        }),
      );

      test(
        'deleting a tenant contact keeps the tenant',
        withStore(async (store) => {
          const top = await topTenant(store);
          const contact = await store.users.create(userOf(top.uuid), null);
          const tenant = await tenantBelow(store, top, {contactUuid: contact.uuid});
          assert.equal(await store.users.delete(contact.uuid), true);
          assert.equal((await store.tenants.get(tenant.uuid))?.contactUuid, null);
        }),
      );

      test(
        'list scopes to the given tenants, then searches names and addresses, orders, pages and counts',
        withStore(async (store) => {
          const top = await topTenant(store);
          const other = await tenantBelow(store, top);
          const make = (fields: Partial<User>, tenant = top) => store.users.create(userOf(tenant.uuid, fields), null);
          await make({username: 'hank', firstname: 'Henry', lastname: 'Zed', purpose: 'internal'});
          await make({username: 'ivy', firstname: 'Ivy', lastname: 'Young', emails: [emailOf('ivy@Corp.example')]});
          await make({username: 'jack', firstname: 'Jack', lastname: 'Xu', purpose: 'external_api'});
          await make({username: 'kate', firstname: 'Kate', lastname: 'Walker', emails: [emailOf('kate@corp.example')]}, other);
          const usernames = (items: User[]) => items.map((user) => user.username);

          const all = await store.users.list([top.uuid], {});
          assert.deepEqual(usernames(all.items), ['hank', 'ivy', 'jack']);
          assert.equal(all.total, 3);
          assert.equal(all.filtered, 3);
          assert.equal((await store.users.list([top.uuid, other.uuid], {})).total, 4);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {order: 'lastname'})).items), ['jack', 'ivy', 'hank']);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {order: 'firstname', direction: 'desc'})).items), ['jack', 'ivy', 'hank']);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {order: 'purpose'})).items), ['jack', 'hank', 'ivy']);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {order: 'username', direction: 'desc'})).items), ['jack', 'ivy', 'hank']);
          const uuids = (await store.users.list([top.uuid], {order: 'uuid'})).items.map((user) => user.uuid);
          assert.deepEqual(uuids, sorted(uuids));

          const page = await store.users.list([top.uuid], {limit: 2, offset: 1, order: 'username'});
          assert.deepEqual(usernames(page.items), ['ivy', 'jack']);
          assert.equal(page.total, 3);
          assert.equal(page.filtered, 3);

          const byAddress = await store.users.list([top.uuid], {search: 'CORP.EX'});
          assert.deepEqual(usernames(byAddress.items), ['ivy']);
          assert.equal(byAddress.total, 3);
          assert.equal(byAddress.filtered, 1);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {search: 'henr'})).items), ['hank']);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {search: 'xu'})).items), ['jack']);
          assert.deepEqual(usernames((await store.users.list([top.uuid], {search: 'JAC'})).items), ['jack']);
          assert.equal((await store.users.list([top.uuid], {search: 'walker'})).filtered, 0);

          await assert.rejects(store.users.list([top.uuid], {order: 'password_hash'}), /order/);
          await assert.rejects(store.users.list([top.uuid], {order: 'name'}), /order/);
        }),
      );

      test(
        'a scope of hundreds of tenants lists exactly their users and themselves, paged in order',
        withStore(async (store) => {
          const top = await topTenant(store);
          const tenants: Tenant[] = [];
          for (let i = 0; i < 400; i += 1) tenants.push(await tenantBelow(store, top));
          for (const [i, tenant] of tenants.entries())
            await store.users.create(userOf(tenant.uuid, {username: `u${String(i).padStart(3, '0')}`, emails: [emailOf(`u${i}@wide.example`)]}), null);
          // Three tenants in four: 300, wide enough for a store to scan rather than look up.
          const scope = tenants.filter((_, i) => i % 4 !== 3);
          const users = await store.users.list(
            scope.map((t) => t.uuid),
            {limit: 3, offset: 10},
          );
          assert.equal(users.total, 300);
          assert.deepEqual(
            users.items.map((u) => u.username),
            ['u013', 'u014', 'u016'],
          );
          assert.deepEqual(
            users.items.map((u) => u.emails[0]?.address),
            ['u13@wide.example', 'u14@wide.example', 'u16@wide.example'],
          );
          const wider = [...tenants.slice(0, 300), top];
          assert.equal(
            (
              await store.users.list(
                wider.map((t) => t.uuid),
                {},
              )
            ).total,
            300,
          );
          const listed = await store.tenants.list(
            wider.map((t) => t.uuid),
            {order: 'uuid', limit: 1000},
          );
          assert.equal(listed.total, 301);
          assert.deepEqual(
            listed.items.map((t) => t.uuid),
            sorted(wider.map((t) => t.uuid)),
          );
        }),
      );

      test(
        'addPolicy links once, removePolicy unlinks, listPolicies lists the links',
        withStore(async (store) => {
          const top = await topTenant(store);
          const user = await store.users.create(userOf(top.uuid), null);
          const first = await store.policies.create(policyOf(top.uuid, {name: 'beta', slug: 'beta', description: 'phones'}));
          const second = await store.policies.create(policyOf(top.uuid, {name: 'alpha', slug: 'alpha'}));
          await store.policies.create(policyOf(top.uuid, {name: 'unlinked', slug: 'unlinked'}));

          assert.deepEqual(await store.users.listPolicies(user.uuid, {}), {total: 0, filtered: 0, items: []});
          await store.users.addPolicy(user.uuid, first.uuid);
          await store.users.addPolicy(user.uuid, first.uuid);
          await store.users.addPolicy(user.uuid, second.uuid);

          const linked = await store.users.listPolicies(user.uuid, {});
          assert.deepEqual(linked, {total: 2, filtered: 2, items: [second, first]});
          assert.deepEqual((await store.users.listPolicies(user.uuid, {direction: 'desc'})).items, [first, second]);
          const searched = await store.users.listPolicies(user.uuid, {search: 'PHONE'});
          assert.deepEqual(searched, {total: 2, filtered: 1, items: [first]});
          assert.deepEqual((await store.users.listPolicies(user.uuid, {limit: 1, offset: 1})).items, [first]);
          await assert.rejects(store.users.listPolicies(user.uuid, {order: 'acl'}), /order/);

          await store.users.removePolicy(user.uuid, first.uuid);
          await store.users.removePolicy(user.uuid, first.uuid);
          assert.deepEqual((await store.users.listPolicies(user.uuid, {})).items, [second]);
        }),
      );

      test(
        'addPolicy rejects an unknown user or policy',
        withStore(async (store) => {
          const top = await topTenant(store);
          const user = await store.users.create(userOf(top.uuid), null);
          const policy = await store.policies.create(policyOf(top.uuid));
          await assert.rejects(store.users.addPolicy(user.uuid, randomUUID()));
          await assert.rejects(store.users.addPolicy(randomUUID(), policy.uuid));
          assert.equal((await store.users.listPolicies(user.uuid, {})).total, 0);
        }),
      );

      test(
        'acl gathers the accesses of every linked policy without duplicates, keeping each policy’s order',
        withStore(async (store) => {
          const top = await topTenant(store);
          const user = await store.users.create(userOf(top.uuid), null);
          assert.deepEqual(await store.users.acl(user.uuid), []);
          const first = await store.policies.create(policyOf(top.uuid, {acl: ['x.read', 'y.#', 'x.read', '!x.secret']}));
          await store.users.addPolicy(user.uuid, first.uuid);
          assert.deepEqual(await store.users.acl(user.uuid), ['x.read', 'y.#', '!x.secret']);

          const second = await store.policies.create(policyOf(top.uuid, {acl: ['y.#', 'z.*']}));
          await store.users.addPolicy(user.uuid, second.uuid);
          const acl = await store.users.acl(user.uuid);
          assert.deepEqual(sorted(acl), sorted(['x.read', 'y.#', '!x.secret', 'z.*']));
          assert.deepEqual(await store.users.acl(user.uuid), acl, 'the order is stable');
          assert.deepEqual(await store.users.acl(randomUUID()), []);
        }),
      );
    });

    describe('policies', () => {
      test(
        'create returns the stored policy; get and getBySlug read it back within its tenant',
        withStore(async (store) => {
          const top = await topTenant(store);
          const sub = await tenantBelow(store, top);
          const wanted = policyOf(top.uuid, {
            name: 'Admins',
            slug: 'admins',
            description: 'everything',
            acl: ['#', '!auth.users.*.delete'],
            shared: true,
            configManaged: true,
          });
          assert.deepEqual(await store.policies.create(wanted), wanted);
          assert.deepEqual(await store.policies.get(wanted.uuid), wanted);
          assert.deepEqual(await store.policies.getBySlug(top.uuid, 'admins'), wanted);
          assert.equal(await store.policies.getBySlug(sub.uuid, 'admins'), undefined);
          assert.equal(await store.policies.getBySlug(top.uuid, 'nope'), undefined);
          assert.equal(await store.policies.get(randomUUID()), undefined);
        }),
      );

      test(
        'create rejects a name or a slug (in any case) taken within the tenant, not in another tenant',
        withStore(async (store) => {
          const top = await topTenant(store);
          const sub = await tenantBelow(store, top);
          await store.policies.create(policyOf(top.uuid, {name: 'Users', slug: 'users'}));
          await assert.rejects(store.policies.create(policyOf(top.uuid, {name: 'Users', slug: 'other'})), conflictOn('name'));
          await assert.rejects(store.policies.create(policyOf(top.uuid, {name: 'Other', slug: 'USERS'})), conflictOn('slug'));
          assert.equal((await store.policies.list([top.uuid], {})).total, 1);
          await store.policies.create(policyOf(sub.uuid, {name: 'Users', slug: 'users'}));
        }),
      );

      test(
        'create rejects an unknown tenant',
        withStore(async (store) => {
          await assert.rejects(store.policies.create(policyOf(randomUUID())));
        }),
      );

      test(
        'update replaces name, description, acl and shared but never slug, tenant or configManaged',
        withStore(async (store) => {
          const top = await topTenant(store);
          const sub = await tenantBelow(store, top);
          const policy = await store.policies.create(policyOf(top.uuid, {name: 'Ops', slug: 'ops', description: 'd', acl: ['a'], configManaged: true}));
          const updated = await store.policies.update({
            ...policy,
            name: 'Operations',
            description: null,
            acl: ['b', 'c'],
            shared: true,
            slug: 'changed',
            tenantUuid: sub.uuid,
            configManaged: false,
          });
          const wanted = {...policy, name: 'Operations', description: null, acl: ['b', 'c'], shared: true};
          assert.deepEqual(updated, wanted);
          assert.deepEqual(await store.policies.get(policy.uuid), wanted);
          assert.deepEqual(await store.policies.getBySlug(top.uuid, 'ops'), wanted);
        }),
      );

      test(
        'update rejects a name taken within the tenant, and an unknown policy',
        withStore(async (store) => {
          const top = await topTenant(store);
          await store.policies.create(policyOf(top.uuid, {name: 'One'}));
          const two = await store.policies.create(policyOf(top.uuid, {name: 'Two'}));
          await assert.rejects(store.policies.update({...two, name: 'One'}), conflictOn('name'));
          assert.equal((await store.policies.get(two.uuid))?.name, 'Two');
          await assert.rejects(store.policies.update(policyOf(top.uuid)));
        }),
      );

      test(
        'delete removes the policy and its user links',
        withStore(async (store) => {
          const top = await topTenant(store);
          const user = await store.users.create(userOf(top.uuid), null);
          const policy = await store.policies.create(policyOf(top.uuid, {acl: ['gone']}));
          await store.users.addPolicy(user.uuid, policy.uuid);
          assert.equal(await store.policies.delete(policy.uuid), true);
          assert.equal(await store.policies.get(policy.uuid), undefined);
          assert.deepEqual(await store.users.listPolicies(user.uuid, {}), {total: 0, filtered: 0, items: []});
          assert.deepEqual(await store.users.acl(user.uuid), []);
          assert.equal(await store.policies.delete(policy.uuid), false);
        }),
      );

      test(
        'list gives the tenants’ own policies plus the shared policies of sharedFrom tenants',
        withStore(async (store) => {
          const top = await topTenant(store);
          const sub = await tenantBelow(store, top);
          const other = await tenantBelow(store, top);
          const shared = await store.policies.create(policyOf(top.uuid, {name: 'a shared', shared: true}));
          const topOnly = await store.policies.create(policyOf(top.uuid, {name: 'b top only'}));
          const subOwn = await store.policies.create(policyOf(sub.uuid, {name: 'c sub own'}));
          await store.policies.create(policyOf(other.uuid, {name: 'd other', shared: true}));

          assert.deepEqual(await store.policies.list([sub.uuid], {sharedFrom: [top.uuid]}), {
            total: 2,
            filtered: 2,
            items: [shared, subOwn],
          });
          assert.deepEqual((await store.policies.list([sub.uuid], {})).items, [subOwn]);
          assert.deepEqual((await store.policies.list([top.uuid], {sharedFrom: [top.uuid]})).items, [shared, topOnly]);
          assert.deepEqual((await store.policies.list([], {sharedFrom: [top.uuid]})).items, [shared]);
          const searched = await store.policies.list([sub.uuid], {sharedFrom: [top.uuid], search: 'SHARED'});
          assert.deepEqual(searched, {total: 2, filtered: 1, items: [shared]});
        }),
      );

      test(
        'list searches name and description (not the slug, as upstream), orders, pages and counts',
        withStore(async (store) => {
          const top = await topTenant(store);
          const a = await store.policies.create(policyOf(top.uuid, {name: 'apple', slug: 'zz', description: 'red fruit'}));
          const b = await store.policies.create(policyOf(top.uuid, {name: 'banana', slug: 'yy', description: 'yellow'}));
          const c = await store.policies.create(policyOf(top.uuid, {name: 'cherry', slug: 'xx', description: 'also red'}));
          const list = (params: Parameters<Store['policies']['list']>[1]) => store.policies.list([top.uuid], params);

          assert.deepEqual((await list({})).items, [a, b, c]);
          assert.deepEqual((await list({order: 'slug'})).items, [c, b, a]);
          assert.deepEqual((await list({order: 'description'})).items, [c, a, b]);
          assert.deepEqual((await list({order: 'name', direction: 'desc'})).items, [c, b, a]);
          assert.deepEqual(
            (await list({order: 'uuid'})).items.map((policy) => policy.uuid),
            sorted([a.uuid, b.uuid, c.uuid]),
          );
          assert.deepEqual(await list({limit: 1, offset: 2}), {total: 3, filtered: 3, items: [c]});
          assert.deepEqual(await list({search: 'RED'}), {total: 3, filtered: 2, items: [a, c]});
          assert.deepEqual((await list({search: 'yy'})).items, []);
          assert.deepEqual((await list({search: 'nan'})).items, [b]);
          await assert.rejects(list({order: 'acl'}), /order/);
          await assert.rejects(list({order: 'name', direction: 'sideways' as 'asc'}), /direction/);
          await assert.rejects(list({limit: -1}), /limit/);
          await assert.rejects(list({offset: 1.5}), /offset/);
        }),
      );
    });

    describe('tokens', () => {
      async function userIn(store: Store): Promise<User> {
        const top = (await store.tenants.top()) ?? (await topTenant(store));
        return store.users.create(userOf(top.uuid), null);
      }

      test(
        'create stores the session and its token; findByDigest reads the token back',
        withStore(async (store) => {
          const user = await userIn(store);
          const session = sessionOf(user);
          const token = tokenOf(session, {
            pbxUserUuid: null,
            acl: ['a.#', '!a.b', 'ünïcode.*'],
            metadata: {uuid: user.uuid, nested: {list: [1, 'two', null], flag: true}},
            refreshTokenUuid: randomUUID(),
          });
          await store.tokens.create(session, token);
          assert.deepEqual(await store.tokens.findByDigest(token.digest), token);
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
          const second = sessionOf(user);
          await store.tokens.create(second, tokenOf(second));
          assert.equal(await store.tokens.countSessions(user.uuid), 2);
          assert.equal(await store.tokens.countSessions(user.uuid, 1), 1, 'counting stops at atMost');
          assert.equal(await store.tokens.findByDigest(tokenDigest(randomUUID())), undefined);
          assert.equal(await store.tokens.findByDigest(token.digest.toUpperCase()), undefined);
        }),
      );

      test(
        'create stores nothing when the token cannot be stored',
        withStore(async (store) => {
          const user = await userIn(store);
          const first = sessionOf(user);
          const token = tokenOf(first);
          await store.tokens.create(first, token);
          const second = sessionOf(user);
          await assert.rejects(store.tokens.create(second, {...tokenOf(second), digest: token.digest}));
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
          assert.equal((await store.tokens.findByDigest(token.digest))?.sessionUuid, first.uuid);
        }),
      );

      test(
        'deleteByDigest removes the token and its session and returns the token; once',
        withStore(async (store) => {
          const user = await userIn(store);
          const session = sessionOf(user);
          const token = tokenOf(session);
          const kept = sessionOf(user);
          const keptToken = tokenOf(kept);
          await store.tokens.create(session, token);
          await store.tokens.create(kept, keptToken);

          assert.deepEqual(await store.tokens.deleteByDigest(token.digest), token);
          assert.equal(await store.tokens.findByDigest(token.digest), undefined);
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
          assert.equal(await store.tokens.deleteByDigest(token.digest), undefined);
          assert.deepEqual(await store.tokens.findByDigest(keptToken.digest), keptToken);
        }),
      );

      test(
        'deleteExpired removes only tokens that expired strictly before now, with their sessions',
        withStore(async (store) => {
          const user = await userIn(store);
          const expiries = [100, 200, 299, 300, 301, 400];
          const tokens: TokenRecord[] = [];
          for (const expiresAt of expiries) {
            const session = sessionOf(user);
            const token = tokenOf(session, {issuedAt: 0, expiresAt});
            await store.tokens.create(session, token);
            tokens.push(token);
          }
          assert.deepEqual(
            (await store.tokens.deleteExpired(300, 100)).map((s) => s.uuid).sort(),
            tokens
              .slice(0, 3)
              .map((t) => t.sessionUuid)
              .sort(),
          );
          const left = [];
          for (const token of tokens) if (await store.tokens.findByDigest(token.digest)) left.push(token.expiresAt);
          assert.deepEqual(left, [300, 301, 400]);
          assert.equal(await store.tokens.countSessions(user.uuid), 3);
          assert.deepEqual(await store.tokens.deleteExpired(300, 100), []);
        }),
      );

      test(
        'deleteExpired removes at most limit tokens per call, so that callers can loop in batches',
        withStore(async (store) => {
          const user = await userIn(store);
          for (let expiresAt = 10; expiresAt <= 50; expiresAt += 10) {
            const session = sessionOf(user);
            await store.tokens.create(session, tokenOf(session, {issuedAt: 0, expiresAt}));
          }
          const live = sessionOf(user);
          await store.tokens.create(live, tokenOf(live, {issuedAt: 0, expiresAt: 1000}));
          const batches = [];
          for (;;) {
            const removed = (await store.tokens.deleteExpired(999, 2)).length;
            batches.push(removed);
            if (removed < 2) break;
          }
          assert.deepEqual(batches, [2, 2, 1]);
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
        }),
      );

      test(
        'countSessions counts the user’s stored sessions, expired or not',
        withStore(async (store) => {
          const user = await userIn(store);
          const other = await userIn(store);
          assert.equal(await store.tokens.countSessions(user.uuid), 0);
          const expired = sessionOf(user);
          await store.tokens.create(expired, tokenOf(expired, {issuedAt: 1, expiresAt: 2}));
          const live = sessionOf(user, {mobile: true});
          await store.tokens.create(live, tokenOf(live));
          const others = sessionOf(other);
          await store.tokens.create(others, tokenOf(others));
          assert.equal(await store.tokens.countSessions(user.uuid), 2);
          assert.equal(await store.tokens.countSessions(other.uuid), 1);
          assert.equal(await store.tokens.countSessions(randomUUID()), 0);
        }),
      );

      test(
        'deleteSessionsOfUser removes all the user’s sessions and tokens and returns the sessions',
        withStore(async (store) => {
          const user = await userIn(store);
          const other = await userIn(store);
          const tokens = [];
          for (const mobile of [false, true, true]) {
            const session = sessionOf(user, {mobile});
            const token = tokenOf(session);
            await store.tokens.create(session, token);
            tokens.push(token);
          }
          const othersSession = sessionOf(other);
          const othersToken = tokenOf(othersSession);
          await store.tokens.create(othersSession, othersToken);

          const removed = await store.tokens.deleteSessionsOfUser(user.uuid);
          assert.equal(removed.length, 3);
          assert.deepEqual(removed.map((s) => s.uuid).sort(), tokens.map((t) => t.sessionUuid).sort());
          assert.ok(removed.every((s) => s.userUuid === user.uuid && s.tenantUuid === user.tenantUuid));
          assert.equal(await store.tokens.countSessions(user.uuid), 0);
          for (const token of tokens) assert.equal(await store.tokens.findByDigest(token.digest), undefined);
          assert.deepEqual(await store.tokens.findByDigest(othersToken.digest), othersToken);
          assert.deepEqual(await store.tokens.deleteSessionsOfUser(user.uuid), []);
        }),
      );

      test(
        'deleteByRefreshToken removes the sessions whose token came from that refresh token',
        withStore(async (store) => {
          const user = await userIn(store);
          const refresh = await store.refreshTokens.create(refreshTokenOf(user, 'app'));
          const fromRefresh = [];
          for (let i = 0; i < 2; i++) {
            const session = sessionOf(user, {mobile: true});
            const token = tokenOf(session, {refreshTokenUuid: refresh.uuid});
            await store.tokens.create(session, token);
            fromRefresh.push(token);
          }
          const plain = sessionOf(user);
          const plainToken = tokenOf(plain);
          await store.tokens.create(plain, plainToken);

          assert.deepEqual((await store.tokens.deleteByRefreshToken(refresh.uuid)).map((s) => s.uuid).sort(), fromRefresh.map((t) => t.sessionUuid).sort());
          for (const token of fromRefresh) assert.equal(await store.tokens.findByDigest(token.digest), undefined);
          assert.deepEqual(await store.tokens.findByDigest(plainToken.digest), plainToken);
          assert.equal(await store.tokens.countSessions(user.uuid), 1);
          // The refresh token itself is not the token store's to remove.
          assert.deepEqual(await store.refreshTokens.findByDigest(refresh.digest), refresh);
          assert.deepEqual(await store.tokens.deleteByRefreshToken(refresh.uuid), []);
        }),
      );

      test(
        'deleting a refresh token leaves the tokens it produced',
        withStore(async (store) => {
          const user = await userIn(store);
          const refresh = await store.refreshTokens.create(refreshTokenOf(user, 'app'));
          const session = sessionOf(user);
          const token = tokenOf(session, {refreshTokenUuid: refresh.uuid});
          await store.tokens.create(session, token);
          assert.equal(await store.refreshTokens.deleteByClient(user.uuid, 'app'), true);
          assert.equal((await store.tokens.findByDigest(token.digest))?.digest, token.digest);
        }),
      );
    });

    describe('refresh tokens', () => {
      async function userIn(store: Store): Promise<User> {
        const top = (await store.tenants.top()) ?? (await topTenant(store));
        return store.users.create(userOf(top.uuid), null);
      }

      test(
        'create returns the stored refresh token; findByDigest and findByClient read it back',
        withStore(async (store) => {
          const user = await userIn(store);
          const wanted = refreshTokenOf(user, 'my-app', {mobile: true, createdAt: 1_700_000_123});
          assert.deepEqual(await store.refreshTokens.create(wanted), wanted);
          assert.deepEqual(await store.refreshTokens.findByDigest(wanted.digest), wanted);
          assert.deepEqual(await store.refreshTokens.findByClient(user.uuid, 'my-app'), wanted);
          assert.equal(await store.refreshTokens.findByClient(user.uuid, 'other-app'), undefined);
          assert.equal(await store.refreshTokens.findByClient(randomUUID(), 'my-app'), undefined);
          assert.equal(await store.refreshTokens.findByDigest(tokenDigest(randomUUID())), undefined);
        }),
      );

      test(
        'create rejects a second refresh token for the same user and client, not for another user',
        withStore(async (store) => {
          const user = await userIn(store);
          const other = await userIn(store);
          const first = await store.refreshTokens.create(refreshTokenOf(user, 'app'));
          await assert.rejects(store.refreshTokens.create(refreshTokenOf(user, 'app')), conflictOn('client_id'));
          assert.deepEqual(await store.refreshTokens.findByClient(user.uuid, 'app'), first);
          await store.refreshTokens.create(refreshTokenOf(other, 'app'));
        }),
      );

      test(
        'create rejects an unknown user',
        withStore(async (store) => {
          await userIn(store);
          await assert.rejects(store.refreshTokens.create(refreshTokenOf(userOf(randomUUID()), 'app')));
        }),
      );

      test(
        'deleteByClient removes that refresh token only, once',
        withStore(async (store) => {
          const user = await userIn(store);
          const gone = await store.refreshTokens.create(refreshTokenOf(user, 'gone'));
          const kept = await store.refreshTokens.create(refreshTokenOf(user, 'kept'));
          assert.equal(await store.refreshTokens.deleteByClient(user.uuid, 'gone'), true);
          assert.equal(await store.refreshTokens.findByClient(user.uuid, 'gone'), undefined);
          assert.equal(await store.refreshTokens.findByDigest(gone.digest), undefined);
          assert.deepEqual(await store.refreshTokens.findByDigest(kept.digest), kept);
          assert.equal(await store.refreshTokens.deleteByClient(user.uuid, 'gone'), false);
          // The client can get a new one.
          await store.refreshTokens.create(refreshTokenOf(user, 'gone'));
        }),
      );

      test(
        'setDigest makes the token answer to the new digest only, its other fields kept',
        withStore(async (store) => {
          const user = await userIn(store);
          const token = await store.refreshTokens.create(refreshTokenOf(user, 'app'));
          const changed = await store.refreshTokens.setDigest(token.uuid, 'f'.repeat(64));
          assert.deepEqual(changed, {...token, digest: 'f'.repeat(64)});
          assert.equal(await store.refreshTokens.findByDigest(token.digest), undefined);
          assert.deepEqual(await store.refreshTokens.findByDigest('f'.repeat(64)), changed);
          assert.equal(await store.refreshTokens.setDigest(randomUUID(), 'e'.repeat(64)), undefined);
        }),
      );

      test(
        'listByUser lists the user’s refresh tokens oldest first, the mobile or other ones when asked',
        withStore(async (store) => {
          const user = await userIn(store);
          const other = await userIn(store);
          const newest = await store.refreshTokens.create(refreshTokenOf(user, 'c', {createdAt: 300, mobile: true}));
          const oldest = await store.refreshTokens.create(refreshTokenOf(user, 'a', {createdAt: 100, mobile: true}));
          const middle = await store.refreshTokens.create(refreshTokenOf(user, 'b', {createdAt: 200}));
          await store.refreshTokens.create(refreshTokenOf(other, 'a', {createdAt: 50, mobile: true}));

          assert.deepEqual(await store.refreshTokens.listByUser(user.uuid), [oldest, middle, newest]);
          assert.deepEqual(await store.refreshTokens.listByUser(user.uuid, {mobile: true}), [oldest, newest]);
          assert.deepEqual(await store.refreshTokens.listByUser(user.uuid, {mobile: false}), [middle]);
          assert.deepEqual(await store.refreshTokens.listByUser(randomUUID()), []);
        }),
      );
    });

    describe('meta', () => {
      test(
        'setIfAbsent keeps the first value stored under a key; get reads it',
        withStore(async (store) => {
          assert.equal(await store.meta.get('instance_uuid'), undefined);
          assert.equal(await store.meta.setIfAbsent('instance_uuid', 'first'), 'first');
          assert.equal(await store.meta.setIfAbsent('instance_uuid', 'second'), 'first');
          assert.equal(await store.meta.get('instance_uuid'), 'first');
          assert.equal(await store.meta.get('other'), undefined);
        }),
      );
    });
  });
}
