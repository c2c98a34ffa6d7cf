// Creates the first administrator directly in the database: the top tenant if there is none,
// a policy granting everything, and the user. Run again, it only changes the password.

import {randomUUID} from 'node:crypto';
import type {Store} from '../store/store.js';
import {hashPassword} from './passwords.js';
import {ensureTopTenant} from './tenants.js';

export const ADMIN_POLICY_SLUG = 'wazo_auth_bootstrap_admin';

export async function bootstrapAdmin(store: Store, username: string, password: string): Promise<{uuid: string; created: boolean}> {
  const passwordHash = await hashPassword(password);
  const existing = await store.users.findByLogin(username);
  if (existing) {
    await store.users.setPasswordHash(existing.user.uuid, passwordHash);
    return {uuid: existing.user.uuid, created: false};
  }
  const top = await ensureTopTenant(store);
  const policy =
    (await store.policies.getBySlug(top.uuid, ADMIN_POLICY_SLUG)) ??
    (await store.policies.create({
      uuid: randomUUID(),
      tenantUuid: top.uuid,
      name: ADMIN_POLICY_SLUG,
      slug: ADMIN_POLICY_SLUG,
      description: 'Everything: the administrator created by wazo-auth bootstrap',
      acl: ['#'],
      shared: false,
      configManaged: false,
    }));
  const user = await store.users.create(
    {
      uuid: randomUUID(),
      tenantUuid: top.uuid,
      username,
      firstname: null,
      lastname: null,
      purpose: 'internal',
      enabled: true,
      authenticationMethod: 'native',
      emails: [],
    },
    passwordHash,
  );
  await store.users.addPolicy(user.uuid, policy.uuid);
  return {uuid: user.uuid, created: true};
}
