// Refresh-token listings, part of the refresh-token store: tokens of the users of some tenants,
// never their digests, with upstream's exact-match filters counted apart from the total.
import type {ListParams, ListResult, RefreshTokenFilter, RefreshTokenListing, RefreshTokenStore} from '../store.js';
import type {Db} from './database.js';
import {Lister, toBool, uuidList, searchMatches} from './list.js';

interface ListingRow {
  uuid: string;
  client_id: string;
  user_uuid: string;
  tenant_uuid: string;
  backend: string;
  login: string;
  user_agent: string;
  remote_addr: string;
  mobile: number;
  created_at: number;
}

const scope = `FROM refresh_tokens r JOIN users u ON u.uuid = r.user_uuid
  WHERE u.tenant_uuid IN (SELECT value FROM json_each(@tenants)) AND (@user IS NULL OR r.user_uuid = @user)`;

function toListing(row: ListingRow): RefreshTokenListing {
  return {
    uuid: row.uuid,
    clientId: row.client_id,
    userUuid: row.user_uuid,
    tenantUuid: row.tenant_uuid,
    backend: row.backend,
    login: row.login,
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    mobile: toBool(row.mobile),
    createdAt: row.created_at,
  };
}

export function createRefreshTokenList(db: Db): Pick<RefreshTokenStore, 'list'> {
  const lister = new Lister<ListingRow>(db, {
    columns: `r.uuid, r.client_id, r.user_uuid, u.tenant_uuid, r.backend, r.login, r.user_agent, r.remote_addr,
      r.mobile, r.created_at`,
    from: scope,
    search: `${searchMatches('unicode_lower(r.client_id)')}`,
    filters: {client_id: 'r.client_id = @f_client_id', mobile: 'r.mobile = @f_mobile', created_at: 'r.created_at = @f_created_at'},
    // created_at holds whole seconds: the rowid orders tokens created within one second, as
    // upstream's microsecond timestamps do, in either direction. Text sorts case-insensitively,
    // as PostgreSQL's usual locale collations do.
    orders: {created_at: ['r.created_at', 'r.rowid'], client_id: 'r.client_id COLLATE NOCASE', mobile: 'r.mobile'},
    defaultOrder: 'created_at',
    tieBreak: 'r.rowid',
  });

  return {
    async list(filter: RefreshTokenFilter, params: ListParams): Promise<ListResult<RefreshTokenListing>> {
      const {total, filtered, rows} = lister.list(
        {tenants: uuidList(filter.tenantUuids), user: filter.userUuid ?? null},
        params,
        {client_id: filter.clientId, mobile: filter.mobile, created_at: filter.createdAt},
      );
      return {total, filtered, items: rows.map(toListing)};
    },
  };
}
