// The tenant a command acts in: the caller's own, or with --tenant one below it (sent as
// Wazo-Tenant); --recurse adds the tenants below it to a list.

import {Flags} from '@oclif/core';
import type {AuthClient} from '../client/index.js';
import {tenantUuid} from './names.js';

export const tenantFlags = {
  tenant: Flags.string({summary: 'Act in this tenant (uuid or slug): your own or one below it (default: your own)', helpValue: 'TENANT'}),
};

export const recurseFlag = Flags.boolean({summary: 'Also the tenants below it'});

/** Makes the client's requests act in `tenant` (a uuid or a slug); nothing when it is undefined. */
export async function actIn(client: AuthClient, tenant: string | undefined): Promise<void> {
  if (tenant !== undefined) client.tenant = await tenantUuid(client, tenant);
}
