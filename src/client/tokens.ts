// Tokens: logging in (POST /token), reading, checking and revoking one. These routes take no
// X-Auth-Token: the token in the path, or the credentials of the login, is the credential.

import {segment, type Transport} from './transport.js';
import type {ScopeCheck, Token, TokenOptions} from './types.js';

/** What a token must grant or cover for a check or a read to succeed. */
export interface TokenRequirement {
  /** An access, e.g. `confd.users.read`. */
  scope?: string;
  /** A tenant uuid: the token's own tenant or one below it. */
  tenant?: string;
}

export class Tokens {
  constructor(private readonly transport: Transport) {}

  /** Logs in with a username (or e-mail address) and password, sent as HTTP Basic credentials. */
  create(credentials: {username: string; password: string}, options: TokenOptions = {}): Promise<Token> {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
    return this.login({authorization: `Basic ${basic}`}, body(options), options);
  }

  /** Logs in with the refresh token an `offline` login gave to `clientId`. */
  createFromRefreshToken(refreshToken: string, clientId: string, options: Pick<TokenOptions, 'expiration' | 'sessionType'> = {}): Promise<Token> {
    return this.login({}, {refresh_token: refreshToken, client_id: clientId, expiration: options.expiration}, options);
  }

  /** The token's data; ApiError 404 when it is unknown or expired, 403 when the requirement is not met. */
  get(token: string, requirement: TokenRequirement = {}): Promise<Token> {
    return this.transport.json<{data: Token}>('GET', `/token/${segment(token)}`, {query: {...requirement}, authenticated: false}).then((answer) => answer.data);
  }

  /** Whether the token is valid and meets the requirement (upstream's is_valid); other answers are ApiError. */
  async check(token: string, requirement: TokenRequirement = {}): Promise<boolean> {
    const answer = await this.transport.send('HEAD', `/token/${segment(token)}`, {query: {...requirement}, authenticated: false});
    if (answer.status === 403 || answer.status === 404) return false;
    this.transport.expectSuccess(answer);
    return true;
  }

  /**
   * For each access, whether the token grants it. ApiError 404 when the token is unknown or
   * expired, 403 when it does not cover `tenant`.
   */
  checkScopes(token: string, scopes: string[], tenant?: string): Promise<ScopeCheck> {
    const body = {scopes, ...(tenant ? {tenant_uuid: tenant} : {})};
    return this.transport
      .json<{scopes: ScopeCheck}>('POST', `/token/${segment(token)}/scopes/check`, {body, authenticated: false})
      .then((answer) => answer.scopes);
  }

  /** Revokes the token (and ends its session); revoking an unknown token succeeds too. */
  async revoke(token: string): Promise<void> {
    await this.transport.empty('DELETE', `/token/${segment(token)}`, {authenticated: false});
  }

  private async login(headers: Record<string, string>, payload: Record<string, unknown>, options: TokenOptions): Promise<Token> {
    if (options.sessionType) headers['wazo-session-type'] = options.sessionType;
    const answer = await this.transport.json<{data: Token}>('POST', '/token', {body: payload, headers, authenticated: false});
    return answer.data;
  }
}

function body(options: TokenOptions): Record<string, unknown> {
  return {
    backend: options.backend ?? 'wazo_user',
    expiration: options.expiration,
    access_type: options.accessType,
    client_id: options.clientId,
    tenant_id: options.tenantId,
    domain_name: options.domainName,
  };
}
