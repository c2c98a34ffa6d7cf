// Each tenant's LDAP directory, in the daemon's SQLite file.
import type {LdapConfig} from '../../domain/types.js';
import type {LdapConfigStore} from '../store.js';
import type {Db} from './database.js';

const COLUMNS = `tenant_uuid AS tenantUuid, host, port, protocol_version AS protocolVersion,
  protocol_security AS protocolSecurity, bind_dn AS bindDn, bind_password_sealed AS bindPasswordSealed,
  user_base_dn AS userBaseDn, user_login_attribute AS userLoginAttribute,
  user_email_attribute AS userEmailAttribute, search_filters AS searchFilters, ca_certificates AS caCertificates`;

export function createLdapConfigStore(db: Db): LdapConfigStore {
  const read = db.prepare<[string], LdapConfig>(`SELECT ${COLUMNS} FROM ldap_configs WHERE tenant_uuid = ?`);
  const write = db.prepare<LdapConfig>(
    `INSERT INTO ldap_configs (tenant_uuid, host, port, protocol_version, protocol_security, bind_dn, bind_password_sealed,
       user_base_dn, user_login_attribute, user_email_attribute, search_filters, ca_certificates)
     VALUES (@tenantUuid, @host, @port, @protocolVersion, @protocolSecurity, @bindDn, @bindPasswordSealed,
       @userBaseDn, @userLoginAttribute, @userEmailAttribute, @searchFilters, @caCertificates)
     ON CONFLICT (tenant_uuid) DO UPDATE SET
       host = excluded.host, port = excluded.port, protocol_version = excluded.protocol_version,
       protocol_security = excluded.protocol_security, bind_dn = excluded.bind_dn,
       bind_password_sealed = excluded.bind_password_sealed, user_base_dn = excluded.user_base_dn,
       user_login_attribute = excluded.user_login_attribute, user_email_attribute = excluded.user_email_attribute,
       search_filters = excluded.search_filters, ca_certificates = excluded.ca_certificates`,
  );
  const remove = db.prepare<[string]>('DELETE FROM ldap_configs WHERE tenant_uuid = ?');
  // tenant_domains.name is COLLATE NOCASE.
  const byDomain = db.prepare<[string], string>('SELECT tenant_uuid FROM tenant_domains WHERE name = ?').pluck();
  const byId = db.prepare<{id: string}, string>('SELECT uuid FROM tenants WHERE uuid = @id OR slug = @id ORDER BY uuid = @id DESC LIMIT 1').pluck();
  return {
    async get(tenantUuid) {
      return read.get(tenantUuid);
    },
    async put(config) {
      write.run(config);
    },
    async delete(tenantUuid) {
      return remove.run(tenantUuid).changes > 0;
    },
    async findTenant(ref) {
      return 'domainName' in ref ? byDomain.get(ref.domainName) : byId.get({id: ref.tenantId});
    },
  };
}
