// Tenants' LDAP directories: the configuration routes' reads and writes (the bind password sealed
// on its way in, never given back), and the logins of users whose method is `ldap`.

import type {LdapConfig, LdapSecurity, User} from '../domain/types.js';
import {UnknownTenant} from '../domain/errors.js';
import type {Logger} from '../log.js';
import {clientValue} from '../log.js';
import type {Store} from '../store/store.js';
import {DEFAULT_TIMEOUTS, directoryLogin, directoryUrl, type DirectoryTimeouts} from './ldap-directory.js';
import type {SecretBox} from './secret-box.js';

/** What a PUT may set; a field left out keeps its value (upstream merges the body over the row). */
export interface LdapConfigChanges {
  host?: string;
  port?: number;
  protocolVersion?: number;
  protocolSecurity?: LdapSecurity;
  bindDn?: string | null;
  bindPassword?: string | null;
  userBaseDn?: string;
  userLoginAttribute?: string;
  userEmailAttribute?: string;
  searchFilters?: string | null;
  caCertificates?: string | null;
}

/** A configuration as the routes show it: everything but the password. */
export type LdapConfigView = Omit<LdapConfig, 'bindPasswordSealed'>;

/** Which tenant a login names (upstream's `domain_name`, or its deprecated `tenant_id`: uuid or slug). */
export type TenantRef = {domainName: string} | {tenantId: string};

/** A directory login's outcome: the wazo user it opens, or nothing (answered 401). */
export interface LdapLogin {
  user: User;
  email: string;
}

/** The sealed value is bound to its tenant: copied into another tenant's row, it does not open. */
export const bindPasswordContext = (tenantUuid: string) => `ldap_config.bind_password:${tenantUuid}`;
const context = bindPasswordContext;

export class LdapService {
  /** Directories found unreachable, by URL: the cause is logged once per outage. */
  private readonly down = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
    private readonly log: Logger,
    private readonly timeouts: DirectoryTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  async get(tenantUuid: string): Promise<LdapConfigView | undefined> {
    const config = await this.store.ldapConfigs.get(tenantUuid);
    return config && view(config);
  }

  /**
   * Creates or changes the tenant's configuration. A new one needs host, port, user_base_dn,
   * user_login_attribute and user_email_attribute (the route's schema says so); `missing` names
   * the first such field absent when there is no configuration to complete.
   */
  async put(tenantUuid: string, changes: LdapConfigChanges): Promise<LdapConfigView | {missing: string}> {
    const current = await this.store.ldapConfigs.get(tenantUuid);
    const {bindPassword, ...fields} = changes;
    const merged = {
      tenantUuid,
      protocolVersion: 3,
      protocolSecurity: null,
      bindDn: null,
      bindPasswordSealed: null,
      searchFilters: null,
      caCertificates: null,
      ...current,
      ...definedOnly(fields),
    } as Partial<LdapConfig> & {tenantUuid: string};
    for (const field of ['host', 'port', 'userBaseDn', 'userLoginAttribute', 'userEmailAttribute'] as const) {
      if (merged[field] === undefined) return {missing: field};
    }
    if (bindPassword !== undefined) merged.bindPasswordSealed = bindPassword === null ? null : this.secrets.seal(bindPassword, context(tenantUuid));
    const config = merged as LdapConfig;
    await this.store.ldapConfigs.put(config);
    return view(config);
  }

  async delete(tenantUuid: string): Promise<void> {
    await this.store.ldapConfigs.delete(tenantUuid);
  }

  /**
   * The tenant a login names. An unknown domain name is a refused login (undefined); an unknown
   * tenant_id is upstream's 404 (UnknownTenant).
   */
  async tenantOf(ref: TenantRef): Promise<string | undefined> {
    const uuid = await this.store.ldapConfigs.findTenant(ref);
    if (!uuid && 'tenantId' in ref) throw new UnknownTenant(ref.tenantId);
    if (!uuid) this.log.warning(`Failed login using non-existing domain_name: "${clientValue((ref as {domainName: string}).domainName)}"`);
    return uuid;
  }

  /**
   * Logs `login` in against the directory of the tenant `ref` names, and finds the tenant's user
   * with the entry's e-mail address (an address of the user's, or its username, in any case).
   */
  async login(ref: TenantRef, login: string, password: string): Promise<LdapLogin | undefined> {
    const tenantUuid = await this.tenantOf(ref);
    if (!tenantUuid) return undefined;
    const config = await this.store.ldapConfigs.get(tenantUuid);
    if (!config) {
      this.log.warning(`Could not login: no LDAP config for tenant "${tenantUuid}"`);
      return undefined;
    }
    let bindPassword: string | null = null;
    if (config.bindPasswordSealed) {
      try {
        bindPassword = this.secrets.open(config.bindPasswordSealed, context(tenantUuid));
      } catch (error) {
        this.log.error(`LDAP config of tenant "${tenantUuid}": the bind password cannot be read (${(error as Error).message}); set it again`);
        return undefined;
      }
    }
    const url = directoryUrl(config);
    const answer = await directoryLogin({...config, bindPassword}, login, password, this.timeouts);
    if ('unreachable' in answer) {
      if (!this.down.has(url)) {
        this.down.add(url);
        this.log.warning(`LDAP directory ${url} of tenant "${tenantUuid}" does not answer: ${answer.unreachable}`);
      } else {
        this.log.debug(`LDAP directory ${url} still does not answer: ${answer.unreachable}`);
      }
      return undefined;
    }
    if (this.down.delete(url)) this.log.info(`LDAP directory ${url} answers again`);
    if (!answer.ok) {
      const level = answer.misconfigured ? 'warning' : 'debug';
      this.log.log(level, `Could not login "${clientValue(login)}" on tenant "${tenantUuid}": ${clientValue(answer.reason)}`);
      return undefined;
    }
    const user = await this.userWithAddress(tenantUuid, answer.email);
    if (!user) {
      this.log.warning(`${clientValue(answer.email)} does not have an email associated with an auth user of tenant "${tenantUuid}"`);
      return undefined;
    }
    return user.enabled ? {user, email: answer.email} : undefined;
  }

  /** Upstream compares the address with each address and username of the tenant's users, ignoring case. */
  private async userWithAddress(tenantUuid: string, email: string): Promise<User | undefined> {
    // Logins (usernames and confirmed addresses) are unique whatever their case, across tenants.
    const byLogin = (await this.store.users.findByLogin(email))?.user;
    if (byLogin) return byLogin.tenantUuid === tenantUuid ? byLogin : undefined;
    const listed = await this.store.users.list([tenantUuid], {limit: 2}, {emailAddress: email});
    return listed.items.length === 1 ? listed.items[0] : undefined;
  }
}

function view(config: LdapConfig): LdapConfigView {
  const {bindPasswordSealed: _, ...rest} = config;
  return rest;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
