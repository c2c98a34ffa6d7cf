// Creates users with policies straight in the store, for tests that are not about the users API.

import {randomUUID} from 'node:crypto';
import {testPasswords} from './passwords.js';
import type {Purpose} from '../../src/domain/types.js';
import type {Store} from '../../src/store/store.js';

export async function createUser(
  store: Store,
  options: {username: string; password?: string; acl?: string[]; purpose?: Purpose; tenantUuid?: string; passwordHash?: string},
): Promise<string> {
  const tenantUuid = options.tenantUuid ?? (await store.tenants.top())!.uuid;
  const uuid = randomUUID();
  const hash = options.passwordHash ?? (options.password ? await testPasswords.hash(options.password) : null);
  await store.users.create(
    {
      uuid,
      tenantUuid,
      username: options.username,
      firstname: null,
      lastname: null,
      purpose: options.purpose ?? 'user',
      enabled: true,
      authenticationMethod: 'default',
      emails: [],
    },
    hash,
  );
  if (options.acl) {
    const policy = await store.policies.create({
      uuid: randomUUID(),
      tenantUuid,
      name: `policy-of-${options.username}`,
      slug: `policy_of_${options.username}`.replace(/[^a-zA-Z0-9_-]/g, '_'),
      description: null,
      acl: options.acl,
      shared: false,
      configManaged: false,
    });
    await store.users.addPolicy(uuid, policy.uuid);
  }
  return uuid;
}

/** A tenant below `parentUuid`, named and slugged `slug`, straight in the store; returns its uuid. */
export async function createTenant(store: Store, parentUuid: string, slug: string): Promise<string> {
  const uuid = randomUUID();
  const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  await store.tenants.create({uuid, name: slug, slug, parentUuid, contactUuid: null, phone: null, address, domainNames: []});
  return uuid;
}
