// ldap: a login that names its tenant (domain_name, or tenant_id) is checked in that tenant's
// LDAP directory by the ldap_user backend, as upstream's ldap identity provider.

import {isDirectoryBackend, LDAP_USER} from '../backends/ldap-user.js';
import type {IdpPlugin} from '../types.js';

export const ldap: IdpPlugin = {
  name: 'ldap',
  load({backends}) {
    const backend = backends.get(LDAP_USER);
    if (!isDirectoryBackend(backend)) throw new Error(`it needs the backend ${LDAP_USER}: enable it in enabled_backend_plugins`);
    return {
      authenticationMethod: 'ldap',
      canAuthenticate: (request) => request.credentials !== undefined && (request.domainName !== undefined || request.tenantId !== undefined),
      async verify(request) {
        if (!request.credentials) return undefined;
        const tenant = request.domainName !== undefined ? {domainName: request.domainName} : {tenantId: request.tenantId ?? ''};
        const found = await backend.verifyInDirectory(tenant, request.credentials.login, request.credentials.password);
        // The login is the entry's address from here on: refresh tokens and logs name it.
        return found && {user: found.user, login: found.email, backend: LDAP_USER};
      },
      backendFor: () => LDAP_USER,
    };
  },
};
