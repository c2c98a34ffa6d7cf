import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {changeablePolicy, policyArgument} from '../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {confirm, confirmFlags, plural} from '../../src/cli/confirm.js';

export default class PolicyDelete extends BaseCommand<typeof PolicyDelete> {
  static override summary = 'Delete policies.';
  static override description = withExitCodes(
    'Deletes each policy (DELETE /0.1/policies/POLICY), named by uuid or slug; the users and groups holding it lose ' +
      'its accesses at their next token. Your own access must grant each access of its ACL (exit 4 otherwise). Stops ' +
      'at the first one that is unknown or read-only (exit 1). Prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One', command: '<%= config.bin %> policy delete operators'},
    {description: 'Several', command: '<%= config.bin %> policy delete old-readers 2d3c4b5a-6f7e-4d8c-9b0a-1f2e3d4c5b6a'},
  ];
  static override strict = false;
  static override usage = '<%= command.id %> POLICY... [--tenant TENANT]';
  static override args = {policy: {...policyArgument, description: 'A policy: its uuid or its slug; repeat for several'}};
  static override flags = {...confirmFlags, tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const policies = [];
    for (const ref of this.positionals) policies.push(await changeablePolicy(client, ref));
    const slugs = policies.map((policy) => policy.slug);
    await confirm(`delete ${plural('policy', slugs, 'policies')}`, this.flags.yes);
    for (const policy of policies) {
      await client.policies.delete(policy.uuid);
      this.note(`Policy ${policy.slug} deleted.`);
    }
  }
}
