// Sessions and their access tokens on PostgreSQL, stored under the token's digest. Lookups go
// through TokenLookup (one query for the checks that arrive together); expired tokens are removed
// in batches that daemons cleaning at the same moment share out instead of repeating.
import type {ListParams, ListResult, Session, SessionListing, TokenRecord} from '../../domain/types.js';
import type {SessionScope, TokenStore} from '../store.js';
import {jsonParam, sql, type Database} from './database.js';
import {asConflict} from './errors.js';
import {Lister, searchMatches} from './list.js';
import {TokenLookup, tokenColumns, toToken, type TokenRow} from './token-lookup.js';

interface SessionRow {
  uuid: string;
  tenant_uuid: string;
  user_uuid: string;
  mobile: boolean;
  created_at: number;
}

interface SessionListingRow extends SessionRow {
  expire_t: number;
  remote_addr: string;
  user_agent: string;
}

function seconds(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a number of seconds, not ${String(value)}`);
  return Math.trunc(value);
}

function toSession(row: SessionRow): Session {
  return {uuid: row.uuid, tenantUuid: row.tenant_uuid, userUuid: row.user_uuid, mobile: row.mobile, createdAt: row.created_at};
}

const sessionColumns = 'uuid, tenant_uuid, user_uuid, mobile, created_at';

const scopeCondition = 's.tenant_uuid = ANY (@tenants::text[]) AND (@user::text IS NULL OR s.user_uuid = @user)';

const insertSession = sql(
  `INSERT INTO sessions (uuid, tenant_uuid, user_uuid, mobile, created_at)
   VALUES (@uuid, @tenantUuid, @userUuid, @mobile, @createdAt)`,
);
const insertToken = sql(
  `INSERT INTO tokens (${tokenColumns})
   VALUES (@digest, @sessionUuid, @authId, @pbxUserUuid, @xivoUuid, @issuedAt, @expiresAt, @acl, @metadata,
     @userAgent, @remoteAddr, @refreshTokenUuid)`,
);
/** Removes the sessions of `gone` (tokens just deleted by the same statement) left without a token. */
const emptySessionsOf = (gone: string) =>
  `DELETE FROM sessions s WHERE s.uuid IN (SELECT session_uuid FROM ${gone})
     AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.session_uuid = s.uuid AND t.digest NOT IN (SELECT digest FROM ${gone}))`;
// A session lives as long as it has a token; upstream keeps one token per session. The
// statements of a WITH see the table as it was before any of them: hence `NOT IN gone`.
const removeToken = sql(
  `WITH gone AS (DELETE FROM tokens WHERE digest = @digest RETURNING ${tokenColumns}),
     emptied AS (${emptySessionsOf('gone')})
   SELECT ${tokenColumns} FROM gone`,
);
// Oldest first, so that a backlog drains in expiry order. SKIP LOCKED: a daemon cleaning at the
// same moment takes other rows instead of waiting for these or deleting them again.
const removeExpired = sql(
  `WITH gone AS (
     DELETE FROM tokens WHERE digest IN (
       SELECT digest FROM tokens WHERE expire_t < @now ORDER BY expire_t LIMIT @limit FOR UPDATE SKIP LOCKED)
     RETURNING digest, session_uuid),
   emptied AS (${emptySessionsOf('gone')} RETURNING ${sessionColumns})
   SELECT ${sessionColumns} FROM emptied`,
);
// Bounded: a login only needs to know whether the cap is reached, however many sessions there are.
const countOfUser = sql('SELECT count(*) AS n FROM (SELECT 1 FROM sessions WHERE user_uuid = @user LIMIT @atMost) s');
const removeOfUser = sql(`DELETE FROM sessions WHERE user_uuid = @user RETURNING ${sessionColumns}`);
const removeOfRefreshToken = sql(
  `DELETE FROM sessions WHERE uuid IN (SELECT session_uuid FROM tokens WHERE refresh_token_uuid = @uuid) RETURNING ${sessionColumns}`,
);
// The session's tokens follow it (ON DELETE CASCADE).
const removeSession = sql(
  `DELETE FROM sessions s WHERE s.uuid = @uuid AND ${scopeCondition}
   RETURNING uuid, tenant_uuid, user_uuid, mobile, created_at`,
);

export function createTokenStore(db: Database, lookup: TokenLookup): TokenStore {
  const sessions = new Lister<SessionListingRow>(db, {
    columns: 's.uuid, s.tenant_uuid, s.user_uuid, s.mobile, s.created_at, t.expire_t, t.remote_addr, t.user_agent',
    from: `FROM sessions s JOIN tokens t ON t.session_uuid = s.uuid WHERE ${scopeCondition}`,
    search: `${searchMatches('lower(s.user_uuid)')} OR ${searchMatches('lower(t.remote_addr)')} OR ${searchMatches('lower(t.user_agent)')}`,
    orders: {created_at: 's.created_at', expires_at: 't.expire_t', mobile: 's.mobile'},
    defaultOrder: 'created_at',
    tieBreak: 's.uuid',
  });

  return {
    async create(session: Session, token: TokenRecord): Promise<void> {
      await db.transaction(async (tx) => {
        try {
          await tx.run(insertSession, {
            uuid: session.uuid,
            tenantUuid: session.tenantUuid,
            userUuid: session.userUuid,
            mobile: session.mobile,
            createdAt: seconds(session.createdAt, 'createdAt'),
          });
          await tx.run(insertToken, {
            digest: token.digest,
            sessionUuid: session.uuid,
            authId: token.authId,
            pbxUserUuid: token.pbxUserUuid ?? null,
            xivoUuid: token.xivoUuid,
            issuedAt: seconds(token.issuedAt, 'issuedAt'),
            expiresAt: seconds(token.expiresAt, 'expiresAt'),
            acl: jsonParam(token.acl),
            metadata: jsonParam(token.metadata),
            userAgent: token.userAgent,
            remoteAddr: token.remoteAddr,
            refreshTokenUuid: token.refreshTokenUuid ?? null,
          });
        } catch (error) {
          throw asConflict(error, {sessions_pkey: ['session_uuid', session.uuid], tokens_pkey: ['token', token.digest]});
        }
      });
    },
    findByDigest: (digest) => lookup.find(digest),
    async deleteByDigest(digest: string): Promise<TokenRecord | undefined> {
      const row = await db.row<TokenRow>(removeToken, {digest});
      lookup.forget(digest);
      return row && toToken(row);
    },
    async deleteExpired(now: number, limit: number): Promise<Session[]> {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, not ${String(limit)}`);
      // Strictly before: a token is expired when now > expire_t.
      return (await db.rows<SessionRow>(removeExpired, {now: seconds(now, 'now'), limit})).map(toSession);
    },
    async countSessions(userUuid: string, atMost?: number): Promise<number> {
      return (await db.row<{n: number}>(countOfUser, {user: userUuid, atMost: atMost ?? null}))?.n ?? 0;
    },
    async deleteSessionsOfUser(userUuid: string): Promise<Session[]> {
      // The sessions' tokens go with them (ON DELETE CASCADE).
      return (await db.rows<SessionRow>(removeOfUser, {user: userUuid})).map(toSession);
    },
    async deleteByRefreshToken(refreshTokenUuid: string): Promise<Session[]> {
      return (await db.rows<SessionRow>(removeOfRefreshToken, {uuid: refreshTokenUuid})).map(toSession);
    },
    async listSessions(scope: SessionScope, params: ListParams): Promise<ListResult<SessionListing>> {
      const {total, filtered, rows} = await sessions.list({tenants: scope.tenantUuids, user: scope.userUuid ?? null}, params);
      return {
        total,
        filtered,
        items: rows.map((row) => ({...toSession(row), expiresAt: row.expire_t, remoteAddr: row.remote_addr, userAgent: row.user_agent})),
      };
    },
    async deleteSession(uuid: string, scope: SessionScope): Promise<Session | undefined> {
      const row = await db.row<SessionRow>(removeSession, {uuid, tenants: scope.tenantUuids, user: scope.userUuid ?? null});
      return row && toSession(row);
    },
  };
}
