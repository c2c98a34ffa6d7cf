// What every store keeps of the bus outbox, whatever its engine: each test file calls
// outboxContract() with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {ConflictError} from '../../src/domain/errors.js';
import type {Session, Tenant, TokenRecord} from '../../src/domain/types.js';
import {tokenDigest} from '../../src/store/digest.js';
import type {NewOutboxMessage, OutboxMessage, Store} from '../../src/store/store.js';

let serial = 0;
const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

function tenantOf(fields: Partial<Tenant> = {}): Tenant {
  const uuid = randomUUID();
  const n = ++serial;
  return {
    uuid,
    name: `t${n}`,
    slug: `outbox${n}`,
    parentUuid: uuid,
    contactUuid: null,
    phone: null,
    address: noAddress,
    domainNames: [],
    defaultAuthenticationMethod: 'native',
    ...fields,
  };
}

const message = (n: number): NewOutboxMessage => ({
  routingKey: `test.${n}`,
  // Keys in a deliberate, non-alphabetical order: the order is kept.
  headers: {tenant_uuid: 't', name: `event_${n}`, 'user_uuid:*': true, timestamp: '2026-12-07T08:00:00'},
  data: {n, nested: {z: 1, a: [true, null, 'é']}},
});

async function sessionExpiringAt(store: Store, tenant: Tenant, expiresAt: number): Promise<Session> {
  const userUuid = randomUUID();
  await store.users.create(
    {
      uuid: userUuid,
      tenantUuid: tenant.uuid,
      username: `u${++serial}`,
      firstname: null,
      lastname: null,
      purpose: 'user',
      enabled: true,
      authenticationMethod: 'default',
      emails: [],
    },
    null,
  );
  const session: Session = {uuid: randomUUID(), tenantUuid: tenant.uuid, userUuid, mobile: false, createdAt: 1};
  const token: TokenRecord = {
    digest: tokenDigest(randomUUID()),
    sessionUuid: session.uuid,
    authId: userUuid,
    pbxUserUuid: null,
    xivoUuid: randomUUID(),
    issuedAt: 1,
    expiresAt,
    acl: [],
    metadata: {tenant_uuid: tenant.uuid},
    userAgent: 'contract',
    remoteAddr: '10.0.0.1',
    refreshTokenUuid: null,
  };
  await store.tokens.create(session, token);
  return session;
}

export function outboxContract(name: string, open: () => Promise<Store>): void {
  const withStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };
  const drainAll = async (store: Store): Promise<OutboxMessage[]> => {
    const seen: OutboxMessage[] = [];
    while ((await store.outbox.drain(2, async (batch) => void seen.push(...batch))) > 0);
    return seen;
  };

  describe(`${name}: bus outbox`, () => {
    test(
      'atomically keeps the change and its messages together, and drain hands them out in order, headers and data as written',
      withStore(async (store) => {
        const tenant = tenantOf();
        const created = await store.outbox.atomically(
          () => store.tenants.create(tenant),
          (kept) => [message(1), {...message(2), data: {uuid: kept.uuid}}],
        );
        await store.outbox.atomically(
          async () => 'nothing',
          () => [message(3)],
        );
        assert.equal(await store.outbox.depth(), 3);
        const seen = await drainAll(store);
        assert.deepEqual(
          seen.map(({routingKey, headers, data}) => ({routingKey, headers, data})),
          [message(1), {...message(2), data: {uuid: created.uuid}}, message(3)],
        );
        assert.deepEqual(Object.keys(seen[0]!.headers), ['tenant_uuid', 'name', 'user_uuid:*', 'timestamp']);
        assert.ok(seen[0]!.id < seen[1]!.id && seen[1]!.id < seen[2]!.id);
        assert.equal(await store.outbox.depth(), 0);
      }),
    );

    test(
      'a change that fails writes no message, and leaves the change undone',
      withStore(async (store) => {
        const tenant = tenantOf();
        await store.tenants.create(tenant);
        await assert.rejects(
          store.outbox.atomically(
            () => store.tenants.create({...tenantOf(), slug: tenant.slug}),
            () => [message(1)],
          ),
          ConflictError,
        );
        assert.equal(await store.outbox.depth(), 0);
      }),
    );

    test(
      'a change that fails after writing undoes all it wrote: one transaction on both engines',
      withStore(async (store) => {
        const first = tenantOf();
        const second = tenantOf();
        await assert.rejects(
          store.outbox.atomically(
            async () => {
              await store.tenants.create(first);
              await store.tenants.create(second);
              throw new Error('change refused');
            },
            () => [message(1)],
          ),
          /change refused/,
        );
        assert.equal(await store.tenants.get(first.uuid), undefined);
        assert.equal(await store.tenants.get(second.uuid), undefined);
        assert.equal(await store.outbox.depth(), 0);
      }),
    );

    test(
      'a store call that fails within a section undoes only its own writes: the section goes on and commits',
      withStore(async (store) => {
        const taken = tenantOf();
        await store.tenants.create(taken);
        const kept = tenantOf();
        const outcome = await store.outbox.atomically(
          async () => {
            const refused = await store.tenants.create({...tenantOf(), slug: taken.slug}).then(
              () => false,
              (error: unknown) => error instanceof ConflictError,
            );
            await store.tenants.create(kept);
            return refused;
          },
          () => [message(1)],
        );
        assert.equal(outcome, true);
        assert.ok(await store.tenants.get(kept.uuid));
        assert.deepEqual(
          (await drainAll(store)).map((m) => m.routingKey),
          ['test.1'],
        );
      }),
    );

    test(
      'queries made outside a section while it is open do not join it',
      withStore(async (store) => {
        const inside = tenantOf();
        const outside = tenantOf();
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let entered!: () => void;
        const ready = new Promise<void>((resolve) => (entered = resolve));
        const section = store.outbox.atomically(
          async () => {
            await store.tenants.create(inside);
            entered();
            await held;
            throw new Error('rolled back');
          },
          () => [message(1)],
        );
        await ready;
        // Another request's write: SQLite runs it once the section ends, PostgreSQL on another connection.
        const other = store.tenants.create(outside);
        release();
        await assert.rejects(section, /rolled back/);
        await other;
        assert.equal(await store.tenants.get(inside.uuid), undefined);
        assert.ok(await store.tenants.get(outside.uuid));
      }),
    );

    test(
      'a publish that fails removes nothing: the same messages come again',
      withStore(async (store) => {
        await store.outbox.atomically(
          async () => undefined,
          () => [message(1), message(2)],
        );
        await assert.rejects(
          store.outbox.drain(10, async () => Promise.reject(new Error('broker away'))),
          /broker away/,
        );
        assert.equal(await store.outbox.depth(), 2);
        assert.deepEqual(
          (await drainAll(store)).map((m) => m.routingKey),
          ['test.1', 'test.2'],
        );
      }),
    );

    test(
      'concurrent atomic sections each keep their own messages',
      withStore(async (store) => {
        const tenants = Array.from({length: 8}, () => tenantOf());
        await Promise.all(
          tenants.map((tenant, i) =>
            store.outbox.atomically(
              () => store.tenants.create(tenant),
              () => [message(i)],
            ),
          ),
        );
        assert.deepEqual((await drainAll(store)).map((m) => m.routingKey).sort(), tenants.map((_, i) => `test.${i}`).sort());
        for (const tenant of tenants) assert.ok(await store.tenants.get(tenant.uuid));
      }),
    );

    test(
      'trim drops the messages older than the date given and the oldest beyond the count kept',
      withStore(async (store) => {
        for (let i = 1; i <= 5; i++)
          await store.outbox.atomically(
            async () => undefined,
            () => [message(i)],
          );
        assert.equal(await store.outbox.trim(0, 3), 2);
        assert.deepEqual(
          (await drainAll(store)).map((m) => m.routingKey),
          ['test.3', 'test.4', 'test.5'],
        );
        await store.outbox.atomically(
          async () => undefined,
          () => [message(6)],
        );
        assert.equal(await store.outbox.trim(Date.now() + 60_000, 100), 1);
        assert.equal(await store.outbox.depth(), 0);
      }),
    );

    test(
      'noticeExpiring marks each session expiring in the window once, with its messages',
      withStore(async (store) => {
        const tenant = tenantOf();
        await store.tenants.create(tenant);
        const soon = await sessionExpiringAt(store, tenant, 1_000);
        const later = await sessionExpiringAt(store, tenant, 2_000);
        await sessionExpiringAt(store, tenant, 500); // already expired at 900
        const make = (sessions: {sessionUuid: string}[]) => sessions.map((s, i) => ({...message(i), data: {uuid: s.sessionUuid}}));
        const first = await store.outbox.noticeExpiring(900, 1_060, 100, make);
        assert.deepEqual(first, [{sessionUuid: soon.uuid, tenantUuid: tenant.uuid, userUuid: soon.userUuid}]);
        assert.deepEqual(await store.outbox.noticeExpiring(950, 1_110, 100, make), [], 'told once');
        assert.deepEqual(
          (await drainAll(store)).map((m) => m.data),
          [{uuid: soon.uuid}],
        );
        const second = await store.outbox.noticeExpiring(1_950, 2_010, 100, make);
        assert.deepEqual(
          second.map((s) => s.sessionUuid),
          [later.uuid],
        );
        assert.equal(await store.outbox.forgetNotices(1_500), 1);
        assert.equal(await store.outbox.forgetNotices(1_500), 0);
      }),
    );
  });
}
