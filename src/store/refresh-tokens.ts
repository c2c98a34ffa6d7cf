// Refresh tokens: one per (user, client_id), stored under the digest of the value handed out;
// listings show the tenant of the token's user, never the digest.
import {sql, type Selectable} from 'kysely';
import type {ListParams, ListResult, RefreshToken, RefreshTokenFilter, RefreshTokenListing} from '../domain/types.js';
import type {StoreContext} from './context.js';
import {like, list} from './list.js';
import type {RefreshTokenStore} from './store.js';
import type {RefreshTokensTable} from './tables.js';

type Row = Selectable<RefreshTokensTable>;
type FieldsRow = Omit<Row, 'digest'>;

const COLUMNS = ['uuid', 'digest', 'client_id', 'user_uuid', 'backend', 'login', 'user_agent', 'remote_addr', 'mobile', 'created_at'] as const;

function fields(row: FieldsRow): Omit<RefreshToken, 'digest'> {
  return {
    uuid: row.uuid,
    clientId: row.client_id,
    userUuid: row.user_uuid,
    backend: row.backend,
    login: row.login,
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    mobile: Boolean(row.mobile),
    createdAt: row.created_at,
  };
}

function toRefreshToken(row: Row): RefreshToken {
  return {...fields(row), digest: row.digest};
}

export function createRefreshTokenStore({db, dialect}: StoreContext): RefreshTokenStore {
  const refreshTokens = () => db.selectFrom('refresh_tokens').select(COLUMNS);

  return {
    async create(token: RefreshToken): Promise<RefreshToken> {
      try {
        await db
          .insertInto('refresh_tokens')
          .values({
            uuid: token.uuid,
            digest: token.digest,
            client_id: token.clientId,
            user_uuid: token.userUuid,
            backend: token.backend,
            login: token.login,
            user_agent: token.userAgent,
            remote_addr: token.remoteAddr,
            mobile: token.mobile,
            created_at: Math.trunc(token.createdAt),
          })
          .execute();
      } catch (error) {
        const conflict = dialect.asConflict(error, {
          'refresh_tokens.client_id': ['client_id', token.clientId],
          'refresh_tokens.digest': ['refresh_token', token.digest],
          'refresh_tokens.uuid': ['uuid', token.uuid],
        });
        throw dialect.asMissingReference(conflict, `user ${token.userUuid} does not exist`);
      }
      return toRefreshToken((await refreshTokens().where('uuid', '=', token.uuid).executeTakeFirst())!);
    },
    async findByDigest(digest: string): Promise<RefreshToken | undefined> {
      const row = await refreshTokens().where('digest', '=', digest).executeTakeFirst();
      return row && toRefreshToken(row);
    },
    async findByClient(userUuid: string, clientId: string): Promise<RefreshToken | undefined> {
      const row = await refreshTokens().where('user_uuid', '=', userUuid).where('client_id', '=', clientId).executeTakeFirst();
      return row && toRefreshToken(row);
    },
    async listByUser(userUuid: string, options: {mobile?: boolean} = {}): Promise<RefreshToken[]> {
      // Oldest first; the insertion order breaks ties between tokens created within one second.
      const rows = await db
        .selectFrom('refresh_tokens as r')
        .select(COLUMNS.map((column) => `r.${column}` as const))
        .where('r.user_uuid', '=', userUuid)
        .$if(options.mobile !== undefined, (query) => query.where('r.mobile', '=', options.mobile!))
        .orderBy('r.created_at')
        .orderBy(dialect.insertionOrder('r'))
        .execute();
      return rows.map(toRefreshToken);
    },
    async deleteByClient(userUuid: string, clientId: string): Promise<boolean> {
      const result = await db.deleteFrom('refresh_tokens').where('user_uuid', '=', userUuid).where('client_id', '=', clientId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async setDigest(uuid: string, digest: string): Promise<RefreshToken | undefined> {
      await db.updateTable('refresh_tokens').set({digest}).where('uuid', '=', uuid).execute();
      const row = await refreshTokens().where('uuid', '=', uuid).executeTakeFirst();
      return row && toRefreshToken(row);
    },
    async list(filter: RefreshTokenFilter, params: ListParams): Promise<ListResult<RefreshTokenListing>> {
      const from = db
        .selectFrom('refresh_tokens as r')
        .innerJoin('users as u', 'u.uuid', 'r.user_uuid')
        .where(dialect.inList(sql.ref('u.tenant_uuid'), filter.tenantUuids))
        .$if(filter.userUuid !== undefined, (query) => query.where('r.user_uuid', '=', filter.userUuid!));
      const {total, filtered, rows} = await list<FieldsRow & {tenant_uuid: string}>(
        {
          from,
          columns: (query) =>
            query.select([
              'r.uuid',
              'r.client_id',
              'r.user_uuid',
              'u.tenant_uuid',
              'r.backend',
              'r.login',
              'r.user_agent',
              'r.remote_addr',
              'r.mobile',
              'r.created_at',
            ]),
          search: (pattern) => like(dialect.lower(sql.ref('r.client_id')), pattern),
          filters: {
            client_id: (value) => sql`r.client_id = ${value}`,
            mobile: (value) => sql`r.mobile = ${value}`,
            created_at: (value) => sql`r.created_at = ${value}`,
          },
          // created_at holds whole seconds: the insertion order orders tokens created within one
          // second, as upstream's microsecond timestamps do, in either direction. Text sorts
          // regardless of case, as PostgreSQL's usual locale collations do.
          orders: {
            created_at: [sql.ref('r.created_at'), dialect.insertionOrder('r')],
            client_id: dialect.caseless(sql.ref('r.client_id')),
            mobile: sql.ref('r.mobile'),
          },
          defaultOrder: 'created_at',
          tieBreak: dialect.insertionOrder('r'),
        },
        params,
        {client_id: filter.clientId, mobile: filter.mobile, created_at: filter.createdAt},
        dialect,
      );
      return {total, filtered, items: rows.map((row) => ({...fields(row), tenantUuid: row.tenant_uuid}))};
    },
  };
}
