// Tenants' SAML configurations and the SAML logins in progress, shared by every daemon of the
// database: a login started on one daemon is answered on another, and a state change is one
// conditional UPDATE, so that two daemons never both take the same provider's answer.
import type {SamlConfigRecord, SamlConfigStore, SamlSession, SamlSessionChanges, SamlSessionStore} from '../store.js';
import {loginKey} from '../login-key.js';
import {sql, type Database, type Sql} from './database.js';
import {asConflict} from './errors.js';

const CONFIG_COLUMNS = `c.tenant_uuid AS "tenantUuid", c.domain_uuid AS "domainUuid", c.entity_id AS "entityId", c.idp_metadata AS "idpMetadata", c.acs_url AS "acsUrl"`;

const getConfig = sql(`SELECT ${CONFIG_COLUMNS} FROM saml_configs c WHERE c.tenant_uuid = @tenantUuid`);
const configByDomain = sql(
  `SELECT ${CONFIG_COLUMNS}, d.name AS "domainName" FROM saml_configs c JOIN tenant_domains d ON d.uuid = c.domain_uuid
   WHERE lower(d.name) = lower(@name)`,
);
const insertConfig = sql(
  `INSERT INTO saml_configs (tenant_uuid, domain_uuid, entity_id, idp_metadata, acs_url)
   VALUES (@tenantUuid, @domainUuid, @entityId, @idpMetadata, @acsUrl)`,
);
const updateConfig = sql(
  `UPDATE saml_configs SET domain_uuid = @domainUuid, entity_id = @entityId, idp_metadata = @idpMetadata, acs_url = @acsUrl
   WHERE tenant_uuid = @tenantUuid`,
);
const deleteConfig = sql('DELETE FROM saml_configs WHERE tenant_uuid = @tenantUuid');

export function createSamlConfigStore(db: Database): SamlConfigStore {
  return {
    get(tenantUuid) {
      return db.row<SamlConfigRecord>(getConfig, {tenantUuid});
    },
    findByDomainName(name) {
      return db.row<SamlConfigRecord & {domainName: string}>(configByDomain, {name});
    },
    async create(config) {
      try {
        await db.run(insertConfig, {...config});
      } catch (error) {
        throw asConflict(error, {saml_configs_pkey: ['tenant_uuid', config.tenantUuid]});
      }
      return (await db.row<SamlConfigRecord>(getConfig, {tenantUuid: config.tenantUuid}))!;
    },
    async update(config) {
      if ((await db.run(updateConfig, {...config})) === 0) return undefined;
      return db.row<SamlConfigRecord>(getConfig, {tenantUuid: config.tenantUuid});
    },
    async delete(tenantUuid) {
      return (await db.run(deleteConfig, {tenantUuid})) > 0;
    },
  };
}

const SESSION_COLUMNS = `request_id AS "requestId", relay_state AS "relayState", tenant_uuid AS "tenantUuid", domain, redirect_url AS "redirectUrl",
  state, created_at AS "createdAt", expires_at AS "expiresAt", login, name_id AS "nameId", name_id_format AS "nameIdFormat",
  name_qualifier AS "nameQualifier", sp_name_qualifier AS "spNameQualifier", session_index AS "sessionIndex",
  token_session_uuid AS "tokenSessionUuid", refresh_token_uuid AS "refreshTokenUuid", logout_request_id AS "logoutRequestId"`;

/** Column of each field a transition may change. */
const CHANGEABLE: Record<keyof SamlSessionChanges, string> = {
  relayState: 'relay_state',
  state: 'state',
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

const insertSession = sql(
  `INSERT INTO saml_sessions (request_id, relay_state, tenant_uuid, domain, redirect_url, state, created_at, expires_at, login, name_id,
     name_id_format, name_qualifier, sp_name_qualifier, session_index, token_session_uuid, refresh_token_uuid, logout_request_id)
   VALUES (@requestId, @relayState, @tenantUuid, @domain, @redirectUrl, @state, @createdAt, @expiresAt, @login, @nameId,
     @nameIdFormat, @nameQualifier, @spNameQualifier, @sessionIndex, @tokenSessionUuid, @refreshTokenUuid, @logoutRequestId)`,
);
const byRelayState = sql(`SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE relay_state = @relayState`);
const byRefreshToken = sql(
  `SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE refresh_token_uuid = @uuid AND state IN ('used', 'logging-out') ORDER BY created_at DESC LIMIT 1`,
);
const byTokenSession = sql(`SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE token_session_uuid = @uuid AND state IN ('used', 'logging-out') LIMIT 1`);
const deleteSession = sql('DELETE FROM saml_sessions WHERE request_id = @requestId');
const deleteExpired = sql(
  `DELETE FROM saml_sessions WHERE request_id IN
     (SELECT request_id FROM saml_sessions WHERE expires_at <= @now LIMIT @limit FOR UPDATE SKIP LOCKED)`,
);
const emailOwner = sql('SELECT user_uuid AS "userUuid" FROM emails WHERE address_key = @key AND confirmed');

export function createSamlSessionStore(db: Database): SamlSessionStore {
  const transitions = new Map<string, Sql>();
  const transitionFor = (fields: string[]) => {
    const key = fields.join(',');
    let statement = transitions.get(key);
    if (!statement) {
      const sets = ['state = @toState', ...fields.map((f) => `${CHANGEABLE[f as keyof SamlSessionChanges]} = @${f}`)].join(', ');
      statement = sql(
        `UPDATE saml_sessions SET ${sets} WHERE request_id = @requestId AND state = @fromState AND expires_at > @now RETURNING ${SESSION_COLUMNS}`,
      );
      transitions.set(key, statement);
    }
    return statement;
  };

  return {
    async create(session) {
      await db.run(insertSession, {...session});
    },
    findByRelayState(relayState) {
      return db.row<SamlSession>(byRelayState, {relayState});
    },
    transition(requestId, from, now, changes) {
      const fields = Object.keys(changes)
        .filter((f) => f !== 'state' && Object.hasOwn(CHANGEABLE, f))
        .sort();
      const params: Record<string, unknown> = {requestId, fromState: from, now, toState: changes.state ?? from};
      for (const f of fields) params[f] = changes[f as keyof SamlSessionChanges] ?? null;
      return db.row<SamlSession>(transitionFor(fields), params);
    },
    findExchanged(tokenSessionUuid, refreshTokenUuid) {
      return refreshTokenUuid ? db.row<SamlSession>(byRefreshToken, {uuid: refreshTokenUuid}) : db.row<SamlSession>(byTokenSession, {uuid: tokenSessionUuid});
    },
    async delete(requestId) {
      return (await db.run(deleteSession, {requestId})) > 0;
    },
    deleteExpired(now, limit) {
      return db.run(deleteExpired, {now, limit});
    },
    async userByConfirmedEmail(address) {
      return (await db.row<{userUuid: string}>(emailOwner, {key: loginKey(address)}))?.userUuid;
    },
  };
}
