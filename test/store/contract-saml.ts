// What every store keeps of SAML, whatever its engine: each test file calls samlContract() with a
// function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {ConflictError} from '../../src/domain/errors.js';
import type {SamlSession, Store} from '../../src/store/store.js';

let n = 0;

async function tenantWithDomain(store: Store, domain: string): Promise<{tenantUuid: string; domainUuid: string}> {
  const uuid = randomUUID();
  const i = ++n;
  await store.tenants.create({
    uuid,
    name: `saml ${i}`,
    slug: `saml${i}`,
    parentUuid: uuid,
    contactUuid: null,
    phone: null,
    address: {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null},
    domainNames: [domain],
  });
  const [first] = await store.tenants.domains(uuid);
  return {tenantUuid: uuid, domainUuid: first!.uuid};
}

function sessionOf(tenantUuid: string, fields: Partial<SamlSession> = {}): SamlSession {
  return {
    requestId: `_${randomUUID()}`,
    relayState: randomUUID(),
    tenantUuid,
    domain: 'example.com',
    redirectUrl: 'https://app.example.com/',
    state: 'pending',
    createdAt: 1_000,
    expiresAt: 601_000,
    login: null,
    nameId: null,
    nameIdFormat: null,
    nameQualifier: null,
    spNameQualifier: null,
    sessionIndex: null,
    tokenSessionUuid: null,
    refreshTokenUuid: null,
    logoutRequestId: null,
    ...fields,
  };
}

export function samlContract(name: string, open: () => Promise<Store>): void {
  const withStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };

  describe(`${name}: saml`, () => {
    test(
      'a configuration per tenant: created, found by its domain in any case, updated, deleted',
      withStore(async (store) => {
        const {tenantUuid, domainUuid} = await tenantWithDomain(store, 'Example.com');
        const config = {tenantUuid, domainUuid, entityId: 'wazo', idpMetadata: '<md:EntityDescriptor/>', acsUrl: 'https://stack/acs'};
        assert.deepEqual(await store.samlConfigs.create(config), config);
        await assert.rejects(store.samlConfigs.create(config), (e: unknown) => e instanceof ConflictError);
        assert.deepEqual(await store.samlConfigs.get(tenantUuid), config);
        assert.deepEqual(await store.samlConfigs.findByDomainName('EXAMPLE.COM'), {...config, domainName: 'Example.com'});
        assert.equal(await store.samlConfigs.findByDomainName('other.com'), undefined);
        const changed = {...config, entityId: 'wazo-2'};
        assert.deepEqual(await store.samlConfigs.update(changed), changed);
        assert.equal(await store.samlConfigs.update({...changed, tenantUuid: randomUUID()}), undefined);
        assert.equal(await store.samlConfigs.delete(tenantUuid), true);
        assert.equal(await store.samlConfigs.delete(tenantUuid), false);
        assert.equal(await store.samlConfigs.get(tenantUuid), undefined);
      }),
    );

    test(
      "a tenant's deletion takes its configuration and sessions",
      withStore(async (store) => {
        const {tenantUuid, domainUuid} = await tenantWithDomain(store, 'gone.example.com');
        await store.samlConfigs.create({tenantUuid, domainUuid, entityId: 'e', idpMetadata: '<x/>', acsUrl: 'https://a'});
        const session = sessionOf(tenantUuid);
        await store.samlSessions.create(session);
        assert.equal(await store.tenants.delete(tenantUuid), 'deleted');
        assert.equal(await store.samlConfigs.get(tenantUuid), undefined);
        assert.equal(await store.samlSessions.findByRelayState(session.relayState), undefined);
      }),
    );

    test(
      'a transition happens once, from its state only, and not once expired',
      withStore(async (store) => {
        const {tenantUuid} = await tenantWithDomain(store, 'flow.example.com');
        const session = sessionOf(tenantUuid);
        await store.samlSessions.create(session);
        assert.deepEqual(await store.samlSessions.findByRelayState(session.relayState), session);
        const racing = await Promise.all(
          Array.from({length: 8}, () => store.samlSessions.transition(session.requestId, 'pending', 2_000, {state: 'checking'})),
        );
        assert.equal(racing.filter(Boolean).length, 1, 'one winner');
        const checked = await store.samlSessions.transition(session.requestId, 'checking', 2_000, {
          state: 'authenticated',
          login: 'alice@example.com',
          nameId: 'n1',
          sessionIndex: '_s',
        });
        assert.deepEqual(checked, {...session, state: 'authenticated', login: 'alice@example.com', nameId: 'n1', sessionIndex: '_s'});
        assert.equal(await store.samlSessions.transition(session.requestId, 'authenticated', 601_000, {state: 'used'}), undefined, 'expired');
        const token = randomUUID();
        const used = await store.samlSessions.transition(session.requestId, 'authenticated', 600_999, {
          state: 'used',
          tokenSessionUuid: token,
          expiresAt: 9_000_000,
        });
        assert.equal(used?.state, 'used');
        assert.equal((await store.samlSessions.findExchanged(token, null))?.requestId, session.requestId);
        assert.equal(await store.samlSessions.findExchanged(randomUUID(), null), undefined);
      }),
    );

    test(
      'exchanged sessions are found by refresh token, newest first; expired ones are deleted in batches',
      withStore(async (store) => {
        const {tenantUuid} = await tenantWithDomain(store, 'rt.example.com');
        const refresh = randomUUID();
        const older = sessionOf(tenantUuid, {state: 'used', refreshTokenUuid: refresh, createdAt: 1, expiresAt: 5_000});
        const newer = sessionOf(tenantUuid, {state: 'used', refreshTokenUuid: refresh, createdAt: 2, expiresAt: 6_000});
        const pending = sessionOf(tenantUuid, {refreshTokenUuid: refresh, createdAt: 3, expiresAt: 7_000});
        for (const s of [older, newer, pending]) await store.samlSessions.create(s);
        assert.equal((await store.samlSessions.findExchanged(randomUUID(), refresh))?.requestId, newer.requestId);
        assert.equal(await store.samlSessions.deleteExpired(6_000, 1), 1);
        assert.equal(await store.samlSessions.deleteExpired(6_000, 10), 1);
        assert.equal(await store.samlSessions.findByRelayState(older.relayState), undefined);
        assert.ok(await store.samlSessions.findByRelayState(pending.relayState));
        assert.equal(await store.samlSessions.delete(pending.requestId), true);
        assert.equal(await store.samlSessions.delete(pending.requestId), false);
      }),
    );

    test(
      'a confirmed e-mail address names its user, in any case; an unconfirmed one does not',
      withStore(async (store) => {
        const {tenantUuid} = await tenantWithDomain(store, 'mail.example.com');
        const user = await store.users.create(
          {
            uuid: randomUUID(),
            tenantUuid,
            username: 'alice',
            firstname: null,
            lastname: null,
            purpose: 'user',
            enabled: true,
            authenticationMethod: 'saml',
            emails: [
              {uuid: randomUUID(), address: 'Alice@Example.com', main: true, confirmed: true},
              {uuid: randomUUID(), address: 'alice@example.org', main: false, confirmed: false},
            ],
          },
          null,
        );
        assert.equal(await store.samlSessions.userByConfirmedEmail('alice@EXAMPLE.com'), user.uuid);
        assert.equal(await store.samlSessions.userByConfirmedEmail('alice@example.org'), undefined);
      }),
    );
  });
}
