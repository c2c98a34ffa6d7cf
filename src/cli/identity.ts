// Who a client's access token is: its user, tenant and ACL, as `whoami` shows them.

import type {AuthClient} from '../client/index.js';
import {isRefusal, refusals, unlessRefused} from './failure.js';

export interface Identity {
  url: string;
  /** The profile whose kept login this is; null for WAZO_AUTH_TOKEN. */
  profile: string | null;
  username: string | null;
  uuid: string;
  purpose: string;
  tenant_uuid: string;
  tenant_name: string | null;
  acl: string[];
}

/**
 * The token's own data, then the names its ACL may let it read; a name it may not read is null
 * (the username: the one the profile logged in with) rather than a failure.
 */
export async function identify(client: AuthClient, login: {profile: string; username?: string} | undefined): Promise<Identity> {
  // A kept token revoked elsewhere is unknown here (404, not 401): renewed once, as the other routes do.
  const token = await client.tokens
    .get(client.token!)
    .catch(async (error: unknown) => {
      if (isRefusal(error, 'not-found') && (await client.renewToken())) return client.tokens.get(client.token!);
      throw error;
    })
    .catch((error: unknown) => {
      throw refusals.ownToken(error, `${client.url} does not know this token (expired, revoked, or from another daemon)`);
    });
  const tenantUuid = token.metadata.tenant_uuid;
  const [user, tenant] = await Promise.all([readable(client.users.get(token.auth_id)), readable(client.tenants.get(tenantUuid))]);
  return {
    url: client.url,
    profile: login?.profile ?? null,
    username: user ? user.username : (login?.username ?? null),
    uuid: token.auth_id,
    purpose: token.metadata.purpose,
    tenant_uuid: tenantUuid,
    tenant_name: tenant?.name ?? null,
    acl: token.acl,
  };
}

/** The answer, or undefined when the token may not read it. */
const readable = <T>(call: Promise<T>) => unlessRefused(call, 'unauthorized', 'forbidden', 'not-found');
