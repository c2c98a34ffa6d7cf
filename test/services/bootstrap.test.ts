// The first administrator and its master policy, on a real SQLite store: upstream's slug, an
// ordinary policy of the top tenant as upstream's, adopted from our older bootstrap's slug,
// restored by each run. (That the API cannot change it: test/daemon/bootstrap.test.ts.)

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {bootstrapAdmin, bootstrapOnStartup, LEGACY_ADMIN_POLICY_SLUG, MASTER_POLICY_SLUG} from '../../src/services/bootstrap.js';
import {ensureTopTenant} from '../../src/services/tenants.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import type {Store} from '../../src/store/store.js';

let dir: string;
let store: Store;
let top: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-bootstrap-'));
  store = await openSqliteStore(join(dir, 'auth.db'));
  top = (await ensureTopTenant(store)).uuid;
});
after(async () => {
  await store.close();
  rmSync(dir, {recursive: true, force: true});
});

const policiesOf = async (userUuid: string) => (await store.users.listPolicies(userUuid, {})).items.map((p) => p.slug);

test("the administrator holds upstream's master policy: every access, in the top tenant", async () => {
  const {uuid, created} = await bootstrapAdmin(store, 'first-admin', 'pass-1');
  assert.equal(created, true);
  const policy = (await store.policies.getBySlug(top, MASTER_POLICY_SLUG))!;
  assert.deepEqual([policy.name, policy.acl, policy.configManaged, policy.shared], [MASTER_POLICY_SLUG, ['#'], false, false]);
  assert.deepEqual(await policiesOf(uuid), [MASTER_POLICY_SLUG]);
  assert.equal((await store.users.get(uuid))!.purpose, 'internal');
});

test('run again, it restores a policy whose ACL was changed and the hold the user lost', async () => {
  const {uuid} = await bootstrapAdmin(store, 'first-admin', 'pass-1');
  const policy = (await store.policies.getBySlug(top, MASTER_POLICY_SLUG))!;
  await store.policies.update({...policy, acl: ['auth.users.read']});
  await store.users.removePolicy(uuid, policy.uuid);
  const again = await bootstrapAdmin(store, 'first-admin', 'pass-2');
  assert.deepEqual(again, {uuid, created: false});
  const restored = (await store.policies.getBySlug(top, MASTER_POLICY_SLUG))!;
  assert.equal(restored.uuid, policy.uuid);
  assert.deepEqual(restored.acl, ['#']);
  assert.deepEqual(await policiesOf(uuid), [MASTER_POLICY_SLUG]);
});

test("our older bootstrap's policy becomes the master policy in place: its holders keep it", async () => {
  const legacyDir = mkdtempSync(join(tmpdir(), 'wazo-auth-bootstrap-legacy-'));
  const legacyStore = await openSqliteStore(join(legacyDir, 'auth.db'));
  try {
    const tenant = (await ensureTopTenant(legacyStore)).uuid;
    const legacy = await legacyStore.policies.create({
      uuid: randomUUID(),
      tenantUuid: tenant,
      name: LEGACY_ADMIN_POLICY_SLUG,
      slug: LEGACY_ADMIN_POLICY_SLUG,
      description: null,
      acl: ['#'],
      shared: false,
      configManaged: false,
    });
    const old = await bootstrapAdmin(legacyStore, 'old-admin', 'pw', {policySlug: LEGACY_ADMIN_POLICY_SLUG});
    const {uuid} = await bootstrapAdmin(legacyStore, 'old-admin', 'pw2');
    assert.equal(uuid, old.uuid);
    const adopted = (await legacyStore.policies.getBySlug(tenant, MASTER_POLICY_SLUG))!;
    assert.equal(adopted.uuid, legacy.uuid);
    assert.equal(adopted.name, MASTER_POLICY_SLUG);
    assert.equal(await legacyStore.policies.getBySlug(tenant, LEGACY_ADMIN_POLICY_SLUG), undefined);
    assert.deepEqual(await (async () => (await legacyStore.users.listPolicies(uuid, {})).items.map((p) => p.slug))(), [MASTER_POLICY_SLUG]);
  } finally {
    await legacyStore.close();
    rmSync(legacyDir, {recursive: true, force: true});
  }
});

test('another policy slug gives that policy, untouched; an unknown one is refused', async () => {
  const other = await store.policies.create({
    uuid: randomUUID(),
    tenantUuid: top,
    name: 'readers',
    slug: 'readers',
    description: null,
    acl: ['auth.users.read'],
    shared: false,
    configManaged: false,
  });
  const {uuid} = await bootstrapAdmin(store, 'reader', 'pw', {policySlug: 'readers', purpose: 'user'});
  assert.deepEqual(await policiesOf(uuid), ['readers']);
  assert.deepEqual((await store.policies.get(other.uuid))!.acl, ['auth.users.read']);
  assert.equal((await store.users.get(uuid))!.purpose, 'user');
  await assert.rejects(bootstrapAdmin(store, 'nobody', 'pw', {policySlug: 'no-such-policy'}), {name: 'UnknownPolicy'});
  assert.equal(await store.users.findByLogin('nobody'), undefined);
});

test('on start: created once, then unchanged; a password changed since is kept', async () => {
  assert.equal(await bootstrapOnStartup(store, 'boot-user', 'start-pass'), 'created');
  assert.equal(await bootstrapOnStartup(store, 'boot-user', 'start-pass'), 'unchanged');
  const before = (await store.users.findByLogin('boot-user'))!.passwordHash;
  assert.equal(await bootstrapOnStartup(store, 'boot-user', 'another-pass'), 'kept');
  assert.equal((await store.users.findByLogin('boot-user'))!.passwordHash, before);
});
