import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {assertAccesses, changeablePolicy, policyArgument, policyView} from '../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class PolicyUpdate extends BaseCommand<typeof PolicyUpdate> {
  static override summary = "Change a policy's name, description or whole ACL.";
  static override description = withExitCodes(
    'Changes the fields given and keeps the others (GET, then PUT /0.1/policies/POLICY), and prints the policy. ' +
      '--acl replaces the whole ACL; `policy acl add|remove` change single accesses. A read-only policy, or no ' +
      'such policy, exits 1.',
  );
  static override examples = [
    {description: 'Rename', command: "<%= config.bin %> policy update operators --name 'Senior operators'"},
    {description: 'Replace the ACL', command: "<%= config.bin %> policy update operators --acl 'confd.#' --acl '!confd.users.*.delete'"},
  ];
  static override args = {policy: policyArgument};
  static override flags = {
    tenant: tenantFlag,
    name: Flags.string({summary: 'Its new name', helpValue: 'NAME'}),
    description: Flags.string({summary: 'Its new description ("" for none)', helpValue: 'TEXT'}),
    acl: Flags.string({summary: 'Its new ACL, one access each; repeat for several', multiple: true, multipleNonGreedy: true, helpValue: 'ACCESS'}),
  };

  async run() {
    const {flags} = this;
    if (flags.name === undefined && flags.description === undefined && flags.acl === undefined) {
      throw usageError('nothing to change: give --name, --description or --acl');
    }
    assertAccesses(flags.acl ?? []);
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const policy = await changeablePolicy(client, this.args.policy);
    const updated = await client.policies.update(policy.uuid, {
      name: flags.name ?? policy.name,
      description: flags.description ?? policy.description,
      acl: flags.acl ?? policy.acl,
    });
    return this.show(updated, policyView);
  }
}
