// Schema step 3 on PostgreSQL: each tenant's LDAP directory (upstream's auth_ldap_config), its
// bind password sealed.
import type {Migration} from '../migrations.js';

export const ldapConfigsMigration: Migration = {
  version: 3,
  name: 'ldap configurations',
  sql: `
    CREATE TABLE ldap_configs (
      tenant_uuid text PRIMARY KEY REFERENCES tenants (uuid) ON DELETE CASCADE,
      host text NOT NULL,
      port integer NOT NULL,
      protocol_version integer NOT NULL DEFAULT 3,
      protocol_security text,
      bind_dn text,
      -- AES-256-GCM under the daemon's secrets.key (src/services/secret-box.ts), never in clear
      bind_password_sealed text,
      user_base_dn text NOT NULL,
      user_login_attribute text NOT NULL,
      user_email_attribute text NOT NULL,
      search_filters text,
      ca_certificates text
    );
  `,
};
