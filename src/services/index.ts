// The daemon's domain services, built once at start and handed to every request.

import type {Clock} from '../clock.js';
import type {DaemonConfig} from '../config/index.js';
import type {Logger} from '../log.js';
import type {Store} from '../store/store.js';
import {ConfigService} from './config.js';
import {EmailService} from './emails.js';
import {GroupService} from './groups.js';
import {PolicyService} from './policies.js';
import {RefreshTokenService} from './refresh-tokens.js';
import {SessionService} from './sessions.js';
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
  groups: GroupService;
  sessions: SessionService;
  refreshTokens: RefreshTokenService;
  emails: EmailService;
  /** GET|PATCH /config: the configuration as shown, and `debug` changed live. */
  liveConfig: ConfigService;
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
  const users = new UserService(deps.store, tenants);
  const policies = new PolicyService(deps.store, tenants);
  return {
    ...deps,
    tokens,
    tenants,
    users,
    policies,
    groups: new GroupService(deps.store, tenants, users, policies),
    sessions: new SessionService(deps.store, tenants, users),
    refreshTokens: new RefreshTokenService(deps.store, tenants, users),
    emails: new EmailService(deps.store, users),
    liveConfig: new ConfigService(deps.config, deps.log),
  };
}
