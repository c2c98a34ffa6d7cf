// Session listings and scoped deletions, part of the token store: a session is listed with the
// details of its token (one per session) and removed with it.
import type {ListParams, ListResult, Session, SessionListing} from '../../domain/types.js';
import type {SessionScope, TokenStore} from '../store.js';
import type {Db} from './database.js';
import {Lister, toBool, uuidList, searchMatches} from './list.js';

export interface SessionRow {
  uuid: string;
  tenant_uuid: string;
  user_uuid: string;
  mobile: number;
  created_at: number;
}

interface SessionListingRow extends SessionRow {
  expire_t: number;
  remote_addr: string;
  user_agent: string;
}

const scopeCondition = `s.tenant_uuid IN (SELECT value FROM json_each(@tenants))
  AND (@user IS NULL OR s.user_uuid = @user)`;

export const sessionColumns = 'uuid, tenant_uuid, user_uuid, mobile, created_at';

export function toSession(row: SessionRow): Session {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    userUuid: row.user_uuid,
    mobile: toBool(row.mobile),
    createdAt: row.created_at,
  };
}

function toListing(row: SessionListingRow): SessionListing {
  return {...toSession(row), expiresAt: row.expire_t, remoteAddr: row.remote_addr, userAgent: row.user_agent};
}

function scopeBind(scope: SessionScope): {tenants: string; user: string | null} {
  return {tenants: uuidList(scope.tenantUuids), user: scope.userUuid ?? null};
}

export function createSessionQueries(db: Db): Pick<TokenStore, 'listSessions' | 'deleteSession'> {
  const lister = new Lister<SessionListingRow>(db, {
    columns: 's.uuid, s.tenant_uuid, s.user_uuid, s.mobile, s.created_at, t.expire_t, t.remote_addr, t.user_agent',
    from: `FROM sessions s JOIN tokens t ON t.session_uuid = s.uuid WHERE ${scopeCondition}`,
    search: `${searchMatches('unicode_lower(s.user_uuid)')} OR ${searchMatches('unicode_lower(t.remote_addr)')}
      OR ${searchMatches('unicode_lower(t.user_agent)')}`,
    orders: {created_at: 's.created_at', expires_at: 't.expire_t', mobile: 's.mobile'},
    defaultOrder: 'created_at',
    tieBreak: 's.uuid',
  });
  // The session's tokens follow it (ON DELETE CASCADE).
  const remove = db.prepare<[{uuid: string; tenants: string; user: string | null}], SessionRow>(
    `DELETE FROM sessions AS s WHERE s.uuid = @uuid AND ${scopeCondition}
     RETURNING uuid, tenant_uuid, user_uuid, mobile, created_at`,
  );

  return {
    async listSessions(scope: SessionScope, params: ListParams): Promise<ListResult<SessionListing>> {
      const {total, filtered, rows} = lister.list(scopeBind(scope), params);
      return {total, filtered, items: rows.map(toListing)};
    },
    async deleteSession(uuid: string, scope: SessionScope): Promise<Session | undefined> {
      const row = remove.get({uuid, ...scopeBind(scope)});
      return row && toSession(row);
    },
  };
}
