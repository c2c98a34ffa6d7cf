import {Args, Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {groupRecord} from '../../src/cli/views.js';

export default class GroupCreate extends ResourceCommand<typeof GroupCreate> {
  static override summary = 'Create a group.';
  static override description = withExitCodes(
    "Creates a group in the token's tenant, or in --tenant. Its slug is derived from the name unless given, and " +
      'never changes. Prints the new group; with --format plain, its uuid. Exits 1 when the tenant already has a group ' +
      'of that name or slug.',
  );
  static override examples = [
    {description: 'A group', command: '<%= config.bin %> group create support'},
    {
      description: 'In a sub-tenant, then give it members',
      command: 'g=$(<%= config.bin %> group create sales --tenant acme --format plain) && <%= config.bin %> group member add "$g" alice bob',
    },
  ];
  static override args = {name: Args.string({description: 'Name of the group, unique in its tenant', required: true, ignoreStdin: true})};
  static override flags = {
    slug: Flags.string({summary: 'Unique short name in the tenant (default: from the name)', helpValue: 'SLUG'}),
    tenant: tenantFlag,
  };

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    return this.showRecord(await client.groups.create({name: this.args.name, slug: this.flags.slug ?? null}), groupRecord);
  }
}
