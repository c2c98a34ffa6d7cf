// Tenants' SAML configurations and the SAML logins in progress, in the daemon's SQLite file.
import type {SamlConfigRecord, SamlConfigStore, SamlSession, SamlSessionChanges, SamlSessionStore} from '../store.js';
import {loginKey} from '../login-key.js';
import type {Db} from './database.js';
import {asConflict} from './errors.js';

const CONFIG_COLUMNS = `c.tenant_uuid AS tenantUuid, c.domain_uuid AS domainUuid, c.entity_id AS entityId, c.idp_metadata AS idpMetadata, c.acs_url AS acsUrl`;

export function createSamlConfigStore(db: Db): SamlConfigStore {
  const get = db.prepare<[string], SamlConfigRecord>(`SELECT ${CONFIG_COLUMNS} FROM saml_configs c WHERE c.tenant_uuid = ?`);
  const byDomain = db.prepare<[string], SamlConfigRecord & {domainName: string}>(
    `SELECT ${CONFIG_COLUMNS}, d.name AS domainName FROM saml_configs c JOIN tenant_domains d ON d.uuid = c.domain_uuid WHERE d.name = ?`,
  );
  const insert = db.prepare<SamlConfigRecord>(
    `INSERT INTO saml_configs (tenant_uuid, domain_uuid, entity_id, idp_metadata, acs_url)
     VALUES (@tenantUuid, @domainUuid, @entityId, @idpMetadata, @acsUrl)`,
  );
  const change = db.prepare<SamlConfigRecord>(
    `UPDATE saml_configs SET domain_uuid = @domainUuid, entity_id = @entityId, idp_metadata = @idpMetadata, acs_url = @acsUrl
     WHERE tenant_uuid = @tenantUuid`,
  );
  const remove = db.prepare<[string]>('DELETE FROM saml_configs WHERE tenant_uuid = ?');
  return {
    async get(tenantUuid) {
      return get.get(tenantUuid);
    },
    async findByDomainName(name) {
      // tenant_domains.name is COLLATE NOCASE.
      return byDomain.get(name);
    },
    async create(config) {
      try {
        insert.run(config);
      } catch (error) {
        throw asConflict(error, {'saml_configs.tenant_uuid': ['tenant_uuid', config.tenantUuid]});
      }
      return get.get(config.tenantUuid)!;
    },
    async update(config) {
      return change.run(config).changes === 0 ? undefined : get.get(config.tenantUuid);
    },
    async delete(tenantUuid) {
      return remove.run(tenantUuid).changes > 0;
    },
  };
}

const SESSION_COLUMNS = `request_id AS requestId, relay_state AS relayState, tenant_uuid AS tenantUuid, domain, redirect_url AS redirectUrl,
  state, created_at AS createdAt, expires_at AS expiresAt, login, name_id AS nameId, name_id_format AS nameIdFormat,
  name_qualifier AS nameQualifier, sp_name_qualifier AS spNameQualifier, session_index AS sessionIndex,
  token_session_uuid AS tokenSessionUuid, refresh_token_uuid AS refreshTokenUuid, logout_request_id AS logoutRequestId`;

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

export function createSamlSessionStore(db: Db): SamlSessionStore {
  const insert = db.prepare<SamlSession>(
    `INSERT INTO saml_sessions (request_id, relay_state, tenant_uuid, domain, redirect_url, state, created_at, expires_at, login, name_id,
       name_id_format, name_qualifier, sp_name_qualifier, session_index, token_session_uuid, refresh_token_uuid, logout_request_id)
     VALUES (@requestId, @relayState, @tenantUuid, @domain, @redirectUrl, @state, @createdAt, @expiresAt, @login, @nameId,
       @nameIdFormat, @nameQualifier, @spNameQualifier, @sessionIndex, @tokenSessionUuid, @refreshTokenUuid, @logoutRequestId)`,
  );
  const byRelayState = db.prepare<[string], SamlSession>(`SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE relay_state = ?`);
  const byRefreshToken = db.prepare<[string], SamlSession>(
    `SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE refresh_token_uuid = ? AND state IN ('used', 'logging-out') ORDER BY created_at DESC LIMIT 1`,
  );
  const byTokenSession = db.prepare<[string], SamlSession>(
    `SELECT ${SESSION_COLUMNS} FROM saml_sessions WHERE token_session_uuid = ? AND state IN ('used', 'logging-out') LIMIT 1`,
  );
  const remove = db.prepare<[string]>('DELETE FROM saml_sessions WHERE request_id = ?');
  const deleteExpired = db.prepare<[number, number]>(
    'DELETE FROM saml_sessions WHERE request_id IN (SELECT request_id FROM saml_sessions WHERE expires_at <= ? LIMIT ?)',
  );
  const emailOwner = db.prepare<[string], {userUuid: string}>('SELECT user_uuid AS userUuid FROM emails WHERE address_key = ? AND confirmed = 1');
  const transitions = new Map<string, ReturnType<typeof db.prepare>>();
  const transitionFor = (fields: string[]) => {
    const key = fields.join(',');
    let statement = transitions.get(key);
    if (!statement) {
      const sets = ['state = @toState', ...fields.map((f) => `${CHANGEABLE[f as keyof SamlSessionChanges]} = @${f}`)].join(', ');
      statement = db.prepare(
        `UPDATE saml_sessions SET ${sets} WHERE request_id = @requestId AND state = @fromState AND expires_at > @now RETURNING ${SESSION_COLUMNS}`,
      );
      transitions.set(key, statement);
    }
    return statement;
  };

  return {
    async create(session) {
      insert.run(session);
    },
    async findByRelayState(relayState) {
      return byRelayState.get(relayState);
    },
    async transition(requestId, from, now, changes) {
      const fields = Object.keys(changes)
        .filter((f) => f !== 'state' && Object.hasOwn(CHANGEABLE, f))
        .sort();
      const params: Record<string, unknown> = {requestId, fromState: from, now, toState: changes.state ?? from};
      for (const f of fields) params[f] = changes[f as keyof SamlSessionChanges] ?? null;
      return transitionFor(fields).get(params) as SamlSession | undefined;
    },
    async findExchanged(tokenSessionUuid, refreshTokenUuid) {
      return refreshTokenUuid ? byRefreshToken.get(refreshTokenUuid) : byTokenSession.get(tokenSessionUuid);
    },
    async delete(requestId) {
      return remove.run(requestId).changes > 0;
    },
    async deleteExpired(now, limit) {
      return deleteExpired.run(now, limit).changes;
    },
    async userByConfirmedEmail(address) {
      return emailOwner.get(loginKey(address))?.userUuid;
    },
  };
}
