import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {changeAccesses, policyArgument, policyView} from '../../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class PolicyAclAdd extends BaseCommand<typeof PolicyAclAdd> {
  static override summary = "Add accesses to a policy's ACL.";
  static override description = withExitCodes(
    'Adds each ACCESS to the policy (PUT /0.1/policies/POLICY/acl/ACCESS) and prints the policy. One it already ' +
      'grants is said on stderr and left alone. Your own access must grant what you add (exit 4 otherwise). Quote ' +
      'accesses holding # or !, which shells read.',
  );
  static override examples = [
    {description: 'Two accesses', command: "<%= config.bin %> policy acl add operators 'confd.users.read' 'calld.#'"},
    {description: 'A denial', command: "<%= config.bin %> policy acl add operators '!confd.users.*.delete'"},
  ];
  static override strict = false;
  static override usage = '<%= command.id %> POLICY ACCESS... [--tenant TENANT]';
  static override args = {
    policy: policyArgument,
    access: Args.string({description: 'An access (an ACL pattern); repeat for several', required: true}),
  };
  static override flags = {tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const [policy, ...accesses] = this.positionals;
    return this.show(await changeAccesses(client, policy!, 'add', accesses, (message) => this.note(message)), policyView);
  }
}
