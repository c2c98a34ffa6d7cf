// The life of a kept login: `login` trades a password for an offline token and keeps its refresh
// token and its access token (which the next commands use until it nears its end); `logout`
// revokes both on the daemon and forgets them. The password is never kept.

import {randomBytes} from 'node:crypto';
import {hostname} from 'node:os';
import type {AuthClient} from '../client/index.js';
import {accountOf, type CredentialStoreKind, type KeptTokens} from './credentials.js';
import {CliFailure, failureOf, isRefusal, refusals} from './failure.js';
import {currentFactory} from './factory.js';
import {updateProfile} from './profiles.js';
import {ACCESS_TOKEN_LIFETIME, accessTokenFrom, localExpiry, usableAccessToken, type KeptLogin} from './session.js';

export interface LoginRequest {
  client: AuthClient;
  profile: string;
  username: string;
  password: string;
  storage: CredentialStoreKind;
  /** Kept in the profile as `verify: false`, so that later commands reach the daemon the same way. */
  insecure: boolean;
  configDir: string;
  /** The profile's previous login, revoked once the new one is kept. */
  previous: KeptLogin | undefined;
}

export interface LoginResult {
  profile: string;
  url: string;
  username: string;
  user_uuid: string;
  tenant_uuid: string;
  client_id: string;
  /** Where the tokens are kept. */
  stored_in: string;
}

export async function logIn(request: LoginRequest): Promise<LoginResult> {
  const {client, previous} = request;
  const store = currentFactory().credentials(request.storage, request.configDir);
  const account = accountOf(request.profile, client.url);
  // Read before anything is written over it; reading also proves the keychain usable before a
  // refresh token exists that it could not keep.
  const previousTokens = previous ? await previous.store.read(previous.account) : undefined;
  await store.read(account);

  // One client_id per login, readable in `token refresh list`: which machine, and which login.
  const clientId = `wazo-auth-cli-${hostname()}-${randomBytes(4).toString('hex')}`;
  const token = await client.tokens
    .create({username: request.username, password: request.password}, {accessType: 'offline', clientId, expiration: ACCESS_TOKEN_LIFETIME})
    .catch((error: unknown) => {
      throw refusals.notTheApi(
        refusals.credentials(error, () => `${client.url} refused the username or the password`),
        client.url,
      );
    });
  try {
    await store.write(account, {refresh_token: token.refresh_token!, access_token: token.token, expires_at: localExpiry(token)});
  } catch (error) {
    // Not kept, so of use to no one: they must not stay valid on the daemon.
    client.token = token.token;
    await client.refreshTokens.delete('me', clientId).catch(() => undefined);
    await client.tokens.revoke(token.token).catch(() => undefined);
    client.token = undefined;
    throw error;
  }

  if (previous && previousTokens) await revokePrevious(client, previous, previousTokens);
  if (previous && previous.account !== account) await previous.store.remove(previous.account).catch(() => undefined);
  await updateProfile(
    request.profile,
    (profile) => ({
      ...profile,
      url: client.url,
      username: request.username,
      ...(request.insecure ? {verify: false} : {}),
      client_id: clientId,
      credentials: request.storage,
    }),
    request.configDir,
  );
  return {
    profile: request.profile,
    url: client.url,
    username: request.username,
    user_uuid: token.auth_id,
    tenant_uuid: token.metadata.tenant_uuid,
    client_id: clientId,
    stored_in: store.description,
  };
}

/** A login replaced by a new one is revoked when it was on the same daemon; either way the operator hears what stays valid. */
async function revokePrevious(client: AuthClient, previous: KeptLogin, tokens: KeptTokens): Promise<void> {
  const stays = `Warning: the previous login of profile ${previous.profile} (${previous.clientId}) stays valid on ${previous.url}`;
  if (previous.url !== client.url) {
    currentFactory().io.stderr.write(`${stays}: log in there and run \`wazo-auth token refresh delete ${previous.clientId}\` to revoke it\n`);
    return;
  }
  try {
    await revokeOnDaemon(client, previous, tokens);
  } catch (error) {
    currentFactory().io.stderr.write(`${stays}: ${failureOf(error)?.message ?? String(error)}\n`);
  }
}

export interface LogoutResult {
  profile: string;
  url: string;
  client_id: string;
  /** Whether the daemon revoked the refresh token now; false when it was already gone there or here. */
  revoked: boolean;
}

/**
 * Revokes the kept tokens on their daemon, then forgets them here whatever the daemon said:
 * a failure to revoke is reported, with its exit code, once the local copy is gone.
 */
export async function logOut(client: AuthClient, login: KeptLogin, configDir: string): Promise<LogoutResult> {
  let revoked = false;
  let failure: unknown;
  try {
    const tokens = await login.store.read(login.account);
    if (tokens) revoked = await revokeOnDaemon(client, login, tokens);
  } catch (error) {
    failure = error;
  }
  await login.store.remove(login.account);
  await updateProfile(login.profile, ({client_id: _clientId, credentials: _credentials, ...kept}) => kept, configDir);
  if (failure) {
    const cause = failureOf(failure);
    if (!cause) throw failure;
    throw new CliFailure(
      `logged out here, but ${login.url} did not revoke the refresh token (${cause.message}); it stays valid there until ` +
        `\`wazo-auth token refresh delete ${login.clientId}\``,
      cause.exitCode,
      cause.fields,
    );
  }
  return {profile: login.profile, url: login.url, client_id: login.clientId, revoked};
}

/**
 * DELETE /users/me/tokens/{client_id} with the login's own access token (a new one from the
 * refresh token when the kept one is near its end), so that it works whoever the client is logged
 * in as; then the access tokens are revoked. False when the daemon no longer knew the refresh token.
 */
async function revokeOnDaemon(client: AuthClient, login: KeptLogin, tokens: KeptTokens): Promise<boolean> {
  // A kept access token is revoked even when it is too near its end to be used.
  const access = tokens.access_token ? [tokens.access_token] : [];
  const renew = async () => {
    const token = (await accessTokenFrom(client, login, tokens.refresh_token)).token;
    access.push(token);
    return token;
  };
  const caller = client.token;
  try {
    // The kept access token when it is still good (a new one if the daemon refuses it after all).
    client.token = usableAccessToken(tokens) ?? (await renew());
    client.renewRefused = renew;
    await client.refreshTokens.delete('me', login.clientId);
    return true;
  } catch (error) {
    // Refused: logged out already, or its user is gone; the refresh token is no more.
    if (error instanceof CliFailure || isRefusal(error, 'not-found')) return false;
    throw error;
  } finally {
    client.token = caller;
    client.renewRefused = undefined;
    await revokeAll(client, access);
  }
}

/** Revoking an unknown token succeeds; one that cannot be revoked now (the daemon went away) expires on its own. */
async function revokeAll(client: AuthClient, tokens: string[]): Promise<void> {
  await Promise.allSettled(tokens.map((token) => client.tokens.revoke(token)));
}
