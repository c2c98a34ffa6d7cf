// The built-in http plugins: the route files grouped under upstream's plugin names, which
// `enabled_http_plugins` switches on and off (src/plugins registers them like any other).

import type {Route} from '../route.js';
import {configRoutes} from './config.js';
import {emailRoutes} from './emails.js';
import {externalRoutes} from './external.js';
import {groupPolicyRoutes} from './group-policies.js';
import {groupRoutes} from './groups.js';
import {passwordResetRoutes} from './password-reset.js';
import {userRegistrationRoutes} from './user-registration.js';
import {idpRoutes} from './idp.js';
import {ldapConfigRoutes} from './ldap-config.js';
import {loginThrottleRoutes} from './login-throttle.js';
import {policyRoutes} from './policies.js';
import {refreshTokenRoutes} from './refresh-tokens.js';
import {samlRoutes} from './saml.js';
import {samlConfigRoutes} from './saml-config.js';
import {serviceRoutes} from './service.js';
import {sessionRoutes} from './sessions.js';
import {tenantRoutes} from './tenants.js';
import {tokenRoutes} from './tokens.js';
import {userGroupRoutes} from './user-groups.js';
import {userPolicyRoutes} from './user-policies.js';
import {userRoutes} from './users.js';

/** What an http plugin's load() is given. */
export interface HttpPluginDependencies {
  /** Every route the daemon serves, all enabled plugins' (complete once they are all loaded). */
  routes(): readonly Route[];
}

/** Routes served under one name of `enabled_http_plugins` (upstream's wazo_auth.http entry points). */
export interface HttpPlugin {
  name: string;
  /** Its routes; their handlers find the services in the request context. */
  load(deps: HttpPluginDependencies): Route[];
}

/** Where a route file serves two of upstream's plugins, the path tells them apart. */
const under = (prefix: string) => (route: Route) => route.path.startsWith(prefix);
const outside = (prefix: string) => (route: Route) => !route.path.startsWith(prefix);

export const httpPlugins: readonly HttpPlugin[] = [
  {name: 'tokens', load: () => [...tokenRoutes, ...refreshTokenRoutes]},
  {name: 'users', load: () => userRoutes},
  {name: 'user_policy', load: () => userPolicyRoutes},
  {name: 'policies', load: () => policyRoutes},
  {name: 'tenants', load: () => tenantRoutes},
  {name: 'groups', load: () => groupRoutes},
  {name: 'group_policy', load: () => groupPolicyRoutes},
  {name: 'user_group', load: () => userGroupRoutes},
  {name: 'sessions', load: () => sessionRoutes.filter(under('/sessions'))},
  {name: 'user_session', load: () => sessionRoutes.filter(under('/users/'))},
  {name: 'login_throttle', load: () => loginThrottleRoutes},
  {name: 'user_email', load: () => emailRoutes.filter(outside('/emails/'))},
  {name: 'email_confirm', load: () => emailRoutes.filter(under('/emails/'))},
  {name: 'password_reset', load: () => passwordResetRoutes},
  {name: 'user_registration', load: () => userRegistrationRoutes},
  {name: 'config', load: () => configRoutes},
  {name: 'ldap_config', load: () => ldapConfigRoutes},
  {name: 'external', load: () => externalRoutes},
  {name: 'idp', load: () => idpRoutes},
  {name: 'saml', load: () => samlRoutes},
  {name: 'saml_config', load: () => samlConfigRoutes},
  // The bus publisher's status (ours) goes with upstream's status plugin.
  {name: 'status', load: ({routes}) => serviceRoutes(routes).filter((route) => under('/status')(route) || under('/bus/')(route))},
  {name: 'backends', load: ({routes}) => serviceRoutes(routes).filter(under('/backends'))},
  {name: 'api', load: ({routes}) => serviceRoutes(routes).filter(under('/api/'))},
];

/** Every route of every built-in http plugin: the API with all of them enabled. */
export function allRoutes(): Route[] {
  const routes: Route[] = [];
  for (const plugin of httpPlugins) routes.push(...plugin.load({routes: () => routes}));
  return routes;
}
