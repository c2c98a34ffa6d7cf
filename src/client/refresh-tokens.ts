// Refresh tokens, named by user and client_id; their value never leaves the daemon after the login.

import {segment, type Transport} from './transport.js';
import type {ListParams, ListResult, RefreshToken, RefreshTokenFilters} from './types.js';

/** A user's uuid, or `me` for the caller. */
const owner = (user: string) => `/users/${segment(user)}/tokens`;

export class RefreshTokens {
  constructor(private readonly transport: Transport) {}

  /** Those of the users of the tenant the request acts in; sorted by created_at unless `order` says client_id or mobile. */
  list(params: ListParams & RefreshTokenFilters = {}): Promise<ListResult<RefreshToken>> {
    return this.transport.json('GET', '/tokens', {query: {...params}});
  }

  listOfUser(user: string, params: Omit<ListParams, 'recurse'> & RefreshTokenFilters = {}): Promise<ListResult<RefreshToken>> {
    return this.transport.json('GET', owner(user), {query: {...params}});
  }

  /** The refresh token cannot log in any more; the access tokens it produced stay valid. ApiError 404 when there is none. */
  delete(user: string, clientId: string): Promise<void> {
    return this.transport.empty('DELETE', `${owner(user)}/${segment(clientId)}`);
  }
}
