// The first administrator, as upstream's wazo-auth-bootstrap makes it: the top tenant if there is
// none, the master policy (upstream's slug, granting everything, a policy of the top tenant that
// the API cannot change: src/services/policies.ts), and the user holding it. Run again, it changes
// the password and restores the policy and the user's hold on it.

import {randomUUID} from 'node:crypto';
import type {Policy, Purpose} from '../domain/types.js';
import {UnknownPolicy} from '../domain/errors.js';
import type {Store} from '../store/store.js';
import {Passwords} from './passwords.js';
import {ensureTopTenant} from './tenants.js';

/** Upstream's: the policy wazo-auth-bootstrap gives its user. */
export const MASTER_POLICY_SLUG = 'wazo_default_master_user_policy';
/** The slug our bootstrap gave that policy before it followed upstream. */
export const LEGACY_ADMIN_POLICY_SLUG = 'wazo_auth_bootstrap_admin';
const MASTER_ACL = ['#'];
const MASTER_DESCRIPTION = 'Every access, for the administrator made by bootstrap. Read-only through the API; restored by each bootstrap.';

export interface BootstrapOptions {
  /** Upstream's default: internal. */
  purpose?: Purpose;
  /** Another policy of the top tenant to give instead of the master policy; it must exist and is left as it is. */
  policySlug?: string;
  /** A running daemon's (`services.passwords`), so that the hash has its cost; by default, the default cost. */
  passwords?: Passwords;
}

/**
 * Makes the policy our older bootstrap created upstream's master policy, in place: its uuid, and
 * so every user and group holding it, are kept. Nothing when there is none, or when the master
 * policy exists already.
 */
export async function adoptLegacyAdminPolicy(store: Store, topUuid: string): Promise<void> {
  if (await store.policies.getBySlug(topUuid, MASTER_POLICY_SLUG)) return;
  const legacy = await store.policies.getBySlug(topUuid, LEGACY_ADMIN_POLICY_SLUG);
  if (legacy) await store.policies.rename(legacy.uuid, MASTER_POLICY_SLUG);
}

/** The master policy as it must be: created, adopted from its old slug, or restored. */
export async function restoreMasterPolicy(store: Store, topUuid: string): Promise<Policy> {
  await adoptLegacyAdminPolicy(store, topUuid);
  const existing = await store.policies.getBySlug(topUuid, MASTER_POLICY_SLUG);
  if (!existing) {
    return store.policies.create({
      uuid: randomUUID(),
      tenantUuid: topUuid,
      name: MASTER_POLICY_SLUG,
      slug: MASTER_POLICY_SLUG,
      description: MASTER_DESCRIPTION,
      acl: MASTER_ACL,
      shared: false,
      configManaged: false,
    });
  }
  return store.policies.update({...existing, name: MASTER_POLICY_SLUG, description: MASTER_DESCRIPTION, acl: MASTER_ACL, shared: false});
}

async function policyToGive(store: Store, topUuid: string, slug: string): Promise<Policy> {
  if (slug === MASTER_POLICY_SLUG) return restoreMasterPolicy(store, topUuid);
  const policy = await store.policies.getBySlug(topUuid, slug);
  if (!policy) throw new UnknownPolicy(slug);
  return policy;
}

/** Creates the administrator, or sets its password; either way it holds its policy afterwards. */
export async function bootstrapAdmin(
  store: Store,
  username: string,
  password: string,
  options: BootstrapOptions = {},
): Promise<{uuid: string; created: boolean}> {
  const passwordHash = await (options.passwords ?? new Passwords()).hash(password);
  const top = await ensureTopTenant(store);
  const policy = await policyToGive(store, top.uuid, options.policySlug ?? MASTER_POLICY_SLUG);
  const existing = await store.users.findByLogin(username);
  if (existing) {
    await store.users.setPasswordHash(existing.user.uuid, passwordHash);
    await store.users.addPolicy(existing.user.uuid, policy.uuid);
    return {uuid: existing.user.uuid, created: false};
  }
  const user = await store.users.create(
    {
      uuid: randomUUID(),
      tenantUuid: top.uuid,
      username,
      firstname: null,
      lastname: null,
      purpose: options.purpose ?? 'internal',
      enabled: true,
      authenticationMethod: 'native',
      emails: [],
    },
    passwordHash,
  );
  await store.users.addPolicy(user.uuid, policy.uuid);
  return {uuid: user.uuid, created: true};
}

/**
 * `bootstrap_user_on_startup`, as upstream: the user is created when missing and left alone when
 * its password is the configured one. A user of that name with another password is not changed
 * (someone changed it since): 'kept', for the daemon to say so.
 */
export async function bootstrapOnStartup(
  store: Store,
  username: string,
  password: string,
  options: BootstrapOptions = {},
): Promise<'created' | 'unchanged' | 'kept'> {
  const existing = await store.users.findByLogin(username);
  if (!existing) {
    await bootstrapAdmin(store, username, password, options);
    return 'created';
  }
  if (!(await (options.passwords ?? new Passwords()).verify(password, existing.passwordHash)).ok) return 'kept';
  const top = await ensureTopTenant(store);
  await store.users.addPolicy(existing.user.uuid, (await policyToGive(store, top.uuid, options.policySlug ?? MASTER_POLICY_SLUG)).uuid);
  return 'unchanged';
}
