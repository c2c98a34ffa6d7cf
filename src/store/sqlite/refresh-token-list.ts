// Refresh-token listings, part of the refresh-token store: tokens of the users of some tenants,
// never their digests, with upstream's exact-match filters counted apart from the total.
import type {ListParams, ListResult, RefreshTokenFilter, RefreshTokenListing} from '../../domain/types.js';
import type {RefreshTokenStore} from '../store.js';
import type {Db} from './database.js';
import {Lister, uuidList, searchMatches} from './list.js';
import {toRefreshTokenFields, type RefreshTokenFieldsRow} from './refresh-tokens.js';

interface ListingRow extends RefreshTokenFieldsRow {
  tenant_uuid: string;
}

const scope = `FROM refresh_tokens r JOIN users u ON u.uuid = r.user_uuid
  WHERE u.tenant_uuid IN (SELECT value FROM json_each(@tenants)) AND (@user IS NULL OR r.user_uuid = @user)`;

function toListing(row: ListingRow): RefreshTokenListing {
  return {...toRefreshTokenFields(row), tenantUuid: row.tenant_uuid};
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
