import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {changeAccesses, policyArgument, policyView} from '../../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';
import {assertNoLockOut, forceFlags} from '../../../src/cli/lock-out.js';
import type {Policy} from '../../../src/client/index.js';

export default class PolicyAclRemove extends BaseCommand<typeof PolicyAclRemove> {
  static override summary = "Remove accesses from a policy's ACL.";
  static override description = withExitCodes(
    'Removes each ACCESS from the policy (DELETE /0.1/policies/POLICY/acl/ACCESS) and prints the policy. One it ' +
      'lacks is said on stderr. Your own access must grant what you remove (exit 4 otherwise). Quote accesses ' +
      'holding # or !, which shells read.',
  );
  static override examples = [
    {description: 'Two accesses', command: "<%= config.bin %> policy acl remove operators 'confd.users.read' 'calld.#'"},
    {description: 'A denial', command: "<%= config.bin %> policy acl remove operators '!confd.users.*.delete'"},
  ];
  static override strict = false;
  static override usage = '<%= command.id %> POLICY ACCESS... [--tenant TENANT]';
  static override args = {
    policy: policyArgument,
    access: Args.string({description: 'An access (an ACL pattern); repeat for several', required: true}),
  };
  static override flags = {...forceFlags, tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const [policy, ...accesses] = this.positionals;
    const note = (message: string) => this.note(message);
    const guard = (before: Policy, after: string[]) => assertNoLockOut(client, [{...before, before: before.acl, after}], this.flags.force);
    return this.show(await changeAccesses(client, policy!, 'remove', accesses, note, guard), policyView);
  }
}
