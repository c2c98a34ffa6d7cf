import {Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {fetchList, listFlags} from '../../src/cli/listing.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {userList, userRow} from '../../src/cli/views.js';

export default class UserList extends ResourceCommand<typeof UserList> {
  static override summary = 'List users.';
  static override description = withExitCodes(
    "Lists the users of the token's tenant (or of --tenant), with --recurse those of the tenants below it too, " +
      'sorted by username unless --order says firstname or lastname. --search matches words of the username, first ' +
      'and last names, in order. One page at a time (--limit, --offset; a note on stderr says what is left), or --all. ' +
      "With --format plain, their uuids, one a line; --json prints the API's {total, filtered, items}.",
  );
  static override examples = [
    {description: 'The first page', command: '<%= config.bin %> user list'},
    {description: 'Every user of every tenant below a reseller, as JSON', command: '<%= config.bin %> user list --tenant reseller --recurse --all --json'},
    {
      description: 'Show each user whose name holds "smith"',
      command: '<%= config.bin %> user list --search smith --format plain | xargs -n1 <%= config.bin %> user show',
    },
  ];
  static override flags = {
    ...listFlags,
    tenant: tenantFlag,
    recurse: Flags.boolean({summary: 'Include the users of the tenants below'}),
  };

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const recurse = this.flags.recurse || undefined;
    const list = await fetchList(this.flags, (page) => client.users.list({...page, recurse}));
    return this.showList(list, userList, userRow);
  }
}
