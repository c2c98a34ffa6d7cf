// The dashboard's one link to the daemon: every call goes through `run`, which keeps the access
// token alive for as long as the dashboard runs and tells whether the daemon is there. The link
// state changes only when what is known changes: a banner shows once, and stays while each retry
// fails the same way.

import type {AuthClient, Token} from '../client/index.js';
import {ApiError, ConnectionError} from '../client/errors.js';
import {parseApiTime} from './model/time-text.js';

/** What the banner shows: nothing, a daemon that went away, or credentials it refuses. */
export type LinkState = {kind: 'up'} | {kind: 'away'; message: string} | {kind: 'refused'; message: string};

export interface ConnectionOptions {
  /** Scoped to the picked tenant (its `tenant`). */
  client: AuthClient;
  /** Another client of the same daemon, never scoped: for what the whole tree of the token holds (the tenants to pick from). */
  homeClient: AuthClient;
  /** The access token the client holds now. */
  token: Token;
  /**
   * Gives the client a new access token (and revokes the old one); absent when the token cannot be
   * renewed (WAZO_AUTH_TOKEN): the dashboard then says so once the daemon refuses it.
   */
  renew?: () => Promise<Token>;
  /** Share of a token's lifetime after which it is renewed. */
  renewAt?: number;
  /** How long to wait before trying again a renewal that failed (the daemon away, most often). */
  renewRetryMs?: number;
}

/**
 * @example
 * const connection = new Connection({client, homeClient, token, renew: () => command.renewAccessToken(client)});
 * connection.scopeTo(tenantUuid);
 * const sessions = await connection.run((c) => c.sessions.list({recurse: true}));
 * connection.close();
 */
export class Connection {
  readonly client: AuthClient;
  private readonly homeClient: AuthClient;
  private token: Token;
  private state: LinkState = {kind: 'up'};
  private readonly listeners = new Set<() => void>();
  private readonly renewer: (() => Promise<Token>) | undefined;
  private readonly renewAt: number;
  private readonly renewRetryMs: number;
  private renewal: Promise<void> | undefined;
  /** The daemon refused the current token: a failed renewal now cuts the dashboard off. */
  private tokenRefused = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: ConnectionOptions) {
    this.client = options.client;
    this.homeClient = options.homeClient;
    this.homeClient.token = this.client.token;
    this.token = options.token;
    this.renewer = options.renew;
    this.renewAt = options.renewAt ?? 0.5;
    this.renewRetryMs = options.renewRetryMs ?? 5_000;
    this.scheduleRenewal();
  }

  /** The session of the dashboard's own token: revoking it would cut the dashboard off. */
  get ownSession(): string {
    return this.token.session_uuid;
  }

  /** The user the dashboard acts as. */
  get userUuid(): string {
    return this.token.auth_id;
  }

  /** The tenant of the dashboard's token, where it starts. */
  get homeTenant(): string {
    return this.token.metadata.tenant_uuid;
  }

  get link(): LinkState {
    return this.state;
  }

  /** For useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Runs one call. A refused token is renewed and the call tried once more; the link state follows
   * what happened (no answer: away; an answer: up). Errors go on to the caller.
   */
  async run<T>(call: (client: AuthClient) => Promise<T>): Promise<T> {
    return this.attempt(() => call(this.client), true);
  }

  /** As run, in the token's own tenant whatever the scope. */
  async runHome<T>(call: (client: AuthClient) => Promise<T>): Promise<T> {
    return this.attempt(() => call(this.homeClient), true);
  }

  /** The tenant `run` acts in (with those below it where a listing recurses). */
  scopeTo(tenantUuid: string): void {
    this.client.tenant = tenantUuid;
  }

  private async attempt<T>(call: () => Promise<T>, mayRenew: boolean): Promise<T> {
    try {
      return this.answered(await call());
    } catch (error) {
      if (error instanceof ConnectionError) this.setState({kind: 'away', message: error.message});
      if (!(error instanceof ApiError)) throw error;
      // Closed, the command has revoked the last token: a call still under way must not get another.
      if (mayRenew && !this.closed && error.status === 401 && !(await this.tokenStillValid())) {
        await this.renewNow(true);
        return this.attempt(call, false);
      }
      // The daemon answered; an error answer does not say it accepts credentials it refused.
      if (this.state.kind === 'away') this.setState({kind: 'up'});
      throw error;
    }
  }

  /** Stops the renewals, a refused call's too; the command revokes the last token. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private answered<T>(value: T): T {
    if (this.state.kind !== 'up') this.setState({kind: 'up'});
    return value;
  }

  /** A 401 may refuse the operation (an access the token may not grant), not the token. */
  private async tokenStillValid(): Promise<boolean> {
    try {
      return await this.client.tokens.check(this.client.token!);
    } catch (error) {
      if (error instanceof ConnectionError) return true;
      throw error;
    }
  }

  /**
   * One renewal at a time, whoever asks; a failure is thrown. Once the token is `refused`, the
   * state says why; before that (a renewal ahead of time), the token still works and the failure
   * is only tried again.
   */
  private renewNow(refused: boolean): Promise<void> {
    if (refused) this.tokenRefused = true;
    if (!this.renewer) {
      const error = new ApiError(401, {message: 'the access token was refused (expired or revoked)'});
      this.setState({kind: 'refused', message: 'the daemon refuses the access token (expired or revoked): set a new WAZO_AUTH_TOKEN, or log in'});
      return Promise.reject(error);
    }
    this.renewal ??= this.renewer()
      .then((token) => {
        this.token = token;
        this.homeClient.token = token.token;
        this.tokenRefused = false;
        this.scheduleRenewal();
        this.answered(undefined);
      })
      .catch((error: unknown) => {
        // Ahead of time, the token still works: the views' own calls tell whether the daemon is there.
        if (this.tokenRefused)
          this.setState(error instanceof ConnectionError ? {kind: 'away', message: error.message} : {kind: 'refused', message: (error as Error).message});
        this.schedule(this.renewRetryMs);
        throw error;
      })
      .finally(() => (this.renewal = undefined));
    return this.renewal;
  }

  private lifetimeMs(): number {
    return parseApiTime(this.token.utc_expires_at) - parseApiTime(this.token.utc_issued_at);
  }

  private scheduleRenewal(): void {
    this.schedule(Math.max(this.lifetimeMs() * this.renewAt, 1000));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.closed || !this.renewer) return;
    this.timer = setTimeout(() => void this.renewNow(false).catch(() => undefined), delayMs);
    this.timer.unref();
  }

  /** Listeners hear of changes only: the same failure again is no news. */
  private setState(state: LinkState): void {
    const same = state.kind === this.state.kind && (state.kind === 'up' || (this.state.kind !== 'up' && state.message === this.state.message));
    if (same) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
