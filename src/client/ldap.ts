// A tenant's LDAP directory (GET|PUT|DELETE /backends/ldap) and the identity providers users may be
// given (/idp). Each acts in the client's tenant (Wazo-Tenant), else the token's own.

import {segment, type Transport} from './transport.js';
import type {IdpList, LdapConfig, LdapConfigEdit} from './types.js';

export class Ldap {
  constructor(private readonly transport: Transport) {}

  /** Every field null when the tenant has no directory; never the bind password. `tenant`: that one's, not the client's. */
  get(options: {tenant?: string} = {}): Promise<LdapConfig> {
    return this.transport.json('GET', '/backends/ldap', options.tenant ? {headers: {'wazo-tenant': options.tenant}} : {});
  }

  /** Optional fields left out keep their value; `bind_password: null` removes it. */
  update(config: LdapConfigEdit): Promise<LdapConfig> {
    return this.transport.json('PUT', '/backends/ldap', {body: config});
  }

  /** Succeeds when there is none too. */
  delete(): Promise<void> {
    return this.transport.empty('DELETE', '/backends/ldap');
  }
}

export class Idp {
  constructor(private readonly transport: Transport) {}

  /** The authentication methods users may be given: the loaded providers', and default. */
  list(): Promise<IdpList> {
    return this.transport.json('GET', '/idp');
  }

  addUser(type: string, userUuid: string): Promise<void> {
    return this.transport.empty('PUT', `/idp/${segment(type)}/users/${segment(userUuid)}`);
  }

  /** All or none: a user outside the tenant's subtree changes nothing (ApiError 404). */
  addUsers(type: string, userUuids: string[]): Promise<void> {
    return this.transport.empty('PUT', `/idp/${segment(type)}/users`, {body: {users: userUuids.map((uuid) => ({uuid}))}});
  }

  /** Puts the user back to `default` when its method is `type`. */
  removeUser(type: string, userUuid: string): Promise<void> {
    return this.transport.empty('DELETE', `/idp/${segment(type)}/users/${segment(userUuid)}`);
  }
}
