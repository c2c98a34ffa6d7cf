// The life of a kept login: `login` trades a password for an offline token's refresh token and
// keeps only that; `logout` revokes it on the daemon and forgets it. The password is never kept.

import {randomBytes} from 'node:crypto';
import {hostname} from 'node:os';
import type {AuthClient} from '../client/index.js';
import {accountOf, type CredentialStoreKind} from './credentials.js';
import {CliFailure, failureOf, isRefusal, refusals} from './failure.js';
import {currentFactory} from './factory.js';
import {updateProfile} from './profiles.js';
import {accessTokenFrom, type KeptLogin} from './session.js';

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
  /** Where the refresh token is. */
  stored_in: string;
}

/** The access token of a login only proves the password: it is revoked at once. */
const LOGIN_TOKEN_LIFETIME = 60;

export async function logIn(request: LoginRequest): Promise<LoginResult> {
  const {client, previous} = request;
  const store = currentFactory().credentials(request.storage, request.configDir);
  const account = accountOf(request.profile, client.url);
  // Read before anything is written over it; reading also proves the keychain usable before a
  // refresh token exists that it could not keep.
  const previousRefreshToken = previous ? await previous.store.read(previous.account) : undefined;
  await store.read(account);

  // One client_id per login, readable in `token refresh list`: which machine, and which login.
  const clientId = `wazo-auth-cli-${hostname()}-${randomBytes(4).toString('hex')}`;
  const token = await client.tokens
    .create({username: request.username, password: request.password}, {accessType: 'offline', clientId, expiration: LOGIN_TOKEN_LIFETIME})
    .catch((error: unknown) => {
      throw refusals.credentials(error, () => `${client.url} refused the username or the password`);
    });
  client.token = token.token;
  try {
    await store.write(account, token.refresh_token!);
  } catch (error) {
    // Not kept, so of use to no one: it must not stay valid on the daemon.
    await client.refreshTokens.delete('me', clientId).catch(() => undefined);
    throw error;
  } finally {
    // Unrevoked (the daemon just went away), it expires within LOGIN_TOKEN_LIFETIME anyway.
    await client.tokens.revoke(token.token).catch(() => undefined);
    client.token = undefined;
  }

  if (previous && previousRefreshToken) await revokePrevious(client, previous, previousRefreshToken);
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
async function revokePrevious(client: AuthClient, previous: KeptLogin, refreshToken: string): Promise<void> {
  const stays = `Warning: the previous login of profile ${previous.profile} (${previous.clientId}) stays valid on ${previous.url}`;
  if (previous.url !== client.url) {
    currentFactory().io.stderr.write(`${stays}: log in there and run \`wazo-auth token refresh delete ${previous.clientId}\` to revoke it\n`);
    return;
  }
  try {
    await revokeOnDaemon(client, previous, refreshToken);
  } catch (error) {
    currentFactory().io.stderr.write(`${stays}: ${failureOf(error)?.message ?? String(error)}\n`);
  }
}

export interface LogoutResult {
  profile: string;
  url: string;
  client_id: string;
  /** Whether the daemon revoked it now; false when it was already gone there or here. */
  revoked: boolean;
}

/**
 * Revokes the kept refresh token on its daemon, then forgets it here whatever the daemon said:
 * a failure to revoke is reported, with its exit code, once the local copy is gone.
 */
export async function logOut(client: AuthClient, login: KeptLogin, configDir: string): Promise<LogoutResult> {
  let revoked = false;
  let failure: unknown;
  try {
    const refreshToken = await login.store.read(login.account);
    if (refreshToken) revoked = await revokeOnDaemon(client, login, refreshToken);
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
 * DELETE /users/me/tokens/{client_id}, with an access token from the refresh token itself so that
 * it works whoever the client is logged in as. False when the daemon no longer knew it.
 */
async function revokeOnDaemon(client: AuthClient, login: KeptLogin, refreshToken: string): Promise<boolean> {
  let access;
  try {
    access = await accessTokenFrom(client, login, refreshToken);
  } catch (error) {
    // Refused: logged out already, or its user is gone; nothing is left to revoke.
    if (error instanceof CliFailure) return false;
    throw error;
  }
  const caller = client.token;
  client.token = access.token;
  try {
    await client.refreshTokens.delete('me', login.clientId);
    return true;
  } catch (error) {
    if (isRefusal(error, 'not-found')) return false;
    throw error;
  } finally {
    await client.tokens.revoke(access.token).catch(() => undefined);
    client.token = caller;
  }
}
