// Tenants' SAML configurations and the SAML logins in progress, shared by every daemon of a
// PostgreSQL database: a login started on one daemon is answered on another, and a state change
// is one conditional UPDATE, so that two daemons never both take the same provider's answer.
import {sql} from 'kysely';
import type {StoreContext} from './context.js';
import {loginKey} from './login-key.js';
import type {SamlConfigRecord, SamlConfigStore, SamlSession, SamlSessionChanges, SamlSessionStore} from './store.js';
import type {SamlSessionsTable} from './tables.js';

const CONFIG_COLUMNS = [
  'c.tenant_uuid as tenantUuid',
  'c.domain_uuid as domainUuid',
  'c.entity_id as entityId',
  'c.idp_metadata as idpMetadata',
  'c.acs_url as acsUrl',
] as const;

export function createSamlConfigStore({db, dialect}: StoreContext): SamlConfigStore {
  const get = (tenantUuid: string): Promise<SamlConfigRecord | undefined> =>
    db.selectFrom('saml_configs as c').select(CONFIG_COLUMNS).where('c.tenant_uuid', '=', tenantUuid).executeTakeFirst();
  const fields = (config: SamlConfigRecord) => ({
    domain_uuid: config.domainUuid,
    entity_id: config.entityId,
    idp_metadata: config.idpMetadata,
    acs_url: config.acsUrl,
  });
  return {
    get,
    findByDomainName(name) {
      // A domain name is unique regardless of case, as its constraint has it.
      return db
        .selectFrom('saml_configs as c')
        .innerJoin('tenant_domains as d', 'd.uuid', 'c.domain_uuid')
        .select([...CONFIG_COLUMNS, 'd.name as domainName'])
        .where(dialect.caselessIn(sql.ref('d.name'), [name]))
        .executeTakeFirst();
    },
    async create(config) {
      try {
        await db
          .insertInto('saml_configs')
          .values({tenant_uuid: config.tenantUuid, ...fields(config)})
          .execute();
      } catch (error) {
        throw dialect.asConflict(error, {'saml_configs.tenant_uuid': ['tenant_uuid', config.tenantUuid]});
      }
      return (await get(config.tenantUuid))!;
    },
    async update(config) {
      const result = await db.updateTable('saml_configs').set(fields(config)).where('tenant_uuid', '=', config.tenantUuid).executeTakeFirst();
      return result.numUpdatedRows === 0n ? undefined : get(config.tenantUuid);
    },
    async delete(tenantUuid) {
      const result = await db.deleteFrom('saml_configs').where('tenant_uuid', '=', tenantUuid).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

const SESSION_COLUMNS = [
  'request_id as requestId',
  'relay_state as relayState',
  'tenant_uuid as tenantUuid',
  'domain',
  'redirect_url as redirectUrl',
  'state',
  'created_at as createdAt',
  'expires_at as expiresAt',
  'login',
  'name_id as nameId',
  'name_id_format as nameIdFormat',
  'name_qualifier as nameQualifier',
  'sp_name_qualifier as spNameQualifier',
  'session_index as sessionIndex',
  'token_session_uuid as tokenSessionUuid',
  'refresh_token_uuid as refreshTokenUuid',
  'logout_request_id as logoutRequestId',
] as const;

type Changeable = Exclude<keyof SamlSessionChanges, 'state'>;

/** Column of each field a transition may change, besides the state. */
const CHANGEABLE: Record<Changeable, keyof SamlSessionsTable> = {
  relayState: 'relay_state',
  expiresAt: 'expires_at',
  login: 'login',
  nameId: 'name_id',
  nameIdFormat: 'name_id_format',
  nameQualifier: 'name_qualifier',
  spNameQualifier: 'sp_name_qualifier',
  sessionIndex: 'session_index',
  tokenSessionUuid: 'token_session_uuid',
  refreshTokenUuid: 'refresh_token_uuid',
  logoutRequestId: 'logout_request_id',
};

/** A session exchanged for a token: kept for its single logout. */
const EXCHANGED = ['used', 'logging-out'] as const;

export function createSamlSessionStore({db, dialect}: StoreContext): SamlSessionStore {
  return {
    async create(session) {
      await db
        .insertInto('saml_sessions')
        .values({
          request_id: session.requestId,
          relay_state: session.relayState,
          tenant_uuid: session.tenantUuid,
          domain: session.domain,
          redirect_url: session.redirectUrl,
          state: session.state,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
          login: session.login,
          name_id: session.nameId,
          name_id_format: session.nameIdFormat,
          name_qualifier: session.nameQualifier,
          sp_name_qualifier: session.spNameQualifier,
          session_index: session.sessionIndex,
          token_session_uuid: session.tokenSessionUuid,
          refresh_token_uuid: session.refreshTokenUuid,
          logout_request_id: session.logoutRequestId,
        })
        .execute();
    },
    findByRelayState(relayState) {
      return db.selectFrom('saml_sessions').select(SESSION_COLUMNS).where('relay_state', '=', relayState).executeTakeFirst();
    },
    transition(requestId, from, now, changes) {
      const set: Partial<Record<keyof SamlSessionsTable, unknown>> = {state: changes.state ?? from};
      for (const field of Object.keys(CHANGEABLE) as Changeable[]) {
        if (Object.hasOwn(changes, field)) set[CHANGEABLE[field]] = changes[field] ?? null;
      }
      // One conditional UPDATE: of two requests taking the same session, one finds it changed.
      return db
        .updateTable('saml_sessions')
        .set(set as never)
        .where('request_id', '=', requestId)
        .where('state', '=', from)
        .where('expires_at', '>', now)
        .returning(SESSION_COLUMNS)
        .executeTakeFirst() as Promise<SamlSession | undefined>;
    },
    findExchanged(tokenSessionUuid, refreshTokenUuid) {
      const exchanged = db.selectFrom('saml_sessions').select(SESSION_COLUMNS).where('state', 'in', EXCHANGED);
      return refreshTokenUuid
        ? exchanged.where('refresh_token_uuid', '=', refreshTokenUuid).orderBy('created_at', 'desc').limit(1).executeTakeFirst()
        : exchanged.where('token_session_uuid', '=', tokenSessionUuid).limit(1).executeTakeFirst();
    },
    async delete(requestId) {
      const result = await db.deleteFrom('saml_sessions').where('request_id', '=', requestId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async deleteExpired(now, limit) {
      // SKIP LOCKED: a daemon cleaning at the same moment takes other rows.
      const expired = dialect.forUpdate(db.selectFrom('saml_sessions').select('request_id').where('expires_at', '<=', now).limit(limit), {
        skipLocked: true,
      });
      const result = await db.deleteFrom('saml_sessions').where('request_id', 'in', expired).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async userByConfirmedEmail(address) {
      const row = await db
        .selectFrom('emails')
        .select('user_uuid')
        .where('address_key', '=', loginKey(address))
        .where(dialect.isSet(sql.ref('confirmed')))
        .executeTakeFirst();
      return row?.user_uuid;
    },
  };
}
