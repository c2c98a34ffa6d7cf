// Schema step 3: tenant administration. Tenants get their default authentication method, and
// domain names a uuid of their own (GET /tenants/{uuid}/domains shows it).
import type {Migration} from '../index.js';

// A version 4 uuid from SQLite's own randomness, for the domain names stored before this step.
const RANDOM_UUID = `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;

export const tenantsMigration: Migration = {
  version: 3,
  name: 'tenant administration',
  sql: `
    ALTER TABLE tenants ADD COLUMN default_authentication_method TEXT NOT NULL DEFAULT 'native';

    CREATE TABLE tenant_domains_v3 (
      uuid TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE
    );
    -- rowid order is the order in which a tenant's names are shown: keep it.
    INSERT INTO tenant_domains_v3 (uuid, name, tenant_uuid)
      SELECT ${RANDOM_UUID}, name, tenant_uuid FROM tenant_domains ORDER BY rowid;
    DROP TABLE tenant_domains;
    ALTER TABLE tenant_domains_v3 RENAME TO tenant_domains;
    CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_uuid);
  `,
};
