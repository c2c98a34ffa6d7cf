// What the `policy` commands share: how a policy is named on the command line, how it is shown,
// and the refusal of a change to a read-only one before anything is sent.

import {Args} from '@oclif/core';
import type {AuthClient, Policy} from '../client/index.js';
import {accessProblem} from '../acl/index.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure, usageError} from './failure.js';
import type {RecordView} from './output.js';

/** The API takes a policy's slug wherever it takes its uuid (the slug in the tenant acted in). */
export const policyArgument = Args.string({description: 'The policy: its uuid or its slug', required: true});

export const policyView: RecordView = {plain: ['uuid']};

/** The policy, when it may be changed: the daemon's 403 would say "refused", as if the login were at fault. */
export async function changeablePolicy(client: AuthClient, ref: string): Promise<Policy> {
  const policy = await client.policies.get(ref);
  if (policy.read_only) throw readOnly(policy);
  return policy;
}

export function readOnly(policy: Policy): CliFailure {
  return new CliFailure(`policy ${policy.slug} is read-only: the daemon's configuration sets it, or a tenant above shares it`, ExitCode.negative, {
    uuid: policy.uuid,
  });
}

/** The policy a creation clashed with: the one of that slug when one was asked for, else of that name. */
export async function clashingPolicy(client: AuthClient, name: string, slug: string | undefined): Promise<Policy | undefined> {
  if (slug !== undefined) {
    const bySlug = await client.policies.list({slug, limit: 1});
    if (bySlug.items[0]) return bySlug.items[0];
  }
  return (await client.policies.list({name, limit: 1})).items[0];
}

/** What is wrong with the first malformed pattern of `acl` (`"a..b" is no ACL pattern: …`), or undefined. */
export function accessProblems(acl: readonly string[]): string | undefined {
  for (const access of acl) {
    const problem = accessProblem(access);
    if (problem) return `${JSON.stringify(access)} is no ACL pattern: ${problem}`;
  }
  return undefined;
}

/** Refuses malformed patterns before anything is sent, with the dashboard's rule (src/acl): the daemon stores any string. */
export function assertAccesses(acl: readonly string[]): void {
  const problem = accessProblems(acl);
  if (problem) throw usageError(problem);
}

/** Whether two ACLs grant the same: the same accesses, in whatever order. */
export function sameAccesses(a: string[], b: string[]): boolean {
  return a.length === new Set(b).size && b.every((access) => a.includes(access));
}

/**
 * Adds (or removes) each access one at a time and returns the policy as it ends up. An access it
 * already has (or lacks) is said, not sent: running it twice is no error.
 */
export async function changeAccesses(
  client: AuthClient,
  ref: string,
  change: 'add' | 'remove',
  accesses: string[],
  note: (message: string) => void,
  /** Called with the policy and its ACL as it would end up, before anything is sent; throws to refuse. */
  guard: (policy: Policy, acl: string[]) => Promise<void> = async () => undefined,
): Promise<Policy> {
  // A malformed pattern already stored may still be removed.
  if (change === 'add') assertAccesses(accesses);
  const policy = await changeablePolicy(client, ref);
  const wanted = new Set(accesses);
  await guard(policy, change === 'add' ? [...new Set([...policy.acl, ...wanted])] : policy.acl.filter((access) => !wanted.has(access)));
  for (const access of wanted) {
    const has = policy.acl.includes(access);
    if (change === 'add' && has) note(`${policy.slug} already grants ${access}.`);
    else if (change === 'remove' && !has) note(`${policy.slug} has no ${access}.`);
    else if (change === 'add') await client.policies.addAccess(policy.uuid, access);
    else await client.policies.removeAccess(policy.uuid, access);
  }
  return client.policies.get(policy.uuid);
}
