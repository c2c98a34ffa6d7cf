// Sessions and their access tokens, stored under the token's digest. Token checks go through the
// engine's own lookup (src/store/sqlite/token-cache.ts, src/store/postgres/token-lookup.ts): the
// daemon's hot path, kept off the query builder. Expired tokens are removed in batches that
// daemons cleaning at the same moment share out instead of repeating.
import {sql, type Kysely, type Selectable} from 'kysely';
import type {ListParams, ListResult, Session, SessionListing, TokenRecord} from '../domain/types.js';
import type {StoreContext} from './context.js';
import type {Dialect} from './dialect.js';
import {like, list} from './list.js';
import type {SessionScope, TokenStore} from './store.js';
import type {SessionsTable, Tables, TokensTable} from './tables.js';

/** How token checks find a token: the engine's own fast path. */
export interface TokenLookup {
  find(digest: string): Promise<TokenRecord | undefined>;
  /** Forgets a record now rather than at its next lookup (this daemon removed it). */
  forget(digest: string): void;
}

export const TOKEN_COLUMNS = [
  'digest',
  'session_uuid',
  'auth_id',
  'pbx_user_uuid',
  'xivo_uuid',
  'issued_t',
  'expire_t',
  'acl',
  'metadata',
  'user_agent',
  'remote_addr',
  'refresh_token_uuid',
] as const;

export type TokenRow = Selectable<TokensTable>;
type SessionRow = Selectable<SessionsTable>;

export function toToken(row: TokenRow, dialect: Dialect): TokenRecord {
  return {
    digest: row.digest,
    sessionUuid: row.session_uuid,
    authId: row.auth_id,
    pbxUserUuid: row.pbx_user_uuid,
    xivoUuid: row.xivo_uuid,
    issuedAt: row.issued_t,
    expiresAt: row.expire_t,
    acl: dialect.fromJson(row.acl),
    metadata: dialect.fromJson(row.metadata),
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    refreshTokenUuid: row.refresh_token_uuid,
  };
}

function toSession(row: SessionRow): Session {
  return {uuid: row.uuid, tenantUuid: row.tenant_uuid, userUuid: row.user_uuid, mobile: Boolean(row.mobile), createdAt: row.created_at};
}

function seconds(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a number of seconds, not ${String(value)}`);
  return Math.trunc(value);
}

const SESSION_COLUMNS = ['uuid', 'tenant_uuid', 'user_uuid', 'mobile', 'created_at'] as const;

/**
 * A session lives as long as it has a token (upstream keeps one per session): removes those of
 * `uuids` left without; returns them.
 */
async function removeEmptySessions(trx: Kysely<Tables>, uuids: string[], dialect: Dialect): Promise<Session[]> {
  if (uuids.length === 0) return [];
  const rows = await trx
    .deleteFrom('sessions')
    .where(dialect.inList(sql.ref('sessions.uuid'), uuids))
    .where(({not, exists, selectFrom}) => not(exists(selectFrom('tokens as t').select('t.digest').whereRef('t.session_uuid', '=', 'sessions.uuid'))))
    .returning(SESSION_COLUMNS)
    .execute();
  return rows.map(toSession);
}

export function createTokenStore({db, dialect}: StoreContext, lookup: TokenLookup): TokenStore {
  const inScope = (scope: SessionScope) =>
    sql<boolean>`${dialect.inList(sql.ref('s.tenant_uuid'), scope.tenantUuids)}${scope.userUuid === undefined ? sql`` : sql` AND s.user_uuid = ${scope.userUuid}`}`;

  return {
    async create(session: Session, token: TokenRecord): Promise<void> {
      await db.transaction().execute(async (trx) => {
        try {
          await trx
            .insertInto('sessions')
            .values({
              uuid: session.uuid,
              tenant_uuid: session.tenantUuid,
              user_uuid: session.userUuid,
              mobile: session.mobile,
              created_at: seconds(session.createdAt, 'createdAt'),
            })
            .execute();
          await trx
            .insertInto('tokens')
            .values({
              digest: token.digest,
              session_uuid: session.uuid,
              auth_id: token.authId,
              pbx_user_uuid: token.pbxUserUuid ?? null,
              xivo_uuid: token.xivoUuid,
              issued_t: seconds(token.issuedAt, 'issuedAt'),
              expire_t: seconds(token.expiresAt, 'expiresAt'),
              acl: dialect.toJson(token.acl),
              metadata: dialect.toJson(token.metadata),
              user_agent: token.userAgent,
              remote_addr: token.remoteAddr,
              refresh_token_uuid: token.refreshTokenUuid ?? null,
            })
            .execute();
        } catch (error) {
          throw dialect.asConflict(error, {'sessions.uuid': ['session_uuid', session.uuid], 'tokens.digest': ['token', token.digest]});
        }
      });
    },
    findByDigest: (digest) => lookup.find(digest),
    async deleteByDigest(digest: string): Promise<TokenRecord | undefined> {
      const row = await db.transaction().execute(async (trx) => {
        const gone = await trx.deleteFrom('tokens').where('digest', '=', digest).returning(TOKEN_COLUMNS).executeTakeFirst();
        if (gone) await removeEmptySessions(trx, [gone.session_uuid], dialect);
        return gone;
      });
      lookup.forget(digest);
      return row && toToken(row, dialect);
    },
    async deleteExpired(now: number, limit: number): Promise<Session[]> {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, not ${String(limit)}`);
      // Strictly before: a token is expired when now > expire_t. Oldest first, so that a backlog
      // drains in expiry order. SKIP LOCKED: a daemon cleaning at the same moment takes other
      // rows instead of waiting for these or deleting them again.
      return db.transaction().execute(async (trx) => {
        const expired = dialect.forUpdate(
          trx.selectFrom('tokens').select('digest').where('expire_t', '<', seconds(now, 'now')).orderBy('expire_t').limit(limit),
          {skipLocked: true},
        );
        const gone = await trx.deleteFrom('tokens').where('digest', 'in', expired).returning(['digest', 'session_uuid']).execute();
        const sessions = await removeEmptySessions(trx, [...new Set(gone.map((row) => row.session_uuid))], dialect);
        for (const row of gone) lookup.forget(row.digest);
        return sessions;
      });
    },
    async countLiveSessions(now: number): Promise<number> {
      const row = await db.selectFrom('tokens').select(sql<number>`count(DISTINCT session_uuid)`.as('n')).where('expire_t', '>', now).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async countSessions(userUuid: string, atMost?: number): Promise<number> {
      // Bounded: a login only needs to know whether the cap is reached, however many sessions there are.
      const some = db
        .selectFrom('sessions')
        .select(sql`1`.as('one'))
        .where('user_uuid', '=', userUuid)
        .limit((atMost ?? dialect.noLimit) as number);
      const row = await db.selectFrom(some.as('s')).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async deleteSessionsOfUser(userUuid: string): Promise<Session[]> {
      // The sessions' tokens go with them (ON DELETE CASCADE).
      const rows = await db.deleteFrom('sessions').where('user_uuid', '=', userUuid).returning(SESSION_COLUMNS).execute();
      return rows.map(toSession);
    },
    async deleteByRefreshToken(refreshTokenUuid: string): Promise<Session[]> {
      const rows = await db
        .deleteFrom('sessions')
        .where('uuid', 'in', db.selectFrom('tokens').select('session_uuid').where('refresh_token_uuid', '=', refreshTokenUuid))
        .returning(SESSION_COLUMNS)
        .execute();
      return rows.map(toSession);
    },
    async listSessions(scope: SessionScope, params: ListParams): Promise<ListResult<SessionListing>> {
      type Row = SessionRow & {expire_t: number; remote_addr: string; user_agent: string};
      const {total, filtered, rows} = await list<Row>(
        {
          from: db.selectFrom('sessions as s').innerJoin('tokens as t', 't.session_uuid', 's.uuid').where(inScope(scope)),
          columns: (query) =>
            query.select(['s.uuid', 's.tenant_uuid', 's.user_uuid', 's.mobile', 's.created_at', 't.expire_t', 't.remote_addr', 't.user_agent']),
          search: (pattern) =>
            sql`${like(dialect.lower(sql.ref('s.user_uuid')), pattern)} OR ${like(dialect.lower(sql.ref('t.remote_addr')), pattern)}
              OR ${like(dialect.lower(sql.ref('t.user_agent')), pattern)}`,
          orders: {created_at: sql.ref('s.created_at'), expires_at: sql.ref('t.expire_t'), mobile: sql.ref('s.mobile')},
          defaultOrder: 'created_at',
          tieBreak: sql.ref('s.uuid'),
        },
        params,
        {},
        dialect,
      );
      return {
        total,
        filtered,
        items: rows.map((row) => ({...toSession(row), expiresAt: row.expire_t, remoteAddr: row.remote_addr, userAgent: row.user_agent})),
      };
    },
    async deleteSession(uuid: string, scope: SessionScope): Promise<Session | undefined> {
      // The session's tokens follow it (ON DELETE CASCADE).
      const row = await db.deleteFrom('sessions as s').where('s.uuid', '=', uuid).where(inScope(scope)).returning(SESSION_COLUMNS).executeTakeFirst();
      return row && toSession(row);
    },
  };
}
