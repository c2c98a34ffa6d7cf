// Who logs in: the identity providers and backends the plugins supply (src/plugins), and the rule
// that picks one for a login request, as upstream's AuthenticationService.

import type {RefreshToken, User} from '../domain/types.js';
import type {Logger} from '../log.js';
import {AuthenticationFailed} from '../domain/errors.js';
import type {LoginRequest} from './tokens.js';
import type {UserService} from './users.js';

/** Where a user's credentials, accesses and token metadata come from (upstream's wazo_auth.backends). */
export interface Backend {
  /**
   * The user these credentials open, or undefined (wrong password, unknown login, disabled user).
   * Takes as long whether or not the login exists.
   */
  verifyPassword(login: string, password: string): Promise<User | undefined>;
  /** The user's accesses; the token gets them after its backend's policy (backend_policies, default_user_policy). */
  acl(user: User): Promise<string[]>;
  /** The token's `metadata`. */
  metadata(user: User): Promise<Record<string, unknown>>;
}

/** A login that an identity provider accepted. */
export interface Authenticated {
  user: User;
  /** The login as the user gave it (for a refresh-token grant, the one that obtained the refresh token). */
  login: string;
  /** The name of the backend whose policy, accesses and metadata the token gets. */
  backend: string;
  /** The refresh token of a refresh-token grant. */
  viaRefresh?: RefreshToken;
}

/** A way of logging in (upstream's wazo_auth.idp). */
export interface IdentityProvider {
  /** The authentication method it serves: a password opens a session only for users whose effective method it is. */
  readonly authenticationMethod: string;
  /** Whether the request is of the kind it judges (by the request's fields, not by who logs in). */
  canAuthenticate(request: LoginRequest): boolean;
  /** Judges the request: who it is, or undefined when the credentials are refused. */
  verify(request: LoginRequest): Promise<Authenticated | undefined>;
  /** The backend a refresh-token login of this user goes through; without it, its users cannot use refresh tokens. */
  backendFor?(user: User): string;
}

/** What the plugins supply, once loaded. */
export interface LoginProviders {
  /** The loaded backends, by name. */
  backends: ReadonlyMap<string, Backend>;
  native: IdentityProvider;
  refreshToken: IdentityProvider;
  /** The enabled idp_plugins, by ascending priority. */
  others: readonly IdentityProvider[];
}

export class AuthenticationService {
  private providers: LoginProviders | undefined;

  constructor(
    private readonly users: UserService,
    private readonly log: Logger,
  ) {}

  /** Called once at start, when the plugins are loaded: they need the services, which need them. */
  install(providers: LoginProviders): void {
    this.providers = providers;
  }

  /** The backends loaded, as GET /backends lists them. */
  backendNames(): string[] {
    return [...this.installed().backends.keys()];
  }

  backend(name: string): Backend {
    const backend = this.installed().backends.get(name);
    if (!backend) throw new Error(`an identity provider chose the backend ${name}, which is not loaded`);
    return backend;
  }

  /** The methods users may be given (GET /idp): the loaded providers', and `default`, as upstream. */
  authenticationMethods(): string[] {
    const {native, others} = this.installed();
    return [...new Set(['default', native.authenticationMethod, ...others.map((p) => p.authenticationMethod)])].sort();
  }

  /** The provider of an authentication method, if one is loaded. */
  providerFor(method: string): IdentityProvider | undefined {
    const {native, others} = this.installed();
    return method === native.authenticationMethod ? native : others.find((p) => p.authenticationMethod === method);
  }

  /**
   * Upstream's order: a refresh token first; else the first enabled provider, by priority, that
   * takes the request, or native. A password login then stands only when the provider's method is
   * the user's effective one (a refresh-token grant checks that when it picks its backend).
   */
  async verify(request: LoginRequest): Promise<Authenticated> {
    const {native, refreshToken, others} = this.installed();
    if (refreshToken.canAuthenticate(request)) return (await refreshToken.verify(request)) ?? refused();
    const provider = others.find((p) => this.takes(p, request)) ?? native;
    const authenticated = (await provider.verify(request)) ?? refused();
    if ((await this.users.effectiveAuthenticationMethod(authenticated.user)) !== provider.authenticationMethod) refused();
    return authenticated;
  }

  /** A provider that fails to answer is passed over, as upstream. */
  private takes(provider: IdentityProvider, request: LoginRequest): boolean {
    try {
      return provider.canAuthenticate(request);
    } catch (error) {
      this.log.error(`identity provider ${provider.authenticationMethod} failed to judge a login request: ${(error as Error).message}`);
      return false;
    }
  }

  private installed(): LoginProviders {
    if (!this.providers) throw new Error('no identity provider is installed yet');
    return this.providers;
  }
}

function refused(): never {
  throw new AuthenticationFailed();
}
