// ldap_user: users who log in with their password in their tenant's LDAP directory; once the
// directory has vouched for them, their accesses and metadata are those of the wazo user with
// the entry's e-mail address, as upstream's ldap_user backend.

import type {LdapLogin, TenantRef} from '../../services/ldap.js';
import type {Backend, BackendPlugin} from '../types.js';
import {purposeMetadata} from './wazo-user.js';

export const LDAP_USER = 'ldap_user';

/** A backend that checks a password in the directory of the tenant a login names. */
export interface DirectoryBackend extends Backend {
  verifyInDirectory(tenant: TenantRef, login: string, password: string): Promise<LdapLogin | undefined>;
}

export function isDirectoryBackend(backend: Backend | undefined): backend is DirectoryBackend {
  return typeof (backend as Partial<DirectoryBackend> | undefined)?.verifyInDirectory === 'function';
}

export const ldapUser: BackendPlugin = {
  name: LDAP_USER,
  load: ({services, purposes}): DirectoryBackend => ({
    // Without a tenant there is no directory to ask: the ldap identity provider calls verifyInDirectory.
    verifyPassword: async () => undefined,
    verifyInDirectory: (tenant, login, password) => services.ldap.login(tenant, login, password),
    acl: (user) => services.users.acl(user),
    metadata: (user) => purposeMetadata(purposes, user),
  }),
};
