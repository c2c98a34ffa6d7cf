// The built-in plugins, registered through the same interface as a third-party package.

import {httpPlugins} from '../http/routes/index.js';
import {ldapUser} from './backends/ldap-user.js';
import {mobile} from './external-auth/mobile.js';
import {google, microsoft} from './external-auth/oauth2.js';
import {wazoUser} from './backends/wazo-user.js';
import {ldap} from './idp/ldap.js';
import {native} from './idp/native.js';
import {refreshToken} from './idp/refresh-token.js';
import {saml} from './idp/saml.js';
import {defaultExternalApi, defaultInternal, defaultUser} from './metadata/defaults.js';
import {userAdminStatus} from './metadata/user-admin-status.js';
import type {PluginPackage} from './types.js';

export const builtinPlugins: PluginPackage = {
  backends: [wazoUser, ldapUser],
  idp: [native, refreshToken, ldap, saml],
  http: httpPlugins,
  metadata: [defaultUser, defaultInternal, defaultExternalApi, userAdminStatus],
  external_auth: [google, microsoft, mobile],
};
