// A profile's kept login (which daemon, which client_id, where its refresh token is) and the
// short-lived access token each command gets from it. The refresh token only ever goes to the
// daemon that issued it.

import type {AuthClient, Token} from '../client/index.js';
import {accountOf, type CredentialStore} from './credentials.js';
import {ExitCode} from './exit-codes.js';
import {currentFactory} from './factory.js';
import {CliFailure, refusals} from './failure.js';
import {DEFAULT_PROFILE, type Profile} from './profiles.js';

/**
 * Seconds an access token of a command lives. The command revokes it when it ends; the lifetime
 * only bounds a token left behind by a killed command, which still counts as a session of the user.
 */
const ACCESS_TOKEN_LIFETIME = 600;

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

/** The kept refresh token; exit 4 when the store no longer has it. */
export async function refreshTokenOf(login: KeptLogin): Promise<string> {
  const refreshToken = await login.store.read(login.account);
  if (!refreshToken) throw notLoggedIn(login.profile, login.url);
  return refreshToken;
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
