// What the saml commands share: the record view, and the domain named by name or uuid.

import type {AuthClient} from '../client/index.js';
import {usageError} from './failure.js';
import type {RecordView} from './output.js';

export const samlRecord: RecordView = {plain: ['tenant_uuid']};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The uuid of a domain of the acting tenant's tree, given by uuid or by name (any case). */
export async function domainUuid(client: AuthClient, domain: string): Promise<string> {
  if (UUID.test(domain)) return domain.toLowerCase();
  const {items} = await client.tenants.list({domain_name: domain});
  for (const tenant of items) {
    const found = (await client.tenants.domains(tenant.uuid)).items.find((d) => d.name.toLowerCase() === domain.toLowerCase());
    if (found) return found.uuid;
  }
  throw usageError(`no tenant in reach has the domain ${domain}`);
}
