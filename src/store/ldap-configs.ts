// Each tenant's LDAP directory (one per tenant, gone with it), and the tenant a login names.
import {sql} from 'kysely';
import type {LdapConfig} from '../domain/types.js';
import type {StoreContext} from './context.js';
import type {LdapConfigStore} from './store.js';

export function createLdapConfigStore({db, dialect}: StoreContext): LdapConfigStore {
  return {
    async get(tenantUuid) {
      return db
        .selectFrom('ldap_configs')
        .select([
          'tenant_uuid as tenantUuid',
          'host',
          'port',
          'protocol_version as protocolVersion',
          'protocol_security as protocolSecurity',
          'bind_dn as bindDn',
          'bind_password_sealed as bindPasswordSealed',
          'user_base_dn as userBaseDn',
          'user_login_attribute as userLoginAttribute',
          'user_email_attribute as userEmailAttribute',
          'search_filters as searchFilters',
          'ca_certificates as caCertificates',
        ])
        .where('tenant_uuid', '=', tenantUuid)
        .executeTakeFirst() satisfies Promise<LdapConfig | undefined>;
    },
    async put(config) {
      const row = {
        host: config.host,
        port: config.port,
        protocol_version: config.protocolVersion,
        protocol_security: config.protocolSecurity,
        bind_dn: config.bindDn,
        bind_password_sealed: config.bindPasswordSealed,
        user_base_dn: config.userBaseDn,
        user_login_attribute: config.userLoginAttribute,
        user_email_attribute: config.userEmailAttribute,
        search_filters: config.searchFilters,
        ca_certificates: config.caCertificates,
      };
      await db
        .insertInto('ldap_configs')
        .values({tenant_uuid: config.tenantUuid, ...row})
        .onConflict((conflict) => conflict.column('tenant_uuid').doUpdateSet(row))
        .execute();
    },
    async delete(tenantUuid) {
      const result = await db.deleteFrom('ldap_configs').where('tenant_uuid', '=', tenantUuid).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async findTenant(ref) {
      if ('domainName' in ref) {
        // A domain name is unique regardless of case, as its constraint has it.
        const row = await db
          .selectFrom('tenant_domains')
          .select('tenant_uuid')
          .where(dialect.caselessIn(sql.ref('name'), [ref.domainName]))
          .executeTakeFirst();
        return row?.tenant_uuid;
      }
      // A uuid wins over a slug that happens to read as the same text.
      const row = await db
        .selectFrom('tenants')
        .select('uuid')
        .where((where) => where.or([where('uuid', '=', ref.tenantId), where('slug', '=', ref.tenantId)]))
        .orderBy(sql`CASE WHEN uuid = ${ref.tenantId} THEN 0 ELSE 1 END`)
        .limit(1)
        .executeTakeFirst();
      return row?.uuid;
    },
  };
}
