// The daemon's domain services, built once at start and handed to every request.

import type {Clock} from '../clock.js';
import type {DaemonConfig} from '../config/index.js';
import type {Logger} from '../log.js';
import type {Store} from '../store/store.js';
import {PolicyService} from './policies.js';
import {TenantService} from './tenants.js';
import {TokenService, type TokenSettings} from './tokens.js';
import {UserService} from './users.js';

export interface Services {
  config: DaemonConfig;
  store: Store;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  tenants: TenantService;
  users: UserService;
  policies: PolicyService;
}

export function createServices(deps: {
  config: DaemonConfig;
  store: Store;
  clock: Clock;
  log: Logger;
  tokenSettings: TokenSettings;
}): Services {
  const tokens = new TokenService(deps.store, deps.clock, deps.tokenSettings);
  const tenants = new TenantService(deps.store);
  return {
    ...deps,
    tokens,
    tenants,
    users: new UserService(deps.store, tenants),
    policies: new PolicyService(deps.store, tenants),
  };
}
