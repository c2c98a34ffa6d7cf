// Sessions seen and ended by administrators, always within the caller's tenant tree. Ending a
// session removes its token with it, so the token stops passing checks at once.

import {busEvents} from './events/bus-events.js';
import type {EventOutbox} from './events/outbox.js';
import type {ListParams, ListResult, SessionListing} from '../domain/types.js';
import type {SessionScope, Store} from '../store/store.js';
import type {TenantService} from './tenants.js';
import type {UserService} from './users.js';

export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    private readonly users: UserService,
    private readonly events: EventOutbox,
  ) {}

  /** Sessions of the scoping tenant, or of its whole subtree with `recurse`. */
  async list(scopeTenantUuid: string, params: ListParams, recurse: boolean): Promise<ListResult<SessionListing>> {
    const tenantUuids = await this.tenants.visibleTenants(scopeTenantUuid, recurse);
    return this.store.tokens.listSessions({tenantUuids}, params);
  }

  /** Throws UnknownUser when the user is outside the scoping tenant's tree. */
  async listOfUser(scopeTenantUuid: string, userUuid: string, params: ListParams): Promise<ListResult<SessionListing>> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    return this.store.tokens.listSessions({tenantUuids: [user.tenantUuid], userUuid}, params);
  }

  /** Ends a session of the scoping tenant's tree; any other session, known or not, is left alone without error. */
  async delete(scopeTenantUuid: string, sessionUuid: string): Promise<void> {
    const tenantUuids = await this.tenants.visibleTenants(scopeTenantUuid, true);
    await this.deleteAnnounced(sessionUuid, {tenantUuids});
  }

  /**
   * Ends one of the user's sessions. Upstream would end any session of the tree here; only the
   * user's own are reached, so that `auth.users.me.sessions.*.delete` cannot end a neighbour's.
   */
  async deleteOfUser(scopeTenantUuid: string, userUuid: string, sessionUuid: string): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    await this.deleteAnnounced(sessionUuid, {tenantUuids: [user.tenantUuid], userUuid});
  }

  private async deleteAnnounced(sessionUuid: string, scope: SessionScope): Promise<void> {
    await this.events.record(
      () => this.store.tokens.deleteSession(sessionUuid, scope),
      (session, origin) => (session ? [busEvents.sessionDeleted(session, origin)] : []),
    );
  }
}
