// `policy apply`: bring the daemon's policies to what a file describes. The plan is worked out
// first against the policies the tenant sees, so that a file the daemon would refuse in part
// (a read-only policy, a name taken) changes nothing; then each change is one API call.

import type {NewPolicy, Policy, PolicyChanges} from '../client/index.js';
import type {Policies} from '../client/policies.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure, failureOf} from './failure.js';
import type {ListView} from './output.js';
import type {PolicySpec} from './policy-file.js';
import type {AclChange} from './lock-out.js';

/**
 * What applying did (or, with --dry-run, would do) to one policy of the file. `uuid` and `slug`
 * are unknown (null) for a policy a dry run would create without a slug.
 * @example {action: 'updated', uuid: '…', slug: 'operators', name: 'Operators', acl_added: ['calld.#'], acl_removed: [], changed: ['description']}
 */
export type PolicyOutcome = {
  action: 'created' | 'updated' | 'unchanged';
  uuid: string | null;
  slug: string | null;
  name: string;
  acl_added: string[];
  acl_removed: string[];
  /** The other fields that change: name, description. */
  changed: string[];
};

export const outcomeView: ListView = {columns: ['action', 'slug', 'name', 'acl_added', 'acl_removed', 'changed'], plain: 'uuid'};

/** One step of a plan: the outcome, and the call that brings it about (none when unchanged). */
export type PlannedStep =
  | {outcome: PolicyOutcome; call: 'create'; fields: NewPolicy}
  | {outcome: PolicyOutcome; call: 'update'; uuid: string; fields: PolicyChanges}
  | {outcome: PolicyOutcome; call: 'none'};

/** A policy is matched by its slug (whatever its case) when the file gives one, else by its name. */
function findMatch(spec: PolicySpec, existing: Policy[]): Policy | undefined {
  if (spec.slug !== undefined) {
    const slug = spec.slug.toLowerCase();
    return existing.find((policy) => policy.slug.toLowerCase() === slug);
  }
  return existing.find((policy) => policy.name === spec.name);
}

/**
 * The steps that bring `existing` (every policy the tenant sees) to `specs`. Throws a negative
 * answer listing every refusal the daemon would make, so that nothing is applied.
 */
export function planPolicies(specs: PolicySpec[], existing: Policy[]): PlannedStep[] {
  const refusals: string[] = [];
  const claimed = new Map<string, string>();
  const steps = specs.map((spec): PlannedStep => {
    const current = findMatch(spec, existing);
    const nameHolder = existing.find((policy) => policy.name === spec.name && policy !== current);
    if (nameHolder) refusals.push(`${spec.name}: the name is already that of policy ${nameHolder.slug}`);
    if (!current) {
      const acl = spec.acl ?? [];
      return {
        outcome: {action: 'created', uuid: null, slug: spec.slug ?? null, name: spec.name, acl_added: acl, acl_removed: [], changed: []},
        call: 'create',
        fields: {name: spec.name, slug: spec.slug, description: spec.description ?? null, acl, shared: spec.shared},
      };
    }
    const other = claimed.get(current.uuid);
    if (other !== undefined) refusals.push(`${spec.name}: policy ${current.slug} is already described by ${other}`);
    claimed.set(current.uuid, spec.name);
    const wanted = {name: spec.name, description: spec.description === undefined ? current.description : spec.description, acl: spec.acl ?? current.acl};
    const acl_added = wanted.acl.filter((access) => !current.acl.includes(access));
    const acl_removed = current.acl.filter((access) => !wanted.acl.includes(access));
    const changed = (['name', 'description'] as const).filter((field) => wanted[field] !== current[field]);
    const outcome = {uuid: current.uuid, slug: current.slug, name: spec.name, acl_added, acl_removed, changed};
    if (spec.shared !== undefined && spec.shared !== current.shared) {
      refusals.push(`${spec.name}: shared cannot change once a policy exists (policy ${current.slug} is ${current.shared ? '' : 'not '}shared)`);
    }
    if (acl_added.length + acl_removed.length + changed.length === 0) return {outcome: {...outcome, action: 'unchanged'}, call: 'none'};
    if (current.read_only) refusals.push(`${spec.name}: policy ${current.slug} is read-only`);
    return {outcome: {...outcome, action: 'updated'}, call: 'update', uuid: current.uuid, fields: wanted};
  });
  if (refusals.length > 0) throw new CliFailure(`nothing applied:\n  ${refusals.join('\n  ')}`, ExitCode.negative, {refusals});
  return steps;
}

/**
 * Makes the calls of the plan, one at a time, and returns the outcomes. A call that fails stops
 * it: the failure keeps its exit code and says which policies were changed before it.
 */
export async function applyPlan(policies: Pick<Policies, 'create' | 'update'>, steps: PlannedStep[]): Promise<PolicyOutcome[]> {
  const done: PolicyOutcome[] = [];
  for (const step of steps) {
    try {
      if (step.call === 'create') {
        const created = await policies.create(step.fields);
        done.push({...step.outcome, uuid: created.uuid, slug: created.slug});
      } else {
        if (step.call === 'update') await policies.update(step.uuid, step.fields);
        done.push(step.outcome);
      }
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      const applied = done.filter((outcome) => outcome.action !== 'unchanged').map((outcome) => `${outcome.action} ${outcome.slug}`);
      const before = applied.length > 0 ? `after ${applied.join(', ')}` : 'before any change';
      throw new CliFailure(`${step.outcome.name}: ${failure.message} (stopped ${before})`, failure.exitCode, {...failure.fields, applied: done});
    }
  }
  return done;
}

/** The ACL changes of a plan's updates, for the lock-out guard (src/cli/lock-out.ts). */
export function aclChanges(steps: readonly PlannedStep[], existing: readonly Policy[]): AclChange[] {
  return steps.flatMap((step) => {
    if (step.call !== 'update' || step.fields.acl === undefined) return [];
    const before = existing.find((policy) => policy.uuid === step.uuid)!;
    return [{uuid: before.uuid, slug: before.slug, before: before.acl, after: step.fields.acl}];
  });
}
