import {withExitCodes} from '../../src/cli/exit-codes.js';
import {tenantArgument} from '../../src/cli/name-args.js';
import {tenantUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {tenantRecord} from '../../src/cli/views.js';

export default class TenantShow extends ResourceCommand<typeof TenantShow> {
  static override summary = 'Show a tenant.';
  static override description = withExitCodes(
    "Shows the token's tenant or one below it, named by uuid or slug: its name, parent, contact, phone, domain names " +
      'and address. With --format plain, its uuid alone. Exits 1 when there is no such tenant.',
  );
  static override examples = [
    {description: 'By slug', command: '<%= config.bin %> tenant show acme'},
    {description: 'Its domain names, as JSON', command: "<%= config.bin %> tenant show acme --json | jq -r '.domain_names[]'"},
  ];
  static override args = {tenant: tenantArgument};

  async run() {
    const client = await this.authenticatedClient();
    return this.showRecord(await client.tenants.get(await tenantUuid(client, this.args.tenant)), tenantRecord);
  }
}
