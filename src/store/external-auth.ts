// Users' linked accounts of other services and tenants' settings for them, each sealed JSON
// (the service seals and opens it; these queries only move the text).
import {sql} from 'kysely';
import type {StoreContext} from './context.js';
import type {ExternalAuthStore} from './store.js';

export function createExternalAuthStore({db, dialect}: StoreContext): ExternalAuthStore {
  return {
    async userData(userUuid, type) {
      const row = await db
        .selectFrom('user_external_auths')
        .select('data_sealed')
        .where('user_uuid', '=', userUuid)
        .where('type', '=', type)
        .executeTakeFirst();
      return row?.data_sealed;
    },
    async createUserData(userUuid, type, sealed) {
      try {
        await db.insertInto('user_external_auths').values({user_uuid: userUuid, type, data_sealed: sealed}).execute();
      } catch (error) {
        throw dialect.asConflict(error, {'user_external_auths.type': ['type', type]});
      }
    },
    async updateUserData(userUuid, type, sealed) {
      const result = await db
        .updateTable('user_external_auths')
        .set({data_sealed: sealed})
        .where('user_uuid', '=', userUuid)
        .where('type', '=', type)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async deleteUserData(userUuid, type) {
      const result = await db.deleteFrom('user_external_auths').where('user_uuid', '=', userUuid).where('type', '=', type).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async typesOfUser(userUuid) {
      const rows = await db.selectFrom('user_external_auths').select('type').where('user_uuid', '=', userUuid).orderBy('type').execute();
      return rows.map((row) => row.type);
    },
    async connectedUsers(type, tenantUuids, page) {
      const base = db
        .selectFrom('user_external_auths as x')
        .innerJoin('users as u', 'u.uuid', 'x.user_uuid')
        .where('x.type', '=', type)
        .where(dialect.inList(sql.ref('u.tenant_uuid'), tenantUuids));
      const [rows, count] = await Promise.all([
        base
          .select('x.user_uuid')
          .orderBy('x.user_uuid')
          .limit(page.limit ?? dialect.noLimit)
          .offset(page.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return {uuids: rows.map((row) => row.user_uuid), total: Number(count.total)};
    },
    async config(tenantUuid, type) {
      const row = await db
        .selectFrom('external_auth_configs')
        .select('data_sealed')
        .where('tenant_uuid', '=', tenantUuid)
        .where('type', '=', type)
        .executeTakeFirst();
      return row?.data_sealed;
    },
    async createConfig(tenantUuid, type, sealed) {
      try {
        await db.insertInto('external_auth_configs').values({tenant_uuid: tenantUuid, type, data_sealed: sealed}).execute();
      } catch (error) {
        throw dialect.asConflict(error, {'external_auth_configs.type': ['type', type]});
      }
    },
    async updateConfig(tenantUuid, type, sealed) {
      const result = await db
        .updateTable('external_auth_configs')
        .set({data_sealed: sealed})
        .where('tenant_uuid', '=', tenantUuid)
        .where('type', '=', type)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async deleteConfig(tenantUuid, type) {
      const result = await db.deleteFrom('external_auth_configs').where('tenant_uuid', '=', tenantUuid).where('type', '=', type).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
