// Every route the daemon serves, in one list: the router and the API document read it.

import type {Route} from '../route.js';
import {policyRoutes} from './policies.js';
import {serviceRoutes} from './service.js';
import {tenantRoutes} from './tenants.js';
import {tokenRoutes} from './tokens.js';
import {userPolicyRoutes} from './user-policies.js';
import {userRoutes} from './users.js';

export function allRoutes(): Route[] {
  const routes: Route[] = [
    ...tokenRoutes,
    ...userRoutes,
    ...userPolicyRoutes,
    ...policyRoutes,
    ...tenantRoutes,
  ];
  routes.push(...serviceRoutes(() => routes));
  return routes;
}
