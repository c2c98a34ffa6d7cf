import {withExitCodes} from '../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../src/cli/listing.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {tenantList, tenantRow} from '../../src/cli/views.js';
import {tenantNames} from '../../src/cli/display-names.js';

export default class TenantList extends ResourceCommand<typeof TenantList> {
  static override summary = 'List tenants.';
  static override description = withExitCodes(
    "Lists the token's tenant (or --tenant) and every tenant below it, sorted by name unless --order says slug. " +
      '--search matches words of the name and slug. One page at a time (--limit, --offset), or --all. With --format ' +
      "plain, their uuids, one a line; --json prints the API's {total, filtered, items}.",
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> tenant list'},
    {description: 'A reseller and its customers, as YAML', command: '<%= config.bin %> tenant list --tenant reseller --all --format yaml'},
  ];
  static override flags = {...listFlags, tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const list = await fetchList(this.flags, (page) => client.tenants.list(page));
    const names = this.tabular
      ? await tenantNames(
          client,
          list.items.map((tenant) => tenant.parent_uuid),
          list.items,
        )
      : undefined;
    return this.showList(list, tenantList, (tenant) => tenantRow(tenant, names!));
  }
}
