// A profile's kept login (which daemon, which client_id, where its tokens are) and the access
// token the commands share: kept next to the refresh token and reused until shortly before it
// expires, then renewed from the refresh token. The refresh token only ever goes to the daemon
// that issued it.

import type {AuthClient, Token} from '../client/index.js';
import {accountOf, type CredentialStore, type KeptTokens} from './credentials.js';
import {ExitCode} from './exit-codes.js';
import {currentFactory} from './factory.js';
import {CliFailure, refusals} from './failure.js';
import {DEFAULT_PROFILE, type Profile} from './profiles.js';

/**
 * Seconds the kept access token lives. It is as secret as the refresh token next to it; a longer
 * life means fewer renewals, each of which leaves a session on the daemon until it expires.
 */
export const ACCESS_TOKEN_LIFETIME = 3600;
/** A kept access token this close to its end is renewed rather than used: a command may take a while. */
const RENEW_BEFORE_MS = 60_000;

export interface KeptLogin {
  profile: string;
  url: string;
  clientId: string;
  store: CredentialStore;
  /** The refresh token's name in the store. */
  account: string;
}

/** The login `profile` keeps, or undefined when it was never logged in (or logged out). */
export function keptLogin(name: string, profile: Profile, configDir: string): KeptLogin | undefined {
  if (!profile.url || !profile.client_id || !profile.credentials) return undefined;
  return {
    profile: name,
    url: profile.url,
    clientId: profile.client_id,
    store: currentFactory().credentials(profile.credentials, configDir),
    account: accountOf(name, profile.url),
  };
}

/** How to get credentials, for a profile that has none usable for `url`. */
export function notLoggedIn(profile: string, url: string): CliFailure {
  const option = profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`;
  return new CliFailure(
    `not logged in to ${url}: run \`wazo-auth login${option} --url ${url} --username NAME\`, or set WAZO_AUTH_TOKEN to an access token`,
    ExitCode.authentication,
  );
}

/** The kept tokens; exit 4 when the store no longer has them. */
export async function keptTokensOf(login: KeptLogin): Promise<KeptTokens> {
  const kept = await login.store.read(login.account);
  if (!kept) throw notLoggedIn(login.profile, login.url);
  return kept;
}

/** The kept access token when it has more than a moment left; undefined otherwise. */
export function usableAccessToken(kept: KeptTokens, now = Date.now()): string | undefined {
  return kept.access_token && kept.expires_at !== undefined && kept.expires_at - now > RENEW_BEFORE_MS ? kept.access_token : undefined;
}

/**
 * When `token` expires on this machine's clock: its lifetime as the daemon counts it, from now,
 * so that a clock set differently from the daemon's does not keep a dead token or drop a live one.
 */
export function localExpiry(token: Token, now = Date.now()): number {
  const utc = (text: string) => Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
  return now + utc(token.utc_expires_at) - utc(token.utc_issued_at);
}

/** Keeps `token` as the profile's access token, next to the refresh token. */
export async function keepAccessToken(login: KeptLogin, refreshToken: string, token: Token): Promise<void> {
  await login.store.write(login.account, {refresh_token: refreshToken, access_token: token.token, expires_at: localExpiry(token)});
}

/** A new access token from the kept refresh token, kept in turn for the next commands. */
export async function renewKeptAccessToken(client: AuthClient, login: KeptLogin, kept: KeptTokens): Promise<string> {
  const token = await accessTokenFrom(client, login, kept.refresh_token);
  await keepAccessToken(login, kept.refresh_token, token);
  return token.token;
}

/** A new access token from the kept refresh token; exit 4 when the daemon no longer takes it. */
export async function accessTokenFrom(client: AuthClient, login: KeptLogin, refreshToken: string): Promise<Token> {
  return client.tokens.createFromRefreshToken(refreshToken, login.clientId, {expiration: ACCESS_TOKEN_LIFETIME}).catch((error: unknown) => {
    throw refusals.credentials(
      error,
      () => `${login.url} refused the login kept for profile ${login.profile} (logged out elsewhere, or the user changed): log in again`,
    );
  });
}
