// Refresh tokens as administrators and their owners see them: listed and withdrawn within the
// caller's tenant tree. Withdrawing one leaves the access tokens it produced alone, as upstream.

import {busEvents} from './events/bus-events.js';
import type {EventOutbox} from './events/outbox.js';
import {UnknownRefreshToken} from '../domain/errors.js';
import type {ListParams, ListResult, RefreshTokenFilter, RefreshTokenListing} from '../domain/types.js';
import type {Store} from '../store/store.js';
import type {TenantService} from './tenants.js';
import type {UserService} from './users.js';

/** Upstream's exact-match filters of refresh-token lists. */
export type RefreshTokenMatch = Omit<RefreshTokenFilter, 'tenantUuids' | 'userUuid'>;

export class RefreshTokenService {
  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    private readonly users: UserService,
    private readonly events: EventOutbox,
  ) {}

  /** Refresh tokens of the users of the scoping tenant, or of its whole subtree with `recurse`. */
  async list(scopeTenantUuid: string, match: RefreshTokenMatch, params: ListParams, recurse: boolean): Promise<ListResult<RefreshTokenListing>> {
    const tenantUuids = await this.tenants.visibleTenants(scopeTenantUuid, recurse);
    return this.store.refreshTokens.list({...match, tenantUuids}, params);
  }

  /** Throws UnknownUser when the user is outside the scoping tenant's tree. */
  async listOfUser(scopeTenantUuid: string, userUuid: string, match: RefreshTokenMatch, params: ListParams): Promise<ListResult<RefreshTokenListing>> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    return this.store.refreshTokens.list({...match, tenantUuids: [user.tenantUuid], userUuid}, params);
  }

  /** The refresh token can no longer log in; sessions it opened keep running until they expire. */
  async delete(scopeTenantUuid: string, userUuid: string, clientId: string): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const row = await this.store.refreshTokens.findByClient(userUuid, clientId);
    const deleted = await this.events.record(
      () => this.store.refreshTokens.deleteByClient(userUuid, clientId),
      (done, origin) => (done ? [busEvents.refreshTokenDeleted({clientId, mobile: row?.mobile ?? false, tenantUuid: user.tenantUuid, userUuid}, origin)] : []),
    );
    if (!deleted) throw new UnknownRefreshToken(clientId);
  }
}
