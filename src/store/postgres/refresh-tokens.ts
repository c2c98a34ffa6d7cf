// Refresh tokens on PostgreSQL: one per (user, client_id), stored under the digest of the value
// handed out; listings show the tenant of the token's user, never the digest.
import type {ListParams, ListResult, RefreshToken, RefreshTokenFilter, RefreshTokenListing} from '../../domain/types.js';
import type {RefreshTokenStore} from '../store.js';
import {sql, type Database} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, searchMatches} from './list.js';

interface RefreshTokenRow {
  uuid: string;
  digest: string;
  client_id: string;
  user_uuid: string;
  backend: string;
  login: string;
  user_agent: string;
  remote_addr: string;
  mobile: boolean;
  created_at: number;
}

interface ListingRow extends Omit<RefreshTokenRow, 'digest'> {
  tenant_uuid: string;
}

const columns = 'uuid, digest, client_id, user_uuid, backend, login, user_agent, remote_addr, mobile, created_at';

function fields(row: Omit<RefreshTokenRow, 'digest'>): Omit<RefreshToken, 'digest'> {
  return {
    uuid: row.uuid,
    clientId: row.client_id,
    userUuid: row.user_uuid,
    backend: row.backend,
    login: row.login,
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    mobile: row.mobile,
    createdAt: row.created_at,
  };
}

function toRefreshToken(row: RefreshTokenRow): RefreshToken {
  return {...fields(row), digest: row.digest};
}

const insert = sql(
  `INSERT INTO refresh_tokens (${columns})
   VALUES (@uuid, @digest, @clientId, @userUuid, @backend, @login, @userAgent, @remoteAddr, @mobile, @createdAt)
   RETURNING ${columns}`,
);
const byDigest = sql(`SELECT ${columns} FROM refresh_tokens WHERE digest = @digest`);
const byClient = sql(`SELECT ${columns} FROM refresh_tokens WHERE user_uuid = @user AND client_id = @client`);
// Oldest first; seq breaks ties between tokens created within the same second.
const ofUser = sql(
  `SELECT ${columns} FROM refresh_tokens WHERE user_uuid = @user AND (@mobile::boolean IS NULL OR mobile = @mobile)
   ORDER BY created_at, seq`,
);
const removeByClient = sql('DELETE FROM refresh_tokens WHERE user_uuid = @user AND client_id = @client');

export function createRefreshTokenStore(db: Database): RefreshTokenStore {
  const lister = new Lister<ListingRow>(db, {
    columns: `r.uuid, r.client_id, r.user_uuid, u.tenant_uuid, r.backend, r.login, r.user_agent, r.remote_addr,
      r.mobile, r.created_at`,
    from: `FROM refresh_tokens r JOIN users u ON u.uuid = r.user_uuid
      WHERE u.tenant_uuid = ANY (@tenants::text[]) AND (@user::text IS NULL OR r.user_uuid = @user)`,
    search: searchMatches('lower(r.client_id)'),
    filters: {client_id: 'r.client_id = @f_client_id', mobile: 'r.mobile = @f_mobile', created_at: 'r.created_at = @f_created_at'},
    // created_at holds whole seconds: seq orders tokens created within one second, as upstream's
    // microsecond timestamps do, in either direction.
    orders: {created_at: ['r.created_at', 'r.seq'], client_id: 'lower(r.client_id)', mobile: 'r.mobile'},
    defaultOrder: 'created_at',
    tieBreak: 'r.seq',
  });

  return {
    async create(token: RefreshToken): Promise<RefreshToken> {
      try {
        const row = await db.row<RefreshTokenRow>(insert, {...token, createdAt: Math.trunc(token.createdAt)});
        return toRefreshToken(row!);
      } catch (error) {
        const conflict = asConflict(error, {
          refresh_tokens_client: ['client_id', token.clientId],
          refresh_tokens_digest: ['refresh_token', token.digest],
          refresh_tokens_pkey: ['uuid', token.uuid],
        });
        throw asMissingReference(conflict, `user ${token.userUuid} does not exist`);
      }
    },
    async findByDigest(digest: string): Promise<RefreshToken | undefined> {
      const row = await db.row<RefreshTokenRow>(byDigest, {digest});
      return row && toRefreshToken(row);
    },
    async findByClient(userUuid: string, clientId: string): Promise<RefreshToken | undefined> {
      const row = await db.row<RefreshTokenRow>(byClient, {user: userUuid, client: clientId});
      return row && toRefreshToken(row);
    },
    async listByUser(userUuid: string, options: {mobile?: boolean} = {}): Promise<RefreshToken[]> {
      return (await db.rows<RefreshTokenRow>(ofUser, {user: userUuid, mobile: options.mobile ?? null})).map(toRefreshToken);
    },
    async deleteByClient(userUuid: string, clientId: string): Promise<boolean> {
      return (await db.run(removeByClient, {user: userUuid, client: clientId})) > 0;
    },
    async list(filter: RefreshTokenFilter, params: ListParams): Promise<ListResult<RefreshTokenListing>> {
      const {total, filtered, rows} = await lister.list({tenants: filter.tenantUuids, user: filter.userUuid ?? null}, params, {
        client_id: filter.clientId,
        mobile: filter.mobile,
        created_at: filter.createdAt,
      });
      return {total, filtered, items: rows.map((row) => ({...fields(row), tenantUuid: row.tenant_uuid}))};
    },
  };
}
