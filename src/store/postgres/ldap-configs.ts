// Each tenant's LDAP directory, shared by every daemon of the database.
import type {LdapConfig} from '../../domain/types.js';
import type {LdapConfigStore} from '../store.js';
import {sql, type Database} from './database.js';

const read = sql(
  `SELECT tenant_uuid AS "tenantUuid", host, port, protocol_version AS "protocolVersion",
     protocol_security AS "protocolSecurity", bind_dn AS "bindDn", bind_password_sealed AS "bindPasswordSealed",
     user_base_dn AS "userBaseDn", user_login_attribute AS "userLoginAttribute",
     user_email_attribute AS "userEmailAttribute", search_filters AS "searchFilters", ca_certificates AS "caCertificates"
   FROM ldap_configs WHERE tenant_uuid = @tenantUuid`,
);
const write = sql(
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
const remove = sql('DELETE FROM ldap_configs WHERE tenant_uuid = @tenantUuid');
const byDomain = sql('SELECT tenant_uuid AS uuid FROM tenant_domains WHERE lower(name) = lower(@name)');
const byId = sql('SELECT uuid FROM tenants WHERE uuid = @id OR slug = @id ORDER BY uuid = @id DESC LIMIT 1');

export function createLdapConfigStore(db: Database): LdapConfigStore {
  return {
    get: (tenantUuid) => db.row<LdapConfig>(read, {tenantUuid}),
    async put(config) {
      await db.run(write, {...config});
    },
    async delete(tenantUuid) {
      return (await db.run(remove, {tenantUuid})) > 0;
    },
    async findTenant(ref) {
      const row = 'domainName' in ref ? await db.row<{uuid: string}>(byDomain, {name: ref.domainName}) : await db.row<{uuid: string}>(byId, {id: ref.tenantId});
      return row?.uuid;
    },
  };
}
