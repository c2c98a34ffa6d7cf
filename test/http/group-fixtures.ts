// What the group tests share: a daemon with a top tenant, two sibling sub-tenants with their
// all-users groups, and an administrator granted `#` in each sub-tenant.

import {randomUUID} from 'node:crypto';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

export interface GroupWorld {
  td: TestDaemon;
  top: string;
  sub: string;
  sibling: string;
  /** Tokens of administrators of `sub` and of `sibling`. */
  subAdmin: string;
  siblingAdmin: string;
}

/** A tenant below `parentUuid` with its all-users group, as POST /tenants makes it. */
export async function newTenant(td: TestDaemon, parentUuid: string, slug: string): Promise<string> {
  const uuid = randomUUID();
  const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  const {store, groups} = td.daemon.services;
  await store.tenants.create({uuid, name: slug, slug, parentUuid, contactUuid: null, phone: null, address, domainNames: []});
  await groups.setUpTenant(uuid);
  return uuid;
}

/** Logs in a new user of `tenantUuid` (the top tenant by default) holding `acl`. */
export async function tokenOf(td: TestDaemon, username: string, acl: string[], tenantUuid?: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

export async function groupWorld(): Promise<GroupWorld> {
  const td = await startTestDaemon();
  const top = (await td.daemon.services.store.tenants.top())!.uuid;
  const sub = await newTenant(td, top, 'sub');
  const sibling = await newTenant(td, top, 'sibling');
  return {
    td,
    top,
    sub,
    sibling,
    subAdmin: await tokenOf(td, 'sub-admin', ['#'], sub),
    siblingAdmin: await tokenOf(td, 'sibling-admin', ['#'], sibling),
  };
}

export const allUsersGroupName = (tenantUuid: string) => `wazo-all-users-tenant-${tenantUuid}`;
