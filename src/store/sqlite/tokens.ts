// Sessions and their access tokens, stored under the token's digest; `findByDigest` is the
// daemon's hot path: answered from memory when it can, else one primary-key lookup.
import {BoundedMap} from '../../bounded-map.js';
import type {Session, TokenRecord} from '../../domain/types.js';
import type {TokenStore} from '../store.js';
import type {Db} from './database.js';
import {asConflict} from './errors.js';
import {createSessionQueries, sessionColumns, toSession, type SessionRow} from './sessions.js';

interface TokenRow {
  digest: string;
  session_uuid: string;
  auth_id: string;
  pbx_user_uuid: string | null;
  xivo_uuid: string;
  issued_t: number;
  expire_t: number;
  acl: string;
  metadata: string;
  user_agent: string;
  remote_addr: string;
  refresh_token_uuid: string | null;
}

const columns = `digest, session_uuid, auth_id, pbx_user_uuid, xivo_uuid, issued_t, expire_t, acl, metadata,
  user_agent, remote_addr, refresh_token_uuid`;

function toToken(row: TokenRow): TokenRecord {
  return {
    digest: row.digest,
    sessionUuid: row.session_uuid,
    authId: row.auth_id,
    pbxUserUuid: row.pbx_user_uuid,
    xivoUuid: row.xivo_uuid,
    issuedAt: row.issued_t,
    expiresAt: row.expire_t,
    acl: JSON.parse(row.acl) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    refreshTokenUuid: row.refresh_token_uuid,
  };
}

function seconds(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a number of seconds, not ${String(value)}`);
  return Math.trunc(value);
}

/** How many token records are kept in memory; beyond it the oldest are dropped. */
const CACHE_SIZE = 100_000;

/**
 * Token rows never change once written; they only disappear. Each lookup in the file costs
 * SQLite's locking system calls, so the rows are kept in memory, and a temporary trigger drops
 * a row from memory whenever it leaves the table, by whatever path (cascades included). Only
 * changes made through this connection are seen: one daemon per database file.
 */
function createTokenCache(db: Db): Map<string, TokenRecord> {
  const cache = new BoundedMap<string, TokenRecord>(CACHE_SIZE);
  db.function('wazo_auth_forget_token', {deterministic: false, directOnly: true}, (digest: unknown) => {
    cache.delete(String(digest));
    return null;
  });
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS forget_deleted_token AFTER DELETE ON main.tokens
    BEGIN SELECT wazo_auth_forget_token(OLD.digest); END`);
  return cache;
}

export function createTokenStore(db: Db): TokenStore {
  const cache = createTokenCache(db);
  const insertSession = db.prepare(
    `INSERT INTO sessions (uuid, tenant_uuid, user_uuid, mobile, created_at)
     VALUES (@uuid, @tenantUuid, @userUuid, @mobile, @createdAt)`,
  );
  const insertToken = db.prepare(
    `INSERT INTO tokens (${columns})
     VALUES (@digest, @sessionUuid, @authId, @pbxUserUuid, @xivoUuid, @issuedAt, @expiresAt, @acl, @metadata,
       @userAgent, @remoteAddr, @refreshTokenUuid)`,
  );
  const byDigest = db.prepare<[string], TokenRow>(`SELECT ${columns} FROM tokens WHERE digest = ?`);
  const removeToken = db.prepare<[string], TokenRow>(`DELETE FROM tokens WHERE digest = ? RETURNING ${columns}`);
  // Oldest first, so that a backlog drains in expiry order; expire_t is indexed.
  const removeExpired = db
    .prepare<[number, number], string>(
      `DELETE FROM tokens WHERE digest IN (SELECT digest FROM tokens WHERE expire_t < ? ORDER BY expire_t LIMIT ?)
       RETURNING session_uuid`,
    )
    .pluck();
  // A session lives as long as it has a token; upstream keeps one token per session.
  const removeEmptySessions = db.prepare<[string], SessionRow>(
    `DELETE FROM sessions WHERE uuid IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.session_uuid = sessions.uuid)
     RETURNING ${sessionColumns}`,
  );
  // Bounded: a login only needs to know whether the cap is reached, however many sessions there are.
  const countOfUser = db
    .prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM sessions WHERE user_uuid = ? LIMIT ?)')
    .pluck();
  const removeOfUser = db.prepare<[string], SessionRow>(`DELETE FROM sessions WHERE user_uuid = ? RETURNING ${sessionColumns}`);
  const removeOfRefreshToken = db.prepare<[string], SessionRow>(
    `DELETE FROM sessions WHERE uuid IN (SELECT session_uuid FROM tokens WHERE refresh_token_uuid = ?) RETURNING ${sessionColumns}`,
  );

  const create = db.transaction((session: Session, token: TokenRecord) => {
    try {
      insertSession.run({
        uuid: session.uuid,
        tenantUuid: session.tenantUuid,
        userUuid: session.userUuid,
        mobile: session.mobile ? 1 : 0,
        createdAt: seconds(session.createdAt, 'createdAt'),
      });
      insertToken.run({
        digest: token.digest,
        sessionUuid: session.uuid,
        authId: token.authId,
        pbxUserUuid: token.pbxUserUuid ?? null,
        xivoUuid: token.xivoUuid,
        issuedAt: seconds(token.issuedAt, 'issuedAt'),
        expiresAt: seconds(token.expiresAt, 'expiresAt'),
        acl: JSON.stringify(token.acl),
        metadata: JSON.stringify(token.metadata),
        userAgent: token.userAgent,
        remoteAddr: token.remoteAddr,
        refreshTokenUuid: token.refreshTokenUuid ?? null,
      });
    } catch (error) {
      throw asConflict(error, {'sessions.uuid': ['session_uuid', session.uuid], 'tokens.digest': ['token', token.digest]});
    }
  });

  const removeByDigest = db.transaction((digest: string): TokenRow | undefined => {
    const row = removeToken.get(digest);
    if (row) removeEmptySessions.all(JSON.stringify([row.session_uuid]));
    return row;
  });

  const removeExpiredBatch = db.transaction((now: number, limit: number): Session[] => {
    const sessions = removeExpired.all(now, limit);
    return sessions.length > 0 ? removeEmptySessions.all(JSON.stringify(sessions)).map(toSession) : [];
  });

  return {
    ...createSessionQueries(db),
    async create(session: Session, token: TokenRecord): Promise<void> {
      create(session, token);
    },
    async findByDigest(digest: string): Promise<TokenRecord | undefined> {
      let token = cache.get(digest);
      if (token) return token;
      const row = byDigest.get(digest);
      if (!row) return undefined;
      token = toToken(row);
      cache.set(digest, token);
      return token;
    },
    async deleteByDigest(digest: string): Promise<TokenRecord | undefined> {
      const row = removeByDigest(digest);
      return row && toToken(row);
    },
    async deleteExpired(now: number, limit: number): Promise<Session[]> {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, not ${String(limit)}`);
      // Strictly before: a token is expired when now > expire_t.
      return removeExpiredBatch(seconds(now, 'now'), limit);
    },
    async countSessions(userUuid: string, atMost = -1): Promise<number> {
      return countOfUser.get(userUuid, atMost) ?? 0;
    },
    async deleteSessionsOfUser(userUuid: string): Promise<Session[]> {
      // The sessions' tokens go with them (ON DELETE CASCADE).
      return removeOfUser.all(userUuid).map(toSession);
    },
    async deleteByRefreshToken(refreshTokenUuid: string): Promise<Session[]> {
      return removeOfRefreshToken.all(refreshTokenUuid).map(toSession);
    },
  };
}
