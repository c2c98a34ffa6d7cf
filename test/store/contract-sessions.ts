// What every Store implementation must show for session listings and scoped deletions,
// refresh-token listings and e-mail replacement; each implementation's test file calls it.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {tokenDigest} from '../../src/store/digest.js';
import {type Session, type Tenant, type TokenRecord, type User} from '../../src/domain/types.js';
import {ConflictError} from '../../src/domain/errors.js';
import {type Store} from '../../src/store/store.js';

let serial = 0;
const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

async function tenant(store: Store, parent?: Tenant): Promise<Tenant> {
  const uuid = randomUUID();
  const n = ++serial;
  return store.tenants.create({
    uuid,
    name: `tenant ${n}`,
    slug: `s${n}`,
    parentUuid: parent?.uuid ?? uuid,
    contactUuid: null,
    phone: null,
    address: noAddress,
    domainNames: [],
  });
}

async function user(store: Store, owner: Tenant, fields: Partial<User> = {}): Promise<User> {
  return store.users.create(
    {
      uuid: randomUUID(),
      tenantUuid: owner.uuid,
      username: `someone${++serial}`,
      firstname: null,
      lastname: null,
      purpose: 'user',
      enabled: true,
      authenticationMethod: 'default',
      emails: [],
      ...fields,
    },
    null,
  );
}

/** Opens a session with its token; returns both, the token's value aside. */
async function login(
  store: Store,
  who: User,
  fields: {mobile?: boolean; createdAt?: number; expiresAt?: number; remoteAddr?: string; userAgent?: string} = {},
): Promise<{session: Session; token: TokenRecord}> {
  const createdAt = fields.createdAt ?? 1_700_000_000;
  const session: Session = {uuid: randomUUID(), tenantUuid: who.tenantUuid, userUuid: who.uuid, mobile: fields.mobile ?? false, createdAt};
  const token: TokenRecord = {
    digest: tokenDigest(randomUUID()),
    sessionUuid: session.uuid,
    authId: who.uuid,
    pbxUserUuid: who.uuid,
    xivoUuid: randomUUID(),
    issuedAt: createdAt,
    expiresAt: fields.expiresAt ?? createdAt + 3600,
    acl: [],
    metadata: {uuid: who.uuid, tenant_uuid: who.tenantUuid},
    userAgent: fields.userAgent ?? 'contract-agent',
    remoteAddr: fields.remoteAddr ?? '10.0.0.1',
    refreshTokenUuid: null,
  };
  await store.tokens.create(session, token);
  return {session, token};
}

async function refreshToken(store: Store, who: User, clientId: string, fields: {mobile?: boolean; createdAt?: number} = {}) {
  return store.refreshTokens.create({
    uuid: randomUUID(),
    digest: tokenDigest(randomUUID()),
    clientId,
    userUuid: who.uuid,
    backend: 'wazo_user',
    login: who.username ?? 'someone',
    userAgent: 'contract-agent',
    remoteAddr: '10.0.0.1',
    mobile: fields.mobile ?? false,
    createdAt: fields.createdAt ?? 1_700_000_000,
  });
}

const uuidsOf = (items: {uuid: string}[]) => items.map((item) => item.uuid);

export function sessionsContract(name: string, open: () => Promise<Store>): void {
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

  describe(`store contract, sessions and e-mails: ${name}`, () => {
    describe('sessions', () => {
      test(
        'a listing shows the sessions of the given tenants with their token details, oldest first',
        withStore(async (store) => {
          const top = await tenant(store);
          const sub = await tenant(store, top);
          const alice = await user(store, top);
          const bob = await user(store, sub);
          const late = await login(store, alice, {createdAt: 1_700_000_100, mobile: true, remoteAddr: '10.9.9.9', userAgent: 'phone'});
          const early = await login(store, alice, {createdAt: 1_700_000_000, expiresAt: 1_700_009_999});
          const other = await login(store, bob);

          const mine = await store.tokens.listSessions({tenantUuids: [top.uuid]}, {});
          assert.equal(mine.total, 2);
          assert.equal(mine.filtered, 2);
          assert.deepEqual(uuidsOf(mine.items), [early.session.uuid, late.session.uuid]);
          assert.deepEqual(mine.items[0], {...early.session, expiresAt: 1_700_009_999, remoteAddr: '10.0.0.1', userAgent: 'contract-agent'});
          assert.deepEqual(mine.items[1], {...late.session, expiresAt: 1_700_003_700, remoteAddr: '10.9.9.9', userAgent: 'phone'});

          const both = await store.tokens.listSessions({tenantUuids: [top.uuid, sub.uuid]}, {});
          assert.deepEqual(new Set(uuidsOf(both.items)), new Set([early.session.uuid, late.session.uuid, other.session.uuid]));
          assert.equal((await store.tokens.listSessions({tenantUuids: []}, {})).total, 0);
        }),
      );

      test(
        'a listing narrows to one user, searches, orders and pages',
        withStore(async (store) => {
          const top = await tenant(store);
          const alice = await user(store, top);
          const bob = await user(store, top);
          const a1 = await login(store, alice, {createdAt: 100, expiresAt: 900, userAgent: 'Firefox/120'});
          const a2 = await login(store, alice, {createdAt: 200, expiresAt: 300, mobile: true, remoteAddr: '192.168.1.7'});
          const b1 = await login(store, bob, {createdAt: 300, expiresAt: 600});
          const scope = {tenantUuids: [top.uuid]};

          const ofAlice = await store.tokens.listSessions({...scope, userUuid: alice.uuid}, {});
          assert.deepEqual(uuidsOf(ofAlice.items), [a1.session.uuid, a2.session.uuid]);
          assert.equal(ofAlice.total, 2);

          const firefox = await store.tokens.listSessions(scope, {search: 'fireFOX'});
          assert.deepEqual([firefox.total, firefox.filtered, uuidsOf(firefox.items)], [3, 1, [a1.session.uuid]]);
          assert.deepEqual(uuidsOf((await store.tokens.listSessions(scope, {search: '168.1'})).items), [a2.session.uuid]);
          assert.deepEqual(uuidsOf((await store.tokens.listSessions(scope, {search: bob.uuid.slice(0, 13).toUpperCase()})).items), [b1.session.uuid]);

          const byExpiry = await store.tokens.listSessions(scope, {order: 'expires_at', direction: 'desc'});
          assert.deepEqual(uuidsOf(byExpiry.items), [a1.session.uuid, b1.session.uuid, a2.session.uuid]);
          const mobileFirst = await store.tokens.listSessions(scope, {order: 'mobile', direction: 'desc', limit: 1});
          assert.deepEqual(uuidsOf(mobileFirst.items), [a2.session.uuid]);
          const page = await store.tokens.listSessions(scope, {order: 'created_at', limit: 1, offset: 1});
          assert.deepEqual([page.total, page.filtered, uuidsOf(page.items)], [3, 3, [a2.session.uuid]]);
        }),
      );

      test(
        'deleting a session removes its token, only within the scope',
        withStore(async (store) => {
          const top = await tenant(store);
          const sub = await tenant(store, top);
          const alice = await user(store, top);
          const bob = await user(store, sub);
          const ofAlice = await login(store, alice);
          const ofBob = await login(store, bob);

          assert.equal(await store.tokens.deleteSession(ofAlice.session.uuid, {tenantUuids: [sub.uuid]}), undefined);
          assert.equal(await store.tokens.deleteSession(ofAlice.session.uuid, {tenantUuids: [top.uuid], userUuid: bob.uuid}), undefined);
          assert.equal(await store.tokens.deleteSession(randomUUID(), {tenantUuids: [top.uuid]}), undefined);
          assert.ok(await store.tokens.findByDigest(ofAlice.token.digest), 'left alone');

          assert.deepEqual(await store.tokens.deleteSession(ofAlice.session.uuid, {tenantUuids: [top.uuid], userUuid: alice.uuid}), ofAlice.session);
          assert.equal(await store.tokens.findByDigest(ofAlice.token.digest), undefined);
          assert.equal(await store.tokens.countSessions(alice.uuid), 0);
          assert.deepEqual(await store.tokens.deleteSession(ofBob.session.uuid, {tenantUuids: [top.uuid, sub.uuid]}), ofBob.session);
          assert.equal(await store.tokens.findByDigest(ofBob.token.digest), undefined);
        }),
      );
    });

    describe('refresh token listings', () => {
      test(
        'lists the tokens of the users of the given tenants, with their tenant and without digest',
        withStore(async (store) => {
          const top = await tenant(store);
          const sub = await tenant(store, top);
          const alice = await user(store, top);
          const bob = await user(store, sub);
          const own = await refreshToken(store, alice, 'app', {createdAt: 5});
          await refreshToken(store, bob, 'app', {createdAt: 6});

          const mine = await store.refreshTokens.list({tenantUuids: [top.uuid]}, {});
          assert.equal(mine.total, 1);
          const {digest: _digest, ...listed} = own;
          assert.deepEqual(mine.items, [{...listed, tenantUuid: top.uuid}]);
          assert.equal('digest' in mine.items[0]!, false);

          const all = await store.refreshTokens.list({tenantUuids: [top.uuid, sub.uuid]}, {});
          assert.deepEqual(
            all.items.map((t) => t.tenantUuid),
            [top.uuid, sub.uuid],
          );
          assert.equal((await store.refreshTokens.list({tenantUuids: [top.uuid, sub.uuid], userUuid: bob.uuid}, {})).total, 1);
          assert.equal((await store.refreshTokens.list({tenantUuids: [sub.uuid], userUuid: alice.uuid}, {})).total, 0);
        }),
      );

      test(
        'exact filters and the search count in filtered, not in total; orders and pages',
        withStore(async (store) => {
          const top = await tenant(store);
          const alice = await user(store, top);
          await refreshToken(store, alice, 'Desk-App', {createdAt: 30});
          await refreshToken(store, alice, 'phone-app', {createdAt: 10, mobile: true});
          await refreshToken(store, alice, 'cli', {createdAt: 20});
          const scope = {tenantUuids: [top.uuid]};
          const clients = async (filter: object, params: object = {}) => {
            const r = await store.refreshTokens.list({...scope, ...filter}, params);
            return [r.total, r.filtered, r.items.map((t) => t.clientId)];
          };

          assert.deepEqual(await clients({}), [3, 3, ['phone-app', 'cli', 'Desk-App']]);
          assert.deepEqual(await clients({mobile: true}), [3, 1, ['phone-app']]);
          assert.deepEqual(await clients({mobile: false}, {order: 'client_id'}), [3, 2, ['cli', 'Desk-App']]);
          assert.deepEqual(await clients({clientId: 'cli'}), [3, 1, ['cli']]);
          assert.deepEqual(await clients({clientId: 'CLI'}), [3, 0, []]);
          assert.deepEqual(await clients({createdAt: 30}), [3, 1, ['Desk-App']]);
          assert.deepEqual(await clients({}, {search: 'APP'}), [3, 2, ['phone-app', 'Desk-App']]);
          assert.deepEqual(await clients({mobile: false}, {search: 'app'}), [3, 1, ['Desk-App']]);
          assert.deepEqual(await clients({}, {order: 'created_at', direction: 'desc', limit: 2, offset: 1}), [3, 3, ['cli', 'phone-app']]);
          assert.deepEqual(await clients({}, {order: 'mobile', direction: 'desc', limit: 1}), [3, 3, ['phone-app']]);
        }),
      );
    });

    describe('e-mail addresses', () => {
      test(
        'setEmails replaces the whole list; a confirmed address becomes a login',
        withStore(async (store) => {
          const top = await tenant(store);
          const alice = await user(store, top, {emails: [{uuid: randomUUID(), address: 'old@example.com', main: true, confirmed: true}]});
          assert.equal((await store.users.findByLogin('old@example.com'))?.user.uuid, alice.uuid);

          const kept = {uuid: randomUUID(), address: 'Alice@Example.com', main: true, confirmed: true};
          const pending = {uuid: randomUUID(), address: 'pending@example.com', main: false, confirmed: false};
          await store.users.setEmails(alice.uuid, [kept, pending]);
          assert.deepEqual((await store.users.get(alice.uuid))?.emails, [kept, pending]);
          assert.equal(await store.users.findByLogin('old@example.com'), undefined);
          assert.equal((await store.users.findByLogin('alice@EXAMPLE.com'))?.user.uuid, alice.uuid);
          assert.equal(await store.users.findByLogin('pending@example.com'), undefined);

          await store.users.setEmails(alice.uuid, []);
          assert.deepEqual((await store.users.get(alice.uuid))?.emails, []);
        }),
      );

      test(
        "another user's address, whatever its case, is a ConflictError that changes nothing",
        withStore(async (store) => {
          const top = await tenant(store);
          const taken = {uuid: randomUUID(), address: 'taken@example.com', main: true, confirmed: false};
          await user(store, top, {emails: [taken]});
          const first = {uuid: randomUUID(), address: 'mine@example.com', main: true, confirmed: false};
          const bob = await user(store, top, {emails: [first]});

          const attempt = [
            {uuid: randomUUID(), address: 'fine@example.com', main: true, confirmed: false},
            {uuid: randomUUID(), address: 'TAKEN@example.com', main: false, confirmed: false},
          ];
          await assert.rejects(store.users.setEmails(bob.uuid, attempt), (error: unknown) => {
            assert.ok(error instanceof ConflictError);
            assert.equal(error.field, 'email');
            assert.equal(error.value, 'TAKEN@example.com');
            return true;
          });
          assert.deepEqual((await store.users.get(bob.uuid))?.emails, [first]);
        }),
      );
    });
  });
}
