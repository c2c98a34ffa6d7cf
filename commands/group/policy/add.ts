import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupArgument, policiesArgument} from '../../../src/cli/name-args.js';
import {groupUuid} from '../../../src/cli/names.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class GroupPolicyAdd extends BaseCommand<typeof GroupPolicyAdd> {
  static override summary = 'Give policies to a group.';
  static override description = withExitCodes(
    'Gives each policy named (uuid, or slug in the tenant acted in) to the group, and so to its members. Giving one ' +
      'the group holds changes nothing. The token must itself grant every access of the policy (exit 4 otherwise). ' +
      'Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'Two policies', command: '<%= config.bin %> group policy add support agents supervisors'},
    {description: 'A policy of a sub-tenant, by slug', command: '<%= config.bin %> group policy add sales agents --tenant acme'},
  ];
  static override args = {group: groupArgument, policies: policiesArgument};
  static override flags = {tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const uuid = await groupUuid(client, this.args.group);
    for (const policy of this.args.policies) {
      await client.groups.addPolicy(uuid, policy);
      this.note(`${this.args.group} holds policy ${policy}.`);
    }
  }
}
