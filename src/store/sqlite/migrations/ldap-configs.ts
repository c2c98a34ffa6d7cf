// Schema step 6: each tenant's LDAP directory (upstream's auth_ldap_config), its bind password sealed.
import type {Migration} from '../migrations.js';

export const ldapConfigsMigration: Migration = {
  version: 6,
  name: 'ldap configurations',
  sql: `
    CREATE TABLE ldap_configs (
      tenant_uuid TEXT PRIMARY KEY REFERENCES tenants (uuid) ON DELETE CASCADE,
      host TEXT NOT NULL,
      port INTEGER NOT NULL,
      protocol_version INTEGER NOT NULL DEFAULT 3,
      protocol_security TEXT,
      bind_dn TEXT,
      -- AES-256-GCM under the daemon's secrets.key (src/services/secret-box.ts), never in clear
      bind_password_sealed TEXT,
      user_base_dn TEXT NOT NULL,
      user_login_attribute TEXT NOT NULL,
      user_email_attribute TEXT NOT NULL,
      search_filters TEXT,
      ca_certificates TEXT
    ) WITHOUT ROWID;
  `,
};
