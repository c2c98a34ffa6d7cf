import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupArgument, policiesArgument} from '../../../src/cli/name-args.js';
import {groupUuid} from '../../../src/cli/names.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';
import {confirm, confirmFlags, plural} from '../../../src/cli/confirm.js';

export default class GroupPolicyRemove extends BaseCommand<typeof GroupPolicyRemove> {
  static override summary = 'Take policies from a group.';
  static override description = withExitCodes(
    'Takes each policy named (uuid, or slug in the tenant acted in) from the group; taking one it does not hold ' +
      'succeeds. Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [{description: 'One policy', command: '<%= config.bin %> group policy remove support supervisors'}];
  static override args = {group: groupArgument, policies: policiesArgument};
  static override flags = {...confirmFlags, tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const uuid = await groupUuid(client, this.args.group);
    await confirm(`take ${plural('policy', this.args.policies, 'policies')} from group ${this.args.group}`, this.flags.yes);
    for (const policy of this.args.policies) {
      await client.groups.removePolicy(uuid, policy);
      this.note(`${this.args.group} no longer holds policy ${policy}.`);
    }
  }
}
