// Every route the daemon serves, in one list: the router and the API document read it.

import type {Route} from '../route.js';
import {configRoutes} from './config.js';
import {emailRoutes} from './emails.js';
import {groupPolicyRoutes} from './group-policies.js';
import {groupRoutes} from './groups.js';
import {loginThrottleRoutes} from './login-throttle.js';
import {policyRoutes} from './policies.js';
import {refreshTokenRoutes} from './refresh-tokens.js';
import {serviceRoutes} from './service.js';
import {sessionRoutes} from './sessions.js';
import {tenantRoutes} from './tenants.js';
import {tokenRoutes} from './tokens.js';
import {userGroupRoutes} from './user-groups.js';
import {userPolicyRoutes} from './user-policies.js';
import {userRoutes} from './users.js';

export function allRoutes(): Route[] {
  const routes: Route[] = [
    ...tokenRoutes,
    ...userRoutes,
    ...userPolicyRoutes,
    ...policyRoutes,
    ...tenantRoutes,
    ...groupRoutes,
    ...groupPolicyRoutes,
    ...userGroupRoutes,
    ...sessionRoutes,
    ...loginThrottleRoutes,
    ...refreshTokenRoutes,
    ...emailRoutes,
    ...configRoutes,
  ];
  routes.push(...serviceRoutes(() => routes));
  return routes;
}
