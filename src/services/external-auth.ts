// Accounts of other services linked to users (upstream's external auth): each user's data per
// type (a phone's push tokens, OAuth tokens) and each tenant's settings per type (push
// credentials, OAuth client), all sealed at rest; changes to a user's data announced on the bus.

import type {ListParams, ListResult, User} from '../domain/types.js';
import {
  ConflictError,
  ExternalAuthAlreadyExists,
  ExternalAuthConfigAlreadyExists,
  ExternalAuthUnreadable,
  UnknownExternalAuth,
  UnknownExternalAuthConfig,
  UnknownExternalAuthType,
} from '../domain/errors.js';
import type {Logger} from '../log.js';
import type {Store} from '../store/store.js';
import {busEvents, type ExternalAuthAction} from './events/bus-events.js';
import type {EventOutbox} from './events/outbox.js';
import {SecretBoxError, type SecretBox} from './secret-box.js';
import type {TenantService} from './tenants.js';
import type {UserService} from './users.js';

export type ExternalData = Record<string, unknown>;

/** One entry of a user's list: a loaded type, whether the user has data of it, and none of that data. */
export interface ExternalAuthEntry {
  type: string;
  data: ExternalData;
  plugin_info: ExternalData;
  enabled: boolean;
}

export interface ExternalListParams extends ListParams {
  /** Only this type (upstream's strict filter). */
  type?: string | null;
}

// A sealed value opens only where it was sealed: copied to another user or tenant, it does not.
export const userContext = (userUuid: string, type: string) => `user_external_auth:${userUuid}:${type}`;
export const configContext = (tenantUuid: string, type: string) => `external_auth_config:${tenantUuid}:${type}`;

export class ExternalAuthService {
  /** The loaded external auth plugins, by name, with what the list shows of each (plugin_info). */
  private readonly types = new Map<string, ExternalData>();

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
    private readonly users: UserService,
    private readonly tenants: TenantService,
    private readonly events: EventOutbox,
    private readonly log: Logger,
  ) {}

  /** Called as each external auth plugin loads: its type is listed from then on. */
  enable(type: string, pluginInfo: ExternalData = {}): void {
    this.types.set(type, pluginInfo);
  }

  /** The user (within the scoping tenant's tree) and its data of this type. */
  async get(scopeTenantUuid: string, userUuid: string, type: string): Promise<{user: User; data: ExternalData}> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    return {user, data: await this.dataOf(user, type)};
  }

  async create(scopeTenantUuid: string, userUuid: string, type: string, data: ExternalData): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    await this.write(user, type, data, 'create');
  }

  /** Replaces the user's data; UnknownExternalAuth when there is none. */
  async update(scopeTenantUuid: string, userUuid: string, type: string, data: ExternalData): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    await this.write(user, type, data, 'update');
  }

  /** Replaces the user's data, or adds it when there is none (upstream's update_or_create). */
  async put(scopeTenantUuid: string, userUuid: string, type: string, data: ExternalData): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    await this.write(user, type, data, 'put');
  }

  /** Stores what an OAuth2 consent gave (added or updated) and announces it as authorized too. */
  async authorized(user: User, type: string, data: ExternalData): Promise<void> {
    await this.write(user, type, data, 'put', ['authorized']);
  }

  /** Replaces the data of a user already found (a refreshed access token). */
  async replace(user: User, type: string, data: ExternalData): Promise<void> {
    await this.write(user, type, data, 'update');
  }

  async delete(scopeTenantUuid: string, userUuid: string, type: string): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const deleted = await this.events.record(
      () => this.store.externalAuth.deleteUserData(user.uuid, type),
      (done, origin) => (done ? [busEvents.externalAuth('deleted', ref(user, type), origin)] : []),
    );
    if (!deleted) throw new UnknownExternalAuth(type);
  }

  /**
   * Every loaded type, whether the user has data of it, and no data (the built-in types declare
   * none safe to list): upstream's GET /users/{uuid}/external.
   */
  async list(scopeTenantUuid: string, userUuid: string, params: ExternalListParams): Promise<ListResult<ExternalAuthEntry>> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const has = new Set(await this.store.externalAuth.typesOfUser(user.uuid));
    const all = [...this.types.keys()];
    const search = params.search?.toLowerCase();
    const matching = all
      .filter((type) => (search ? type.toLowerCase().includes(search) : true) && (params.type ? type === params.type : true))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (params.direction === 'desc') matching.reverse();
    const offset = params.offset ?? 0;
    const page = matching.slice(offset, params.limit == null ? undefined : offset + params.limit);
    return {
      total: all.length,
      filtered: matching.length,
      items: page.map((type) => ({type, data: {}, plugin_info: {...this.types.get(type)}, enabled: has.has(type)})),
    };
  }

  /** The users of the scoping tenant (and below with `recurse`) that have data of a loaded type. */
  async connectedUsers(scopeTenantUuid: string, type: string, recurse: boolean, page: {limit: number | null; offset: number}) {
    if (!this.types.has(type)) throw new UnknownExternalAuthType(type);
    const tenants = await this.tenants.visibleTenants(scopeTenantUuid, recurse);
    return this.store.externalAuth.connectedUsers(type, tenants, page);
  }

  /** The tenant's settings of this type, secrets included. */
  async config(tenantUuid: string, type: string): Promise<ExternalData> {
    const sealed = await this.store.externalAuth.config(tenantUuid, type);
    if (sealed === undefined) throw new UnknownExternalAuthConfig(type);
    return this.open(sealed, configContext(tenantUuid, type), new ExternalAuthUnreadable(type, 'config'), `the ${type} config of tenant "${tenantUuid}"`);
  }

  async createConfig(tenantUuid: string, type: string, data: ExternalData): Promise<void> {
    try {
      await this.store.externalAuth.createConfig(tenantUuid, type, this.secrets.seal(JSON.stringify(data), configContext(tenantUuid, type)));
    } catch (error) {
      if (error instanceof ConflictError) throw new ExternalAuthConfigAlreadyExists(type);
      throw error;
    }
  }

  async updateConfig(tenantUuid: string, type: string, data: ExternalData): Promise<void> {
    const sealed = this.secrets.seal(JSON.stringify(data), configContext(tenantUuid, type));
    if (!(await this.store.externalAuth.updateConfig(tenantUuid, type, sealed))) throw new UnknownExternalAuthConfig(type);
  }

  async deleteConfig(tenantUuid: string, type: string): Promise<void> {
    if (!(await this.store.externalAuth.deleteConfig(tenantUuid, type))) throw new UnknownExternalAuthConfig(type);
  }

  private async dataOf(user: User, type: string): Promise<ExternalData> {
    const sealed = await this.store.externalAuth.userData(user.uuid, type);
    if (sealed === undefined) throw new UnknownExternalAuth(type);
    return this.open(sealed, userContext(user.uuid, type), new ExternalAuthUnreadable(type, 'user data'), `the ${type} data of user "${user.uuid}"`);
  }

  /** A sealed value's data; one that does not open is logged (never its content) and answered as `unreadable`. */
  private open(sealed: string, context: string, unreadable: ExternalAuthUnreadable, what: string): ExternalData {
    try {
      return JSON.parse(this.secrets.open(sealed, context)) as ExternalData;
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      this.log.error(`External auth: ${what} cannot be read (${error.message}); it must be set again`);
      throw unreadable;
    }
  }

  /** One write of a user's data and its events, in one transaction. */
  private async write(user: User, type: string, data: ExternalData, mode: 'create' | 'update' | 'put', extra: ExternalAuthAction[] = []): Promise<void> {
    const sealed = this.secrets.seal(JSON.stringify(data), userContext(user.uuid, type));
    const store = this.store.externalAuth;
    let action: ExternalAuthAction | undefined;
    try {
      action = await this.events.record(
        async (): Promise<ExternalAuthAction | undefined> => {
          if (mode !== 'create' && (await store.updateUserData(user.uuid, type, sealed))) return 'updated';
          if (mode === 'update') return undefined;
          await store.createUserData(user.uuid, type, sealed);
          return 'added';
        },
        (done, origin) => (done ? [done, ...extra].map((name) => busEvents.externalAuth(name, ref(user, type), origin)) : []),
      );
    } catch (error) {
      if (error instanceof ConflictError) throw new ExternalAuthAlreadyExists(type);
      throw error;
    }
    if (!action) throw new UnknownExternalAuth(type);
  }
}

function ref(user: User, type: string) {
  return {externalAuthName: type, tenantUuid: user.tenantUuid, userUuid: user.uuid};
}
