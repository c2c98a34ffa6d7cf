// `--tenant`: the tenant a request acts in (the API's Wazo-Tenant header), the token's own or one
// below it; named by uuid or slug.

import {Flags} from '@oclif/core';
import type {AuthClient} from '../client/index.js';
import {tenantUuid} from './names.js';

export const tenantFlag = Flags.string({
  summary: "Act in this tenant (uuid or slug): the token's own tenant or one below it (default: the token's own)",
  helpValue: 'TENANT',
});

/** Resolves the slug first, in the token's own tenant, then makes every later request act in the tenant. */
export async function actIn(client: AuthClient, tenant: string | undefined): Promise<void> {
  if (tenant !== undefined) client.tenant = await tenantUuid(client, tenant);
}
