import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {policiesArgument, userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';
import {confirm, confirmFlags, plural} from '../../../src/cli/confirm.js';

export default class UserPolicyRemove extends BaseCommand<typeof UserPolicyRemove> {
  static override summary = 'Take policies from a user.';
  static override description = withExitCodes(
    'Takes each policy named (uuid, or slug in the tenant acted in) from the user; taking one the user does not hold ' +
      'succeeds. The policies it gets through its groups stay. Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [{description: 'One policy', command: '<%= config.bin %> user policy remove alice operators'}];
  static override args = {user: userArgument, policies: policiesArgument};
  static override flags = {...confirmFlags, tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const uuid = await userUuid(client, this.args.user);
    await confirm(`take ${plural('policy', this.args.policies, 'policies')} from user ${this.args.user}`, this.flags.yes);
    for (const policy of this.args.policies) {
      await client.users.removePolicy(uuid, policy);
      this.note(`${this.args.user} no longer holds policy ${policy}.`);
    }
  }
}
