// The tenant a command acts in: the caller's own, or with --tenant one below it (sent as the
// API's Wazo-Tenant header), named by uuid or slug; --recurse adds the tenants below it to a list.

import {Flags} from '@oclif/core';
import type {AuthClient} from '../client/index.js';
import {tenantUuid} from './names.js';

export const tenantFlag = Flags.string({
  summary: "Act in this tenant (uuid or slug): the token's own tenant or one below it (default: the token's own)",
  helpValue: 'TENANT',
});

export const recurseFlag = Flags.boolean({summary: 'Also the tenants below it'});

/** Resolves the slug first, in the token's own tenant, then makes every later request act in the tenant. */
export async function actIn(client: AuthClient, tenant: string | undefined): Promise<void> {
  if (tenant !== undefined) client.tenant = await tenantUuid(client, tenant);
}
