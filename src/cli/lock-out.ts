// Guard rail against locking oneself out: a change to a policy the caller holds that would leave
// its next token without the access it uses to change that policy (auth.policies.UUID.update) is
// refused unless --force. The token's ACL is worked out as it would be after the change: the
// patterns removed from a held policy gone, those added (a `!` denial included) there.

import {Flags} from '@oclif/core';
import {AccessCheck} from '../acl/index.js';
import type {AuthClient} from '../client/index.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure, unlessRefused} from './failure.js';

export const forceFlags = {
  force: Flags.boolean({summary: 'Apply even a change that would take from your own login the access to change this policy again'}),
};

/** A policy's ACL before and after a change. */
export interface AclChange {
  uuid: string;
  slug: string;
  before: readonly string[];
  after: readonly string[];
}

/** The accesses a change to a policy relies on: reading it and updating it. */
const relied = (uuid: string) => [`auth.policies.${uuid}.read`, `auth.policies.${uuid}.update`];

/**
 * Throws a usage failure naming the access lost when `changes` would lock the caller out; returns
 * otherwise, and when the caller's token or its policies cannot be read (nothing to go on).
 */
export async function assertNoLockOut(client: AuthClient, changes: readonly AclChange[], force: boolean | undefined): Promise<void> {
  const removing = changes.filter((change) => removed(change).length || added(change).some((access) => access.startsWith('!')));
  if (force || !removing.length) return;
  const token = await unlessRefused(client.tokens.get(client.token!), 'unauthorized', 'forbidden', 'not-found');
  if (!token) return;
  const held = (await Promise.all(removing.map(async (change) => ((await holds(client, token.auth_id, change.uuid)) ? [change] : [])))).flat();
  if (!held.length) return;
  const gone = new Set(held.flatMap(removed));
  const afterAcl = [...token.acl.filter((pattern) => !gone.has(pattern)), ...held.flatMap(added)];
  const context = {authId: token.auth_id, sessionUuid: token.session_uuid};
  const now = new AccessCheck(token.acl, context);
  const then = new AccessCheck(afterAcl, context);
  for (const change of changes) {
    const lost = relied(change.uuid).find((access) => now.covers(access) && !then.covers(access));
    if (lost === undefined) continue;
    throw new CliFailure(
      `this change to policy ${change.slug} would lock you out: your login would no longer grant ${lost} (it holds this policy); --force to apply it anyway`,
      ExitCode.usage,
      {access: lost},
    );
  }
}

const removed = (change: AclChange) => change.before.filter((pattern) => !change.after.includes(pattern));
const added = (change: AclChange) => change.after.filter((pattern) => !change.before.includes(pattern));

/** Whether the user holds the policy, itself or through one of its groups; true when that cannot be read (the safe guess). */
async function holds(client: AuthClient, user: string, policy: string): Promise<boolean> {
  const [own, groups] = await Promise.all([
    unlessRefused(client.users.listPolicies(user, {uuid: policy, limit: 1}), 'unauthorized', 'forbidden', 'not-found'),
    unlessRefused(client.groups.list({user_uuid: user, policy_uuid: policy, recurse: true, limit: 1}), 'unauthorized', 'forbidden'),
  ]);
  if (own === undefined || groups === undefined) return true;
  return own.items.length > 0 || groups.items.length > 0;
}
