// Google and Microsoft accounts linked through OAuth2, as upstream links them: POST gives the
// user an authorization URL and opens a websocket to the synchronization service, which sends
// the authorization code once the user consented; the daemon exchanges it at the provider's token
// endpoint and keeps the tokens (sealed). A GET whose access token is about to expire refreshes
// it first. A provider that fails leaves the stored tokens as they were.

import {randomInt} from 'node:crypto';
import type WebSocket from 'ws';
import type {Clock} from '../clock.js';
import {ExternalProviderFailed} from '../domain/errors.js';
import type {OAuth2ProviderSettings, User} from '../domain/types.js';
import type {Logger} from '../log.js';
import type {ExternalAuthService, ExternalData} from './external-auth.js';
import type {UserService} from './users.js';

export type OAuth2Provider = 'google' | 'microsoft';

export interface OAuth2Settings {
  providers: Record<OAuth2Provider, OAuth2ProviderSettings>;
  wsUrlTemplate: string;
  redirectUrlTemplate: string;
}

/** What GET answers (upstream's schema): never the refresh token. */
export interface OAuth2View {
  scope: string[];
  access_token: string;
  token_expiration: number;
}

/** An access token this close to its expiry (seconds) is refreshed first, as upstream. */
const EXPIRY_MARGIN = 30;
/** How long a provider's token endpoint may take. */
const PROVIDER_TIMEOUT_MS = 10_000;
/** A consent page left open this long is given up (upstream waits forever, a thread per request). */
const CONSENT_TIMEOUT_MS = 15 * 60_000;
/** How long the synchronization websocket may take to open before POST fails. */
const CONNECT_TIMEOUT_MS = 10_000;
const STATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class OAuth2Accounts {
  /**
   * The websocket waiting for each user's consent, by user and provider: a new POST supersedes
   * the previous one (closed), so that a client repeating POST holds one socket, not one each.
   */
  private readonly waiting = new Map<string, WebSocket>();

  constructor(
    private readonly external: ExternalAuthService,
    private readonly users: UserService,
    private readonly settings: OAuth2Settings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Starts linking the user's account: the URL to send the user to, and the state that names
   * this consent. The tenant's client_id must be configured (`/external/{type}/config`).
   */
  async authorize(scopeTenantUuid: string, userUuid: string, type: OAuth2Provider, scope: string[] | undefined) {
    const provider = this.settings.providers[type];
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const client = await this.clientOf(user, type);
    const state = Array.from({length: 30}, () => STATE_ALPHABET[randomInt(STATE_ALPHABET.length)]).join('');
    const redirectUri = provider.redirect_uri ?? this.settings.redirectUrlTemplate.replaceAll('{auth_type}', type);
    const url = new URL(provider.authorization_base_url);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.id);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', (scope?.length ? scope : provider.scope).join(' '));
    url.searchParams.set('state', state);
    // Google gives a refresh token only to an offline request, and only on a fresh consent.
    if (type === 'google') {
      url.searchParams.set('access_type', 'offline');
      url.searchParams.set('prompt', 'consent');
    }
    const wsUrl = provider.websocket_host ? `${provider.websocket_host}/ws/${state}` : this.settings.wsUrlTemplate.replaceAll('{state}', state);
    await this.waitForCode(`${user.uuid}:${type}`, wsUrl, type, (code) => this.exchange(user, type, code, redirectUri, client));
    return {authorization_url: url.toString(), state};
  }

  /** The user's tokens, refreshed first when the access token expires within 30 seconds. */
  async current(scopeTenantUuid: string, userUuid: string, type: OAuth2Provider): Promise<OAuth2View> {
    const {user, data} = await this.external.get(scopeTenantUuid, userUuid, type);
    const expiration = typeof data.token_expiration === 'number' ? data.token_expiration : null;
    if (expiration !== null && this.now() + EXPIRY_MARGIN <= expiration) return view(data);
    const client = await this.clientOf(user, type);
    if (typeof data.refresh_token !== 'string') throw new ExternalProviderFailed(type, 'no refresh token is stored: link the account again');
    const tokens = await this.tokenRequest(type, {
      grant_type: 'refresh_token',
      refresh_token: data.refresh_token,
      client_id: client.id,
      client_secret: client.secret,
    });
    const refreshed = {...data, ...this.stored(tokens, data)};
    await this.external.replace(user, type, refreshed);
    return view(refreshed);
  }

  /** Closes the websockets still waiting for a consent. */
  close(): void {
    for (const socket of this.waiting.values()) socket.terminate();
    this.waiting.clear();
  }

  private now(): number {
    return Math.floor(this.clock.nowMicros() / 1e6);
  }

  /** The OAuth2 client the user's tenant configured for this provider. */
  private async clientOf(user: User, type: OAuth2Provider) {
    const config = await this.external.config(user.tenantUuid, type);
    return {id: typeof config.client_id === 'string' ? config.client_id : '', secret: typeof config.client_secret === 'string' ? config.client_secret : ''};
  }

  /** Opens the synchronization websocket; its first message carries the code. */
  private async waitForCode(key: string, wsUrl: string, type: OAuth2Provider, onCode: (code: string) => Promise<void>): Promise<void> {
    const {default: Socket} = await import('ws');
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new Socket(wsUrl, {handshakeTimeout: CONNECT_TIMEOUT_MS});
      } catch {
        reject(new ExternalProviderFailed(type, 'oauth2_synchronization_ws_url_template is not a websocket URL'));
        return;
      }
      this.waiting.get(key)?.close();
      this.waiting.set(key, socket);
      const giveUp = setTimeout(() => socket.close(), CONSENT_TIMEOUT_MS);
      giveUp.unref();
      let opened = false;
      socket.once('open', () => {
        opened = true;
        resolve();
      });
      socket.once('message', (raw) => {
        const code = codeOf(raw.toString());
        const done = () => socket.close();
        if (code === undefined) {
          this.log.warning(`${type}: the synchronization service sent no authorization code`);
          done();
          return;
        }
        onCode(code).then(done, (error: unknown) => {
          this.log.warning(`${type}: the authorization code could not be exchanged: ${(error as Error).message}`);
          done();
        });
      });
      socket.on('error', (error) => {
        if (!opened) reject(new ExternalProviderFailed(type, `the synchronization service cannot be reached (${error.message})`));
        else this.log.debug(`${type}: synchronization websocket: ${error.message}`);
      });
      socket.once('close', () => {
        clearTimeout(giveUp);
        if (this.waiting.get(key) === socket) this.waiting.delete(key);
      });
    });
  }

  private async exchange(user: User, type: OAuth2Provider, code: string, redirectUri: string, client: {id: string; secret: string}): Promise<void> {
    const tokens = await this.tokenRequest(type, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: client.id,
      client_secret: client.secret,
    });
    if (typeof tokens.refresh_token !== 'string') throw new ExternalProviderFailed(type, 'the token answer has no refresh_token');
    await this.external.authorized(user, type, this.stored(tokens, {scope: this.settings.providers[type].scope}));
    this.log.info(`${type}: account of user ${user.uuid} linked`);
  }

  /** What is kept of a token answer: a refresh answer without refresh_token keeps the previous one. */
  private stored(tokens: Record<string, unknown>, previous: ExternalData): ExternalData {
    const scope = typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : Array.isArray(tokens.scope) ? tokens.scope : previous.scope;
    return {
      access_token: tokens.access_token,
      refresh_token: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : previous.refresh_token,
      token_expiration: this.now() + Number(tokens.expires_in),
      scope,
    };
  }

  /** POSTs a grant to the provider's token endpoint; its tokens, or ExternalProviderFailed. */
  private async tokenRequest(type: OAuth2Provider, form: Record<string, string>): Promise<Record<string, unknown>> {
    const url = this.settings.providers[type].token_url;
    let status: number;
    let text: string;
    try {
      // undici (about 110 modules) and ws: loaded by the first Google or Microsoft account.
      const {request} = await import('undici');
      const answer = await request(url, {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
        body: new URLSearchParams(form).toString(),
        headersTimeout: PROVIDER_TIMEOUT_MS,
        bodyTimeout: PROVIDER_TIMEOUT_MS,
      });
      status = answer.statusCode;
      text = await answer.body.text();
    } catch (error) {
      throw new ExternalProviderFailed(type, `its token endpoint cannot be reached (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ExternalProviderFailed(type, `its token endpoint answered ${status} with no JSON`);
    }
    const tokens = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (status < 200 || status > 299) {
      // OAuth2's error codes (invalid_grant...) tell what went wrong and hold no secret.
      const code = typeof tokens.error === 'string' && /^[\w.-]{1,64}$/.test(tokens.error) ? `: ${tokens.error}` : '';
      throw new ExternalProviderFailed(type, `its token endpoint answered ${status}${code}`);
    }
    if (typeof tokens.access_token !== 'string' || tokens.access_token === '') throw new ExternalProviderFailed(type, 'the token answer has no access_token');
    if (!Number.isFinite(Number(tokens.expires_in))) throw new ExternalProviderFailed(type, 'the token answer has no expires_in');
    return tokens;
  }
}

function codeOf(message: string): string | undefined {
  try {
    const parsed = JSON.parse(message) as {code?: unknown};
    return typeof parsed.code === 'string' && parsed.code !== '' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

function view(data: ExternalData): OAuth2View {
  return {
    scope: Array.isArray(data.scope) ? (data.scope as string[]) : [],
    access_token: String(data.access_token),
    token_expiration: Number(data.token_expiration),
  };
}
