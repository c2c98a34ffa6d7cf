import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {policiesArgument, userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class UserPolicyAdd extends BaseCommand<typeof UserPolicyAdd> {
  static override summary = 'Give policies to a user.';
  static override description = withExitCodes(
    'Gives each policy named (uuid, or slug in the tenant acted in) to the user. Giving a policy the user already ' +
      'holds changes nothing. The token must itself grant every access of the policy (exit 4 otherwise). Says on ' +
      'stderr what it did; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One policy', command: '<%= config.bin %> user policy add alice operators'},
    {description: 'Two policies of a sub-tenant, by slug', command: '<%= config.bin %> user policy add bob agents supervisors --tenant acme'},
  ];
  static override args = {user: userArgument, policies: policiesArgument};
  static override flags = {tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const uuid = await userUuid(client, this.args.user);
    for (const policy of this.args.policies) {
      await client.users.addPolicy(uuid, policy);
      this.note(`${this.args.user} holds policy ${policy}.`);
    }
  }
}
