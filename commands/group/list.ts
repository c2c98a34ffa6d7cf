import {Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../src/cli/listing.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {groupList, groupRow} from '../../src/cli/views.js';
import {tenantNames} from '../../src/cli/display-names.js';

export default class GroupList extends ResourceCommand<typeof GroupList> {
  static override summary = 'List groups.';
  static override description = withExitCodes(
    "Lists the groups of the token's tenant (or of --tenant), with --recurse those of the tenants below it too, each " +
      "tenant's read-only all-users group included; sorted by name unless --order says slug, uuid or read_only. One " +
      'page at a time (--limit, --offset), or --all. With --format plain, their uuids, one a line; --json prints the ' +
      "API's {total, filtered, items}.",
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> group list'},
    {
      description: 'The members of every group whose name holds "support"',
      command: '<%= config.bin %> group list --search support --format plain | xargs -n1 <%= config.bin %> group member list',
    },
  ];
  static override flags = {
    ...listFlags,
    tenant: tenantFlag,
    recurse: Flags.boolean({summary: 'Include the groups of the tenants below'}),
  };

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const recurse = this.flags.recurse || undefined;
    const list = await fetchList(this.flags, (page) => client.groups.list({...page, recurse}));
    const names = this.tabular
      ? await tenantNames(
          client,
          list.items.map((group) => group.tenant_uuid),
        )
      : undefined;
    return this.showList(list, groupList, (group) => groupRow(group, names!));
  }
}
