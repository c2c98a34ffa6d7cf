// The typed client of the wazo-auth REST API: the only way commands and the TUI talk to a daemon.

import {Groups} from './groups.js';
import {External} from './external.js';
import {Idp, Ldap} from './ldap.js';
import {Policies} from './policies.js';
import {RefreshTokens} from './refresh-tokens.js';
import {Saml} from './saml.js';
import {Backends, Config, Status} from './service.js';
import {Sessions} from './sessions.js';
import {Tenants} from './tenants.js';
import {Tokens} from './tokens.js';
import {Transport, type TransportOptions} from './transport.js';
import {Users} from './users.js';

export type AuthClientOptions = TransportOptions;

/**
 * One daemon, one connection pool, one set of credentials.
 *
 * @example
 * const client = new AuthClient({url: 'https://pbx.example.com/api/auth', token});
 * const {total, items} = await client.users.list({search: 'alice', limit: 10});
 * await client.policies.addAccess('operators', 'confd.users.read');
 * await client.close();
 */
export class AuthClient {
  readonly tokens: Tokens;
  readonly refreshTokens: RefreshTokens;
  readonly users: Users;
  readonly policies: Policies;
  readonly tenants: Tenants;
  readonly groups: Groups;
  readonly sessions: Sessions;
  readonly config: Config;
  readonly status: Status;
  readonly backends: Backends;
  readonly ldap: Ldap;
  /** Users' linked accounts of other services, and tenants' settings for them. */
  readonly external: External;
  readonly idp: Idp;
  readonly saml: Saml;
  private readonly transport: Transport;

  /** Throws ClientOptionError when the URL or the CA file cannot be used. */
  constructor(options: AuthClientOptions) {
    const transport = (this.transport = new Transport(options));
    this.tokens = new Tokens(transport);
    this.refreshTokens = new RefreshTokens(transport);
    this.users = new Users(transport);
    this.policies = new Policies(transport);
    this.tenants = new Tenants(transport);
    this.groups = new Groups(transport);
    this.sessions = new Sessions(transport);
    this.config = new Config(transport);
    this.status = new Status(transport);
    this.backends = new Backends(transport);
    this.ldap = new Ldap(transport);
    this.external = new External(transport);
    this.idp = new Idp(transport);
    this.saml = new Saml(transport);
  }

  /** The daemon's root, normalized (no trailing `/0.1`). */
  get url(): string {
    return this.transport.root;
  }

  /** Sent as X-Auth-Token on every call but the token routes; may be set after a login. */
  get token(): string | undefined {
    return this.transport.token;
  }

  set token(value: string | undefined) {
    this.transport.token = value;
  }

  /**
   * Gives a new token when the daemon refuses the current one (401), for a client whose token
   * can be renewed (a kept login's); the refused call is sent again, once.
   */
  set renewRefused(renew: (() => Promise<string>) | undefined) {
    this.transport.renewRefused = renew;
  }

  /** Renews the token through `renewRefused`, once: for a token found unknown in a token route (404). */
  renewToken(): Promise<boolean> {
    return this.transport.renewToken();
  }

  /** Sent as Wazo-Tenant: the tenant requests act in, the token's own or one below it. */
  get tenant(): string | undefined {
    return this.transport.tenant;
  }

  set tenant(value: string | undefined) {
    this.transport.tenant = value;
  }

  /** Closes the connections; pending calls finish first. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
