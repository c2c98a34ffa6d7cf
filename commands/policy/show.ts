import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {policyArgument, policyView} from '../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class PolicyShow extends BaseCommand<typeof PolicyShow> {
  static override summary = 'Show a policy and its ACL.';
  static override description = withExitCodes(
    'Reads a policy (GET /0.1/policies/POLICY), named by uuid or by slug (a slug of your tenant, or of --tenant). ' +
      'Exits 1 when there is no such policy. --format yaml prints what `policy apply -f` reads back; --format plain ' +
      'prints the uuid.',
  );
  static override examples = [
    {description: 'By slug', command: '<%= config.bin %> policy show operators'},
    {description: 'Kept as a file, to edit and apply later', command: '<%= config.bin %> policy show operators --format yaml > operators.yml'},
  ];
  static override args = {policy: policyArgument};
  static override flags = {tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    return this.show(await client.policies.get(this.args.policy), policyView);
  }
}
